"""``detect faces CASE [MEDIA...]`` and ``export CASE --all --out DIR`` on a generated
multi-video case, as the acceptance tests call them (subprocesses), checked with readers
that are not the project's code; re-runs are no-ops."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

from batch.readers import case_state, face_tracks, ffmpeg_frames, manifest, media_rows, pdf_text
from cli.clirun import SCRIPT, ok, run

OFFICER_MAIL = "daniel.pratt@ice.dhs.example"  # printed in the demo production


def _outputs(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.iterdir())}


def test_detect_every_video_then_a_rerun_changes_nothing(case):
    r = ok("detect", "faces", case, "--jobs", "2")
    assert r.err == ""  # stderr is not a terminal: nothing but errors
    tracks = face_tracks(case)
    assert len(tracks) == 3 and all(len(t) >= 1 for t in tracks.values()), tracks
    assert int(r.out) == sum(len(t) for t in tracks.values())
    before = case_state(case)
    again = ok("detect", "faces", case, "--jobs", "2")
    assert again.out.strip() == "0" and again.err == ""
    assert case_state(case) == before  # not one row, not one audit entry


def test_one_or_two_jobs_find_the_same_tracks(production, tmp_path):
    import shutil

    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(production.case, one)
    shutil.copytree(production.case, two)
    ok("detect", "faces", one, "--jobs", "1")
    ok("detect", "faces", two, "--jobs", "2")
    assert face_tracks(one) == face_tracks(two)


def test_named_videos_first_then_the_rest(case):
    first = ok("detect", "faces", case, "bwc_02.mp4")
    only = face_tracks(case)
    assert only["bwc_02.mp4"] and not only["bwc_01 street.mp4"] and not only["bwc_03 door.mp4"]
    rest = ok("detect", "faces", case)
    after = face_tracks(case)
    assert after["bwc_02.mp4"] == only["bwc_02.mp4"]  # done and current: not searched again
    assert int(rest.out) == len(after["bwc_01 street.mp4"]) + len(after["bwc_03 door.mp4"]) > 0
    assert int(first.out) == len(only["bwc_02.mp4"])
    bad = run("detect", "faces", case, "ICE release.pdf")
    assert bad.code == 1 and bad.err.startswith("error: ICE release.pdf: is a document"), bad.err


def test_a_record_of_another_original_is_not_current(case, tmp_path):
    """The record names the original's hash: a video imported again under the same item
    would not match it (simulated by editing the record's hash)."""
    from batch.readers import db

    ok("detect", "faces", case, "bwc_02.mp4")
    with db(case) as conn:
        key, value = conn.execute("SELECT key, value FROM settings WHERE key LIKE 'faces_run:%'").fetchone()
        conn.execute("UPDATE settings SET value = replace(value, '\"sha256\": \"', '\"sha256\": \"0') "
                     "WHERE key = ?", (key,))
    again = ok("detect", "faces", case, "bwc_02.mp4")
    assert int(again.out) >= 1  # not current any more: its tracks are added again


def w_of(frames: np.ndarray) -> int:
    return frames.shape[2]


def _box_is_black(frame: np.ndarray, kf: tuple) -> bool:
    """Inside the head detection draws in the keyframe's box (reviewer.annotate.heads, shrunk
    by 3 px: lossy coding rings at its edge), the picture is the solid fill; parts outside
    the picture are not looked at."""
    from reviewer.annotate.heads import HEAD, shape_mask

    _f, x, y, w, h = kf
    fh, fw = frame.shape[:2]
    ys, xs = np.mgrid[0:fh, 0:fw]
    if w <= 6 or h <= 6:
        return True
    inside = shape_mask(HEAD, x + 3, y + 3, w - 6, h - 6, xs + 0.5, ys + 0.5)
    if not inside.any():
        return True
    luma = frame[inside].astype(np.float64).mean(axis=1)
    return float(np.percentile(luma, 99)) < 40 and float(luma.mean()) < 20


def test_export_all_then_a_rerun_is_a_noop_and_a_change_redoes_one_item(case, production, tmp_path):
    ok("detect", "faces", case)
    out = tmp_path / "exports" / "all of it"  # made, parents too
    r = ok("export", case, "--all", "--out", out, "--jobs", "2")
    assert r.err == ""
    names = {"bwc_01 street.redacted.mp4", "bwc_02.redacted.mp4", "bwc_03 door.redacted.mp4",
             "ICE release.redacted.pdf"}
    assert {ln.split(" -> ")[1] for ln in r.lines} == {str(out / n) for n in names}
    files = {p.name for p in out.iterdir()}
    assert files == names | {n + ".verify.json" for n in names} | {".reviewer-export.json"}
    # every export re-checks, and says what it was made from
    assert ok("verify", out).code == 0
    rows = {m["name"]: m for m in media_rows(case)}
    for video in production.videos:
        got = ffmpeg_frames(out / (Path(video.name).stem + ".redacted.mp4"))
        assert len(got) == rows[video.name]["frame_count"]
        kfs = [k for t in face_tracks(case)[video.name] for k in t[4]]
        assert all(_box_is_black(got[k[0]], k) for k in kfs), video.name
        assert any(k[1] >= 0 and k[1] + k[3] <= w_of(got) for k in kfs)  # some wholly inside
    assert OFFICER_MAIL in pdf_text(production.pdf)
    assert OFFICER_MAIL not in pdf_text(out / "ICE release.redacted.pdf")
    recorded = manifest(out)
    assert {e["source_sha256"] for e in recorded["items"].values()} == {m["sha256"] for m in rows.values()}

    stamps = _outputs(out)
    again = ok("export", case, "--all", "--out", out, "--jobs", "2")
    assert all(ln.startswith("current ") for ln in again.lines) and len(again.lines) == 4
    assert _outputs(out) == stamps  # not one byte written

    w, h = rows["bwc_02.mp4"]["width"], rows["bwc_02.mp4"]["height"]
    ok("redact", "box", case, "bwc_02.mp4", "--frames", "2:6", "--rect", f"0,0,{w // 4},{h // 4}")
    third = ok("export", case, "--all", "--out", out)
    done = {ln.split(" -> ")[1] for ln in third.lines if ln.startswith("exported ")}
    assert done == {str(out / "bwc_02.redacted.mp4")}
    frames = ffmpeg_frames(out / "bwc_02.redacted.mp4")
    assert float(frames[4][3:h // 4 - 3, 3:w // 4 - 3].max()) < 40


def test_an_output_changed_by_hand_is_exported_again(case, tmp_path):
    out = tmp_path / "out"
    ok("export", case, "--all", "--out", out)
    target = out / "bwc_03 door.redacted.mp4"
    target.write_bytes(target.read_bytes()[:-10])
    again = ok("export", case, "--all", "--out", out)
    redone = [ln for ln in again.lines if ln.startswith("exported ")]
    assert redone == [f"exported bwc_03 door.mp4 -> {target}"]
    assert ok("verify", target).code == 0


def test_a_killed_export_all_leaves_only_complete_files_and_resumes(case, tmp_path):
    out = tmp_path / "out"
    cmd = [str(SCRIPT) if SCRIPT.exists() else sys.executable, *([] if SCRIPT.exists() else ["-m", "reviewer"]),
           "export", str(case), "--all", "--out", str(out), "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        first = proc.stdout.readline()
        assert first.startswith("exported "), first + proc.stderr.read()
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes, mid-job
        proc.wait(30)
    finals = [p for p in out.iterdir() if not p.name.startswith(".")]
    for p in finals:
        if p.suffix != ".json":
            assert ok("verify", p).code == 0  # whatever has a final name is complete
    r = ok("export", case, "--all", "--out", out)
    assert first.split(" -> ")[1].strip() in [ln.split(" -> ")[1] for ln in r.lines if ln.startswith("current ")]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".reviewer-export.json"]
    assert ok("verify", out).code == 0


def test_command_line_mistakes(case, tmp_path):
    a_file = tmp_path / "a file"
    a_file.write_text("x")
    r = run("export", case, "--all", "--out", a_file)
    assert r.code == 1 and r.err.startswith("error: ") and "is a file" in r.err and r.out == ""
    assert run("export", case, "--out", tmp_path / "x").code == 2
    assert run("export", case, "bwc_02.mp4", "--all", "--out", tmp_path / "x").code == 2
    assert run("detect", "faces", case, "--jobs", "-1").code == 1
    r = run("export", case, "--all", "--out", tmp_path / "x", "--crf", "99")
    assert r.code == 1 and "--crf 99" in r.err and not (tmp_path / "x").exists()


def test_an_item_that_fails_is_not_written_and_the_rest_are(case, production, tmp_path):
    """The PDF's original changed on disk since it was imported (another copy of the
    storage): the worker refuses it before reading a page; the videos are still exported."""
    import shutil

    from batch.readers import db

    other = tmp_path / "changed.pdf"
    shutil.copy(production.pdf, other)
    with open(other, "ab") as fh:
        fh.write(b"\n% appended\n")
    with db(case) as conn:
        conn.execute("UPDATE media SET path = ? WHERE name = 'ICE release.pdf'", (str(other),))
    out = tmp_path / "out"
    r = run("export", case, "--all", "--out", out, "--jobs", "2")
    assert r.code == 1
    assert r.err.startswith("error: ICE release.pdf: the original changed since it was imported"), r.err
    assert sorted(ln.split(" -> ")[1] for ln in r.lines) == sorted(
        str(out / n) for n in ("bwc_01 street.redacted.mp4", "bwc_02.redacted.mp4", "bwc_03 door.redacted.mp4"))
    assert sorted(p.name for p in out.iterdir() if "ICE" in p.name) == []  # nothing half made
