"""How strong a blur or pixelate box must be: sized from what is under it, not from the box.

A pixelate box drawn tight around one line of text used to get eight cells over its short
side: each cell a fraction of a letter, so the letters stayed readable (tesseract read
them). What defeats reading is a cell at least half as tall as the text line; what defeats
recognising a face, a cell of about a sixth of the face. So for each soft track a few of its
frames are read from the original: the text detector measures the line height under the
box, the face detector the face; the cell is the larger of what each needs (and never
finer than the old rule). A box shaped like a line of text (three times wider than tall)
where the detector finds nothing is taken as one line of text all the same: a detector's
miss must not leave a name readable.

Deterministic (same frames, same models), so export and ``verify --case`` agree.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from reviewer.annotate.geometry import BoxTrack
from reviewer.export.burn import default_block

TEXT_CELL = 0.5      # cell height / text line height: two cells per line leave no letter
FACE_CELL = 1 / 6    # cell / face height: no eyes, nose or mouth left to tell apart
LINE_SHAPE = 3.0     # width / height from which an empty-looking box is read as a text line
SAMPLES = 3          # frames of a track looked at
CONTEXT = 0.5        # the crop around the box, as a share of its size (detectors need context)


def _sample_frames(t: BoxTrack) -> list[int]:
    if t.frame_to <= t.frame_from:
        return [t.frame_from]
    return sorted({round(float(f)) for f in np.linspace(t.frame_from, t.frame_to, SAMPLES)})


def _crop(rgb: np.ndarray, box: Any, context: float) -> tuple[np.ndarray, int, int]:
    h, w = rgb.shape[:2]
    mx, my = box.w_px * context, box.h_px * context
    x0, y0 = max(0, int(box.x_px - mx)), max(0, int(box.y_px - my))
    x1 = min(w, math.ceil(box.x_px + box.w_px + mx))
    y1 = min(h, math.ceil(box.y_px + box.h_px + my))
    return rgb[y0:y1, x0:x1], x0, y0


def _inside(inner: tuple[float, float, float, float], box: Any) -> bool:
    """Whether most of ``inner`` (x0, y0, x1, y1) lies under ``box``."""
    x0, y0, x1, y1 = inner
    ix = max(0.0, min(x1, box.x_px + box.w_px) - max(x0, box.x_px))
    iy = max(0.0, min(y1, box.y_px + box.h_px) - max(y0, box.y_px))
    area = max(1e-6, (x1 - x0) * (y1 - y0))
    return ix * iy >= 0.5 * area


class Under:
    """The text line height and face height under boxes, measured on source frames."""

    def __init__(self) -> None:
        self._text = None
        self._faces = None

    def text_height(self, rgb: np.ndarray, box: Any) -> float:
        from reviewer.media.text import TextDetector

        if self._text is None:
            self._text = TextDetector(max_side=0)
        crop, ox, oy = _crop(rgb, box, CONTEXT)
        if crop.size == 0:
            return 0.0
        # small crops are enlarged: the detector finds lines from ~8 px at its input
        zoom = max(1.0, min(4.0, 96.0 / max(1, min(crop.shape[:2]))))
        if zoom > 1.0:
            import cv2

            crop = cv2.resize(crop, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        best = 0.0
        for tb in self._text.detect(crop):
            rect = (ox + tb.x_px / zoom, oy + tb.y_px / zoom, ox + (tb.x_px + tb.w_px) / zoom,
                    oy + (tb.y_px + tb.h_px) / zoom)
            if _inside(rect, box):
                best = max(best, tb.line_h_px / zoom)
        return best

    def face_height(self, rgb: np.ndarray, box: Any) -> float:
        from reviewer.media.faces import FaceDetector

        if self._faces is None:
            self._faces = FaceDetector()
        crop, ox, oy = _crop(rgb, box, CONTEXT)
        if crop.size == 0:
            return 0.0
        best = 0.0
        for d in self._faces.detect(np.ascontiguousarray(crop)):
            rect = (ox + d.x_px, oy + d.y_px, ox + d.x_px + d.w_px, oy + d.y_px + d.h_px)
            if d.score >= 0.5 and _inside(rect, box):
                best = max(best, d.h_px)
        return best


def block_for(style: str, box_w: int, box_h: int, text_h: float, face_h: float) -> int:
    """The cell size for a soft box of ``box_w`` x ``box_h`` over text ``text_h`` tall and a
    face ``face_h`` tall (0: none found)."""
    block = default_block(box_h, box_w, style)
    if not text_h and box_w >= LINE_SHAPE * box_h:
        text_h = box_h  # looks like a line of text: treated as one
    if text_h:
        block = max(block, math.ceil(TEXT_CELL * text_h))
    if face_h:
        block = max(block, math.ceil(FACE_CELL * face_h))
    return max(1, min(block, max(box_w, box_h)))


def soft_blocks(reader: Any, tracks: Sequence[BoxTrack], frame_offset: int = 0,
                known_text_h: Sequence[float] = ()) -> tuple[int, ...]:
    """The cell size of each track (0 for solid boxes). ``reader``: an exact frame reader of
    the original (``reader.frame(n)`` -> RGB as displayed); ``frame_offset``: the source
    frame of the tracks' frame 0 (an export of frames a..b); ``known_text_h[i]``: a text
    height detect text already measured for track i (0: unknown)."""
    out = []
    under = Under()
    for i, t in enumerate(tracks):
        if t.style == "solid":
            out.append(0)
            continue
        text_h = known_text_h[i] if i < len(known_text_h) else 0.0
        face_h = 0.0
        w = h = 1
        for f in _sample_frames(t):
            rgb = reader.frame(f + frame_offset)
            box = t.box_at(f)
            w, h = max(w, math.ceil(box.w_px)), max(h, math.ceil(box.h_px))
            text_h = max(text_h, under.text_height(rgb, box))
            face_h = max(face_h, under.face_height(rgb, box))
        out.append(block_for(t.style, w, h, text_h, face_h))
    return tuple(out)
