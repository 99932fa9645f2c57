"""Keyframe interpolation and the other pure helpers."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer.annotate.geometry import (
    Box,
    BoxTrack,
    Keyframe,
    box_at,
    box_in_frame,
    clip_page_rect,
    with_keyframe,
)
from reviewer.annotate.notes import (
    Annotation,
    Link,
    check_frames,
    check_page,
    default_tag_color,
    normalize_tags,
)
from reviewer.annotate.reasons import normalize_reason
from reviewer.errors import ReviewerError

A = Keyframe(10, Box(0, 0, 10, 20))
B = Keyframe(20, Box(100, 50, 30, 40))
C = Keyframe(40, Box(100, 50, 30, 40))


def test_linear_between_keyframes_held_outside():
    assert box_at([A, B], 10) == A.box and box_at([A, B], 20) == B.box
    mid = box_at([A, B], 15)
    assert (mid.x_px, mid.y_px, mid.w_px, mid.h_px) == (50, 25, 20, 30)
    assert box_at([A, B], 0) == A.box and box_at([A, B], 99) == B.box
    assert box_at([A, B, C], 30) == B.box  # same box at both ends: it stays put


def test_a_single_keyframe_holds_everywhere_and_none_is_refused():
    assert box_at([A], 0) == box_at([A], 1000) == A.box
    with pytest.raises(ValueError):
        box_at([], 3)


coord = st.floats(-500, 500, allow_nan=False)
size = st.floats(1, 300, allow_nan=False)
boxes = st.builds(Box, coord, coord, size, size)


@given(st.lists(st.tuples(st.integers(0, 500), boxes), min_size=2, max_size=6,
                unique_by=lambda t: t[0]), st.integers(0, 500))
def test_an_interpolated_box_lies_within_its_two_keyframes(kfs, frame):
    keyframes = sorted((Keyframe(f, b) for f, b in kfs), key=lambda k: k.frame)
    got = box_at(keyframes, frame)
    before = [k for k in keyframes if k.frame <= frame] or keyframes[:1]
    after = [k for k in keyframes if k.frame >= frame] or keyframes[-1:]
    a, b = before[-1].box, after[0].box
    for name in ("x_px", "y_px", "w_px", "h_px"):
        lo, hi = sorted((getattr(a, name), getattr(b, name)))
        assert lo - 1e-9 <= getattr(got, name) <= hi + 1e-9


@given(st.lists(st.tuples(st.integers(0, 300), boxes), min_size=1, max_size=6,
                unique_by=lambda t: t[0]), st.integers(0, 300), boxes)
def test_setting_a_keyframe_changes_only_the_segments_around_it(kfs, frame, box):
    keyframes = tuple(sorted((Keyframe(f, b) for f, b in kfs), key=lambda k: k.frame))
    new = with_keyframe(keyframes, frame, box)
    assert box_at(new, frame) == box
    assert [k.frame for k in new] == sorted({k.frame for k in keyframes} | {frame})
    frames = [k.frame for k in new]
    i = frames.index(frame)
    lo = frames[i - 1] if i > 0 else None
    hi = frames[i + 1] if i + 1 < len(frames) else None
    for f in range(0, 301, 7):
        outside = (lo is not None and f <= lo) or (hi is not None and f >= hi)
        if outside:
            assert box_at(new, f) == box_at(keyframes, f)


def test_track_covers_its_range_inclusive():
    t = BoxTrack(1, 1, 10, 40, (A, B))
    assert [f for f in range(60) if t.covers(f)] == list(range(10, 41))
    assert t.box_at(40) == B.box


def test_box_in_frame_and_clipping():
    assert box_in_frame(Box(-20, -20, 30, 30), 320, 240)  # partly outside: kept as drawn
    assert not box_in_frame(Box(320, 0, 10, 10), 320, 240)
    assert not box_in_frame(Box(10, 10, 0, 10), 320, 240)
    assert Box(-0.5, 10.2, 5, 5).clipped(320, 240) == (0, 10, 5, 16)
    assert clip_page_rect((500, 700, 700, 900), 612, 792) == (500, 700, 612, 792)
    assert clip_page_rect((700, 0, 800, 10), 612, 792) is None


@pytest.mark.parametrize("typed, code", [
    ("(b)(6)", "b6"), ("b6", "b6"), ("B6", "b6"), ("(b)(7)(C)", "b7C"), ("b7c", "b7C"),
    ("(b) (7) (e)", "b7E"), ("pa-k2", "PA-k2"), ("FRCP 5.2", "FRCP 5.2"), ("  ", ""),
])
def test_reason_codes_are_normalized(typed, code):
    assert normalize_reason(typed) == code


def test_notes_values():
    n = Annotation(1, 2, "x", ("a",), frame=5, frame_to=9, pts=1500)
    assert n.covers_frame(9) and not n.covers_frame(10) and n.last_frame == 9
    assert n.public()["to"] == 9 and "page" not in n.public()
    p = Annotation(2, 3, "y", page_no=4, rect_pt=(1, 2, 3, 4))
    assert p.public()["rect"] == [1, 2, 3, 4] and "frame" not in p.public()
    assert Link(1, 5, 6).other(6) == 5 and Link(1, 5, 6).other(5) == 6
    assert normalize_tags([" a", "b", "a", ""]) == ("a", "b")
    assert default_tag_color("face") == default_tag_color("face")
    with pytest.raises(ReviewerError, match="cam: frame 90 is past the end"):
        check_frames("cam", 3, 90, 90)
    with pytest.raises(ReviewerError, match="ends"):
        check_frames("cam", 5, 4, 90)
    with pytest.raises(ReviewerError, match="no page 0"):
        check_page("doc", 0, 3)
