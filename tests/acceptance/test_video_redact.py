"""`redact box|audio` then `export`, checked by decoding the export with FFmpeg: every frame
A..B covered, A-1 and B+1 untouched, the rest of the picture kept, every frame at its original
time, audio silent in the span on every track, metadata and subtitles gone."""
from __future__ import annotations

import numpy as np
import pytest

from acceptance import material as m
from acceptance.conftest import cli, import_ids, ok

BOXES = {  # clip: (frames A:B, displayed rect X,Y,W,H)
    "bframes_editlist": ((10, 20), (20, 30, 50, 40)),
    "rotated": ((0, 39), (10, 20, 40, 60)),        # displayed 144x192
    "anamorphic": ((3, 8), (200, 50, 60, 40)),     # displayed 288x144: right of coded width
}
MOVE = ((5, 30), (10, 10, 40, 40), (140, 90, 40, 40))  # vfr: --rect .. --rect-end
MUTE = (1.0, 2.0)


@pytest.fixture(scope="session")
def exported(work, clips):
    case = work / "redact_case"
    ok("new", case)
    names = ["bframes_editlist", "rotated", "anamorphic", "vfr", "multitrack"]
    ids = dict(zip(names, import_ids(case, *(clips[n] for n in names))))
    for name, ((a, b), rect) in BOXES.items():
        r = ok("redact", "box", case, ids[name], "--frames", f"{a}:{b}",
               "--rect", ",".join(map(str, rect)), "--reason", "b6")
        assert r.out.strip()
    (a, b), r0, r1 = MOVE
    ok("redact", "box", case, ids["vfr"], "--frames", f"{a}:{b}", "--rect",
       ",".join(map(str, r0)), "--rect-end", ",".join(map(str, r1)), "--reason", "b7C")
    ok("redact", "audio", case, ids["multitrack"], "--from", MUTE[0], "--to", MUTE[1],
       "--reason", "b6")
    outs = {}
    for name in names:
        out = work / f"export_{name}.mp4"
        ok("export", case, ids[name], "--out", out)
        outs[name] = out
    return case, ids, outs


def _covered(frame: np.ndarray, orig: np.ndarray, rect) -> bool:
    x, y, w, h = rect
    inner_f = frame[y + 2:y + h - 2, x + 2:x + w - 2].astype(int)
    inner_o = orig[y + 2:y + h - 2, x + 2:x + w - 2].astype(int)
    # a solid box: flat, and nothing like what was there
    return inner_f.std() < 12 and np.abs(inner_f - inner_o).mean() > 25


def _untouched(frame, orig, rect) -> bool:
    x, y, w, h = rect
    return np.abs(frame[y:y + h, x:x + w].astype(int) - orig[y:y + h, x:x + w].astype(int)).mean() < 10


def _outside_kept(frame, orig, rect) -> bool:
    x, y, w, h = rect
    mask = np.ones(frame.shape[:2], bool)
    mask[max(0, y - 4):y + h + 4, max(0, x - 4):x + w + 4] = False
    return np.abs(frame[mask].astype(int) - orig[mask].astype(int)).mean() < 8


@pytest.mark.parametrize("name", list(BOXES))
def test_box_covers_exactly_frames_a_to_b(name, clips, exported):
    _, _, outs = exported
    (a, b), rect = BOXES[name]
    size = m.display_size(clips[name])
    assert m.display_size(outs[name]) == size, "export shows the same picture size"
    orig, got = m.decode_rgb(clips[name], size), m.decode_rgb(outs[name], size)
    assert len(got) == len(orig)
    assert m.frame_times(outs[name]) == pytest.approx(m.frame_times(clips[name]), abs=1e-3)
    for n in range(len(orig)):
        if a <= n <= b:
            assert _covered(got[n], orig[n], rect), f"frame {n} not covered"
            assert _outside_kept(got[n], orig[n], rect), f"frame {n}: more than the box changed"
        elif n in (a - 1, b + 1):
            assert _untouched(got[n], orig[n], rect), f"frame {n} outside A..B was redacted"


def test_moving_box_follows_linearly_on_vfr(clips, exported):
    _, _, outs = exported
    (a, b), r0, r1 = MOVE
    size = m.display_size(clips["vfr"])
    orig, got = m.decode_rgb(clips["vfr"], size), m.decode_rgb(outs["vfr"], size)
    assert len(got) == len(orig) == 40
    assert m.frame_times(outs["vfr"]) == pytest.approx(m.frame_times(clips["vfr"]), abs=1e-3)
    for n in range(a, b + 1):
        t = (n - a) / (b - a)
        rect = tuple(round(p + (q - p) * t) for p, q in zip(r0, r1))
        x, y, w, h = rect
        rect = (x + 2, y + 2, w - 4, h - 4)  # rounding of the interpolation
        assert _covered(got[n], orig[n], rect), f"frame {n} at {rect} not covered"
    assert _untouched(got[a - 1], orig[a - 1], r0)
    assert _untouched(got[b + 1], orig[b + 1], r1)


def test_audio_muted_on_every_track_and_metadata_gone(clips, exported):
    _, _, outs = exported
    src, out = clips["multitrack"], outs["multitrack"]
    s_in = m.streams(src)
    s_out = m.streams(out)
    kinds = [s.kind for s in s_out]
    assert kinds.count("Video") == 1 and "h264" in s_out[0].line
    assert "Subtitle" not in kinds and "Data" not in kinds, kinds
    n_audio = sum(s.kind == "Audio" for s in s_in)
    assert kinds.count("Audio") == n_audio, "audio kept: every track"
    info = m.ffmpeg_info(out)
    for secret in ("SECRETCOMMENT", "location", "+40.7128", "BODYCAM TITLE"):
        assert secret not in info, secret
    assert b"Rodriguez" not in out.read_bytes() and b"SECRETCOMMENT" not in out.read_bytes()
    rate = 16000
    for track in range(n_audio):
        before = m.decode_audio(src, track, rate)
        after = m.decode_audio(out, track, rate)
        a, b = int(MUTE[0] * rate), int(MUTE[1] * rate)
        # silent: below -46 dBFS everywhere in [from, to] (AAC's own leak at the edges is ~-57)
        assert np.abs(after[a:b + 1]).max() < 5e-3, f"track {track}: sound in the muted span"
        # outside, the sound is kept (the tone track is loud throughout)
        keep = slice(int(0.2 * rate), int(0.9 * rate))
        assert np.sqrt((after[keep] ** 2).mean()) > 0.5 * np.sqrt((before[keep] ** 2).mean())


def test_export_all(exported, clips, tmp_path):
    """`export CASE --all --out DIR`: every item, redacted and verified, named after its
    original; a second run leaves the same files."""
    case, ids, outs = exported
    out_dir = tmp_path / "all"
    ok("export", case, "--all", "--out", out_dir)
    videos = sorted(p for p in out_dir.iterdir() if p.suffix == ".mp4")
    assert len(videos) == 5, videos
    for name in ("bframes_editlist", "vfr", "rotated"):
        made = [p for p in videos if p.name.startswith(clips[name].stem)]
        assert len(made) == 1, (name, videos)
        assert len(m.frame_times(made[0])) == len(m.frame_times(clips[name]))
        ok("verify", made[0])
    before = {p.name: p.read_bytes() for p in videos}
    ok("export", case, "--all", "--out", out_dir)
    assert {p.name: p.read_bytes() for p in out_dir.iterdir() if p.suffix == ".mp4"} == before
