"""Stills: exactly frame n, as displayed, with every box of that frame burned in."""
from __future__ import annotations

import numpy as np
import pytest

from export.conftest import apply
from reviewer.annotate.geometry import Box, Keyframe
from reviewer.export.redact_frame import render_redacted_frame
from reviewer.media.frames import read_frame
from reviewer.session.redactions import add_box_track


@pytest.mark.parametrize("variant", ["cfr", "rotated"])
def test_still_is_the_exact_frame_with_its_boxes(variant, video_file, make_case):
    from fixtures.videos import read_number, shown_numbers

    store, (media,) = make_case(video_file(variant))
    w, h = media["width"], media["height"]
    apply(store,
          add_box_track(media["id"], 12, 14, [Keyframe(12, Box(5.5, h * 0.6, 40, 30))]),
          add_box_track(media["id"], 12, 12, [Keyframe(12, Box(w / 2, h * 0.7, 50, 30))],
                        style="pixelate"),
          add_box_track(media["id"], 13, 20, [Keyframe(13, Box(w / 2, h * 0.7, 50, 30))],
                        shape="ellipse"))
    for n in (11, 12, 15):
        got = render_redacted_frame(store, media, n)
        src = read_frame(media["path"], n)
        assert got.shape == (h, w, 3) and read_number(got) == shown_numbers(variant, 60)[n]
        if n == 12:
            y0, x0 = int(h * 0.6), 5
            assert not got[y0:y0 + 30, x0:x0 + 41].any(), "solid box is black, rounded outward"
            assert got[y0 - 1, x0 + 10].any() or src[y0 - 1, x0 + 10].sum() == 0
            assert not np.array_equal(got, src)
        elif n == 15:  # only the ellipse: its centre is black, its bounding-box corner is not
            cy, cx = int(h * 0.7) + 15, int(w / 2) + 25
            assert not got[cy - 3:cy + 3, cx - 3:cx + 3].any()
            corner = (int(h * 0.7), int(w / 2))
            assert np.array_equal(got[corner], src[corner])
        else:
            assert np.array_equal(got, src)
