"""Joining per-frame face detections into tracks that follow each face (pure).

Safety first, then as little picture hidden as that allows. A track
- belongs to one shot: a shot boundary (a cut, or the frames of a dissolve) is never
  bridged, interpolated over or padded across, so no box slides from one shot's face to
  another's place, and no box outlives its shot;
- covers the whole head, not the face box alone (:func:`reviewer.annotate.heads.head_box`);
- within its shot, follows the face: on a frame the detector missed, the box is the linear
  blend of the boxes on either side (a margin growing with the gap), not a hull of both;
- is padded in time (``pad_frames`` before its first and after its last detection, clipped
  to its shot and the video), the padding frames following the face's pace;
- of one detection, or of detections shaped unlike a face, or weak and short, is only a
  suggestion: the reviewer accepts or rejects it, and the coverage review still lists it.
Keyframes are then simplified where linear interpolation stays within ``tolerance_px`` of
the dense boxes and still covers every raw detection.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from reviewer.annotate.geometry import Box, Keyframe, box_at
from reviewer.annotate.heads import HEAD, covers, head_box
from reviewer.annotate.track_merge import centre_shift, merge_beside
from reviewer.annotate.transitions import Shots, Transition, shot_spans

__all__ = ["Detection", "FaceTrack", "JoinParams", "Transition", "associate", "contains",
           "head_of", "hull", "iou", "join_tracks", "make_track", "shot_spans", "simplify",
           "uncovered"]


@dataclass(frozen=True)
class Detection:
    """One face on one frame, in pixels of the frame as displayed."""

    frame: int
    x_px: float
    y_px: float
    w_px: float
    h_px: float
    score: float
    # the whole head (hair, hat, ears) the detector's landmarks put around the face box;
    # None: not known (older caches, hand-made detections), derived from the box alone
    head: Box | None = None

    @property
    def box(self) -> Box:
        return Box(self.x_px, self.y_px, self.w_px, self.h_px)


@dataclass(frozen=True)
class FaceTrack:
    """A face followed over frames ``frame_from..frame_to`` inclusive."""

    frame_from: int
    frame_to: int
    keyframes: tuple[Keyframe, ...]
    detections: tuple[Detection, ...]
    suggested: bool  # weak and short: offer it, do not impose it

    @property
    def best_score(self) -> float:
        return max(d.score for d in self.detections)


@dataclass(frozen=True)
class JoinParams:
    pad_fraction: float = 0.04     # each side of the head box: motion between two frames
    gap_growth: float = 0.01       # more margin per missed frame bridged, ...
    max_gap_growth: float = 0.12   # ... up to this
    pad_frames: int = 5            # before the first and after the last detection
    max_gap_frames: int = 30       # longer misses start a new track
    long_gap_frames: int = 10      # a miss longer than this is bridged only ...
    long_gap_shift: float = 0.5    # ... if the face is back within this many box sizes
    min_iou: float = 0.05
    max_centre_shift: float = 1.0  # scales how far off the prediction a match may be ...
    # ... per frame interval, in thirtieths of a second: at 10 fps a head moves three times
    # as far between two frames as at 30 fps, and the gate widens as much
    frame_scale: float = 1.0
    min_detections: int = 3        # seen over fewer frames, and ...
    strong_score: float = 0.5      # ... no detection this sure: a suggestion
    min_aspect: float = 0.75       # a face box's height / width outside this range ...
    max_aspect: float = 2.4        # ... (median over the track) is not a face's: a suggestion
    tolerance_px: float = 2.0      # keyframe simplification: at least this, ...
    tolerance_fraction: float = 0.05  # ... or this much of the median box width


def iou(a: Box, b: Box) -> float:
    x0, y0 = max(a.x_px, b.x_px), max(a.y_px, b.y_px)
    x1 = min(a.x_px + a.w_px, b.x_px + b.w_px)
    y1 = min(a.y_px + a.h_px, b.y_px + b.h_px)
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = a.w_px * a.h_px + b.w_px * b.h_px - inter
    return inter / union if union > 0 else 0.0


def hull(a: Box, b: Box) -> Box:
    x0, y0 = min(a.x_px, b.x_px), min(a.y_px, b.y_px)
    x1 = max(a.x_px + a.w_px, b.x_px + b.w_px)
    y1 = max(a.y_px + a.h_px, b.y_px + b.h_px)
    return Box(x0, y0, x1 - x0, y1 - y0)


def contains(outer: Box, inner: Box, slack: float = 1e-6) -> bool:
    return (outer.x_px <= inner.x_px + slack and outer.y_px <= inner.y_px + slack
            and outer.x_px + outer.w_px >= inner.x_px + inner.w_px - slack
            and outer.y_px + outer.h_px >= inner.y_px + inner.h_px - slack)


class _Open:
    """A track being grown: its detections in frame order."""

    def __init__(self, det: Detection, shots: frozenset[int] = frozenset({0})) -> None:
        self.dets = [det]
        self.shots = shots  # the shots every detection so far is in

    def predict(self, frame: int) -> Box:
        """Where the face should be at ``frame``: constant velocity from the last two hits."""
        last = self.dets[-1]
        if len(self.dets) < 2:
            return last.box
        prev = self.dets[-2]
        dt = last.frame - prev.frame
        k = (frame - last.frame) / dt if dt else 0.0
        k = min(k, 10.0)  # do not extrapolate wildly across a long gap
        return Box(last.x_px + (last.x_px - prev.x_px) * k, last.y_px + (last.y_px - prev.y_px) * k,
                   max(1.0, last.w_px + (last.w_px - prev.w_px) * k),
                   max(1.0, last.h_px + (last.h_px - prev.h_px) * k))


def _affinity(track: _Open, det: Detection, p: JoinParams) -> float | None:
    """How well ``det`` continues ``track`` (higher is better); None when it cannot."""
    pred = track.predict(det.frame)
    gap = det.frame - track.dets[-1].frame
    overlap = iou(pred, det.box)
    size = max(pred.w_px, pred.h_px, det.w_px, det.h_px)
    # off the prediction, or off where the face was last seen, whichever is nearer: a head
    # that turns back (a walker reversing, a camera swinging back) is where it was, not where
    # constant velocity would have taken it
    shift = min(centre_shift(pred, det.box), centre_shift(track.dets[-1].box, det.box))
    ratio = max(pred.w_px, det.w_px) / max(1e-6, min(pred.w_px, det.w_px))
    if ratio > 2.5:
        return None
    if gap > p.long_gap_frames and shift > p.long_gap_shift:
        return None  # back after a long while somewhere else: someone else, or a new track
    # off the prediction by at most half a box on the next frame, a fifth more per frame
    # missed (a greedy match cannot look ahead: a loose bound lets a track jump to another
    # face seen during its gap, and the box, which follows the track, would leave the face)
    allowed = p.max_centre_shift * (0.5 + 0.2 * (min(gap, 5) - 1)) * max(1.0, p.frame_scale)
    if overlap >= p.min_iou or shift <= allowed:
        return overlap - 0.1 * shift
    return None


def associate(detections: Iterable[Detection], p: JoinParams = JoinParams(),
              shots: Shots | None = None) -> list[tuple[list[Detection], frozenset[int]]]:
    """Group detections into per-face chains (greedy best-affinity matching per frame), each
    inside one shot; returns each chain with the shots all of its detections are in."""
    by_frame: dict[int, list[Detection]] = {}
    for d in detections:
        by_frame.setdefault(d.frame, []).append(d)
    open_: list[_Open] = []
    done: list[_Open] = []
    for frame in sorted(by_frame):
        here = shots.of(frame) if shots is not None else frozenset({0})
        still = []
        for t in open_:
            alive = frame - t.dets[-1].frame <= p.max_gap_frames + 1 and t.shots & here
            (still if alive else done).append(t)
        open_ = still
        dets = sorted(by_frame[frame], key=lambda d: -d.score)
        pairs = []
        for ti, t in enumerate(open_):
            for di, d in enumerate(dets):
                a = _affinity(t, d, p)
                if a is not None:
                    pairs.append((a, ti, di))
        pairs.sort(key=lambda x: -x[0])
        used_t: set[int] = set()
        used_d: set[int] = set()
        for _a, ti, di in pairs:
            if ti in used_t or di in used_d:
                continue
            used_t.add(ti)
            used_d.add(di)
            open_[ti].dets.append(dets[di])
            open_[ti].shots = open_[ti].shots & here
        for di, d in enumerate(dets):
            if di not in used_d:
                open_.append(_Open(d, here))
    chains = sorted(done + open_, key=lambda t: (t.dets[0].frame, t.dets[0].x_px))
    return [(t.dets, t.shots) for t in chains]


def _clip(box: Box, width: int | None, height: int | None) -> Box:
    if not width or not height:
        return box
    x0, y0 = max(0.0, box.x_px), max(0.0, box.y_px)
    x1, y1 = min(float(width), box.x_px + box.w_px), min(float(height), box.y_px + box.h_px)
    if x1 <= x0 or y1 <= y0:
        return box
    return Box(x0, y0, x1 - x0, y1 - y0)


def head_of(d: Detection) -> Box:
    """The head around a detection: the detector's own (from its landmarks) when it gave one."""
    return d.head if d.head is not None else head_box(d.box)


