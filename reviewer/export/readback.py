"""Reading redacted boxes back: what verify does so a box that still shows its content fails.

A solid box is checked by its colour, a soft one by its detail (reviewer.export.verify);
neither says whether the text or the face under it can still be made out. So on a few
frames of every box the exported picture inside it is read with the text reader, at native
size and enlarged three times (a reader zooming in), and soft boxes are also searched with
the face detector. A box where either finds its content fails.

Also here: the case side of soft-box strength (:func:`track_blocks`), which the expectation
of an export carries so export and verify burn and check the same cells.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reviewer.annotate.geometry import BoxTrack
from reviewer.export.burn import region_of
from reviewer.export.checks import Check

SAMPLES = 3            # frames read per soft box (a solid one: its middle frame)
MAX_READS = 90         # at most this many box-frames per export (3 frames of 30 boxes)
FLAT_STD = 2.0         # a crop this flat (a burned solid box) holds nothing to read
READ_MIN_CHARS = 3     # letters or digits read ...
READ_MIN_SCORE = 0.6   # ... with this confidence: the text is still there
FACE_MIN_SCORE = 0.5
ZOOM = 3


def track_blocks(store: Any, media_row: dict, index: Any, tracks: Sequence[BoxTrack],
                 frame_offset: int = 0) -> tuple[int, ...]:
    """Each track's soft cell size, from the original's pictures (0 for solid boxes)."""
    if not any(t.style != "solid" for t in tracks):
        return ()
    from reviewer.errors import NotFound
    from reviewer.export.strength import soft_blocks
    from reviewer.media.frames import FrameReader
    from reviewer.store.annotations import get_redaction
    from reviewer.store.seen_text import text_line_height

    known = []
    for t in tracks:
        try:
            label = str(get_redaction(store, t.id).get("label") or "")
        except NotFound:  # a track not from this case: nothing known of it
            label = ""
        known.append(text_line_height(store, media_row["id"], t.frame_from, t.frame_to, label))
    with FrameReader(media_row["path"], index) as reader:
        return soft_blocks(reader, tracks, frame_offset, known)


def readable(text: str, score: float) -> bool:
    return sum(c.isalnum() for c in text) >= READ_MIN_CHARS and score >= READ_MIN_SCORE


class Readback:
    """Collects the box-frames to read while verify decodes the export, then reads them."""

    def __init__(self, expect: Any) -> None:
        self.expect = expect
        self._want: dict[int, list[int]] = {}
        chosen = 0
        for i, t in enumerate(expect.tracks):
            if t.style == "solid" or t.frame_to <= t.frame_from:
                frames = [(t.frame_from + t.frame_to) // 2]
            else:
                frames = sorted({round(float(f)) for f in
                                 np.linspace(t.frame_from, t.frame_to, SAMPLES)})
            for f in frames:
                if chosen >= MAX_READS:
                    break
                self._want.setdefault(f, []).append(i)
                chosen += 1
        self._reader = None
        self._faces = None
        self.read = 0
        self.problems: list[str] = []

    def wants(self, n: int) -> bool:
        return n in self._want

    def offer(self, n: int, frame: Any) -> None:
        """Read the boxes of frame ``n`` (a decoded ``av.VideoFrame`` of the export)."""
        rgb = frame.to_ndarray(format="rgb24")
        for i in self._want.get(n, ()):
            t = self.expect.tracks[i]
            r = region_of(t.box_at(n), self.expect.width, self.expect.height, t.shape, t.style)
            if r is None:
                continue
            self.read += 1
            problem = self._read_region(rgb, r)
            if problem and len(self.problems) < 5:
                self.problems.append(f"frame {n} box {r.x0},{r.y0},{r.width},{r.height}: {problem}")

    def _read_region(self, rgb: np.ndarray, r: Any) -> str | None:
        import cv2

        from reviewer.media.text import TextReader

        if self._reader is None:
            self._reader = TextReader()
        crop = np.ascontiguousarray(rgb[r.y0:r.y1, r.x0:r.x1])
        if crop.shape[0] < 4 or crop.shape[1] < 4:
            return None
        if float(crop.std()) < FLAT_STD:
            return None  # one colour: no text, no face
        for zoom in (1, ZOOM):
            img = crop if zoom == 1 else cv2.resize(crop, None, fx=zoom, fy=zoom,
                                                    interpolation=cv2.INTER_CUBIC)
            got = self._reader.read_crop(img)
            if readable(got.text, got.score):
                where = "native size" if zoom == 1 else f"enlarged {zoom}x"
                return f"text still readable at {where} ({len(got.text)} characters, {got.score:.2f})"
        if r.style != "solid":
            return self._face(rgb, r)
        return None

    def _face(self, rgb: np.ndarray, r: Any) -> str | None:
        from reviewer.media.faces import FaceDetector

        if self._faces is None:
            self._faces = FaceDetector()
        mx, my = r.width // 2, r.height // 2
        x0, y0 = max(0, r.x0 - mx), max(0, r.y0 - my)
        crop = np.ascontiguousarray(rgb[y0:r.y1 + my, x0:r.x1 + mx])
        for d in self._faces.detect(crop):
            if d.score < FACE_MIN_SCORE:
                continue
            fx0, fy0 = x0 + d.x_px, y0 + d.y_px
            ix = max(0.0, min(fx0 + d.w_px, r.x1) - max(fx0, r.x0))
            iy = max(0.0, min(fy0 + d.h_px, r.y1) - max(fy0, r.y0))
            if ix * iy >= 0.5 * d.w_px * d.h_px:
                return f"a face is still found under it ({d.score:.2f})"
        return None

    def check(self) -> Check:
        if not self.expect.tracks:
            return Check("read back", True, "no boxes to read")
        if self.problems:
            return Check("read back", False, "; ".join(self.problems))
        return Check("read back", True, f"{self.read} box-frames read back: the text reader and "
                     "face detector find nothing under the boxes (native and enlarged)")


__all__ = ["Readback", "readable", "track_blocks"]
