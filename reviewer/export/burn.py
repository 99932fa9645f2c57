"""Burning redaction boxes into pictures: YUV 4:2:0 planes (export) and RGB arrays (stills).

Every box is rounded outwards to whole pixels (``Box.clipped``) so the covered area is never
smaller than what the reviewer drew. On 4:2:0 planes a chroma sample covers a 2x2 block of
luma pixels: every chroma sample touching a covered luma pixel is covered too, so no colour
of what was underneath bleeds back in at the edges.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from reviewer.annotate import heads
from reviewer.annotate.geometry import Box, BoxTrack
from reviewer.annotate.heads import CURVED

FILL_RGB = (0, 0, 0)
FILL_YUV = (16, 128, 128)  # black in limited-range BT.601/709
# detail left by the soft styles when nothing is known of what is under the box: the
# shorter side is reduced to this many samples (reviewer.export.strength knows better: it
# sizes the cells from the text or the face under the box, see ``block_px``)
BLUR_CELLS = 4
PIXELATE_CELLS = 8


@dataclass(frozen=True)
class Region:
    """One box on one frame, in whole pixels of the displayed frame."""

    x0: int
    y0: int
    x1: int
    y1: int
    shape: str = "rect"
    style: str = "solid"
    block_px: int = 0   # soft styles: the cell size (0: from the box, ``default_block``)
    # an ellipse or a head cut by the picture's edge: the whole box it is drawn in (x0, y0,
    # x1, y1, whole pixels, partly outside the picture); None: the region itself. Drawing the
    # shape in the cut region instead would shrink it and leave the head it covers showing
    # along that edge.
    ellipse: tuple[int, int, int, int] | None = None

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


def regions_for_frame(tracks: Sequence[BoxTrack], frame: int, width: int, height: int,
                      blocks: Sequence[int] = ()) -> list[Region]:
    """The regions of ``tracks`` on ``frame``; ``blocks[i]``: the soft cell size of track i
    (reviewer.export.strength), 0 or missing: from the box."""
    out = []
    for i, t in enumerate(tracks):
        if t.covers(frame):
            block = blocks[i] if i < len(blocks) else 0
            r = region_of(t.box_at(frame), width, height, t.shape, t.style, block)
            if r is not None:
                out.append(r)
    return out


def region_of(box: Box, width: int, height: int, shape: str = "rect", style: str = "solid",
              block_px: int = 0) -> Region | None:
    b = box.clipped(width, height)
    if b is None:
        return None
    whole = None
    if shape in CURVED:
        full = (math.floor(box.x_px), math.floor(box.y_px), math.ceil(box.x_px + box.w_px),
                math.ceil(box.y_px + box.h_px))
        whole = full if full != b else None
    return Region(*b, shape=shape, style=style, block_px=int(block_px), ellipse=whole)


def default_block(h: int, w: int, style: str) -> int:
    """The cell size when nothing is known of what is under the box."""
    cells = BLUR_CELLS if style == "blur" else PIXELATE_CELLS
    return max(1, math.ceil(min(h, w) / cells))


def shape_mask(r: Region, inset_px: float = 0.0) -> np.ndarray | None:
    """Pixels of ``r``'s bounds that touch its shape (the ellipse inscribed in it, or the head
    of reviewer.annotate.heads); ``inset_px`` > 0 gives the pixels well inside instead, for
    checking. None for a rectangle: all of it."""
    if r.shape not in CURVED:
        return None
    h, w = r.height, r.width
    ex0, ey0, ex1, ey1 = r.ellipse or (r.x0, r.y0, r.x1, r.y1)
    # a pixel square touches the shape if its centre is within about half a diagonal of it
    grow = -inset_px if inset_px else 0.75
    bw, bh = max(ex1 - ex0 + 2 * grow, 0.02), max(ey1 - ey0 + 2 * grow, 0.02)
    # in the region's own pixels (the box starts outside it when the picture's edge cut it)
    ys = np.arange(h)[:, None] + 0.5 + r.y0
    xs = np.arange(w)[None, :] + 0.5 + r.x0
    return heads.shape_mask(r.shape, (ex0 + ex1 - bw) / 2, (ey0 + ey1 - bh) / 2, bw, bh, xs, ys)


def ellipse_mask(r: Region, inset_px: float = 0.0) -> np.ndarray:
    """``shape_mask`` for a region of any shape, a rectangle's being all True."""
    m = shape_mask(r, inset_px)
    return np.ones((r.height, r.width), bool) if m is None else m


