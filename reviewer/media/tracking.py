"""Tracking assist: carry a box forwards or backwards from a frame, as keyframes to correct.

What opencv-python-headless 5 offers: ``TrackerMIL`` (no model, translation only, drifts
and is slow), ``TrackerNano``/``TrackerVit``/``TrackerDaSiamRPN`` (need model files we do
not ship); CSRT/KCF live in contrib only. So this is a Median-Flow tracker built from
core pieces: pyramidal Lucas-Kanade flow of points inside the box, checked forwards and
backwards (points whose round trip misses are dropped), median shift and median scale
change; when too few points survive (a textureless box, a blur), template matching
(``cv2.matchTemplate``) around the predicted place takes over; when that is unsure too,
tracking stops there and returns what it has, for the user to carry on by hand.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from reviewer.annotate.geometry import Box, Keyframe
from reviewer.annotate.tracks import simplify
from reviewer.errors import Cancelled, ReviewerError
from reviewer.progress import Progress

MAX_SIDE = 640          # frames are tracked at most this big (faster, and enough)
CHUNK = 32              # backwards: frames decoded forwards per chunk, then walked back
MIN_POINTS = 6
MIN_MATCH = 0.45        # normalised correlation below this: lost
_LK = {"winSize": (15, 15), "maxLevel": 3,
       "criteria": (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.03)}


@dataclass(frozen=True)
class Step:
    box: Box           # in tracking (small) pixels
    method: str        # "flow" or "template"
    confidence: float


def _small_gray(rgb: np.ndarray, scale: float) -> np.ndarray:
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if scale < 1.0:
        h, w = gray.shape
        gray = cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))),
                          interpolation=cv2.INTER_AREA)
    return gray


def _frames(reader: Any, start: int, end: int, step: int, scale: float
            ) -> Iterator[tuple[int, np.ndarray]]:
    """Frames ``start..end`` inclusive in tracking order, as small grey pictures. Backwards,
    decode forwards in chunks (a decoder only runs forwards) and walk each chunk back; a
    chunk is kept small and grey, never as full-size colour frames."""
    if step > 0:
        for n, rgb in reader.iter_frames(start, end):
            yield n, _small_gray(rgb, scale)
        return
    hi = start
    while hi >= end:
        lo = max(end, hi - CHUNK + 1)
        chunk = [(n, _small_gray(rgb, scale)) for n, rgb in reader.iter_frames(lo, hi)]
        yield from reversed(chunk)
        hi = lo - 1


def _flow(prev: np.ndarray, cur: np.ndarray, box: Box) -> Step | None:
    h, w = prev.shape
    # points from the inner part only: corners on the box's edge are mostly background,
    # which stands still and drags the median shift to zero
    ix, iy = 0.12 * box.w_px, 0.12 * box.h_px
    x0, y0 = max(0, int(box.x_px + ix)), max(0, int(box.y_px + iy))
    x1 = min(w, int(np.ceil(box.x_px + box.w_px - ix)))
    y1 = min(h, int(np.ceil(box.y_px + box.h_px - iy)))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    mask = np.zeros_like(prev)
    mask[y0:y1, x0:x1] = 255
    pts = cv2.goodFeaturesToTrack(prev, maxCorners=100, qualityLevel=0.01,
                                  minDistance=max(2, min(x1 - x0, y1 - y0) // 10), mask=mask)
    if pts is None or len(pts) < MIN_POINTS:
        return None
    nxt, st, _ = cv2.calcOpticalFlowPyrLK(prev, cur, pts, None, **_LK)
    back, st2, _ = cv2.calcOpticalFlowPyrLK(cur, prev, nxt, None, **_LK)
    fb = np.linalg.norm((pts - back).reshape(-1, 2), axis=1)
    good = (st.ravel() == 1) & (st2.ravel() == 1)
    if good.sum() < MIN_POINTS:
        return None
    good &= fb <= max(np.median(fb[good]), 0.5)
    if good.sum() < MIN_POINTS:
        return None
    p0 = pts.reshape(-1, 2)[good]
    p1 = nxt.reshape(-1, 2)[good]
    dx, dy = np.median(p1 - p0, axis=0)
    # scale: median ratio of pairwise distances (Median Flow)
    i, j = np.triu_indices(len(p0), 1)
    d0 = np.linalg.norm(p0[i] - p0[j], axis=1)
    d1 = np.linalg.norm(p1[i] - p1[j], axis=1)
    ok = d0 > 2
    s = float(np.median(d1[ok] / d0[ok])) if ok.any() else 1.0
    s = min(max(s, 0.8), 1.25)
    cx, cy = box.x_px + box.w_px / 2 + dx, box.y_px + box.h_px / 2 + dy
    nw, nh = box.w_px * s, box.h_px * s
    spread = float(np.median(np.linalg.norm(p1 - p0 - [dx, dy], axis=1)))
    conf = float(good.mean()) / (1.0 + spread)
    return Step(Box(cx - nw / 2, cy - nh / 2, nw, nh), "flow", conf)


def _template(prev: np.ndarray, cur: np.ndarray, box: Box, guess: Box) -> Step | None:
    """Match the box's picture, with a margin around it (a flat box alone has no pattern;
    its edges do), in a window of twice its size around ``guess``."""
    h, w = prev.shape
    mx, my = max(2.0, 0.08 * box.w_px), max(2.0, 0.08 * box.h_px)
    x0, y0 = max(0, round(box.x_px - mx)), max(0, round(box.y_px - my))
    x1 = min(w, round(box.x_px + box.w_px + mx))
    y1 = min(h, round(box.y_px + box.h_px + my))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    tpl = prev[y0:y1, x0:x1]
    if float(tpl.std()) < 1.0:
        return None  # nothing to match on
    th, tw = tpl.shape
    ox, oy = box.x_px - x0, box.y_px - y0  # the box inside the template
    gx, gy = guess.x_px - ox, guess.y_px - oy
    sx0, sy0 = max(0, int(gx - tw / 2)), max(0, int(gy - th / 2))
    sx1, sy1 = min(w, int(gx + 1.5 * tw)), min(h, int(gy + 1.5 * th))
    if sx1 - sx0 < tw or sy1 - sy0 < th:
        return None
    res = cv2.matchTemplate(cur[sy0:sy1, sx0:sx1], tpl, cv2.TM_CCOEFF_NORMED)
    _, score, _, loc = cv2.minMaxLoc(res)
    if not np.isfinite(score):
        return None
    return Step(Box(sx0 + loc[0] + ox, sy0 + loc[1] + oy, box.w_px, box.h_px), "template",
                float(score))


def track_step(prev: np.ndarray, cur: np.ndarray, box: Box, velocity: tuple[float, float],
               anchor: tuple[np.ndarray, Box] | None = None) -> Step | None:
    """Where ``box`` on ``prev`` is on ``cur`` (grey pictures, same size); None when lost.
    ``anchor``: the first picture and its box; matching it too stops a slow drift."""
    step = _flow(prev, cur, box)
    guess = step.box if step else Box(box.x_px + velocity[0], box.y_px + velocity[1],
                                      box.w_px, box.h_px)
    checks = [_template(prev, cur, box, guess)]
    if anchor is not None and 0.85 < box.w_px / anchor[1].w_px < 1.15:
        a_box = anchor[1]
        checks.append(_template(anchor[0], cur, a_box,
                                Box(guess.x_px, guess.y_px, a_box.w_px, a_box.h_px)))
    checks = [c for c in checks if c is not None]
    check = max(checks, key=lambda c: c.confidence) if checks else None
    if check is not None and check.box.w_px != box.w_px:  # matched the anchor: keep our size
        cx, cy = check.box.x_px + check.box.w_px / 2, check.box.y_px + check.box.h_px / 2
        check = Step(Box(cx - box.w_px / 2, cy - box.h_px / 2, box.w_px, box.h_px),
                     check.method, check.confidence)
    if step is not None:
        # trust flow unless template matching is sure of a clearly different place
        if check is None or check.confidence < MIN_MATCH:
            return step
        moved = abs(check.box.x_px - step.box.x_px) + abs(check.box.y_px - step.box.y_px)
        if moved > 0.1 * (box.w_px + box.h_px) and check.confidence > 0.8:
            return check
        return step
    if check is not None and check.confidence >= MIN_MATCH:
        return check
    return None


def track_box(reader: Any, start_frame: int, box: Box, direction: int | str = 1,
              end_frame: int | None = None, progress: Progress | None = None,
              tolerance_px: float = 1.0) -> list[Keyframe]:
    """Carry ``box`` (pixels of the frame as displayed) from ``start_frame`` towards
    ``end_frame`` (inclusive; default: the first or last frame), one frame at a time.

    Returns keyframes sorted by frame, the start frame's own box first or last, simplified
    where linear interpolation stays within ``tolerance_px``. Stops early (returning what it
    has) when the box is lost, leaves the picture, or ``progress`` is cancelled."""
    step = _direction(direction)
    count = reader.index.count
    if not 0 <= start_frame < count:
        raise ReviewerError(f"frame {start_frame} is outside the video (0..{count - 1})")
    if box.w_px <= 0 or box.h_px <= 0:
        raise ReviewerError("the box has no area")
    end = (count - 1 if step > 0 else 0) if end_frame is None else end_frame
    end = min(max(end, 0), count - 1)
    if (end - start_frame) * step < 0:
        raise ReviewerError(f"frame {end_frame} is not {'after' if step > 0 else 'before'} "
                            f"frame {start_frame}")
    width, height = reader.index.width, reader.index.height
    scale = min(1.0, MAX_SIDE / max(width, height))
    total = abs(end - start_frame) or 1
    out = [Keyframe(start_frame, box)]
    cur_box = Box(box.x_px * scale, box.y_px * scale, box.w_px * scale, box.h_px * scale)
    prev = None
    anchor = None
    velocity = (0.0, 0.0)
    try:
        for n, gray in _frames(reader, start_frame, end, step, scale):
            if prev is None:
                prev = gray
                anchor = (gray, cur_box)
                continue
            found = track_step(prev, gray, cur_box, velocity, anchor)
            if found is None or not _inside(found.box, gray.shape):
                break
            velocity = (found.box.x_px - cur_box.x_px, found.box.y_px - cur_box.y_px)
            cur_box = found.box
            prev = gray
            out.append(Keyframe(n, Box(float(cur_box.x_px / scale), float(cur_box.y_px / scale),
                                       float(cur_box.w_px / scale), float(cur_box.h_px / scale))))
            if progress is not None:
                progress.update(abs(n - start_frame) / total, f"Tracking: frame {n}")
    except Cancelled:
        pass  # stop here: the frames tracked so far are kept for the user to review
    out.sort(key=lambda k: k.frame)
    return simplify(out, tolerance_px) if len(out) > 2 else out


def _direction(direction: int | str) -> int:
    if direction in (1, "forward", "forwards", "+"):
        return 1
    if direction in (-1, "backward", "backwards", "-"):
        return -1
    raise ReviewerError(f"direction must be forward or backward, not {direction!r}")


def _inside(box: Box, shape: tuple[int, ...]) -> bool:
    """At least a quarter of the box is still in the picture."""
    h, w = shape[:2]
    ix = max(0.0, min(w, box.x_px + box.w_px) - max(0.0, box.x_px))
    iy = max(0.0, min(h, box.y_px + box.h_px) - max(0.0, box.y_px))
    return ix * iy >= 0.25 * box.w_px * box.h_px
