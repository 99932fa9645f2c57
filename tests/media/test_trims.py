"""Stream-copied trims and cuts a production may contain: what we count and show must be
exactly what FFmpeg's own decoder shows (the oracle here, not hard-coded numbers)."""
from __future__ import annotations

import subprocess

import numpy as np
import pytest
from fixtures import videos as V

from reviewer.media.frames import FrameReader
from reviewer.media.index import index_file


def ffmpeg_numbers(path, w=160, h=120):
    raw = subprocess.run([V.ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v:0", "-fps_mode",
                          "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return [V.read_number(f) for f in np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)]


CASES = {
    "bframes_trim_mp4": ("bframes", ["-ss", "0.9"], [], ".mp4"),
    "vfr_trim_mp4": ("vfr", ["-ss", "0.5"], [], ".mp4"),
    "hevc_trim_mp4": ("hevc", ["-ss", "0.7"], [], ".mp4"),
    "bframes_trim_mkv": ("bframes", ["-ss", "0.9"], [], ".mkv"),
    "cfr_in_and_out_mp4": ("cfr", ["-ss", "0.5"], ["-t", "0.5"], ".mp4"),
    "ts_cut_mid_gop": ("ts", None, None, ".ts"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_trim_shows_what_ffmpeg_shows(videos, tmp_path, case):
    variant, before, after, ext = CASES[case]
    src = videos[variant][0]
    dst = tmp_path / f"{case}{ext}"
    if before is None:  # a TS file picked up mid-stream: starts with non-keyframes
        data = src.read_bytes()
        dst.write_bytes(data[(len(data) // 3) // 188 * 188:])
    else:
        subprocess.run([V.ffmpeg_exe(), "-v", "error", *before, "-i", str(src), *after, "-c", "copy",
                        "-map", "0", str(dst)], check=True)
    expected = ffmpeg_numbers(dst)
    idx = index_file(dst)
    assert idx.count == len(expected)
    with FrameReader(dst, idx) as r:
        assert [V.read_number(rgb) for _n, rgb in r.iter_frames()] == expected
        back = list(reversed(range(idx.count)))
        assert [V.read_number(r.frame(n)) for n in back] == [expected[n] for n in back]
