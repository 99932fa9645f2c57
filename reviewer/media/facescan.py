"""The face detection pass over a whole video: decoding on its own thread, shot boundaries
from thumbnails, and the network only on the frames that need it.

Measured on this project's 2-core machine at 1080p (bench/faces.py): decoding is ~8 ms a
frame, shrinking to the network's input ~5 ms, the network ~65-170 ms at 960x544 (the
input that still finds a 40 px face in 1080p; at 640 wide faces under ~64 px are lost),
joining tracks well under 1 ms. So the network is what to save:
- decoding and the thumbnail for the shot detector run on a second thread, ahead;
- within a shot, the network runs on every ``stride``-th frame, and on the first and last
  frame of every shot and of every dissolve; when the faces found at two such frames
  do not agree (a different number, or a box that moved or changed size more than a
  little), the frame halfway is searched, and so on in each half that still disagrees,
  down to every frame if need be. Where looks agree, the frames between are covered by the
  track joiner's blend of the two, as a missed frame is;
- but two agreeing looks say nothing of a face that came and went between them (someone
  crossing the edge of the picture, a face swept past by a body camera, for less than a
  fifth of a second). So every frame also gets a small grey probe (``PROBE``), and where a
  frame between two agreeing looks shows, in a face-sized patch away from the faces they
  saw, a brightness neither look has anywhere near that place (:func:`transient`), the
  network looks at the frame where that patch is largest, and the usual halving follows
  if it finds a face there. A camera that shakes or pans moves what the looks saw, which
  stays within what they had nearby; something new does not.
"""
from __future__ import annotations

import bisect
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from reviewer.annotate.tracks import Detection, Transition, iou
from reviewer.errors import ReviewerError
from reviewer.media.shots import THUMB, ShotDetector

AGREE_IOU = 0.6       # two looks at a face agree when their boxes overlap this much
PROBE = 160           # the longer side of the grey picture each frame is reduced to for the transient test
TRANSIENT_LEVEL = 16  # grey levels beyond anything the two looks had within REACH
TRANSIENT_REACH = 2   # probe pixels (~24 px at 1080p): how far the picture may move between looks
TRANSIENT_AREA = 3    # probe pixels that must be that new: a face of ~40 px at 1080p covers ~11
_END = object()


@dataclass(frozen=True)
class FaceScan:
    detections: tuple[Detection, ...]
    transitions: tuple[Transition, ...]
    searched: tuple[int, ...]   # the frames the network ran on


def agree(a: list[Detection], b: list[Detection]) -> bool:
    """Whether two looks ``stride`` frames apart saw the same faces at nearly the same
    places (so the frames between need no look of their own)."""
    if len(a) != len(b):
        return False
    left = list(b)
    for d in a:
        best = max(left, key=lambda e: iou(d.box, e.box), default=None)
        if best is None or iou(d.box, best.box) < AGREE_IOU:
            return False
        left.remove(best)
    return True


