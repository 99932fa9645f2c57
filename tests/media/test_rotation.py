"""Every quarter turn: the display matrix is read the same way from the MP4 header and from
a decoded frame, and frames come back upright (checked against FFmpeg's autorotate too)."""
from __future__ import annotations

import subprocess

import numpy as np
import pytest
from fixtures import videos as V

from reviewer.media.decode import open_input
from reviewer.media.frames import FrameReader
from reviewer.media.index import _first_frame_rotation, _index_container


def make_rotated(path, cw: int, n=12, w=160, h=120):
    """Display size w x h; stored turned back, so that turning ``cw`` clockwise is upright."""
    return V.write_rgb_clip(path, (np.rot90(V.draw_frame(i, w, h), cw // 90) for i in range(n)),
                            options={"g": "5", "preset": "ultrafast"}, display_rotation=-cw)


@pytest.mark.parametrize("cw", [0, 90, 180, 270])
def test_quarter_turns(tmp_path, cw):
    path = make_rotated(tmp_path / f"r{cw}.mp4", cw)
    with open_input(path) as c:
        idx, extra = _index_container(c, path.name, None, True)
        assert extra["from"] == "sample tables"
        assert idx.rotation == cw == _first_frame_rotation(c, c.streams.video[0])
    assert (idx.width, idx.height) == (160, 120)
    with FrameReader(path, idx) as r:
        assert [V.read_number(r.frame(i)) for i in range(idx.count)] == list(range(12))
    raw = subprocess.run([V.ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt",
                          "rgb24", "-"], capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, 120, 160, 3)
    assert [V.read_number(f) for f in frames] == list(range(12))