def dense_keyframes(dets: Sequence[Detection], p: JoinParams) -> list[Keyframe]:
    """One keyframe per detection (its head box, padded), plus, over missed frames, the
    boxes either side of the gap widened by a margin that grows with the gap: the box
    follows the face (a blend of where it was and where it is next), never a hull of both.

    Boxes are not clipped to the frame: interpolating between clipped keyframes shrinks the
    box in between and could uncover a face entering from the edge."""
    out: list[Keyframe] = []
    for i, d in enumerate(dets):
        box = head_of(d).padded(p.pad_fraction)
        if out and d.frame - out[-1].frame > 1:
            prev = dets[i - 1]
            gap = d.frame - prev.frame - 1
            grow = p.pad_fraction + min(p.max_gap_growth, p.gap_growth * gap)
            a, b = head_of(prev).padded(grow), head_of(d).padded(grow)
            out.append(Keyframe(prev.frame + 1, _blend(a, b, 1 / (gap + 1))))
            if gap > 1:
                out.append(Keyframe(d.frame - 1, _blend(a, b, gap / (gap + 1))))
        if out and out[-1].frame == d.frame:  # two hits on one frame: cover both
            out[-1] = Keyframe(d.frame, hull(out[-1].box, box))
        else:
            out.append(Keyframe(d.frame, box))
    return out


