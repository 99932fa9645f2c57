"""One rule for saying which frames something covers, everywhere in the window.

A span of time covers the frames whose picture shows during it: from the frame showing at its
start to the last frame that starts before its end. A mute set over In 42 – Out 90 ends where
frame 91 begins, so it covers frames 42 to 90, and says so in the status line, the
Redactions list and on the timeline alike (never "91", which it does not touch).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any


def frames_of(times: Any, t_from: Fraction, t_to: Fraction) -> tuple[int, int]:
    """(first, last) frame covered by [t_from, t_to)."""
    first = times.frame_at_seconds(Fraction(t_from))
    last = times.frame_at_seconds(Fraction(t_to))
    if last > first and times.seconds(last) >= Fraction(t_to):
        last -= 1  # that frame starts where the span ends: not covered
    return first, last


def short(first: int, last: int) -> str:
    """For lists and notes: ``f42–90`` (``f42`` for one frame)."""
    return f"f{first}" if first == last else f"f{first}–{last}"


def prose(first: int, last: int) -> str:
    """For the status line: ``frames 42–90`` (``frame 42`` for one)."""
    return f"frame {first}" if first == last else f"frames {first}–{last}"
