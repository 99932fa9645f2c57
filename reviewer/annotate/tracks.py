"""Joining per-frame face detections into tracks that follow each face (pure).

Safety first: a frame of a face left uncovered is the worst bug, so a track
- covers every frame from its first to its last detection: a frame the detector missed
  inside a track is bridged by the hull of the boxes on either side (not just a linear
  blend, which lags a face that changes direction while unseen);
- is padded in space (each side by ``pad_fraction`` of the box) and in time
  (``pad_frames`` before its first and after its last detection, clipped to the video),
  the padding frames following the face's pace (it was entering, or leaving);
- keeps weak, short tracks as low-confidence suggestions rather than dropping them.
Keyframes are then simplified where linear interpolation stays within ``tolerance_px`` of
the padded boxes and still contains every raw detection box.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from reviewer.annotate.geometry import Box, Keyframe, box_at


@dataclass(frozen=True)
class Detection:
    """One face on one frame, in pixels of the frame as displayed."""

    frame: int
    x_px: float
    y_px: float
    w_px: float
    h_px: float
    score: float

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
    pad_fraction: float = 0.25     # each side, of the box's width/height
    pad_frames: int = 5            # before the first and after the last detection
    max_gap_frames: int = 30       # longer misses start a new track
    min_iou: float = 0.05
    max_centre_shift: float = 1.0  # box sizes off the prediction, per 2 frames of gap (<= 5)
    min_detections: int = 3        # fewer, and ...
    strong_score: float = 0.5      # ... no detection this sure: a suggestion
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

    def __init__(self, det: Detection) -> None:
        self.dets = [det]

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
    cx = (pred.x_px + pred.w_px / 2) - (det.x_px + det.w_px / 2)
    cy = (pred.y_px + pred.h_px / 2) - (det.y_px + det.h_px / 2)
    shift = (cx * cx + cy * cy) ** 0.5 / size
    ratio = max(pred.w_px, det.w_px) / max(1e-6, min(pred.w_px, det.w_px))
    if ratio > 2.5:
        return None
    if overlap >= p.min_iou or shift <= p.max_centre_shift * min(gap, 5) * 0.5:
        return overlap - 0.1 * shift
    return None


def associate(detections: Iterable[Detection], p: JoinParams = JoinParams()) -> list[list[Detection]]:
    """Group detections into per-face chains (greedy best-affinity matching per frame)."""
    by_frame: dict[int, list[Detection]] = {}
    for d in detections:
        by_frame.setdefault(d.frame, []).append(d)
    open_: list[_Open] = []
    done: list[_Open] = []
    for frame in sorted(by_frame):
        still = []
        for t in open_:
            (still if frame - t.dets[-1].frame <= p.max_gap_frames + 1 else done).append(t)
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
        for di, d in enumerate(dets):
            if di not in used_d:
                open_.append(_Open(d))
    return [t.dets for t in sorted(done + open_, key=lambda t: (t.dets[0].frame, t.dets[0].x_px))]


def _clip(box: Box, width: int | None, height: int | None) -> Box:
    if not width or not height:
        return box
    x0, y0 = max(0.0, box.x_px), max(0.0, box.y_px)
    x1, y1 = min(float(width), box.x_px + box.w_px), min(float(height), box.y_px + box.h_px)
    if x1 <= x0 or y1 <= y0:
        return box
    return Box(x0, y0, x1 - x0, y1 - y0)


def dense_keyframes(dets: Sequence[Detection], pad_fraction: float) -> list[Keyframe]:
    """One padded keyframe per detection, plus bridge keyframes over missed frames: the hull
    of the two boxes around the gap, so a face that moved unseen stays covered.

    Boxes are not clipped to the frame: interpolating between clipped keyframes shrinks the
    box in between and could uncover a face entering from the edge."""
    out: list[Keyframe] = []
    for i, d in enumerate(dets):
        box = d.box.padded(pad_fraction)
        if out and d.frame - out[-1].frame > 1:
            bridge = hull(dets[i - 1].box.padded(pad_fraction), box)
            out.append(Keyframe(dets[i - 1].frame + 1, bridge))
            if d.frame - 1 > dets[i - 1].frame + 1:
                out.append(Keyframe(d.frame - 1, bridge))
        if out and out[-1].frame == d.frame:  # two hits on one frame: cover both
            out[-1] = Keyframe(d.frame, hull(out[-1].box, box))
        else:
            out.append(Keyframe(d.frame, box))
    return out


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
    (first to last of them), capped at one box size: where it was before it was first seen,
    or goes after it was last seen."""
    a, b = dets[0], dets[-1]
    if b.frame == a.frame or frames <= 0:
        return 0.0, 0.0
    k = frames / (b.frame - a.frame)
    dx = ((b.x_px + b.w_px / 2) - (a.x_px + a.w_px / 2)) * k
    dy = ((b.y_px + b.h_px / 2) - (a.y_px + a.h_px / 2)) * k
    cap = max(b.w_px, b.h_px)
    return max(-cap, min(cap, dx)), max(-cap, min(cap, dy))


def _shifted(box: Box, dx: float, dy: float) -> Box:
    return Box(box.x_px + dx, box.y_px + dy, box.w_px, box.h_px)


def make_track(dets: Sequence[Detection], frame_count: int, p: JoinParams,
               width: int | None = None, height: int | None = None) -> FaceTrack:
    dense = dense_keyframes(dets, p.pad_fraction)
    must = {}
    for d in dets:
        raw = _clip(d.box, width, height)
        must[d.frame] = hull(must[d.frame], raw) if d.frame in must else raw
    tol = max(p.tolerance_px, p.tolerance_fraction * float(np.median([d.w_px for d in dets])))
    kfs = simplify(dense, tol, must)
    first, last = dets[0].frame, dets[-1].frame
    frame_from = max(0, first - p.pad_frames)
    frame_to = min(frame_count - 1, last + p.pad_frames) if frame_count else last + p.pad_frames
    # temporal padding: a face moving into the picture was there, undetected, before its
    # first detection (and after its last). Cover from where it would have been, at its
    # pace, to where it was seen: a hull keyframe at the padded end; linear interpolation
    # from there to the first box contains every place in between.
    if frame_from < first:
        dx, dy = _drift(dets[:6], first - frame_from)
        kfs.insert(0, Keyframe(frame_from, hull(kfs[0].box, _shifted(kfs[0].box, -dx, -dy))))
    if frame_to > last:
        dx, dy = _drift(dets[-6:], frame_to - last)
        kfs.append(Keyframe(frame_to, hull(kfs[-1].box, _shifted(kfs[-1].box, dx, dy))))
    suggested = len(dets) < p.min_detections and max(d.score for d in dets) < p.strong_score
    return FaceTrack(frame_from, frame_to, tuple(kfs), tuple(dets), suggested)


def join_tracks(detections: Iterable[Detection], frame_count: int, p: JoinParams = JoinParams(),
                width: int | None = None, height: int | None = None) -> list[FaceTrack]:
    """Per-frame detections to padded, gap-free tracks, in order of first appearance."""
    return [make_track(chain, frame_count, p, width, height) for chain in associate(detections, p)]


def uncovered(track: FaceTrack, width: int | None = None, height: int | None = None) -> list[int]:
    """Frames of ``track``'s detections whose raw box (clipped to the frame) its keyframes
    do not contain. A self-check: always empty for tracks made here."""
    return [d.frame for d in track.detections
            if not (track.frame_from <= d.frame <= track.frame_to
                    and contains(box_at(track.keyframes, d.frame), _clip(d.box, width, height)))]