def _blend(a: Box, b: Box, t: float) -> Box:
    return Box(a.x_px + (b.x_px - a.x_px) * t, a.y_px + (b.y_px - a.y_px) * t,
               a.w_px + (b.w_px - a.w_px) * t, a.h_px + (b.h_px - a.h_px) * t)


def simplify(keyframes: Sequence[Keyframe], tolerance_px: float,
             must_contain: dict[int, Box] | None = None, max_span: int = 600) -> list[Keyframe]:
    """Fewer keyframes: drop keyframes where the line between the kept ones stays within
    ``tolerance_px`` (each edge) of every dropped keyframe's box and, at the frames listed
    in ``must_contain``, still contains that box whole (the raw detections stay covered).
    The first and last keyframes are kept. Greedy: each segment as long as it can be."""
    kfs = list(keyframes)
    if len(kfs) <= 2:
        return kfs
    must = must_contain or {}
    frames = np.array([k.frame for k in kfs], dtype=np.float64)
    edges = np.array([[k.box.x_px, k.box.y_px, k.box.x_px + k.box.w_px, k.box.y_px + k.box.h_px]
                      for k in kfs], dtype=np.float64)
    need = np.full_like(edges, np.nan)
    for i, k in enumerate(kfs):
        b = must.get(k.frame)
        if b is not None:
            need[i] = [b.x_px, b.y_px, b.x_px + b.w_px, b.y_px + b.h_px]

    def ok(i: int, j: int) -> bool:
        if j - i < 2:
            return True
        t = ((frames[i + 1:j] - frames[i]) / (frames[j] - frames[i]))[:, None]
        line = edges[i] + (edges[j] - edges[i]) * t
        if np.any(np.abs(line - edges[i + 1:j]) > tolerance_px):
            return False
        req = need[i + 1:j]
        has = ~np.isnan(req[:, 0])
        if has.any():
            r, ln = req[has], line[has]
            if (np.any(ln[:, 0] > r[:, 0] + 1e-6) or np.any(ln[:, 1] > r[:, 1] + 1e-6)
                    or np.any(ln[:, 2] < r[:, 2] - 1e-6) or np.any(ln[:, 3] < r[:, 3] - 1e-6)):
                return False
        return True

    out = [kfs[0]]
    i = 0
    n = len(kfs)
    while i < n - 1:
        j = i + 1
        while j + 1 < n and j + 1 - i <= max_span and ok(i, j + 1):
            j += 1
        out.append(kfs[j])
        i = j
    return out


def _drift(dets: Sequence[Detection], frames: int) -> tuple[float, float]:
    """How far the face moves over ``frames`` frames at the pace of the detections given
    (first to last of them), capped at half a box: where it was before it was first seen,
    or goes after it was last seen."""
    a, b = dets[0], dets[-1]
    if b.frame == a.frame or frames <= 0:
        return 0.0, 0.0
    k = frames / (b.frame - a.frame)
    dx = ((b.x_px + b.w_px / 2) - (a.x_px + a.w_px / 2)) * k
    dy = ((b.y_px + b.h_px / 2) - (a.y_px + a.h_px / 2)) * k
    cap = 0.5 * max(b.w_px, b.h_px)
    return max(-cap, min(cap, dx)), max(-cap, min(cap, dy))


def _shifted(box: Box, dx: float, dy: float) -> Box:
    return Box(box.x_px + dx, box.y_px + dy, box.w_px, box.h_px)


