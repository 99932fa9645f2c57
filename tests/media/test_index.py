"""The frame index: counts and order equal what FFmpeg shows, keyframes are keyframes,
rotation swaps the displayed size, the index survives a round trip through bytes."""
from __future__ import annotations

import re
import subprocess

import av
import pytest
from fixtures import videos as V

from reviewer.media.index import FrameIndex, index_file


def ffmpeg_frame_pts(path):
    """pts of every frame FFmpeg decodes and would show (framemd5, passthrough timing)."""
    out = subprocess.run([V.ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v:0",
                          "-fps_mode", "passthrough", "-copyts", "-f", "framemd5", "-"],
                         capture_output=True, text=True, check=True).stdout
    tb = re.search(r"#tb 0: (\d+)/(\d+)", out)
    rows = [line.split(",") for line in out.splitlines() if line and not line.startswith("#")]
    return (int(tb.group(1)), int(tb.group(2))), [int(r[2]) for r in rows]


def test_count_matches_ffmpeg_and_fixture(videos, variant):
    path, expected = videos[variant]
    idx = index_file(path)
    _tb, ff_pts = ffmpeg_frame_pts(path)
    assert idx.count == len(expected) == len(ff_pts)


def test_frame_durations_match_ffmpeg(videos, variant):
    """Relative times (what timecodes are made of) agree with FFmpeg's decoded frames."""
    path, _ = videos[variant]
    idx = index_file(path)
    (num, den), ff_pts = ffmpeg_frame_pts(path)
    from fractions import Fraction

    ff_rel = [(p - ff_pts[0]) * Fraction(num, den) for p in ff_pts]
    ours = [idx.times.seconds(i) for i in range(idx.count)]
    # framemd5 may use a coarser time base than the stream: allow one of its ticks.
    tick = Fraction(num, den)
    assert all(abs(a - b) <= tick for a, b in zip(ours, ff_rel))


def test_vfr_times_are_the_encoded_ones(videos):
    path, expected = videos["vfr"]
    idx = index_file(path)
    durations = V.vfr_durations_ms(len(expected))
    want_ms = [sum(durations[:i]) for i in range(len(expected))]
    got_ms = [idx.times.seconds(i) * 1000 for i in range(idx.count)]
    assert got_ms == want_ms


def test_keyframes_are_decoded_as_keyframes(videos, variant):
    path, _ = videos[variant]
    idx = index_file(path)
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        keys = {f.pts for f in c.decode(vs) if f.key_frame}
    assert idx.keyframes and idx.keyframes[0] >= 0
    assert {idx.pts[k] for k in idx.keyframes} <= keys


def test_rotation_and_displayed_size(videos):
    idx = index_file(videos["rotated"][0])
    assert (idx.rotation, idx.width, idx.height) == (90, 120, 160)
    assert (idx.coded_width, idx.coded_height) == (160, 120)
    plain = index_file(videos["cfr"][0])
    assert (plain.rotation, plain.width, plain.height) == (0, 160, 120)


def test_editlist_hidden_frames_not_counted(videos):
    path, expected = videos["editlist"]
    idx = index_file(path)
    assert idx.count == len(expected)
    assert idx.times.seconds(0) == 0
    # the seek point for frame 0 is the hidden keyframe before the edit
    assert idx.seek_pts[0] < idx.pts[0]


def test_ts_uses_byte_seeks(videos):
    idx = index_file(videos["ts"][0])
    assert idx.seek_by_byte and all(p >= 0 for p in idx.seek_pos)


@pytest.mark.parametrize("variant_name", ["cfr", "editlist", "rotated"])
def test_bytes_round_trip(videos, variant_name):
    idx = index_file(videos[variant_name][0])
    again = FrameIndex.from_bytes(idx.to_bytes())
    assert again == idx
    assert again.times.timecode(idx.count - 1) == idx.times.timecode(idx.count - 1)


def test_from_bytes_rejects_garbage():
    with pytest.raises(ValueError):
        FrameIndex.from_bytes(b"not an index")


@pytest.mark.parametrize("variant_name", ["cfr", "vfr", "rotated", "bframes", "editlist", "hevc"])
def test_mp4_sample_table_path_equals_demux(videos, variant_name):
    from reviewer.media.decode import open_input
    from reviewer.media.index import _index_container

    path = videos[variant_name][0]
    with open_input(path) as c:
        fast, extra = _index_container(c, path.name, None, True)
    assert extra["from"] == "sample tables"
    slow = index_file(path, fast=False)
    assert (fast.pts, fast.keyframes, fast.end_pts, fast.seek_pts, fast.width, fast.height) == \
        (slow.pts, slow.keyframes, slow.end_pts, slow.seek_pts, slow.width, slow.height)
