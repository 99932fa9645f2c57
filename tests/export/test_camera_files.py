"""Cameras' files: every audio track kept and silenced, audio before frame 0 in
its place, non-square pixels shown and exported in the shape a player shows, a late-clock
MKV accepted. Each export is read back with FFmpeg's own binary (imageio-ffmpeg)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fixtures import camera_files as cam

ROOT = Path(__file__).resolve().parents[2]


def run(*args: object, ok: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([sys.executable, "-m", "reviewer", *map(str, args)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600, check=False)
    assert "Traceback" not in p.stderr, p.stderr
    if ok:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def new_case(tmp_path: Path, *files: Path) -> tuple[Path, list[str]]:
    case = tmp_path / "case"
    run("new", case)
    lines = run("import", case, *files).stdout.splitlines()
    return case, [line.split("\t")[0] for line in lines]


def _window(x: np.ndarray, t0: float, t1: float) -> np.ndarray:
    return x[int(t0 * cam.RATE):int(t1 * cam.RATE)]


@pytest.mark.parametrize("redacted", [False, True], ids=["copied", "silenced"])
def test_every_audio_track_is_kept_and_silenced(tmp_path, redacted):
    src = cam.two_tracks(tmp_path / "two.mp4")
    case, (vid,) = new_case(tmp_path, src)
    if redacted:
        run("redact", "audio", case, vid, "--from", "0.5", "--to", "1.2")
    out = tmp_path / "two_x.mp4"
    proc = run("export", case, vid, "--out", out, "--preset", "ultrafast")
    assert "FAIL" not in proc.stdout
    audio = [line for line in cam.stream_lines(out) if "Audio:" in line]
    assert len(audio) == 2, cam.stream_lines(out)
    for track, tone in enumerate(cam.TONES):
        x = cam.decode_audio_ff(out, track)
        assert abs(cam.dominant_hz(_window(x, 0.05, 0.45)) - tone) < 15, track
        assert abs(cam.dominant_hz(_window(x, 1.3, 1.9)) - tone) < 15, track
        inside = np.abs(_window(x, 0.55, 1.15)).max()
        if redacted:
            assert inside < 0.01, f"track {track}: the span is audible (peak {inside:.3f})"
        else:
            assert inside > 0.1
    run("verify", out)


@pytest.mark.parametrize("redacted", [False, True], ids=["copied", "silenced"])
def test_audio_before_frame_0_keeps_its_place(tmp_path, redacted):
    lead = 1.0
    src = cam.audio_first(tmp_path / "early.mp4", lead_s=lead)
    case, (vid,) = new_case(tmp_path, src)
    if redacted:
        run("redact", "audio", case, vid, "--from", "1.5", "--to", "1.8")
    out = tmp_path / "early_x.mp4"
    run("export", case, vid, "--out", out, "--preset", "ultrafast")
    video = next(line for line in cam.stream_lines(out) if "Video:" in line)
    m = re.search(r"start (\d+\.\d+)", video)
    v_start = float(m.group(1)) if m else 0.0
    x = cam.decode_audio_ff(out, 0)  # from the audio's first sample, which is the file's 0
    assert len(x) / cam.RATE > lead + 1.8, "the audio before frame 0 was dropped"
    # the pitch changes exactly at frame 0 in the original: so it must in the export
    hop = int(0.01 * cam.RATE)
    hz = [cam.dominant_hz(x[i:i + 4 * hop]) for i in range(0, int((lead + 0.5) * cam.RATE), hop)]
    switch = next(i for i, f in enumerate(hz) if abs(f - cam.HIGH_HZ) < 40) * 0.01 + 0.02
    assert abs(switch - v_start) < 0.04, (switch, v_start)
    if redacted:
        # 1.5..1.8 s after frame 0, on the export's clock
        assert np.abs(_window(x, v_start + 1.53, v_start + 1.77)).max() < 0.01
    run("verify", out)


def test_non_square_pixels_are_shown_and_exported_as_displayed(tmp_path):
    src, stored = cam.anamorphic(tmp_path / "ana.mp4", displayed=(320, 240), sar=(4, 3))
    assert stored == (240, 240)
    assert "SAR 4:3" in next(line for line in cam.stream_lines(src) if "Video:" in line)
    probe = json.loads(run("probe", src, "--json").stdout)
    assert (probe["width"], probe["height"]) == (320, 240)
    case, (vid,) = new_case(tmp_path, src)
    listed = json.loads(run("list", case, "--json").stdout)[0]
    assert (listed["width"], listed["height"]) == (320, 240)

    import cv2

    png = tmp_path / "f.png"
    run("frame", src, "--frame", "3", "--out", png)
    shown = cv2.imread(str(png))
    assert shown.shape[:2] == (240, 320)
    want = cam.displayed_picture(320, 240)
    assert np.abs(shown.astype(int) - want[..., ::-1].astype(int)).mean() < 6

    # the marker square at displayed (16,16)-(56,56): a box drawn there covers it exactly
    run("redact", "box", case, vid, "--frames", "0:29", "--rect", "12,12,48,48")
    out = tmp_path / "ana_x.mp4"
    run("export", case, vid, "--out", out, "--preset", "ultrafast")
    line = next(line for line in cam.stream_lines(out) if "Video:" in line)
    sar = re.search(r"SAR (\d+):(\d+)", line)
    assert sar is None or sar.group(1) == sar.group(2), line  # square pixels: no stretching
    frames, size = cam.decode_video_ff(out)
    assert size == (320, 240) and len(frames) == 30
    f = frames[10].astype(int)
    assert f[18:54, 18:54].max() < 40, "the box does not cover the marker"
    disc = f.mean(axis=2) > 200
    disc[:70, :70] = False
    ys, xs = np.nonzero(disc)
    w, h = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    assert abs(w - h) <= 3, f"the disc is {w}x{h}: the export is not the displayed shape"
    run("verify", out)


def test_late_clock_mkv_is_accepted(tmp_path):
    from fixtures.videos import read_number

    src = cam.late_clock(tmp_path / "late.mkv", n_frames=45)
    assert re.search(r"start: 7\.2", subprocess.run(
        [cam.ffmpeg_exe(), "-hide_banner", "-i", str(src)], capture_output=True, text=True).stderr)
    probe = json.loads(run("probe", src, "--json").stdout)
    assert probe["frame_count"] == 45 and abs(probe["duration"] - 1.5) < 0.05
    case, (vid,) = new_case(tmp_path, src)
    import cv2

    run("frame", src, "--frame", "0,44", "--out", tmp_path / "frames")
    for n in (0, 44):
        rgb = cv2.imread(str(tmp_path / "frames" / f"frame_{n:06d}.png"))[..., ::-1]
        assert read_number(rgb) == n
    out = tmp_path / "late_x.mp4"
    run("redact", "audio", case, vid, "--from", "0.2", "--to", "0.4")
    proc = run("export", case, vid, "--out", out, "--preset", "ultrafast")
    assert "ok   frame count: 45 frames" in proc.stdout
    frames, _ = cam.decode_video_ff(out)
    assert [read_number(f) for f in frames] == list(range(45))
