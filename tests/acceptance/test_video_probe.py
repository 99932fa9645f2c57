"""`probe --json`, `list --json` and `frame` against FFmpeg's own demuxer and decoder, on
clips as cameras and editors write them (B-frames + edit list, VFR MKV, rotated phone clip,
non-square pixels, two audio tracks + subtitles, an edited clip with a hard cut)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from acceptance import material as m
from acceptance.conftest import cli, import_ids, ok

KINDS = ["bframes_editlist", "vfr", "rotated", "anamorphic", "multitrack", "cut"]


@pytest.fixture(scope="session")
def truth(clips):
    """What FFmpeg says of each clip: presentation times of the frames it shows and size."""
    return {k: (m.frame_times(p), m.display_size(p)) for k, p in clips.items()}


def check_fields(info: dict, path, times, size):
    assert info["kind"] == "video"
    assert info["name"] == path.name
    assert info["frame_count"] == len(times), "frame_count is what FFmpeg's decoder shows"
    assert (info["width"], info["height"]) == size, "width/height as displayed"
    step = times[-1] - times[-2]
    # the last frame lasts until the next would start: duration is first..end of last frame
    assert abs(info["duration"] - (times[-1] - times[0] + step)) <= step + 1e-3, info
    assert math.isclose(info["fps"], len(times) / info["duration"], rel_tol=0.03), info
    import hashlib
    assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", KINDS)
def test_probe_matches_ffmpeg(kind, clips, truth):
    times, size = truth[kind]
    info = ok("probe", clips[kind], "--json").json()
    check_fields(info, clips[kind], times, size)


def test_list_matches_ffmpeg(work, clips, truth):
    case = work / "list_case"
    ok("new", case)
    ids = import_ids(case, *clips.values())
    assert len(set(ids)) == len(clips)
    rows = {r["name"]: r for r in ok("list", case, "--json").json()}
    for kind, path in clips.items():
        row = rows[path.name]
        assert set(row) >= {"id", "kind", "name", "path", "sha256", "frame_count", "width",
                            "height", "duration", "fps"}
        assert str(row["id"]) in ids
        check_fields(row, path, *truth[kind])


def _nearest(png: np.ndarray, ref: np.ndarray, n: int) -> int:
    d = [np.abs(png.astype(int) - ref[i].astype(int)).mean() for i in range(len(ref))]
    return int(np.argmin(d))


@pytest.mark.parametrize("kind", KINDS)
def test_frame_is_exactly_that_frame(kind, clips, truth, tmp_path):
    times, size = truth[kind]
    ref = m.decode_rgb(clips[kind], size)
    assert len(ref) == len(times)
    picks = sorted({0, 1, len(times) // 2, len(times) - 1})
    for n in picks:
        out = tmp_path / f"f{n}.png"
        ok("frame", clips[kind], "--frame", n, "--out", out)
        png = np.asarray(Image.open(out).convert("RGB"))
        assert png.shape[:2] == (size[1], size[0]), "frame as displayed"
        assert np.abs(png.astype(int) - ref[n].astype(int)).mean() < 6, f"frame {n} pixels"
        assert _nearest(png, ref, n) == n, f"frame {n} is closest to another decoded frame"


def test_several_frames_to_folder(clips, truth, tmp_path):
    times, size = truth["vfr"]
    ref = m.decode_rgb(clips["vfr"], size)
    picks = [0, 24, 25, len(times) - 1]  # both sides of the rate change
    out = tmp_path / "frames"
    ok("frame", clips["vfr"], "--frame", ",".join(map(str, picks)), "--out", out)
    assert sorted(p.name for p in out.iterdir()) == [f"frame_{n:06d}.png" for n in picks]
    for n in picks:
        png = np.asarray(Image.open(out / f"frame_{n:06d}.png").convert("RGB"))
        assert _nearest(png, ref, n) == n


def test_frame_out_of_range_is_an_error(clips, truth, tmp_path):
    n = len(truth["bframes_editlist"][0])
    out = tmp_path / "x.png"
    r = cli("frame", clips["bframes_editlist"], "--frame", n, "--out", out)
    assert r.code == 1
    assert r.err.startswith("error:") and "bframes_editlist.mp4" in r.err
    assert not out.exists()
