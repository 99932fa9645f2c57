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


def test_avi_cut_with_dropped_frame_chunks(tmp_path):
    """An MPEG-4 AVI cut with -c copy declares more frames than it holds (empty "dropped
    frame" chunks): not truncated, and every shown frame is exact."""
    import av

    src = tmp_path / "m4.avi"
    with av.open(str(src), "w") as c:
        s = c.add_stream("mpeg4", rate=30, options={"g": "9", "bf": "2"})
        s.codec_context.max_b_frames = 2
        s.width, s.height, s.pix_fmt = 96, 64, "yuv420p"
        for n in range(30):
            f = av.VideoFrame.from_ndarray(V.draw_frame(n, 96, 64), format="rgb24")
            f.pts = n
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    cut = tmp_path / "cut.avi"
    subprocess.run([V.ffmpeg_exe(), "-v", "error", "-ss", f"{2 / 30:.4f}", "-i", str(src), "-c", "copy",
                    str(cut)], check=True)
    with av.open(str(cut)) as c:
        assert c.streams.video[0].frames > len(c.streams.video[0].index_entries)  # the odd header
    expected = [V.read_number(f) for f in
                np.frombuffer(subprocess.run([V.ffmpeg_exe(), "-v", "error", "-i", str(cut), "-fps_mode",
                                              "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                                             capture_output=True, check=True).stdout,
                              np.uint8).reshape(-1, 64, 96, 3)]
    idx = index_file(cut)
    assert idx.count == len(expected)
    with FrameReader(cut, idx) as r:
        assert [V.read_number(r.frame(n)) for n in reversed(range(idx.count))] == expected[::-1]
