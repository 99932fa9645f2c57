"""Where one text track must become several (pure): at a shot boundary, and where what it
says changes; and where several fragments are one track (:func:`join_fragments`).

A tracker that holds a plate's box across a hard cut lands on whatever is there in the next
shot (often the next car's plate, framed the same way); one track then spans three cars,
is labelled with one of their plates, and ``search`` cites frames that show another car.
So text tracks obey the same shot boundaries as face tracks (reviewer.media.shots): each
shot's piece of a track is a track of its own, with only the readings made in that shot.

A burned-in clock is one box whose letters change every second; one track with one reading
would cite the whole clip for any one time. Where the letters were seen to change and the
reading changed with them, the track is split, so each reading is cited over the frames
it is on screen.
"""
from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from reviewer.annotate.tracks import iou
from reviewer.annotate.transitions import Shots, Transition

RESTART_S = 60.0  # the pass starts afresh about this often (at the next keyframe's look)


def _piece(t: Any, frames: set[int]) -> Any:
    """A copy of ``t`` over ``frames`` only, with the readings made on them."""
    p = copy.copy(t)
    p.boxes = {f: b for f, b in t.boxes.items() if f in frames}
    p.reads = [r for r in t.reads if r[0] in frames]
    p.changes = [f for f in getattr(t, "changes", []) if f in frames]
    return p


def split_at_shots(tracks: Sequence[Any], transitions: Sequence[Transition],
                   frame_count: int) -> list[Any]:
    """Each track cut into one piece per shot it runs through. A dissolve's blended frames
    belong to both shots: the pieces either side both cover them."""
    if not transitions:
        return list(tracks)
    shots = Shots(transitions, max(1, frame_count))
    out = []
    for t in tracks:
        by_shot: dict[int, set[int]] = {}
        for f in t.boxes:
            for s in shots.of(f):
                by_shot.setdefault(s, set()).add(f)
        if len(by_shot) <= 1:
            out.append(t)
            continue
        out.extend(_piece(t, frames) for _s, frames in sorted(by_shot.items()))
    return [t for t in out if t.boxes]


def _norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def split_on_readings(tracks: Sequence[Any]) -> list[Any]:
    """Each track cut where its letters were seen to change (``changes``: the frames a
    reading was made because the text looked different) and the reading made there differs
    from the one before; a reading that differs without the picture changing (the reader
    unsure of a blurred plate) does not split a track."""
    out = []
    for t in tracks:
        changes = set(getattr(t, "changes", []))
        starts = []
        current = None
        for f, text, _score in sorted(t.reads):
            key = _norm(text)
            if not key:
                continue
            if current is not None and key != current and f in changes:
                starts.append(f)
            current = key
        if not starts:
            out.append(t)
            continue
        bounds = [min(t.boxes)] + starts + [max(t.boxes) + 1]
        for a, b in zip(bounds, bounds[1:]):
            piece = _piece(t, {f for f in t.boxes if a <= f < b})
            if piece.boxes:
                out.append(piece)
    return out


# A line of text, even a sign held up to a body camera, is a strip: a region past this share
# of the picture is the detector finding text in a texture (a car park seen from above), and
# a box that size is not made unless the reviewer draws it.
MAX_BOX_SHARE = 0.10
# Letters shorter than this (display pixels) are not read reliably: the recogniser's input is
# 48 px tall, and a 7 px plate enlarged to that gives "98" for anything. Such a region is a
# box of its own size, labelled unreadable, and what was guessed is not kept for search.
MIN_READ_LINE_PX = 10.0


def within_share(tracks: Sequence[Any], width: int, height: int,
                 share: float = MAX_BOX_SHARE) -> tuple[list[Any], list[int]]:
    """The tracks without the frames where their box covers more than ``share`` of the
    picture (a track left with none is dropped), and those frames, to tell the reviewer."""
    limit = share * max(1, width) * max(1, height)
    out, dropped = [], []
    for t in tracks:
        big = {f for f, b in t.boxes.items() if b.w_px * b.h_px > limit}
        if not big:
            out.append(t)
            continue
        dropped.extend(sorted(big))
        keep = _piece(t, set(t.boxes) - big)
        if keep.boxes:
            out.append(keep)
    return out, sorted(set(dropped))


def readable_size(t: Any) -> bool:
    """Whether the track's letters are tall enough to read (see ``MIN_READ_LINE_PX``)."""
    return t.line_h_px >= MIN_READ_LINE_PX if t.line_h_px else True


def finish_tracks(done: list[Any], transitions: Any, count: int, stride: int,
                  restarts: tuple[int, ...] = ()) -> list[Any]:
    """The pass's ended tracks (in the order they ended) cut, joined, split at shot
    boundaries and where the reading changes: the pass's result."""
    done = [_cut(t) for t in done]
    done.sort(key=lambda t: (t.frame_from, t.boxes[t.frame_from].y_px))
    joined = join_fragments(done, stride, frozenset(restarts))
    pieces = split_on_readings(split_at_shots(joined, transitions, count))
    return sorted(pieces, key=lambda t: (t.frame_from, t.boxes[t.frame_from].y_px))


