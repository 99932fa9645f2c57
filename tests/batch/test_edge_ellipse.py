"""A face ellipse cut by the picture's edge (a head leaving the frame, as the batch tests'
generated clips pan) is burned as the whole ellipse, not as one squeezed into the part
inside the picture: found by tests/batch reading exports back with FFmpeg. Checked here
against the ellipse computed directly, for each edge."""
from __future__ import annotations

import numpy as np
import pytest

from reviewer.annotate.geometry import Box
from reviewer.export.burn import burn_rgb, region_of

W, H = 160, 120


def _inside(box: Box, grow: float) -> np.ndarray:
    ys, xs = np.mgrid[0:H, 0:W]
    cx, cy = box.x_px + box.w_px / 2, box.y_px + box.h_px / 2
    rx, ry = box.w_px / 2 + grow, box.h_px / 2 + grow
    return ((xs + 0.5 - cx) / rx) ** 2 + ((ys + 0.5 - cy) / ry) ** 2 <= 1


@pytest.mark.parametrize("box", [Box(40, -30, 50, 60), Box(-25, 30, 50, 44),
                                 Box(130, 50, 50, 40), Box(60, 95, 36, 50), Box(-10, -12, 40, 40)],
                         ids=["top", "left", "right", "bottom", "corner"])
def test_an_ellipse_cut_by_the_edge_covers_all_of_itself_and_no_more(box):
    rgb = np.full((H, W, 3), 255, np.uint8)
    region = region_of(box, W, H, "ellipse")
    burn_rgb(rgb, [region])
    black = (rgb == 0).all(axis=2)
    must = _inside(box, -1.0)   # well inside the ellipse: hidden
    may = _inside(box, 1.5)     # the rasterised edge may spill a pixel
    assert must.any()
    assert black[must].all(), f"{int((~black & must).sum())} pixel(s) of the ellipse still show"
    assert not (black & ~may).any(), "blacked out beyond the ellipse"
