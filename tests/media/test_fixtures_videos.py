"""The fixture generator itself: numbers survive compression, the check catches misreads,
and what FFmpeg's own player pipeline shows is exactly ``shown_numbers``."""
from __future__ import annotations

import subprocess

import cv2
import numpy as np
import pytest
from fixtures import videos as V


@pytest.mark.parametrize("n", [0, 1, 2, 7, 255, 1000, 4095])
def test_number_survives_heavy_jpeg(n):
    img = V.draw_frame(n, 96, 64)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 10])
    assert ok
    assert V.read_number(cv2.imdecode(buf, cv2.IMREAD_COLOR)) == n


def test_misread_is_detected():
    img = V.draw_frame(5, 160, 120)
    h, w = img.shape[:2]
    img[: h // 4, : w // 8] = 255 - img[: h // 4, : w // 8]  # flip one bit block
    with pytest.raises(ValueError):
        V.read_number(img)


def ffmpeg_shown(path, width, height):
    raw = subprocess.run([V.ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v:0",
                          "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    return [V.read_number(f) for f in frames]


def test_ffmpeg_shows_expected_numbers(videos, variant):
    path, expected = videos[variant]
    w, h = (120, 160) if variant == "rotated" else (160, 120)
    assert ffmpeg_shown(path, w, h) == expected


def test_editlist_file_really_hides_frames(videos):
    import av

    path, expected = videos["editlist"]
    with av.open(str(path)) as c:
        packets = [p for p in c.demux(c.streams.video[0]) if p.size]
    assert len(packets) > len(expected)
    assert any(p.is_discard for p in packets)
