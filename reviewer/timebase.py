"""Frame <-> pts <-> seconds <-> timecode, exactly (``Fraction``, never float).

Frame i is the i-th displayed presentation timestamp in order; its time is its pts minus
the pts of frame 0. A timecode is ``HH:MM:SS.mmm``, the first whole millisecond inside the
frame (the start rounded up), so that typing it into any player lands on that frame.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from reviewer.errors import ReviewerError

_TC = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$")


def ceil_ms(seconds: Fraction) -> int:
    """The first whole millisecond at or after ``seconds``."""
    return math.ceil(Fraction(seconds) * 1000)


def format_ms(ms: int) -> str:
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, milli = divmod(rem, 1000)
    return f"{sign}{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def timecode(seconds: Fraction) -> str:
    """``HH:MM:SS.mmm`` of the first whole millisecond at or after ``seconds``."""
    return format_ms(ceil_ms(seconds))


MAX_TIME_S = 10**7  # about 115 days: past any recording, and far inside a float


def parse_time(text: str) -> Fraction:
    """Seconds (``12.5``) or a timecode (``HH:MM:SS.mmm``, ``MM:SS.mmm``) as exact seconds."""
    t = text.strip()
    try:
        value = Fraction(t)
    except (ValueError, ZeroDivisionError):
        m = _TC.match(t)
        if not m:
            raise ReviewerError(f"not a time: {text!r} (use seconds like 12.5 or HH:MM:SS.mmm)")
        h, mi, s = m.groups()
        if int(mi) >= 60 or Fraction(s) >= 60:
            raise ReviewerError(f"not a time: {text!r} (minutes and seconds must be below 60)")
        value = int(h or 0) * 3600 + int(mi) * 60 + Fraction(s)
    if value < 0:
        raise ReviewerError(f"not a time: {text!r} (negative)")
    if value > MAX_TIME_S:
        raise ReviewerError(f"not a time: {text!r} (longer than any recording)")
    return value


@dataclass(frozen=True)
class FrameTimes:
    """The presentation timestamps of every displayed frame of one video, in display order.

    ``pts`` are integers in ``time_base`` units, strictly increasing; ``end_pts`` is where
    the last frame stops showing (its pts plus its duration).
    """

    pts: Sequence[int]
    time_base: Fraction
    end_pts: int | None = None

    @property
    def count(self) -> int:
        return len(self.pts)

    def seconds(self, frame: int) -> Fraction:
        """Time of ``frame`` relative to frame 0."""
        self._check(frame)
        return (int(self.pts[frame]) - int(self.pts[0])) * self.time_base

    def timecode(self, frame: int) -> str:
        return timecode(self.seconds(frame))

    def end_seconds(self) -> Fraction:
        """Time at which the last frame stops showing, relative to frame 0."""
        if not self.pts:
            return Fraction(0)
        end = self.end_pts if self.end_pts is not None else int(self.pts[-1])
        return (end - int(self.pts[0])) * self.time_base

    def frame_at_seconds(self, seconds: Fraction) -> int:
        """The frame showing at ``seconds`` (the last frame starting at or before it)."""
        if not self.pts:
            raise ReviewerError("the video has no frames")
        target = Fraction(seconds) / self.time_base + int(self.pts[0])
        i = bisect_right(self.pts, math.floor(target)) - 1
        return max(0, min(i, self.count - 1))

    def frame_at_pts(self, pts: int) -> int:
        i = bisect_right(self.pts, pts) - 1
        return max(0, min(i, self.count - 1))

    def resolve(self, text: str) -> int:
        """A typed frame number (``#120`` or ``120``) or a time/timecode, as a frame index.

        A bare integer is a frame number; anything with ``:`` or ``.`` is a time.
        """
        t = text.strip().lstrip("#")
        if t.isdigit():
            frame = int(t)
            self._check(frame)
            return frame
        return self.frame_at_seconds(parse_time(t))

    def _check(self, frame: int) -> None:
        if not 0 <= frame < self.count:
            raise ReviewerError(f"frame {frame} is outside 0..{self.count - 1}")
