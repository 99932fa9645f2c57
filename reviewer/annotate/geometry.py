"""Boxes over time: keyframes and linear interpolation (a pure function, like napari-animation)."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels of the frame as displayed."""

    x_px: float
    y_px: float
    w_px: float
    h_px: float

    def padded(self, fraction: float) -> Box:
        dx, dy = self.w_px * fraction, self.h_px * fraction
        return Box(self.x_px - dx, self.y_px - dy, self.w_px + 2 * dx, self.h_px + 2 * dy)

    def clipped(self, width: int, height: int) -> tuple[int, int, int, int] | None:
        """Integer pixel bounds (x0, y0, x1, y1) inside the frame, rounded outwards so the
        covered area is never smaller than the box; None when nothing is inside."""
        import math

        x0 = max(0, math.floor(self.x_px))
        y0 = max(0, math.floor(self.y_px))
        x1 = min(width, math.ceil(self.x_px + self.w_px))
        y1 = min(height, math.ceil(self.y_px + self.h_px))
        if x1 <= x0 or y1 <= y0:
            return None
        return x0, y0, x1, y1


@dataclass(frozen=True)
class Keyframe:
    frame: int
    box: Box


def box_at(keyframes: Sequence[Keyframe], frame: int) -> Box:
    """The box at ``frame``: the keyframe's own box, linear between keyframes, held before
    the first and after the last. ``keyframes`` must be sorted by frame and non-empty."""
    if not keyframes:
        raise ValueError("a track needs at least one keyframe")
    frames = [k.frame for k in keyframes]
    i = bisect_right(frames, frame)
    if i == 0:
        return keyframes[0].box
    if i == len(keyframes):
        return keyframes[-1].box
    a, b = keyframes[i - 1], keyframes[i]
    if a.frame == frame:
        return a.box
    t = (frame - a.frame) / (b.frame - a.frame)
    return Box(*(pa + (pb - pa) * t for pa, pb in zip(
        (a.box.x_px, a.box.y_px, a.box.w_px, a.box.h_px),
        (b.box.x_px, b.box.y_px, b.box.w_px, b.box.h_px))))


@dataclass(frozen=True)
class BoxTrack:
    """A video redaction: a box (rect or ellipse) over frames ``frame_from..frame_to`` inclusive."""

    id: int
    media_id: int
    frame_from: int
    frame_to: int
    keyframes: tuple[Keyframe, ...]
    shape: str = "rect"
    style: str = "solid"
    reason: str = ""

    def covers(self, frame: int) -> bool:
        return self.frame_from <= frame <= self.frame_to

    def box_at(self, frame: int) -> Box:
        return box_at(self.keyframes, frame)


@dataclass(frozen=True)
class AudioSpan:
    """Silence (``mute``) or tone out (``bleep``) every sample in [t_from_s, t_to_s]."""

    id: int
    media_id: int
    t_from_s: Fraction
    t_to_s: Fraction
    mode: str = "mute"
    reason: str = ""


@dataclass(frozen=True)
class PageBox:
    """A document redaction in PDF points, origin top-left, as the page is displayed."""

    id: int
    media_id: int
    page_no: int
    x0_pt: float
    y0_pt: float
    x1_pt: float
    y1_pt: float
    reason: str = ""


def with_keyframe(keyframes: Sequence[Keyframe], frame: int, box: Box) -> tuple[Keyframe, ...]:
    """The keyframes after moving or resizing the box at ``frame``: the keyframe there is
    replaced, or a new one is added, so the other frames keep the path they had."""
    kept = [k for k in keyframes if k.frame != frame]
    kept.append(Keyframe(frame, box))
    return tuple(sorted(kept, key=lambda k: k.frame))


def box_in_frame(box: Box, width_px: int, height_px: int) -> bool:
    """True when some of ``box`` lies inside a ``width_px`` x ``height_px`` frame.

    Video boxes are kept as drawn, not clipped: clipping a keyframe changes the path that is
    interpolated between keyframes, which could uncover a face entering from the edge."""
    return (box.w_px > 0 and box.h_px > 0 and box.x_px < width_px and box.y_px < height_px
            and box.x_px + box.w_px > 0 and box.y_px + box.h_px > 0)


def clip_page_rect(rect_pt: tuple[float, float, float, float], width_pt: float,
                   height_pt: float) -> tuple[float, float, float, float] | None:
    """``rect_pt`` (x0, y0, x1, y1) clipped to the page; None when nothing of it is on the page."""
    x0, y0, x1, y1 = rect_pt
    cx0, cy0 = max(0.0, x0), max(0.0, y0)
    cx1, cy1 = min(float(width_pt), x1), min(float(height_pt), y1)
    if cx1 <= cx0 or cy1 <= cy0:
        return None
    return cx0, cy0, cx1, cy1
