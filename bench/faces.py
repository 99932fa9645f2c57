"""Face detection speed at 1080p, and what the fast pass gives up (nothing, it should).

    .venv/bin/python bench/faces.py [--stride N] [--skip-cuts]

For the sample scaled up to 1920x1080 (and, unless --skip-cuts, the edited clip of
reviewer.demo.cuts scaled up the same way), in this run:
- where the time goes, one stage at a time on one thread: plain decode, the thumbnail for
  the shot detector, shrinking to the network's input, the network (cv2.dnn at 960x544),
  joining tracks;
- the full per-frame detector (the network on every frame, as before this work) and the
  default pass (decoding on its own thread, the network on every ``stride``-th frame of a
  shot and wherever two looks disagree): ms per frame and the ratio of the pass's time to
  the clip's duration (real time is 1.0);
- the same ratio from CPU time spent (all threads) over two cores: what the pass would take
  on a machine with nothing else running (this machine is shared; wall time shows the load);
- recall: of the faces the full per-frame detector finds, the share the default pass's
  redactions cover (the face's ellipse wholly under them);
- the same pass with its transient test switched off (reviewer.media.facescan): what the
  test costs in looks of the network here, and what it adds to recall.

The 1080p files are generated under a temporary folder, nothing is downloaded. The
machine's other load shows in the numbers; the ratios within one run are what to read.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fixtures.videos import write_rgb_clip  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "foreman_h264.mp4"
SIZE = (1920, 1080)


def _upscale(src: Path, out: Path, size: tuple[int, int] = SIZE) -> Path:
    with av.open(str(src)) as inp:
        return write_rgb_clip(out, (cv2.resize(f.to_ndarray(format="rgb24"), size, interpolation=cv2.INTER_CUBIC)
                                    for f in inp.decode(video=0)), options={"crf": "20", "preset": "veryfast"})


def _stages(path: Path) -> dict[str, float]:
    """ms per frame of each stage alone, one after another (no overlap)."""
    from reviewer.annotate.tracks import join_tracks
    from reviewer.media.faces import FaceDetector
    from reviewer.media.shots import THUMB, ShotDetector

    det = FaceDetector()
    w_in, h_in = det.input_size(*SIZE)
    t = time.perf_counter()
    with av.open(str(path)) as c:
        c.streams.video[0].thread_type = "AUTO"
        frames = list(c.decode(video=0))
    n = len(frames)
    out = {"decode": (time.perf_counter() - t) / n * 1000}
    t = time.perf_counter()
    shots = ShotDetector()
    for f in frames:
        shots.push(f.reformat(width=THUMB[0], height=THUMB[1], format="rgb24",
                              interpolation="AREA").to_ndarray())
    shots.finish()
    out["thumbnail + shots"] = (time.perf_counter() - t) / n * 1000
    t = time.perf_counter()
    small = [f.reformat(width=w_in, height=h_in, format="rgb24", interpolation="AREA").to_ndarray()
             for f in frames]
    out["shrink to network"] = (time.perf_counter() - t) / n * 1000
    t = time.perf_counter()
    dets = [d for i, s in enumerate(small) for d in det.detect(s, i, SIZE)]
    out[f"network {w_in}x{h_in}"] = (time.perf_counter() - t) / n * 1000
    t = time.perf_counter()
    join_tracks(dets, n, width=SIZE[0], height=SIZE[1], transitions=shots.transitions)
    out["join tracks"] = (time.perf_counter() - t) / n * 1000
    return out


def _pass(store, media, stride: int | None) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds (all threads) and the result of one detection pass."""
    from reviewer.session import detect

    t, cpu = time.perf_counter(), time.process_time()
    scan = detect.scan_faces(store, media, settings=detect.DetectSettings(stride=stride),
                             use_cache=False)
    return time.perf_counter() - t, time.process_time() - cpu, scan


def _recall(full, tracks) -> tuple[int, int]:
    from reviewer.session.detect import is_covered, shapes_on_frames

    on = shapes_on_frames(tracks, sorted({d.frame for d in full.detections}))
    covered = sum(is_covered(d.box, on[d.frame], *SIZE) for d in full.detections)
    return covered, len(full.detections)


def _run(path: Path, folder: Path, stride: int) -> None:
    from reviewer.annotate.geometry import BoxTrack
    from reviewer.annotate.tracks import join_tracks
    from reviewer.session import detect
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    stages = _stages(path)
    print(f"{path.name} at {SIZE[0]}x{SIZE[1]}: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
          + " ms/frame (one at a time)")
    with CaseStore.create(folder / f"case-{path.stem}") as store:
        (item,) = import_paths(store, [path])
        media = media_store.get_media(store, item.id)
        count = media["frame_count"]
        duration = count / float(media.get("fps") or 30.0)
        full_s, full_cpu, full = _pass(store, media, 1)
        fast_s, fast_cpu, fast = _pass(store, media, stride)
        import reviewer.media.facescan as facescan

        area, facescan.TRANSIENT_AREA = facescan.TRANSIENT_AREA, 10**9  # the test never fires
        try:
            bare_s, bare_cpu, bare = _pass(store, media, stride)
        finally:
            facescan.TRANSIENT_AREA = area

        def recall(scan):
            tracks = join_tracks(scan.detections, count, detect.join_params(media), *SIZE,
                                 transitions=scan.transitions)
            boxes = [BoxTrack(i, 1, t.frame_from, t.frame_to, t.keyframes, shape="ellipse")
                     for i, t in enumerate(tracks) if not t.suggested]
            return _recall(full, boxes)

        covered, total = recall(fast)
        bare_covered, _ = recall(bare)
    from reviewer.session.detect import DetectSettings, stride_for

    k = stride_for(media, DetectSettings(stride=stride))
    for label, secs, cpu, scan in (("every frame (before)", full_s, full_cpu, full),
                                   (f"default pass, stride {k}", fast_s, fast_cpu, fast)):
        print(f"  {label:<26} {secs / count * 1000:6.1f} ms/frame  ratio to duration "
              f"{secs / duration:5.2f} (CPU time / 2 cores: {cpu / 2 / duration:5.2f})  "
              f"network on {len(scan.searched)}/{count} frames")
    print(f"  speed-up {full_s / fast_s:4.2f}x; recall against the every-frame detector: "
          f"{covered}/{total} faces covered ({covered / max(total, 1) * 100:.1f}%)")
    print(f"  without the transient test: {bare_s / duration:5.2f} of the duration, network on "
          f"{len(bare.searched)}/{count} frames, {bare_covered}/{total} faces covered; the test "
          f"added {len(fast.searched) - len(bare.searched)} looks")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stride", type=int, default=None)
    ap.add_argument("--skip-cuts", action="store_true")
    args = ap.parse_args()
    from reviewer.session.detect import DetectSettings

    stride = args.stride or DetectSettings().stride  # None: a fifth of a second
    folder = Path(tempfile.mkdtemp(prefix="bench-faces-"))
    try:
        files = [_upscale(SAMPLE, folder / "foreman_1080p.mp4")]
        if not args.skip_cuts:
            from reviewer.demo.cuts import make_cut_clip

            clip = make_cut_clip(folder / "cuts_small.mp4")
            files.append(_upscale(clip.path, folder / "cuts_1080p.mp4"))
        for path in files:
            _run(path, folder, stride)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
