"""Face detection speed: ms per frame at the sample's 352x288 and at 1080p (shrunk to the
network's 960-wide input), as the whole ``detect faces`` pass runs it, against a plain decode
of the same file measured in the same run.

    .venv/bin/python bench/faces.py [--frames N]

The 1080p file is the sample scaled up (generated under a temporary folder, nothing
downloaded). Run outside the test suite; the machine's other load shows in the numbers.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import cv2

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "foreman_h264.mp4"


def _upscale(src: Path, out: Path, size: tuple[int, int]) -> Path:
    with av.open(str(src)) as inp, av.open(str(out), "w") as dst:
        vs = dst.add_stream("libx264", rate=30, options={"crf": "20", "preset": "veryfast"})
        vs.width, vs.height, vs.pix_fmt = size[0], size[1], "yuv420p"
        vs.time_base = Fraction(1, 30)
        for n, frame in enumerate(inp.decode(video=0)):
            big = cv2.resize(frame.to_ndarray(format="rgb24"), size, interpolation=cv2.INTER_CUBIC)
            f = av.VideoFrame.from_ndarray(big, format="rgb24")
            f.pts = n
            for pkt in vs.encode(f):
                dst.mux(pkt)
        for pkt in vs.encode():
            dst.mux(pkt)
    return out


def _plain_decode_ms(path: Path) -> float:
    started = time.perf_counter()
    with av.open(str(path)) as c:
        n = sum(1 for _ in c.decode(video=0))
    return (time.perf_counter() - started) / n * 1000


def _detect_ms(path: Path, folder: Path) -> tuple[float, int, int, tuple[int, int]]:
    from reviewer.media.faces import FaceDetector
    from reviewer.session import detect
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    case = folder / f"case-{path.stem}"
    with CaseStore.create(case) as store:
        (item,) = import_paths(store, [path])
        media = media_store.get_media(store, item.id)
        started = time.perf_counter()
        dets = detect.find_faces(store, media, use_cache=False)
        ms = (time.perf_counter() - started) / media["frame_count"] * 1000
    net = FaceDetector().input_size(media["width"], media["height"])
    return ms, len({d.frame for d in dets}), media["frame_count"], net


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-faces-"))
    try:
        files = [SAMPLE, _upscale(SAMPLE, folder / "foreman_1080p.mp4", (1920, 1080))]
        for path in files:
            with av.open(str(path)) as c:
                vs = c.streams.video[0]
                size = f"{vs.width}x{vs.height}"
            ref = _plain_decode_ms(path)
            ms, hits, count, net = _detect_ms(path, folder)
            print(f"{size:>10}  network input {net[0]}x{net[1]}  detect pass {ms:7.1f} ms/frame  "
                  f"plain decode {ref:5.1f} ms/frame  ratio {ms / ref:5.1f}x  "
                  f"face found on {hits}/{count} frames")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