def _soft(region: np.ndarray, style: str, scale: int, block_px: int = 0) -> np.ndarray:
    """``block_px``: cell size in luma pixels (``scale`` 2 on chroma planes halves it)."""
    import cv2

    h, w = region.shape[:2]
    if block_px > 0:
        block = max(1, math.ceil(block_px / scale))
        scale = 1  # the block is already in this plane's pixels
    else:
        block = default_block(h, w, style)
    small = cv2.resize(region, (max(1, math.ceil(w / block)), max(1, math.ceil(h / block))),
                       interpolation=cv2.INTER_AREA)
    if style == "pixelate":
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    big = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    k = max(3, (block // max(1, scale)) | 1)
    return cv2.GaussianBlur(big, (k, k), 0)


def _paint(plane: np.ndarray, x0: int, y0: int, x1: int, y1: int, mask: np.ndarray | None,
           style: str, fill, scale: int, block_px: int = 0) -> None:
    view = plane[y0:y1, x0:x1]
    if view.size == 0:
        return
    if style == "solid":
        if mask is None:
            view[...] = fill
        else:
            view[mask] = fill
        return
    new = _soft(np.ascontiguousarray(view), style, scale, block_px)
    if mask is None:
        view[...] = new
    else:
        view[mask] = new[mask]


def burn_yuv420(y: np.ndarray, u: np.ndarray, v: np.ndarray, regions: Iterable[Region]) -> None:
    """Paint ``regions`` into 4:2:0 planes in place (``y`` is H x W, ``u``/``v`` ceil(H/2) x ceil(W/2))."""
    for r in regions:
        mask = shape_mask(r)
        _paint(y, r.x0, r.y0, r.x1, r.y1, mask, r.style, FILL_YUV[0], 1, r.block_px)
        cx0, cy0 = r.x0 // 2, r.y0 // 2
        cx1, cy1 = (r.x1 + 1) // 2, (r.y1 + 1) // 2
        cmask = None
        if mask is not None:
            # a chroma sample is covered when any luma pixel of its 2x2 block is
            full = np.zeros(((cy1 - cy0) * 2, (cx1 - cx0) * 2), dtype=bool)
            oy, ox = r.y0 - cy0 * 2, r.x0 - cx0 * 2
            full[oy:oy + r.height, ox:ox + r.width] = mask
            cmask = full.reshape(cy1 - cy0, 2, cx1 - cx0, 2).any(axis=(1, 3))
        _paint(u, cx0, cy0, cx1, cy1, cmask, r.style, FILL_YUV[1], 2, r.block_px)
        _paint(v, cx0, cy0, cx1, cy1, cmask, r.style, FILL_YUV[2], 2, r.block_px)


def burn_rgb(rgb: np.ndarray, regions: Iterable[Region]) -> np.ndarray:
    """Paint ``regions`` into an RGB (H, W, 3) array in place; returns it."""
    fill = np.array(FILL_RGB, dtype=rgb.dtype)
    for r in regions:
        mask = shape_mask(r)
        _paint(rgb, r.x0, r.y0, r.x1, r.y1, mask, r.style, fill, 1, r.block_px)
    return rgb


def soft_detail(region: np.ndarray, style: str, block_px: int = 0) -> float:
    """How much detail ``region`` carries beyond what ``style`` leaves: for pixelate, the mean
    absolute difference from pixelating it again (0 when burned); for blur, the mean absolute
    Laplacian (about 1 when burned, several times more for a face)."""
    import cv2

    region = np.ascontiguousarray(region)
    if style == "blur":
        return float(np.abs(cv2.Laplacian(region, cv2.CV_16S)).mean())
    redone = _soft(region, style, 1, block_px)
    return float(np.mean(np.abs(region.astype(np.int16) - redone.astype(np.int16))))