def transient(before: np.ndarray, between: np.ndarray, after: np.ndarray,
               known: list[tuple[int, int, int, int]] = ()) -> int:
    """How many probe pixels of ``between`` are brighter or darker, by ``TRANSIENT_LEVEL``,
    than anything ``before`` and ``after`` hold within ``TRANSIENT_REACH`` pixels of them
    (a change of overall brightness taken out first), outside the ``known`` face boxes
    (x0, y0, x1, y1 in probe pixels, already padded) and the ``TRANSIENT_REACH`` strip along
    the edges: what appeared between two looks and was gone again, or had not come yet."""
    import cv2

    k = np.ones((2 * TRANSIENT_REACH + 1,) * 2, np.uint8)
    lo = cv2.erode(np.minimum(before, after), k).astype(np.int16)
    hi = cv2.dilate(np.maximum(before, after), k).astype(np.int16)
    mid = between.astype(np.int16)
    # auto exposure: shift by the median change against the mean of the two looks
    shift = int(np.median(mid - (before.astype(np.int16) + after) // 2))
    mid = mid - shift
    excess = np.maximum(mid - hi, lo - mid)
    for x0, y0, x1, y1 in known:
        excess[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = 0
    # the strip along the edges that a moving camera uncovers is new by nature; a face
    # coming in there is seen once it is further in than that (~24 px at 1080p)
    r = TRANSIENT_REACH
    inner = excess[r:excess.shape[0] - r, r:excess.shape[1] - r]
    return int(np.count_nonzero(inner > TRANSIENT_LEVEL))


def _known_boxes(dets: list[Detection], scale: tuple[float, float]) -> list[tuple[int, int, int, int]]:
    sx, sy = scale
    out = []
    for d in dets:
        box = d.head if d.head is not None else d.box
        pad = TRANSIENT_REACH + 1
        out.append((int(box.x_px * sx) - pad, int(box.y_px * sy) - pad,
                    int(np.ceil((box.x_px + box.w_px) * sx)) + pad,
                    int(np.ceil((box.y_px + box.h_px) * sy)) + pad))
    return out


def _decoded(frames: Iterator[tuple[int, Any]], thumb: Callable[[Any], np.ndarray],
             probe: Callable[[Any], np.ndarray], stop: threading.Event, out: queue.Queue) -> None:
    """The decoding thread: frames with their thumbnails and probes, in order, then ``_END``
    (or the exception that stopped it)."""
    try:
        for n, frame in frames:
            if stop.is_set():
                return
            out.put((n, frame, thumb(frame), probe(frame)))
        out.put(_END)
    except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
        out.put(exc)


def scan(frames: Iterator[tuple[int, Any]], count: int, name: str,
         detect: Callable[[Any, int], list[Detection]],
         thumb: Callable[[Any], np.ndarray] | None = None, stride: int = 1,
         on_frame: Callable[[int], None] | None = None,
         probe: Callable[[Any], np.ndarray] | None = None,
         size: tuple[int, int] | None = None, *, start: int = 0,
         grid: tuple[int, ...] | None = None) -> FaceScan:
    """Run the pass over ``frames`` (``(n, frame)`` for every displayed frame in order,
    decoded on a thread of its own). ``detect(frame, n)`` runs the network;
    ``thumb(frame)`` gives the small RGB picture the shot detector looks at, ``probe(frame)``
    the grey one of the transient test, :func:`probe_size`, as displayed; ``size`` is the
    displayed frame's (w, h), the pixels detections are in (default: an array frame's own);
    ``on_frame(n)`` reports progress after each frame and may raise to stop.

    ``grid`` (one chunk of a split pass, :mod:`reviewer.media.facechunks`): the frames the
    stride walk of the whole video stops at (what a pass with no faces searches), and
    ``frames`` runs from ``start``, a point of it, to ``count - 1``, another. The shot
    detector is not run (the walk already went round the boundaries); between each two
    points the looks, halvings and transient tests are the very ones the whole pass makes
    there, since they depend on those frames alone. The transitions returned are empty."""
    thumb = thumb or _default_thumb
    probe = probe or _default_probe
    stride = max(1, int(stride))
    q: queue.Queue = queue.Queue(maxsize=8)
    stop = threading.Event()
    worker = threading.Thread(target=_decoded, args=(frames, thumb, probe, stop, q),
                              name="face-scan-decode", daemon=True)
    worker.start()
    shots = ShotDetector()
    buf: dict[int, Any] = {}
    probes: dict[int, np.ndarray] = {}
    found: dict[int, list[Detection]] = {}
    forced: set[int] = set()
    seen_transitions = 0
    state = {"a": -1, "last": start - 1}
    walk = sorted(f for f in grid if start <= f <= count - 1) if grid is not None else None

    def look(f: int) -> list[Detection]:
        if f not in found:
            found[f] = detect(buf[f], f)
        return found[f]

    def refine(a: int, b: int) -> None:
        # the looks at a and b disagree: look halfway, and again in each half that still
        # disagrees (a face moving steadily needs one or two looks more, not all of them)
        if b - a <= 1 or agree(found[a], found[b]):
            return
        m = (a + b) // 2
        look(m)
        refine(a, m)
        refine(m, b)

    def guard(a: int, b: int) -> None:
        # every pair of neighbouring looks in a..b that agree: a face between them that
        # neither saw shows in the probes; look where it is plainest
        looked = [f for f in range(a, b + 1) if f in found]
        for p, r in zip(looked, looked[1:]):
            if r - p <= 1 or not agree(found[p], found[r]):
                continue
            ph, pw = probes[p].shape[:2]
            fw, fh = size or (pw, ph)
            known = _known_boxes(found[p] + found[r], (pw / fw, ph / fh))
            score, m = max((transient(probes[p], probes[f], probes[r], known), f)
                           for f in range(p + 1, r))
            if score >= TRANSIENT_AREA:
                look(m)
                refine(p, m)
                refine(m, r)

    def advance(settled: int) -> None:
        # settled: the last frame whose shot membership is known
        a = state["a"]
        while True:
            if walk is not None:
                i = bisect.bisect_right(walk, a)
                b = walk[i] if i < len(walk) else a
            elif a < 0:
                b = 0
            else:
                hi = min(a + stride, count - 1)
                b = next((f for f in range(a + 1, hi + 1) if f in forced), hi)
            if b > settled or b > state["last"] or b <= a:
                break
            look(b)
            if a >= 0:
                refine(a, b)
                guard(a, b)
            for f in range(max(a, 0), b):
                buf.pop(f, None)
                probes.pop(f, None)
            a = state["a"] = b

    try:
        while True:
            item = q.get()
            if item is _END:
                break
            if isinstance(item, BaseException):
                raise item
            n, frame, small, grey = item
            if n != state["last"] + 1:  # the reader must hand over every frame, in order
                raise ReviewerError(f"{name}: frame {state['last'] + 1} could not be decoded")
            state["last"] = n
            buf[n] = frame
            probes[n] = grey
            if walk is not None:
                advance(n)
                if on_frame is not None:
                    on_frame(n)
                continue
            shots.push(small)
            for t in shots.transitions[seen_transitions:]:
                forced.update(_ends(t))
            seen_transitions = len(shots.transitions)
            advance(shots.decided - 2)
            if on_frame is not None:
                on_frame(n)
        if state["last"] + 1 != count:
            raise ReviewerError(f"{name}: decoding stopped at frame {state['last'] + 1} of {count}")
        transitions = shots.finish() if walk is None else []
        for t in transitions[seen_transitions:]:
            forced.update(_ends(t))
        forced.add(count - 1)
        advance(count - 1)
    finally:
        stop.set()
        while worker.is_alive():  # unblock a thread waiting to put, then let it end
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()
    dets = tuple(d for f in sorted(found) for d in found[f])
    return FaceScan(dets, tuple(transitions), tuple(sorted(found)))


def _ends(t: Transition) -> set[int]:
    """The frames the network must look at around a boundary: the last frame before it and
    the first after it, and a dissolve's first and last blended frames (between those, looks
    that disagree, as a face fading in or out makes them, are refined as anywhere else)."""
    return {f for f in (t.new_from - 1, t.new_from, t.old_to, t.old_to + 1) if f >= 0}


def _default_probe(frame: Any) -> np.ndarray:
    import cv2

    rgb = frame if isinstance(frame, np.ndarray) else frame.to_ndarray(format="rgb24")
    grey = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return cv2.resize(grey, probe_size(grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_AREA)


def probe_size(width: int, height: int) -> tuple[int, int]:
    """(w, h) of the transient test's probe for a picture shown ``width`` x ``height``."""
    if width >= height:
        return PROBE, max(1, round(PROBE * height / max(width, 1)))
    return max(1, round(PROBE * width / max(height, 1))), PROBE


def _default_thumb(frame: Any) -> np.ndarray:
    import cv2

    rgb = frame if isinstance(frame, np.ndarray) else frame.to_ndarray(format="rgb24")
    return cv2.resize(rgb, THUMB, interpolation=cv2.INTER_AREA)
