"""Shot boundaries (hard cuts and quick dissolves) from small thumbnails, during the face
detection pass: a face track must never be bridged, interpolated or padded across one.

Two measures between consecutive frames, each cheap on a 64x36 thumbnail:
- the colour histogram (hue/saturation/value) distance: a cut to another scene changes
  the colours, a cut between two framings of the same scene hardly does;
- the block difference (mean change of 16x9 block brightnesses, after removing the
  frame's overall brightness change): a cut from a wide shot to a close-up of the same
  scene moves every block even when the colours stay.
A frame is a hard cut when the combined score spikes well above its neighbours' (camera
shake and pans raise the score for many frames in a row, a cut for one), or, for a jump
cut to a slightly different framing, when a smaller spike stands out of frames that hardly
move. A dissolve
raises it moderately over a few frames; it is found by comparing a frame with the one a
few frames back (twin comparison): when that long-range score crosses the cut threshold
while no single step did, and the frames between are a mix of the two ends (a pan changes
the picture too, but not as a mix), they are a gradual transition. Two cuts a few frames
apart are a short dissolve seen as two steps.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from reviewer.annotate.tracks import Transition

THUMB = (64, 36)            # the thumbnail each frame is reduced to (w, h)
_BLOCKS = (16, 9)
CUT_SCORE = 1.0             # combined score at or above this, ...
SPIKE = 2.5                 # ... and this many times the neighbours' median: a hard cut
SMALL_CUT_SCORE = 0.5       # or at or above this, ...
SMALL_SPIKE = 6.0           # ... and this many times the neighbours' median (at least STILL)
STILL = 0.05
CLOSE_CUTS = 3              # cuts this few frames apart are one short dissolve
NEIGHBOURS = 6              # frames each side looked at for that median
DISSOLVE_MAX = 12           # longest gradual transition looked for (frames)
STEP_LOW = 0.18             # single steps this big may be part of a dissolve
HIST_CUT = 0.45             # histogram distance (0..1) that alone scores 1.0
BLOCK_CUT = 0.10            # block difference (fraction of full range) that alone scores 1.0
BLEND_MIN = 0.06            # a frame this far from either end of a dissolve shows both shots
DISSOLVE_SCORE = 1.0        # a run of steps whose ends differ this much may be a dissolve ...
BLEND_REST = 0.25           # ... when its frames are a mix of the two ends to within this


@dataclass(frozen=True)
class Features:
    hist: np.ndarray        # normalised HSV histogram
    blocks: np.ndarray      # block brightnesses, mean removed, 0..1


def features(thumb_rgb: np.ndarray) -> Features:
    """What the boundary measures need from one frame (an RGB picture of any size; it is
    reduced to ``THUMB`` first if bigger)."""
    if thumb_rgb.shape[1] != THUMB[0] or thumb_rgb.shape[0] != THUMB[1]:
        thumb_rgb = cv2.resize(thumb_rgb, THUMB, interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(thumb_rgb, cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1, 2], None, [12, 4, 4], [0, 180, 0, 256, 0, 256]).ravel()
    hist /= max(float(hist.sum()), 1.0)
    grey = cv2.cvtColor(thumb_rgb, cv2.COLOR_RGB2GRAY)
    blocks = cv2.resize(grey, _BLOCKS, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    return Features(hist, blocks - blocks.mean())


def step_score(a: Features, b: Features) -> float:
    """How different two frames are: 1.0 is a cut by either measure alone."""
    hist = 0.5 * float(np.abs(a.hist - b.hist).sum())
    block = float(np.abs(a.blocks - b.blocks).mean())
    return max(hist / HIST_CUT, block / BLOCK_CUT, 0.5 * (hist / HIST_CUT + block / BLOCK_CUT) * 1.25)


class ShotDetector:
    """Fed one frame at a time, in order; a frame's boundary is settled once the frames it
    is compared with have arrived (``decided``). Keeps only the features still looked at."""

    def __init__(self) -> None:
        self._feats: dict[int, Features] = {}
        self._steps: dict[int, float] = {0: 0.0}   # t: frame t against frame t - 1
        self._count = 0
        self.transitions: list[Transition] = []
        self._decided = 0
        self._gradual_until = -1

    @property
    def decided(self) -> int:
        """Frames ``0..decided - 1`` will not see a boundary added any more."""
        return self._decided

    def push(self, thumb_rgb: np.ndarray) -> None:
        f = features(thumb_rgb)
        t = self._count
        if t:
            self._steps[t] = step_score(self._feats[t - 1], f)
        self._feats[t] = f
        self._count += 1
        self._settle(t - NEIGHBOURS - DISSOLVE_MAX)

    def finish(self) -> list[Transition]:
        self._settle(self._count - 1)
        return list(self.transitions)

    def _settle(self, upto: int) -> None:
        while self._decided <= upto:
            self._decide(self._decided)
            self._decided += 1
        old = self._decided - NEIGHBOURS - 2
        for k in [k for k in self._feats if k < old]:
            del self._feats[k]
            self._steps.pop(k, None)

    def _step(self, t: int) -> float:
        return self._steps.get(t, 0.0)

    def _is_cut(self, t: int) -> bool:
        step = self._step(t)
        if t <= 0 or step < SMALL_CUT_SCORE:
            return False
        around = [self._steps[k] for k in range(max(1, t - NEIGHBOURS), t + 1 + NEIGHBOURS)
                  if k != t and k in self._steps]
        base = float(np.median(around)) if around else 0.0
        if step >= CUT_SCORE:
            return step >= SPIKE * base
        # a smaller change (a jump cut to a slightly other framing) counts when the frames
        # around it hardly move at all
        return step >= SMALL_SPIKE * max(base, STILL)

    def _decide(self, t: int) -> None:
        if t <= self._gradual_until:
            return
        if self._is_cut(t):
            last = self.transitions[-1] if self.transitions else None
            if last is not None and t - max(last.new_from, last.old_to + 1) <= CLOSE_CUTS:
                # two jumps a few frames apart: a short dissolve seen as steps; the frames
                # from just before the first to the second belong to both shots
                self.transitions[-1] = Transition(max(0, min(last.new_from, last.old_to + 1) - 1), t)
            else:
                self.transitions.append(Transition.cut(t))
            return
        if t <= 0 or self._step(t) < STEP_LOW:
            return
        # a run of moderate steps starting at t: does it add up to a change of shot?
        end = t
        while (end + 1 < self._count and end + 1 - t < DISSOLVE_MAX
               and self._step(end + 1) >= STEP_LOW and not self._is_cut(end + 1)):
            end += 1
        if end - t < 1:
            return
        a, b = self._feats[t - 1], self._feats[end]
        change = step_score(a, b)
        if change < DISSOLVE_SCORE:
            return
        # how far each frame of the run is blended from a to b (block brightnesses mix
        # linearly in a dissolve; motion within the old shot does not point towards b),
        # and how much of each frame that blend leaves unexplained
        span = (b.blocks - a.blocks).ravel()
        norm = float(span @ span) or 1.0
        mix, rest = [], []
        for f in range(t, end):
            off = (self._feats[f].blocks - a.blocks).ravel()
            m = float(off @ span) / norm
            mix.append(m)
            rest.append(float(np.linalg.norm(off - m * span)) / np.sqrt(norm))
        mix.append(1.0)
        # a smaller change counts only when the frames between are that blend (a pan or a
        # walk through the scene changes the picture too, but not as a mix of its two ends)
        if change < CUT_SCORE * 1.5 and (float(np.median(rest)) > BLEND_REST
                                          or any(m2 < m1 - 0.15 for m1, m2 in itertools.pairwise(mix))):
            return
        blended = [t + i for i, m in enumerate(mix) if BLEND_MIN <= m <= 1.0 - BLEND_MIN]
        first = blended[0] if blended else t
        last = blended[-1] if blended else end - 1
        # frames first..last show both shots: the old one runs to last, the new from first
        self.transitions.append(Transition(first, last))
        self._gradual_until = end


def find_transitions(thumbs: Sequence[np.ndarray]) -> list[Transition]:
    """Every boundary in a sequence of frames (thumbnails or full pictures)."""
    det = ShotDetector()
    for t in thumbs:
        det.push(t)
    return det.finish()
