"""The head a face redaction is drawn as (reviewer.annotate.heads): one rule, drawn the same by
the exporter (burned into pictures, whole when the picture's edge cuts it), by its checks
and by the coverage review; narrower than the ellipse in the same box above its widest line,
and the same below it."""
from __future__ import annotations

import numpy as np
import pytest

from reviewer.annotate.geometry import Box
from reviewer.annotate.heads import HEAD, WIDEST, covers, head_outline, shape_level, shape_mask
from reviewer.export.burn import burn_rgb, region_of, shape_mask as region_mask
from reviewer.session.detect import is_covered

W, H = 160, 120


def _inside(box: Box, grow: float) -> np.ndarray:
    """Pixel centres inside the head drawn in ``box`` grown by ``grow`` px a side."""
    ys, xs = np.mgrid[0:H, 0:W] + 0.5
    return shape_mask(HEAD, box.x_px - grow, box.y_px - grow, box.w_px + 2 * grow,
                      box.h_px + 2 * grow, xs, ys)


def test_the_head_is_a_dome_above_its_widest_line_and_an_ellipse_below():
    ys, xs = np.mgrid[0:200, 0:100] + 0.5
    head = shape_mask(HEAD, 0, 0, 100, 200, xs, ys)
    ellipse = shape_mask("ellipse", 0, 0, 100, 200, xs, ys)
    top = ys < 200 * WIDEST
    # the dome: less than the ellipse above the widest line, as wide at it, and it reaches
    # the box's top and sides
    assert head[top].sum() < ellipse[top].sum()
    assert head[~top].sum() == ellipse[~top].sum()
    assert head[0:2].any() and head[:, 0].any() and head[:, -1].any() and head[-2:].any()
    # the outline the window draws is the same boundary
    o = head_outline(0, 0, 100, 200)
    assert np.allclose(shape_level(HEAD, 0, 0, 100, 200, o[:, 0], o[:, 1]), 1.0)


@pytest.mark.parametrize("box", [Box(40, 20, 60, 80), Box(40, -30, 50, 70), Box(-25, 30, 50, 60),
                                 Box(130, 40, 50, 60), Box(60, 95, 36, 50)],
                         ids=["whole", "top", "left", "right", "bottom"])
def test_the_exporter_burns_the_head_whole_even_cut_by_the_edge(box):
    rgb = np.full((H, W, 3), 255, np.uint8)
    region = region_of(box, W, H, HEAD)
    burn_rgb(rgb, [region])
    black = (rgb == 0).all(axis=2)
    must = _inside(box, -1.0)
    may = _inside(box, 1.5)
    assert must.any()
    assert black[must].all(), f"{int((~black & must).sum())} pixel(s) of the head still show"
    assert not (black & ~may).any(), "blacked out beyond the head"
    # what the export's checks look at is the same shape
    m = region_mask(region)
    assert m is not None and black[region.y0:region.y1, region.x0:region.x1][m].mean() > 0.97


def test_the_coverage_review_and_the_tracks_read_the_head_as_drawn():
    head = Box(100, 100, 100, 160)
    # a face under the widest line is covered; one in the dome's shoulder, where an ellipse
    # in the same box would have held it, is not
    low = Box(120, 150, 60, 80)
    shoulder = Box(122, 112, 10, 10)
    assert covers(HEAD, head, low) and is_covered(low, [(HEAD, head)], 400, 400)
    assert covers("ellipse", head, shoulder)
    assert not covers(HEAD, head, shoulder)
    assert not is_covered(shoulder, [(HEAD, head)], 400, 400)