def plausible_face(d: Detection, p: JoinParams, width: int | None = None,
                   height: int | None = None) -> bool:
    """Shaped like a face box: neither a sliver nor a slab. A box that reaches the edge of
    the picture is a face cut by it (half a face at the right edge is a box three times as
    tall as wide): its shape says nothing, and such a face is the one a reviewer is least
    likely to notice, so it is never made a mere suggestion for its shape."""
    if width and height and at_edge(d.box, width, height):
        return True
    return p.min_aspect <= d.h_px / max(d.w_px, 1e-6) <= p.max_aspect


def at_edge(box: Box, width: int, height: int, margin: float = 0.02) -> bool:
    """Whether ``box`` reaches within ``margin`` of the picture's size of one of its sides."""
    mx, my = margin * width, margin * height
    return (box.x_px <= mx or box.y_px <= my or box.x_px + box.w_px >= width - mx
            or box.y_px + box.h_px >= height - my)


def make_track(dets: Sequence[Detection], frame_count: int, p: JoinParams,
               width: int | None = None, height: int | None = None,
               span: tuple[int, int] | None = None) -> FaceTrack:
    """One face's track from its detections (frame order); ``span``: the frames of its shot,
    which the track never leaves."""
    dense = dense_keyframes(dets, p)
    must = {}
    for d in dets:
        raw = _clip(d.box, width, height)
        must[d.frame] = hull(must[d.frame], raw) if d.frame in must else raw
    tol = max(p.tolerance_px, p.tolerance_fraction * float(np.median([d.w_px for d in dets])))
    kfs = simplify(dense, tol, must)
    kfs = _restore_covering(kfs, dense, dets)
    first, last = dets[0].frame, dets[-1].frame
    lo, hi = span if span is not None else (0, (frame_count - 1) if frame_count else last + p.pad_frames)
    lo, hi = max(0, lo), max(hi, last)
    if frame_count:
        hi = min(hi, frame_count - 1)
    frame_from = max(lo, first - p.pad_frames)
    frame_to = min(hi, last + p.pad_frames)
    # temporal padding: a face moving into the picture was there, undetected, before its
    # first detection (and after its last); the box goes on at the face's pace
    if frame_from < first:
        dx, dy = _drift(dets[:6], first - frame_from)
        kfs.insert(0, Keyframe(frame_from, _shifted(kfs[0].box, -dx, -dy)))
    if frame_to > last:
        dx, dy = _drift(dets[-6:], frame_to - last)
        kfs.append(Keyframe(frame_to, _shifted(kfs[-1].box, dx, dy)))
    # short in frames, not in detections: the pass looks at one frame in several where its
    # looks agree, so a face seen for a second may have only a handful of detections
    weak = last - first + 1 < p.min_detections and max(d.score for d in dets) < p.strong_score
    shaped = sum(plausible_face(d, p, width, height) for d in dets) * 2 > len(dets)
    suggested = weak or len({d.frame for d in dets}) < 2 or not shaped
    return FaceTrack(frame_from, frame_to, tuple(kfs), tuple(dets), suggested)


def _restore_covering(kfs: list[Keyframe], dense: Sequence[Keyframe],
                      dets: Sequence[Detection]) -> list[Keyframe]:
    """Put back a dense keyframe wherever the simplified track, drawn as a head, would
    leave part of a detected face (the ellipse inscribed in its box) outside."""
    by_frame = {k.frame: k for k in dense}
    out = {k.frame: k for k in kfs}
    for d in dets:
        if not covers(HEAD, box_at(sorted(out.values(), key=lambda k: k.frame), d.frame), d.box):
            out[d.frame] = by_frame[d.frame]
    return sorted(out.values(), key=lambda k: k.frame)


def join_tracks(detections: Iterable[Detection], frame_count: int, p: JoinParams = JoinParams(),
                width: int | None = None, height: int | None = None,
                transitions: Sequence[Transition] = ()) -> list[FaceTrack]:
    """Per-frame detections to tracks, in order of first appearance, none across a shot
    boundary (``transitions``)."""
    detections = list(detections)
    shots = Shots(transitions, frame_count or 1 + max((d.frame for d in detections), default=0))
    chains = merge_beside(associate(detections, p, shots), p)
    return [make_track(chain, frame_count, p, width, height, shots.span(in_shots))
            for chain, in_shots in chains]


def uncovered(track: FaceTrack, width: int | None = None, height: int | None = None) -> list[int]:
    """Frames of ``track``'s detections whose face (the ellipse inscribed in the raw box) the
    track's head does not cover. A self-check: always empty for tracks made here."""
    return [d.frame for d in track.detections
            if not (track.frame_from <= d.frame <= track.frame_to
                    and covers(HEAD, box_at(track.keyframes, d.frame), d.box))]
