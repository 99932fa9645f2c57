"""``reviewer frame`` end to end, through the installed console script."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import pytest
from fixtures import videos as V

REVIEWER = [sys.executable, "-m", "reviewer"]


def run(*args):
    return subprocess.run([*REVIEWER, *map(str, args)], capture_output=True, text=True, timeout=120)


def read_png(path: Path):
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert img is not None, path
    return img[:, :, ::-1]


def test_every_frame_as_png_folder(videos, variant, tmp_path):
    path, expected = videos[variant]
    frames = list(range(len(expected)))
    out = tmp_path / "frames"
    res = run("frame", path, "--frame", ",".join(map(str, reversed(frames))), "--out", out)
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"frame_{n:06d}.png" for n in frames]
    got = [V.read_number(read_png(out / f"frame_{n:06d}.png")) for n in frames]
    assert got == expected


def test_single_frame_png(videos, tmp_path):
    path, expected = videos["rotated"]
    out = tmp_path / "one.png"
    res = run("frame", path, "--frame", "17", "--out", out)
    assert res.returncode == 0, res.stderr
    rgb = read_png(out)
    assert rgb.shape == (160, 120, 3)
    assert V.read_number(rgb) == expected[17]


@pytest.mark.parametrize("frame", ["45", "0,999", "x"])
def test_bad_frame_exits_1_with_error_line(videos, tmp_path, frame):
    path, _ = videos["cfr"]
    res = run("frame", path, "--frame", frame, "--out", tmp_path / "f.png")
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "f.png").exists()


def test_not_a_video_exits_1(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n" * 100)
    res = run("frame", bad, "--frame", "0", "--out", tmp_path / "f.png")
    assert res.returncode == 1 and res.stderr.startswith("error: notes.txt:")
