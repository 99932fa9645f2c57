"""Does a hit on a page's text layer lie over the ink it stands for? An OCR layer (invisible
text over a scan) can sit 18 pt low or be scaled by 0.9: its hits then box blank paper, or
the bottom of the name, while the picture still shows it. A hit on invisible text is trusted
only where the picture has ink under its box and that ink lies inside the box (the marks the
box touches are mostly under it, not cut through); otherwise the page is read again by OCR
(reviewer.pdf.ocr_search), or the reviewer is told."""
from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import pymupdf

CHECK_DPI = 100
DARK = 128          # a pixel darker than this is ink
INSIDE_SHARE = 0.8  # of the marks a box touches, at least this share of their ink is under it
MIN_MARK_PX = 3     # specks of copier noise are not marks


def _astray(grey: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    h, w = grey.shape
    m = max(4, y1 - y0)  # look one box height around it
    wx0, wy0, wx1, wy1 = max(0, x0 - m), max(0, y0 - m), min(w, x1 + m), min(h, y1 + m)
    crop = (grey[wy0:wy1, wx0:wx1] < DARK).astype(np.uint8)
    if not crop.any():
        return True
    n, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    bx0, by0, bx1, by1 = x0 - wx0, y0 - wy0, x1 - wx0, y1 - wy0
    under = labels[max(0, by0):by1, max(0, bx0):bx1]
    touched = [i for i in np.unique(under) if i and stats[i, cv2.CC_STAT_AREA] >= MIN_MARK_PX]
    if not touched:
        return True  # blank paper under the box
    total = sum(int(stats[i, cv2.CC_STAT_AREA]) for i in touched)
    inside = int(np.isin(under, touched).sum())
    return inside < INSIDE_SHARE * total


def off_ink(page: pymupdf.Page, matches: Sequence) -> list:
    """Of ``matches`` (reviewer.pdf.search.Match, displayed coordinates), those on invisible
    text whose boxes do not hold the ink they stand for (any box of the hit astray)."""
    hidden = [m for m in matches if getattr(m, "hidden", False)]
    if not hidden:
        return []
    zoom = CHECK_DPI / 72
    pix = page.get_pixmap(dpi=CHECK_DPI, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
    grey = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    out = []
    for m in hidden:
        boxes = [(int(x0 * zoom), int(y0 * zoom), int(np.ceil(x1 * zoom)), int(np.ceil(y1 * zoom)))
                 for x0, y0, x1, y1 in m.rects]
        if any(_astray(grey, b) for b in boxes):
            out.append(m)
    return out
