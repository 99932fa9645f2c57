"""A worker's result is not trusted: workers that lie (tests/batch/liars.py, preloaded into a
real ``dask worker`` on 127.0.0.1, or run as a local runner's sandboxed child) get nothing
published, nothing recorded, and nothing outside the output folder renamed. What is
published is checked with readers that are not this program's (FFmpeg, pdftotext)."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from batch.dask_procs import loopback_cluster
from batch.readers import db, face_tracks, ffmpeg_frames, manifest, pdf_text
from cli.clirun import ok, run

LIARS = Path(__file__).with_name("liars.py")
BOXED = "bwc_02.mp4"
BOX = (0, 0, 160, 90)  # the clip is 320x180: its top-left quarter
OFFICER_MAIL = "@ice.dhs.gov"


@pytest.fixture(scope="module")
def liar(tmp_path_factory):
    """(scheduler address, the file that says which lie the worker tells)."""
    d = tmp_path_factory.mktemp("liar")
    mode = d / "mode"
    mode.write_text("honest")
    env = {**os.environ, "LIAR_MODE_FILE": str(mode)}
    with loopback_cluster(d, ("--preload", str(LIARS)), env) as address:
        yield address, mode


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def own_case(case, production, tmp_path):
    """A copy of the case whose originals are its own copies (a lie that moves them must not
    damage the other tests' production), with a box and a muted second on one clip."""
    media = tmp_path / "originals"
    shutil.copytree(production.media, media)
    with db(case) as conn:
        for name, in conn.execute("SELECT name FROM media").fetchall():
            conn.execute("UPDATE media SET path = ? WHERE name = ?", (str(media / name), name))
    ok("redact", "box", case, BOXED, "--frames", "0:17", "--rect", ",".join(map(str, BOX)))
    ok("redact", "audio", case, BOXED, "--from", "0.1", "--to", "1.1")
    return case, media, {p.name: _sha(p) for p in media.iterdir()}


def _originals_intact(media: Path, hashes: dict[str, str]) -> None:
    assert {p.name: _sha(p) for p in media.iterdir()} == hashes


def _published(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []


def _export(case: Path, out: Path, address: str):
    return run("export", case, "--all", "--out", out, "--cluster", address)


@pytest.mark.parametrize("lie", ["original", "outside", "symlink"])
def test_a_worker_naming_a_file_that_is_not_its_staged_export_moves_nothing(liar, own_case, tmp_path, lie):
    address, mode = liar
    case, media, hashes = own_case
    out = tmp_path / "out"
    mode.write_text(lie)
    r = _export(case, out, address)
    assert r.code == 1 and r.out == ""
    errors = r.err.splitlines()
    assert len(errors) == 4 and all(e.startswith("error: ") for e in errors), r.err
    assert all("not published" in e or "nothing was moved" in e for e in errors), r.err
    _originals_intact(media, hashes)
    assert _published(out) == []
    assert not [p for p in out.iterdir() if p.is_symlink()]
    assert manifest(out)["items"] == {} if (out / ".reviewer-export.json").exists() else True


def test_an_unredacted_copy_with_a_matching_sidecar_is_refused_and_never_current(liar, own_case, tmp_path):
    address, mode = liar
    case, media, hashes = own_case
    out = tmp_path / "out"
    mode.write_text("unredacted")
    r = _export(case, out, address)
    assert r.code == 1
    refused = [e for e in r.err.splitlines() if "failed the coordinator's own checks" in e]
    assert {e.split(":")[1].strip() for e in refused} == {BOXED, "ICE release.pdf"}, r.err
    assert "bwc_02.redacted.mp4" not in _published(out)
    assert "ICE release.redacted.pdf" not in _published(out)
    _originals_intact(media, hashes)

    again = _export(case, out, address)  # still lying: refused again, never "current"
    assert again.code == 1 and "current  " + BOXED not in again.out

    mode.write_text("honest")
    r = _export(case, out, address)
    assert r.code == 0, r.err
    assert f"exported {BOXED}" in r.out and "exported ICE release.pdf" in r.out
    frames = ffmpeg_frames(out / "bwc_02.redacted.mp4")
    x, y, w, h = BOX
    assert frames[:18, y + 4:y + h - 4, x + 4:x + w - 4].max() < 40  # black under the box
    assert OFFICER_MAIL not in pdf_text(out / "ICE release.redacted.pdf")
    assert ok("verify", out).code == 0


def test_an_export_with_the_muted_audio_left_audible_is_refused(liar, own_case, tmp_path):
    address, mode = liar
    case, _, _ = own_case
    out = tmp_path / "out"
    mode.write_text("loud")
    r = _export(case, out, address)
    assert r.code == 1
    assert r.err.startswith(f"error: {BOXED}: the worker's export failed the coordinator's own "
                            "checks (audio spans"), r.err
    assert len(r.err.splitlines()) == 1  # the others were honest exports: published
    assert "bwc_02.redacted.mp4" not in _published(out)
    assert "bwc_01 street.redacted.mp4" in _published(out)


def test_detections_made_on_another_file_are_refused(liar, own_case):
    address, mode = liar
    case, _, _ = own_case
    mode.write_text("detect-copy")
    r = run("detect", "faces", case, "--cluster", address)
    assert r.code == 1
    lines = r.err.splitlines()
    assert len(lines) == 3 and all("detections were made on a file with SHA-256" in e for e in lines), r.err
    assert all(tracks == [] for tracks in face_tracks(case).values())


def test_a_lying_local_child_is_refused_too(own_case, tmp_path, monkeypatch):
    """The same checks for the local runner's sandboxed children."""
    from reviewer.batch.export_batch import export_all
    from reviewer.batch.runners import LocalRunner
    from reviewer.progress import BatchProgress
    from reviewer.store import CaseStore

    case, media, hashes = own_case
    mode = tmp_path / "mode"
    monkeypatch.setenv("LIAR_MODE_FILE", str(mode))
    for lie in ("original", "unredacted"):
        mode.write_text(lie)
        out = tmp_path / f"out-{lie}"
        with CaseStore.open(case) as store:
            items = list(export_all(store, out, LocalRunner(1, task="batch.liars:run_task"),
                                    BatchProgress()))
        by_name = {i.name: i for i in items}
        assert by_name[BOXED].status == "failed" and by_name["ICE release.pdf"].status == "failed"
        assert "bwc_02.redacted.mp4" not in _published(out)
        _originals_intact(media, hashes)
    assert np.all([p.is_file() for p in media.iterdir()])
