"""FrameReader returns exactly frame N, as displayed, in any access order."""
from __future__ import annotations

import random

import pytest
from fixtures import videos as V

from reviewer.errors import MediaError
from reviewer.media.frames import FrameReader, read_frame
from reviewer.media.index import index_file


def test_sequential_every_frame(videos, variant):
    path, expected = videos[variant]
    with FrameReader(path) as r:
        got = [(n, V.read_number(rgb)) for n, rgb in r.iter_frames()]
    assert got == list(enumerate(expected))


def test_random_access_order(videos, variant):
    path, expected = videos[variant]
    order = list(range(len(expected)))
    random.Random(variant).shuffle(order)
    with FrameReader(path) as r:
        assert [V.read_number(r.frame(n)) for n in order] == [expected[n] for n in order]


def test_stepping_backwards(videos, variant):
    path, expected = videos[variant]
    with FrameReader(path) as r:
        back = list(reversed(range(len(expected))))
        assert [V.read_number(r.frame(n)) for n in back] == [expected[n] for n in back]


def test_displayed_shape_and_pts(videos, variant):
    path, _ = videos[variant]
    idx = index_file(path)
    with FrameReader(path, idx) as r:
        for n in (0, idx.count // 2, idx.count - 1):
            assert r.frame(n).shape == (idx.height, idx.width, 3)
            assert r.av_frame(n).pts == idx.pts[n]


def test_iter_frames_range_is_inclusive(videos):
    path, expected = videos["bframes"]
    with FrameReader(path) as r:
        got = [V.read_number(rgb) for _n, rgb in r.iter_frames(7, 21)]
        assert got == expected[7:22]
        # after a range, random access still exact
        assert V.read_number(r.frame(3)) == expected[3]
        raw = [(n, f.pts) for n, f in r.iter_frames(30, 32, as_av=True)]
        assert [n for n, _ in raw] == [30, 31, 32]


def test_rotated_reads_upright(videos):
    path, expected = videos["rotated"]
    rgb = read_frame(path, 10)
    assert rgb.shape == (160, 120, 3)
    assert V.read_number(rgb) == expected[10]


@pytest.mark.parametrize("bad", [-1, 10_000])
def test_out_of_range(videos, bad):
    with FrameReader(videos["cfr"][0]) as r, pytest.raises(MediaError, match="outside"):
        r.frame(bad)


def test_unthreaded_decoder_is_exact_too(videos):
    path, expected = videos["hevc"]
    with FrameReader(path, threads=False) as r:
        assert [V.read_number(r.frame(n)) for n in (40, 2, 17, 16, 15)] == [expected[n] for n in (40, 2, 17, 16, 15)]
