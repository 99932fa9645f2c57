"""Text in pictures: PP-OCRv4 detection (where text is) and recognition (what it says),
both run through ``cv2.dnn`` from the ONNX files of the ``rapidocr-onnxruntime`` wheel
(reviewer.media.text_models). ``cv2.dnn`` was as fast as onnxruntime here (bench/text.py
measures both when onnxruntime happens to be installed), so onnxruntime is not a dependency.

Detection follows PaddleOCR's DB post-processing: the network returns a text probability
map at the input's size; it is thresholded, each connected region's minimum-area rectangle
is scored by the mean probability inside it, then grown ("unclipped") by
``area * ratio / perimeter`` because the network is trained on shrunk text kernels.
Boxes are returned axis-aligned in pixels of the frame as displayed: a redaction box.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import cv2
import numpy as np

from reviewer.media.text_models import TextModelMissing, characters, det_model_path, rec_model_path

# PaddleOCR / rapidocr defaults for the DB head
BIN_THRESH = 0.3
BOX_THRESH = 0.5
UNCLIP_RATIO = 1.6
MIN_SIDE_PX = 3          # at network scale: smaller regions are noise
DEFAULT_MAX_SIDE = 640   # video frames are shrunk to this longer side for detection
REC_HEIGHT = 48          # the recognition model's input height
REC_MAX_WIDTH = 960


@dataclass(frozen=True)
class TextBox:
    """A text region in pixels of the frame as displayed, axis-aligned, with the detector's
    score and (once read) what it says."""

    x_px: float
    y_px: float
    w_px: float
    h_px: float
    score: float
    line_h_px: float = 0.0   # height of the text line itself (the rotated rectangle's short side)


def _load(path, what: str) -> cv2.dnn.Net:
    try:
        return cv2.dnn.readNetFromONNX(str(path))
    except cv2.error as exc:
        raise TextModelMissing(f"{path.name}: cannot load the text {what} model "
                               f"({exc.msg.strip()})") from None


class TextDetector:
    """Where the text is. One instance per thread (``cv2.dnn.Net`` is not thread-safe)."""

    def __init__(self, max_side: int = DEFAULT_MAX_SIDE, box_thresh: float = BOX_THRESH) -> None:
        self._net = _load(det_model_path(), "detection")
        self.max_side = max_side
        self.box_thresh = box_thresh
        self._lock = threading.Lock()

    def input_size(self, width: int, height: int) -> tuple[int, int]:
        s = min(1.0, self.max_side / max(width, height)) if self.max_side else 1.0
        return (max(32, int(math.ceil(width * s / 32) * 32)),
                max(32, int(math.ceil(height * s / 32) * 32)))

    def probability(self, rgb: np.ndarray) -> np.ndarray:
        """The network's text probability map for ``rgb`` at the network's input size."""
        h, w = rgb.shape[:2]
        w_in, h_in = self.input_size(w, h)
        small = cv2.resize(rgb, (w_in, h_in), interpolation=cv2.INTER_AREA
                           if w_in < w else cv2.INTER_LINEAR)
        # PaddleOCR models are trained on BGR pictures normalised to [-1, 1]
        blob = cv2.dnn.blobFromImage(small, 1 / 127.5, (w_in, h_in), (127.5, 127.5, 127.5),
                                     swapRB=True, crop=False)
        with self._lock:
            self._net.setInput(blob)
            return self._net.forward()[0, 0]

    def detect(self, rgb: np.ndarray, display_size: tuple[int, int] | None = None) -> list[TextBox]:
        """Text regions of one RGB frame; ``display_size`` (w, h) when ``rgb`` was shrunk
        already: boxes come back in pixels of that size."""
        h, w = rgb.shape[:2]
        out_w, out_h = display_size or (w, h)
        prob = self.probability(rgb)
        return boxes_from_probability(prob, out_w / prob.shape[1], out_h / prob.shape[0],
                                      out_w, out_h, self.box_thresh)


def boxes_from_probability(prob: np.ndarray, sx: float, sy: float, width: int, height: int,
                           box_thresh: float = BOX_THRESH) -> list[TextBox]:
    mask = (prob > BIN_THRESH).astype(np.uint8)
    mask = cv2.dilate(mask, np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    out: list[TextBox] = []
    for c in contours:
        (cx, cy), (rw, rh), angle = cv2.minAreaRect(c)
        if min(rw, rh) < MIN_SIDE_PX:
            continue
        x, y, bw, bh = cv2.boundingRect(c)
        region = np.zeros((bh, bw), np.uint8)
        cv2.fillPoly(region, [c.reshape(-1, 2) - (x, y)], 1)
        score = float(prob[y:y + bh, x:x + bw][region > 0].mean())
        if score < box_thresh:
            continue
        d = rw * rh * UNCLIP_RATIO / (2 * (rw + rh))
        pts = cv2.boxPoints(((cx, cy), (rw + 2 * d, rh + 2 * d), angle))
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        x0, x1 = max(0.0, x0 * sx), min(float(width), x1 * sx)
        y0, y1 = max(0.0, y0 * sy), min(float(height), y1 * sy)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        # the line's own height: the short side of the grown rectangle, in display pixels
        short = min(rw, rh) + 2 * d
        line_h = short * (sy if rw >= rh else sx)
        out.append(TextBox(float(x0), float(y0), float(x1 - x0), float(y1 - y0), score,
                           float(line_h)))
    out.sort(key=lambda b: (b.y_px, b.x_px))
    return out


@dataclass(frozen=True)
class Reading:
    text: str
    score: float  # mean probability of the characters read (0 when nothing was read)


class TextReader:
    """What a text region says (PP-OCRv4 recognition, CTC decoding)."""

    def __init__(self) -> None:
        self._net = _load(rec_model_path(), "recognition")
        self._chars = characters()
        self._lock = threading.Lock()

    def read_crop(self, crop: np.ndarray) -> Reading:
        """Read one line of text from an RGB crop holding just that line."""
        h, w = crop.shape[:2]
        if h < 2 or w < 2:
            return Reading("", 0.0)
        if h > 1.5 * w:  # a vertical strip: most likely turned text
            crop = cv2.rotate(crop, cv2.ROTATE_90_COUNTERCLOCKWISE)
            h, w = w, h
        new_w = int(min(REC_MAX_WIDTH, max(16, math.ceil(REC_HEIGHT * w / h / 8) * 8)))
        img = cv2.resize(crop, (new_w, REC_HEIGHT), interpolation=cv2.INTER_AREA
                         if h > REC_HEIGHT else cv2.INTER_CUBIC)
        blob = cv2.dnn.blobFromImage(img, 1 / 127.5, (new_w, REC_HEIGHT), (127.5, 127.5, 127.5),
                                     swapRB=True, crop=False)
        with self._lock:
            self._net.setInput(blob)
            out = self._net.forward()[0]
        whole = ctc_decode(out, self._chars)
        return self._spaced(crop, whole)

    def _spaced(self, crop: np.ndarray, whole: Reading) -> Reading:
        """The reading with the spaces the picture shows. The recogniser often runs two words
        together ("X81204417" for "X81 204417"), and a plate or a serial number searched for
        with its spaces is then not found; where the picture has a gap as wide as a word
        space, each word is read on its own, and their readings are used, spaced, when they
        spell the same characters as the whole line's reading."""
        words = word_spans(crop)
        if len(words) < 2 or whole.text.count(" ") >= len(words) - 1:
            return whole
        h = crop.shape[0]
        pad = max(2, h // 6)
        parts = []
        for a, b in words:
            piece = crop[:, max(0, a - pad):min(crop.shape[1], b + pad)]
            parts.append(self._read_one(piece))
        # the whole line's characters (the recogniser reads better with the line around
        # them), cut where the words' own readings say each word ends
        counts = [len(p.text.replace(" ", "")) for p in parts]
        chars = whole.text.replace(" ", "")
        if not all(counts) or sum(counts) != len(chars):
            return whole
        out, at = [], 0
        for c in counts:
            out.append(chars[at:at + c])
            at += c
        return Reading(" ".join(out), whole.score)

    def _read_one(self, crop: np.ndarray) -> Reading:
        h, w = crop.shape[:2]
        if h < 2 or w < 2:
            return Reading("", 0.0)
        new_w = int(min(REC_MAX_WIDTH, max(16, math.ceil(REC_HEIGHT * w / h / 8) * 8)))
        img = cv2.resize(crop, (new_w, REC_HEIGHT), interpolation=cv2.INTER_AREA
                         if h > REC_HEIGHT else cv2.INTER_CUBIC)
        blob = cv2.dnn.blobFromImage(img, 1 / 127.5, (new_w, REC_HEIGHT), (127.5, 127.5, 127.5),
                                     swapRB=True, crop=False)
        with self._lock:
            self._net.setInput(blob)
            out = self._net.forward()[0]
        return ctc_decode(out, self._chars)

    def read(self, rgb: np.ndarray, box: TextBox) -> Reading:
        h, w = rgb.shape[:2]
        x0, y0 = max(0, int(box.x_px)), max(0, int(box.y_px))
        x1, y1 = min(w, math.ceil(box.x_px + box.w_px)), min(h, math.ceil(box.y_px + box.h_px))
        return self.read_crop(rgb[y0:y1, x0:x1])


WORD_GAP = 0.3    # a gap between letters this many ink heights wide is a space between words


def word_spans(crop: np.ndarray) -> list[tuple[int, int]]:
    """Column ranges (start, end) of the words of one line of text in an RGB crop: ink
    (the pixels Otsu puts in the smaller class) split where a run of columns without ink is
    at least ``WORD_GAP`` of the ink's height wide."""
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY) if crop.ndim == 3 else crop
    if grey.shape[0] < 6 or grey.shape[1] < 6 or float(grey.std()) < 8.0:
        return []
    _t, bw = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = bw if bw.mean() < 0.5 else 1 - bw
    rows = np.nonzero(ink.sum(axis=1) >= max(1, ink.shape[1] // 50))[0]
    if rows.size == 0:
        return []
    height = rows[-1] - rows[0] + 1
    cols = ink[rows[0]:rows[-1] + 1].sum(axis=0) > 0
    spans, start, gap = [], None, 0
    for x, on in enumerate(cols):
        if on:
            if start is None:
                start = x
            elif gap >= WORD_GAP * height:
                spans.append((start, x - gap))
                start = x
            gap = 0
        elif start is not None:
            gap += 1
    if start is not None:
        spans.append((start, len(cols) - gap))
    return spans


def ctc_decode(probs: np.ndarray, chars: tuple[str, ...]) -> Reading:
    """Greedy CTC: the best class per column, repeats merged, blanks dropped."""
    idx = probs.argmax(axis=1)
    conf = probs.max(axis=1)
    keep = idx != 0
    keep[1:] &= idx[1:] != idx[:-1]
    text = "".join(chars[i] for i in idx[keep] if i < len(chars))
    return Reading(text.strip(), float(conf[keep].mean()) if keep.any() else 0.0)


def read_text(rgb: np.ndarray, detector: TextDetector, reader: TextReader,
              min_score: float = 0.5) -> list[tuple[TextBox, Reading]]:
    """Every text region of a picture with what it says (readings below ``min_score``
    dropped): the OCR pass that export verification and search share."""
    out = []
    for b in detector.detect(rgb):
        r = reader.read(rgb, b)
        if r.text and r.score >= min_score:
            out.append((b, r))
    return out
