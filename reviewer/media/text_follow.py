"""Following a piece of text from frame to frame (pure, on small grey pictures): where its
picture moved to, whether what is there is still the text last detected, and whether its
letters changed since it was read. Text is rigid and flat, so between two frames it only
moves: one correlation over a small window finds it."""
from __future__ import annotations

import numpy as np

from reviewer.annotate.geometry import Box

MATCH_MIN = 0.5         # correlation below which the text is lost between two frames
SAME_TEXT = 0.5         # normalised correlation with the last detected picture of the text
CHANGED = 0.6           # a letter-wide strip correlating less than this with it: changed


def template_step(prev: np.ndarray, cur: np.ndarray, box: Box,
                  velocity: tuple[float, float]) -> Box | None:
    """Where the text in ``box`` on ``prev`` is on ``cur``: its picture (with a thin margin,
    whose edges give a plain plate a pattern) matched in a window around where it was
    heading. Text is rigid and flat, so a translation is all there is between two frames;
    one correlation over a small window costs a fraction of optical flow."""
    import cv2

    h, w = prev.shape[:2]
    m = max(2.0, 0.15 * box.h_px)
    x0, y0 = max(0, round(box.x_px - m)), max(0, round(box.y_px - m))
    x1, y1 = min(w, round(box.x_px + box.w_px + m)), min(h, round(box.y_px + box.h_px + m))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    tpl = prev[y0:y1, x0:x1]
    if float(tpl.std()) < 2.0:
        return None  # nothing to match on
    # around where it was, not where the last step pointed: a shaking camera's last jolt
    # says nothing of its next one; far enough for a jolt and the last step's pace
    reach = max(24.0, box.h_px) + 2.0 * max(abs(velocity[0]), abs(velocity[1]))
    gx, gy = x0, y0
    sx0, sy0 = max(0, int(gx - reach)), max(0, int(gy - reach))
    sx1 = min(w, int(gx + (x1 - x0) + reach) + 1)
    sy1 = min(h, int(gy + (y1 - y0) + reach) + 1)
    if sx1 - sx0 < x1 - x0 or sy1 - sy0 < y1 - y0:
        return None  # leaving the picture
    res = cv2.matchTemplate(cur[sy0:sy1, sx0:sx1], tpl, cv2.TM_CCOEFF_NORMED)
    _, score, _, loc = cv2.minMaxLoc(res)
    if not np.isfinite(score) or score < MATCH_MIN:
        return None
    return Box(sx0 + loc[0] + (box.x_px - x0), sy0 + loc[1] + (box.y_px - y0), box.w_px, box.h_px)


def same_text(a: np.ndarray, a_box: Box, b: np.ndarray, b_box: Box,
              threshold: float = SAME_TEXT) -> bool:
    """Whether the picture inside ``b_box`` on ``b`` still looks like the text inside
    ``a_box`` on ``a`` (normalised correlation of the two patches, same size)."""
    import cv2

    h, w = a.shape[:2]
    x0, y0 = max(0, round(a_box.x_px)), max(0, round(a_box.y_px))
    x1, y1 = min(w, round(a_box.x_px + a_box.w_px)), min(h, round(a_box.y_px + a_box.h_px))
    if x1 - x0 < 3 or y1 - y0 < 3:
        return True  # too small to judge: keep following
    bx0, by0 = round(b_box.x_px), round(b_box.y_px)
    if bx0 < 0 or by0 < 0 or bx0 + (x1 - x0) > w or by0 + (y1 - y0) > h:
        return True  # partly out of the picture: keep following
    pa = a[y0:y1, x0:x1]
    pb = b[by0:by0 + (y1 - y0), bx0:bx0 + (x1 - x0)]
    if float(pa.std()) < 2.0 or float(pb.std()) < 2.0:
        return float(pa.std()) < 2.0 and float(pb.std()) < 2.0
    score = float(cv2.matchTemplate(pb, pa, cv2.TM_CCOEFF_NORMED)[0, 0])
    return score >= threshold


def _patches(a: np.ndarray, a_box: Box, b: np.ndarray, b_box: Box
             ) -> tuple[np.ndarray, np.ndarray] | None:
    h, w = a.shape[:2]
    x0, y0 = max(0, round(a_box.x_px)), max(0, round(a_box.y_px))
    x1, y1 = min(w, round(a_box.x_px + a_box.w_px)), min(h, round(a_box.y_px + a_box.h_px))
    bx0, by0 = round(b_box.x_px), round(b_box.y_px)
    if (x1 - x0 < 3 or y1 - y0 < 3 or bx0 < 0 or by0 < 0 or bx0 + (x1 - x0) > w
            or by0 + (y1 - y0) > h):
        return None
    return (a[y0:y1, x0:x1].astype(np.float32),
            b[by0:by0 + (y1 - y0), bx0:bx0 + (x1 - x0)].astype(np.float32))


def looks_changed(a: np.ndarray, a_box: Box, b: np.ndarray, b_box: Box) -> bool:
    """Whether some letter of the text now looks different (a clock's second ticking over):
    strips about a letter wide are compared one by one, since one new digit in a long line
    hardly moves the correlation of the whole line."""
    pair = _patches(a, a_box, b, b_box)
    if pair is None:
        return True  # cannot tell: read again
    pa, pb = pair
    step = max(4, pa.shape[0] // 2)
    for x in range(0, pa.shape[1] - step // 2, step):
        sa, sb = pa[:, x:x + step].ravel(), pb[:, x:x + step].ravel()
        da, db = sa - sa.mean(), sb - sb.mean()
        na, nb = float(np.sqrt((da * da).sum())), float(np.sqrt((db * db).sum()))
        if na < 2.0 * np.sqrt(sa.size) or nb < 2.0 * np.sqrt(sb.size):
            continue  # a flat strip (the space between words): nothing to compare
        if float((da * db).sum()) / (na * nb) < CHANGED:
            return True
    return False
