"""Frame <-> pts <-> seconds <-> timecode round trips (hypothesis)."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.errors import ReviewerError
from reviewer.timebase import FrameTimes, ceil_ms, format_ms, parse_time, timecode

TIME_BASES = [Fraction(1, 30), Fraction(1, 1000), Fraction(1, 15360), Fraction(1, 90000),
              Fraction(1001, 30000), Fraction(1, 16000), Fraction(1, 44100)]


@st.composite
def frame_times(draw):
    tb = draw(st.sampled_from(TIME_BASES))
    min_gap = max(1, -(-Fraction(1, 1000) // tb))  # every frame lasts at least 1 ms
    gaps = draw(st.lists(st.integers(min_value=int(min_gap), max_value=int(min_gap) * 200),
                         min_size=1, max_size=60))
    start = draw(st.integers(min_value=-10**6, max_value=10**9))
    pts = [start]
    for g in gaps[:-1]:
        pts.append(pts[-1] + g)
    return FrameTimes(tuple(pts), tb, pts[-1] + gaps[-1])


@settings(max_examples=300, deadline=None)
@given(frame_times(), st.data())
def test_frame_round_trips_through_pts_and_timecode(times, data):
    i = data.draw(st.integers(min_value=0, max_value=times.count - 1))
    assert times.frame_at_pts(times.pts[i]) == i
    assert times.frame_at_seconds(times.seconds(i)) == i
    tc = times.timecode(i)
    assert times.frame_at_seconds(parse_time(tc)) == i
    assert times.resolve(tc) == i
    assert times.resolve(str(i)) == i and times.resolve(f"#{i}") == i


@settings(max_examples=300, deadline=None)
@given(frame_times(), st.data())
def test_timecode_is_first_whole_ms_inside_the_frame(times, data):
    i = data.draw(st.integers(min_value=0, max_value=times.count - 1))
    start = times.seconds(i)
    end = times.seconds(i + 1) if i + 1 < times.count else times.end_seconds()
    ms = parse_time(times.timecode(i)) * 1000
    assert ms.denominator == 1
    assert start <= ms / 1000 < end
    assert (ms - 1) / 1000 < start  # the whole millisecond before is not inside the frame


@given(st.fractions(min_value=0, max_value=10**6))
def test_timecode_parses_back_to_ceiling_ms(seconds):
    assert parse_time(timecode(seconds)) == Fraction(ceil_ms(seconds), 1000)


@pytest.mark.parametrize("text,seconds", [
    ("12.5", Fraction(25, 2)), ("00:00:12.500", Fraction(25, 2)), ("1:02", 62),
    ("01:00:00.001", Fraction(3600001, 1000)), ("0", 0),
])
def test_parse_time(text, seconds):
    assert parse_time(text) == seconds


@pytest.mark.parametrize("bad", ["-1", "abc", "00:61:00", "1:2:3:4", ""])
def test_parse_time_rejects(bad):
    with pytest.raises(ReviewerError):
        parse_time(bad)


def test_format_ms():
    assert format_ms(3_723_004) == "01:02:03.004"
    assert timecode(Fraction(1, 30)) == "00:00:00.034"


def test_out_of_range_frame():
    times = FrameTimes((0, 512, 1024), Fraction(1, 15360), 1536)
    with pytest.raises(ReviewerError):
        times.seconds(3)
    assert times.frame_at_seconds(Fraction(100)) == 2
    assert times.end_seconds() == Fraction(1536, 15360)