def _near(a: Any, b: Any) -> bool:
    """Whether two boxes could be the same text a moment apart: they overlap, or their
    centres are closer than the larger one's height plus half its width."""
    if iou(a, b) > 0:
        return True
    dx = (a.x_px + a.w_px / 2) - (b.x_px + b.w_px / 2)
    dy = (a.y_px + a.h_px / 2) - (b.y_px + b.h_px / 2)
    reach = max(a.h_px, b.h_px) + max(a.w_px, b.w_px) / 2
    return dx * dx + dy * dy <= reach * reach


def join_fragments(tracks: list[Any], stride: int,
                   restarts: frozenset[int] = frozenset()) -> list[Any]:
    """One track for one piece of text: when the tracker loses a plate that then grows or
    turns, the next sample starts a new track where the old one ends. A track that starts
    within a sample of another's end, next to where that one was, continues it (the review
    then shows one suggestion, not three). ``restarts``: the frames the pass started afresh
    at (:func:`restart_points`)."""
    out: list[Any] = []
    tracks = sorted(tracks, key=lambda t: t.frame_from)
    assigned: dict[int, Any] = {}
    for t in tracks:
        head = t.boxes[t.frame_from]
        if t.frame_from in restarts:
            if t.frame_from not in assigned:
                assigned[t.frame_from] = _at_restart(out, [u for u in tracks
                                                           if u.frame_from == t.frame_from])
            best = assigned[t.frame_from].get(id(t))
            candidates = [best] if best is not None else []
        else:
            candidates = [p for p in reversed(out) if 0 < t.frame_from - p.frame_to <= stride + 1
                          and _near(p.boxes[p.frame_to], head)][:1]
        if not candidates:
            out.append(t)
            continue
        prev = candidates[0]
        if t.frame_from in restarts and _read_anew(prev, t):
            prev.changes.append(t.frame_from)  # read anew at a restart: a change there
        prev.boxes.update(t.boxes)
        prev.reads.extend(t.reads)
        prev.det_scores.extend(t.det_scores)
        prev.line_heights.extend(t.line_heights)
        prev.changes.extend(t.changes)
    return out


def _at_restart(out: list[Any], starting: list[Any]) -> dict[int, Any]:
    """Which track (of ``out``, ended on the frame before) each fragment starting at a
    restart continues: the pass started afresh there, so each piece of text on screen ends
    one track and starts another, and the pairs are those that overlap most, one to one
    (a burned-in clock and serial a line apart are near each other, but each overlaps only
    itself; a plate under its state's name overlaps the plate)."""
    if not starting:
        return {}
    frame = starting[0].frame_from
    ends = [p for p in out if p.frame_to == frame - 1]
    pairs = sorted(((iou(p.boxes[p.frame_to], u.boxes[frame]), i, j)
                    for i, p in enumerate(ends) for j, u in enumerate(starting)), reverse=True)
    used_p: set[int] = set()
    got: dict[int, Any] = {}
    for o, i, j in pairs:
        if o <= 0:
            break
        if i in used_p or id(starting[j]) in got:
            continue
        used_p.add(i)
        got[id(starting[j])] = ends[i]
    return got


def _read_anew(prev: Any, t: Any) -> bool:
    """Whether the first reading of ``t`` differs from the last of ``prev``."""
    a = max(prev.reads, default=None)
    b = min(t.reads, default=None)
    return a is not None and b is not None and _norm(a[1]) != _norm(b[1])


def _cut(t: TextTrack) -> TextTrack:
    """Cut the held boxes after the text was last followed (the tracker lost it and no
    sample found it again), never before the frame before the sample that missed it."""
    assert t.ended is not None
    end = max(t.last_seen, min(t.ended, t.last_followed))
    t.boxes = {f: b for f, b in t.boxes.items() if f <= end}
    return t


def restart_points(index: Any, stride: int) -> tuple[int, ...]:
    """The frames the pass starts afresh at: the first look (a multiple of ``stride``) at or
    after the first keyframe at or after each multiple of :data:`RESTART_S` seconds."""
    import bisect

    count = index.count
    every = max(stride, round((index.fps or 30.0) * RESTART_S))
    keys = sorted(int(k) for k in index.keyframes)
    out: list[int] = []
    at = every
    while at < count:
        k = bisect.bisect_left(keys, at)
        if k == len(keys):
            break
        look = -(-keys[k] // stride) * stride
        if look >= count - 1:
            break
        if not out or look > out[-1]:
            out.append(look)
        at = max(at + every, look + 1)
    return tuple(out)
