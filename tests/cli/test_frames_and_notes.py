"""``frame`` (exactly frame N as displayed), ``annotate`` and ``annotations --json``."""
from __future__ import annotations

import json
import math
from fractions import Fraction

import cv2
import numpy as np
import pytest

from cli.clirun import ffmpeg, ok, run
from cli.conftest import SIZE


def _png(path) -> np.ndarray:
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert img is not None, path
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)


def _reference_frames(src, folder) -> list[np.ndarray]:
    """Every frame as FFmpeg's own player path shows it (rotation applied, no frame dropped)."""
    folder.mkdir()
    ffmpeg("-i", str(src), "-fps_mode", "passthrough", str(folder / "r_%06d.png"))
    return [_png(p) for p in sorted(folder.glob("r_*.png"))]


@pytest.mark.parametrize("key", ["base", "vfr_mkv", "mov", "portrait90", "portrait270", "odd"])
def test_batch_frames_are_the_displayed_frames(inputs, tmp_path, key):
    from fixtures.videos import read_number

    src = getattr(inputs, key)
    count = json.loads(ok("probe", src, "--json").out)["frame_count"]
    wanted = list(range(count))
    out = tmp_path / "frames out"
    ok("frame", src, "--frame", ",".join(map(str, wanted)), "--out", out)
    assert sorted(p.name for p in out.iterdir()) == [f"frame_{n:06d}.png" for n in wanted]
    refs = _reference_frames(src, tmp_path / "ref")
    assert len(refs) == count
    for n in wanted:
        got = _png(out / f"frame_{n:06d}.png")
        assert got.shape == refs[n].shape, n
        assert np.abs(got.astype(int) - refs[n].astype(int)).mean() < 3, n
        if key != "odd":  # the numbered fixture itself (portrait: turned by the display matrix)
            turns = (0,) if key not in ("portrait90", "portrait270") else (1, 3)
            read = set()
            for k in turns:
                try:
                    read.add(read_number(np.ascontiguousarray(np.rot90(got, k))))
                except ValueError:
                    pass
            assert n in read, (n, read)


def test_single_frame_and_errors(inputs, tmp_path):
    from fixtures.videos import read_number

    out = tmp_path / "f.png"
    ok("frame", inputs.base, "--frame", 44, "--out", out)
    assert read_number(_png(out)) == 44 and _png(out).shape == (SIZE[1], SIZE[0], 3)
    ok("frame", inputs.one_frame, "--frame", 0, "--out", tmp_path / "one.png")
    cases = [
        (inputs.base, "45", tmp_path / "x.png"),          # past the end
        (inputs.one_frame, "1", tmp_path / "x.png"),
        (inputs.base, "1,,2", tmp_path / "d"),
        (inputs.base, "a", tmp_path / "x.png"),
        (inputs.base, "1", tmp_path / "no folder" / "x.png"),
        (inputs.junk, "0", tmp_path / "x.png"),
        (inputs.audio_only, "0", tmp_path / "x.png"),
        (inputs.odd_pdf, "0", tmp_path / "x.png"),
        (tmp_path / "missing.mp4", "0", tmp_path / "x.png"),
    ]
    for src, frames, dest in cases:
        r = run("frame", src, "--frame", frames, "--out", dest)
        assert r.code == 1 and r.err.startswith("error:") and len(r.err.splitlines()) == 1, (src, r.err)
    assert not (tmp_path / "x.png").exists()


def _timecode(seconds: Fraction) -> str:
    ms = math.ceil(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def test_annotate_and_annotations_json(imported, inputs):
    case, _, ids = imported
    vid = ids["base.mp4"][0]
    pdf = ids[inputs.odd_pdf.name][0]
    n1 = int(ok("annotate", case, "base.mp4", "--frame", 7, "--to", 12, "--text", "officer ü",
                "--tag", "use", "--tag", "force").out)
    n2 = int(ok("annotate", case, vid, "--frame", 3, "--text", "one frame").out)
    n3 = int(ok("annotate", case, inputs.odd_pdf.name, "--page", 2, "--rect", "10,20,110,60",
                "--text", "crop").out)
    n4 = int(ok("annotate", case, pdf, "--page", 1, "--text", "whole page", "--tag", "x").out)
    rows = {r["id"]: r for r in json.loads(ok("annotations", case, "--json").out)}
    a = rows[n1]
    assert {k: a[k] for k in ("media", "text", "tags", "frame", "to")} == {
        "media": vid, "text": "officer ü", "tags": ["use", "force"], "frame": 7, "to": 12}
    assert rows[n2]["frame"] == 3 and rows[n2]["to"] == 3
    assert rows[n3]["page"] == 2 and rows[n3]["rect"] == [10, 20, 110, 60] and rows[n3]["media"] == pdf
    assert rows[n4]["page"] == 1 and rows[n4]["tags"] == ["x"]
    for r in rows.values():
        assert {"id", "media", "text", "tags"} <= set(r)
        assert ("frame" in r and "to" in r) != ("page" in r and "rect" in r)
    # frame 7 of a 30 fps clip starts at 233.33 ms: the timecode is the first whole ms inside
    assert a.get("timecode", _timecode(Fraction(7, 30))) == _timecode(Fraction(7, 30)) == "00:00:00.234"
    only = json.loads(ok("annotations", case, "base.mp4", "--json").out)
    assert {r["media"] for r in only} == {vid} and {n1, n2} <= {r["id"] for r in only}


@pytest.mark.parametrize("argv, needle", [
    (["--frame", "45", "--text", "x"], "base.mp4"),
    (["--frame", "5", "--to", "2", "--text", "x"], "base.mp4"),
    (["--page", "1", "--text", "x"], "base.mp4"),
    (["--frame", "1", "--rect", "1,2,3,4", "--text", "x"], "base.mp4"),
    (["--frame", "1", "--text", ""], "base.mp4"),
])
def test_bad_notes_on_a_video_are_one_error_line(imported, argv, needle):
    case, _, _ = imported
    r = run("annotate", case, "base.mp4", *argv)
    assert r.code == 1 and r.err.startswith("error: ") and needle in r.err and len(r.err.splitlines()) == 1


@pytest.mark.parametrize("argv", [
    ["--page", "0", "--text", "x"], ["--page", "4", "--text", "x"], ["--frame", "1", "--text", "x"],
    ["--page", "1", "--rect", "100,100,10,10", "--text", "x"], ["--page", "1", "--rect", "1,2,3", "--text", "x"],
])
def test_bad_notes_on_a_document_are_one_error_line(imported, inputs, argv):
    case, _, _ = imported
    r = run("annotate", case, inputs.odd_pdf.name, *argv)
    assert r.code == 1 and r.err.startswith("error: ") and len(r.err.splitlines()) == 1, r.err
