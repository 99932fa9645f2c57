"""Short face chains that belong to a longer one (pure).

At a low frame rate a head moving fast is a long way from where it was a frame ago; the
detector may also see it only now and then. Its detections can then fall apart into a long
chain and a few short ones beside it; a short chain becomes a mere suggestion and the frames
it held are left to the long chain's blend, which may sit off the head. A short chain whose
every detection lies where the long chain puts the head on that frame (between its
detections, or carried on at its pace a little past its ends) is the same head: it joins.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewer.annotate.geometry import Box

if TYPE_CHECKING:
    from reviewer.annotate.tracks import Detection, JoinParams


def centre_shift(a: Box, b: Box) -> float:
    """How far apart the centres of two boxes are, in sizes of the larger."""
    size = max(a.w_px, a.h_px, b.w_px, b.h_px, 1e-6)
    cx = (a.x_px + a.w_px / 2) - (b.x_px + b.w_px / 2)
    cy = (a.y_px + a.h_px / 2) - (b.y_px + b.h_px / 2)
    return (cx * cx + cy * cy) ** 0.5 / size


def _lerp(a: Box, b: Box, t: float) -> Box:
    return Box(a.x_px + (b.x_px - a.x_px) * t, a.y_px + (b.y_px - a.y_px) * t,
               a.w_px + (b.w_px - a.w_px) * t, a.h_px + (b.h_px - a.h_px) * t)


def where(dets: list[Detection], frame: int, reach: int) -> Box | None:
    """Where the chain ``dets`` (frame order) puts the head at ``frame``: between two of its
    detections, their blend; up to ``reach`` frames past either end, carried on at the pace
    of the last two there; further away, nowhere."""
    if not dets:
        return None
    if dets[0].frame <= frame <= dets[-1].frame:
        for a, b in zip(dets, dets[1:]):
            if a.frame <= frame <= b.frame:
                t = (frame - a.frame) / max(1, b.frame - a.frame)
                return _lerp(a.box, b.box, t)
        return dets[-1].box
    end, inner = (dets[0], dets[1:2]) if frame < dets[0].frame else (dets[-1], dets[-2:-1])
    if abs(frame - end.frame) > reach:
        return None
    if not inner:
        return end.box
    other = inner[0]
    return _carry(end.box, other.box, frame - end.frame, end.frame - other.frame)


def _carry(end: Box, other: Box, ahead: int, step: int) -> Box:
    k = ahead / step
    return Box(end.x_px + (end.x_px - other.x_px) * k, end.y_px + (end.y_px - other.y_px) * k,
               end.w_px, end.h_px)


def merge_beside(chains: list[tuple[list[Detection], Any]], p: JoinParams
                 ) -> list[tuple[list[Detection], Any]]:
    """``chains`` as ``(detections, shots)`` (reviewer.annotate.tracks.associate); each short
    one (seen on fewer than ``p.min_detections`` frames) that lies on a longer chain's path,
    in the same shot and on frames that chain has no detection of its own, merged into it."""
    allowed = p.max_centre_shift * 0.5 * max(1.0, p.frame_scale)
    order = sorted(range(len(chains)), key=lambda i: -len({d.frame for d in chains[i][0]}))
    dets = {i: list(chains[i][0]) for i in order}
    shots = {i: chains[i][1] for i in order}
    gone: set[int] = set()
    for i in reversed(order):  # shortest first
        frames = {d.frame for d in dets[i]}
        if len(frames) >= p.min_detections:
            continue
        for j in order:
            if j == i or j in gone or len({d.frame for d in dets[j]}) <= len(frames):
                continue
            if not (shots[i] & shots[j]) or frames & {d.frame for d in dets[j]}:
                continue
            fits = True
            for d in dets[i]:
                there = where(dets[j], d.frame, p.long_gap_frames)
                ratio = (max(there.w_px, d.w_px) / max(1e-6, min(there.w_px, d.w_px))
                         if there is not None else 99.0)
                if there is None or ratio > 2.0 or centre_shift(there, d.box) > allowed:
                    fits = False
                    break
            if fits:
                dets[j] = sorted(dets[j] + dets[i], key=lambda d: (d.frame, d.x_px))
                shots[j] = shots[j] & shots[i]
                gone.add(i)
                break
    kept = [i for i in range(len(chains)) if i not in gone]
    out = [(dets[i], shots[i]) for i in kept]
    return sorted(out, key=lambda c: (c[0][0].frame, c[0][0].x_px))
