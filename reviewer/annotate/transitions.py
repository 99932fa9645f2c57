"""Shot boundaries as values (pure): where one shot ends and the next begins, and which
shots a frame is in. Found by :mod:`reviewer.media.shots`; face tracks never cross one."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Transition:
    """A shot boundary: the old shot runs to ``old_to``, the new one from ``new_from``.
    A hard cut has ``new_from == old_to + 1``; a dissolve's blended frames
    ``new_from..old_to`` belong to both shots."""

    new_from: int
    old_to: int

    @classmethod
    def cut(cls, frame: int) -> Transition:
        """A hard cut: ``frame`` is the first frame of the new shot."""
        return cls(frame, frame - 1)


def shot_spans(transitions: Sequence[Transition], frame_count: int) -> list[tuple[int, int]]:
    """The shots ``(first, last)`` inclusive, in order; dissolves' frames are in two."""
    spans = []
    start = 0
    for t in sorted(transitions, key=lambda t: t.new_from):
        end = min(t.old_to, frame_count - 1)
        if end >= start:
            spans.append((start, end))
        start = max(t.new_from, 0)
    last = max(frame_count - 1, start)
    spans.append((start, last))
    return spans


class Shots:
    """Which shots each frame is in (one, or two inside a dissolve)."""

    def __init__(self, transitions: Sequence[Transition], frame_count: int) -> None:
        self.spans = shot_spans(transitions, frame_count)
        self._starts = np.array([a for a, _b in self.spans])

    def of(self, frame: int) -> frozenset[int]:
        i = int(np.searchsorted(self._starts, frame, side="right")) - 1
        out = {j for j in (i - 1, i) if 0 <= j < len(self.spans)
               and self.spans[j][0] <= frame <= self.spans[j][1]}
        return frozenset(out or {max(i, 0)})

    def span(self, shots: frozenset[int]) -> tuple[int, int]:
        """The frames a track in ``shots`` may cover (their union: inside a dissolve it is
        not known which shot a face is in)."""
        return (min(self.spans[j][0] for j in shots), max(self.spans[j][1] for j in shots))
