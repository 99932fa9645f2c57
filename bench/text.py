"""Text detection speed: ms per frame of the whole ``detect text`` pass (sampled detection,
tracking between samples, reading) on the generated street clip, against a plain decode and
against the face pass over the same file, both measured in the same run; and the two
runtimes for the PP-OCRv4 models (cv2.dnn, which the app uses, and onnxruntime when it
happens to be installed) on the same inputs.

    .venv/bin/python bench/text.py [--seconds S] [--width W]

Nothing downloaded: the clip is generated under a temporary folder. Run outside the test
suite; the machine's other load shows in the numbers.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import av
import numpy as np


def _plain_decode_ms(path: Path) -> float:
    started = time.perf_counter()
    with av.open(str(path)) as c:
        n = sum(1 for _ in c.decode(video=0))
    return (time.perf_counter() - started) / n * 1000


def _case(folder: Path, clip: Path):
    from reviewer.session.importer import Imported, import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    store = CaseStore.create(folder / "case")
    for r in import_paths(store, [str(clip)]):
        assert isinstance(r, Imported), r
    return store, media_store.list_media(store)[0]


def _text_pass_ms(store, row) -> tuple[float, int]:
    from reviewer.session.detect_text import detect_text_command

    started = time.perf_counter()
    result = detect_text_command(store, row)
    return (time.perf_counter() - started) / row["frame_count"] * 1000, result.tracks


def _face_pass_ms(store, row) -> float:
    from reviewer.session.detect import find_faces

    started = time.perf_counter()
    find_faces(store, row, use_cache=False)
    return (time.perf_counter() - started) / row["frame_count"] * 1000


def _runtimes(frame: np.ndarray, repeat: int = 5) -> dict[str, float]:
    """ms per call of the detection model on one frame and of the recognition model on one
    line, through cv2.dnn and (if installed) onnxruntime, on the very same blobs."""
    import cv2

    from reviewer.media.text import TextDetector
    from reviewer.media.text_models import det_model_path, rec_model_path

    det = TextDetector()
    w, h = det.input_size(frame.shape[1], frame.shape[0])
    blob = cv2.dnn.blobFromImage(cv2.resize(frame, (w, h)), 1 / 127.5, (w, h), (127.5,) * 3, swapRB=True)
    line = np.ascontiguousarray(frame[:48, :320])
    rblob = cv2.dnn.blobFromImage(line, 1 / 127.5, (320, 48), (127.5,) * 3, swapRB=True)

    def timed(fn) -> float:
        fn()
        t = time.perf_counter()
        for _ in range(repeat):
            fn()
        return (time.perf_counter() - t) / repeat * 1000

    out = {}
    for name, path, x in (("det", det_model_path(), blob), ("rec", rec_model_path(), rblob)):
        net = cv2.dnn.readNetFromONNX(str(path))

        def run_cv(net=net, x=x):
            net.setInput(x)
            return net.forward()
        out[f"cv2.dnn {name}"] = timed(run_cv)
        try:
            import onnxruntime as ort
        except ImportError:
            continue
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = cv2.getNumThreads() or 1
        sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        feed = {sess.get_inputs()[0].name: x}
        out[f"onnxruntime {name}"] = timed(lambda sess=sess, feed=feed: sess.run(None, feed))
    out["det input"] = f"{w}x{h}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--width", type=int, default=640)
    args = ap.parse_args()
    from reviewer.demo.text_clips import make_text_clip

    tmp = Path(tempfile.mkdtemp(prefix="bench-text-"))
    try:
        height = args.width * 9 // 16 // 2 * 2
        clip = make_text_clip(tmp / "street.mp4", seconds=args.seconds, fps=30, width=args.width,
                              height=height)
        store, row = _case(tmp, clip.path)
        decode = _plain_decode_ms(clip.path)
        text_ms, tracks = _text_pass_ms(store, row)
        face_ms = _face_pass_ms(store, row)
        print(f"clip: {args.width}x{height}, {row['frame_count']} frames at 30 fps")
        print(f"plain decode      {decode:7.1f} ms/frame")
        print(f"detect text pass  {text_ms:7.1f} ms/frame  ({tracks} tracks)  "
              f"{text_ms / decode:5.1f}x decode, {text_ms / face_ms:4.2f}x the face pass")
        print(f"face pass         {face_ms:7.1f} ms/frame  {face_ms / decode:5.1f}x decode")
        with av.open(str(clip.path)) as c:
            frame = next(c.decode(video=0)).to_ndarray(format="rgb24")
        for name, value in _runtimes(frame).items():
            print(f"{name:<18} {value:7.1f} ms" if isinstance(value, float) else f"{name:<18} {value}")
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
