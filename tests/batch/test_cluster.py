"""``--cluster``: the same batch on a Dask scheduler and worker started here, on 127.0.0.1
only (``dask scheduler`` and ``dask worker``, the commands an office runs), gives what the
local run gives. Bounded: both are stopped (their process groups) at the end."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from batch.dask_procs import loopback_cluster
from batch.readers import case_state, face_tracks, ffmpeg_frames, manifest
from cli.clirun import ok, run


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with loopback_cluster(tmp_path_factory.mktemp("dask")) as address:
        yield address


def test_detect_and_export_all_on_the_cluster_equal_the_local_run(cluster, production, tmp_path):
    local, remote = tmp_path / "local", tmp_path / "remote"
    shutil.copytree(production.case, local)
    shutil.copytree(production.case, remote)

    ok("detect", "faces", local, "--jobs", "2")
    r = ok("detect", "faces", remote, "--cluster", cluster)
    assert face_tracks(remote) == face_tracks(local) and int(r.out) > 0
    before = case_state(remote)
    assert ok("detect", "faces", remote, "--cluster", cluster).out.strip() == "0"
    assert case_state(remote) == before

    ok("export", local, "--all", "--out", tmp_path / "out-local", "--jobs", "2")
    r = ok("export", remote, "--all", "--out", tmp_path / "out-remote", "--cluster", cluster)
    assert len(r.lines) == 4 and all(ln.startswith("exported ") for ln in r.lines)
    names = sorted(p.name for p in (tmp_path / "out-local").iterdir())
    assert sorted(p.name for p in (tmp_path / "out-remote").iterdir()) == names
    for name in names:
        a, b = tmp_path / "out-local" / name, tmp_path / "out-remote" / name
        if name.endswith(".verify.json"):  # the same expectations: frames, times, boxes, pages
            side = [json.loads(p.read_text()) for p in (a, b)]
            for d in side:
                d.pop("file_sha256", None)
                for p in d.get("passes", []):  # each case's detection ran at its own moment
                    p.pop("when", None)
            assert side[0] == side[1], name
        elif name.endswith(".mp4"):
            # the same pictures, frame for frame, within lossy coding: x264's bits are not
            # reproducible in a process that ran OpenCV's network first (see the report)
            fa, fb = ffmpeg_frames(a), ffmpeg_frames(b)
            assert fa.shape == fb.shape, name
            mse = float(((fa.astype(np.float64) - fb) ** 2).mean())
            assert mse == 0 or 10 * np.log10(255 ** 2 / mse) > 40, name
    want = {k: (v["fingerprint"], v["file"]) for k, v in manifest(tmp_path / "out-local")["items"].items()}
    assert {k: (v["fingerprint"], v["file"]) for k, v in
            manifest(tmp_path / "out-remote")["items"].items()} == want
    assert ok("verify", tmp_path / "out-remote").code == 0
    again = ok("export", remote, "--all", "--out", tmp_path / "out-remote", "--cluster", cluster)
    assert all(ln.startswith("current ") for ln in again.lines)


def test_one_video_in_chunks_on_the_cluster_equals_the_local_run(cluster, tmp_path):
    from batch.long_clip import NAME, make_long_case

    case, _ = make_long_case(tmp_path)
    local = tmp_path / "local"
    shutil.copytree(case, local)
    ok("detect", "faces", local, "--jobs", "1")
    r = ok("detect", "faces", case, "--cluster", cluster, "--chunks", "3")
    assert face_tracks(case)[NAME] == face_tracks(local)[NAME] and int(r.out) > 0


def _detected(case: Path) -> list[tuple]:
    """Every track the detectors made (faces and text), with keyframes, and what was read."""
    from batch.readers import db

    with db(case) as conn:
        tracks = [(r["source"], r["label"], r["status"], r["frame_from"], r["frame_to"],
                   tuple(tuple(k) for k in conn.execute(
                       "SELECT frame, x, y, w, h FROM keyframes WHERE redaction_id = ? "
                       "ORDER BY frame", (r["id"],))))
                  for r in conn.execute("SELECT * FROM redactions WHERE source LIKE 'detect%' "
                                        "ORDER BY id")]
        seen = [tuple(r)[2:] for r in conn.execute("SELECT * FROM seen_text ORDER BY id")]
    return tracks + seen


def test_detect_all_and_text_on_the_cluster_equal_the_local_run(cluster, production, tmp_path):
    name = production.videos[0].name
    local, remote = tmp_path / "local", tmp_path / "remote"
    shutil.copytree(production.case, local)
    shutil.copytree(production.case, remote)
    a = ok("detect", "all", local, name, "--match", "AB")
    b = ok("detect", "all", remote, name, "--match", "AB", "--cluster", cluster)
    assert b.lines == a.lines and a.lines[0] != "faces\t0"
    assert _detected(remote) == _detected(local)
    a = ok("detect", "text", local, production.videos[1].name)
    b = ok("detect", "text", remote, production.videos[1].name, "--cluster", cluster)
    assert b.lines == a.lines
    assert _detected(remote) == _detected(local)


def test_one_export_in_chunks_on_the_cluster_equals_the_one_process_export(cluster, tmp_path):
    from batch.export_clip import NAME, make_export_case

    case, _ = make_export_case(tmp_path)
    one, three = tmp_path / "one.mp4", tmp_path / "three.mp4"
    ok("export", case, NAME, "--out", one, "--preset", "ultrafast")
    r = ok("export", case, NAME, "--out", three, "--preset", "ultrafast", "--cluster", cluster,
           "--chunks", "3")
    assert "encoded in 3 pieces" in r.out, r.out
    assert three.read_bytes() == one.read_bytes()
    assert np.array_equal(ffmpeg_frames(three), ffmpeg_frames(one))
    assert not [p.name for p in tmp_path.iterdir() if ".chunk" in p.name]


def test_a_worker_refuses_a_file_that_is_not_the_original(cluster, production, tmp_path):
    """The worker checks the SHA-256 before it reads a frame: a copy of the storage that
    differs costs that item an error line, the others are done."""
    from batch.readers import db

    case = tmp_path / "case"
    shutil.copytree(production.case, case)
    other = tmp_path / "other.mp4"
    shutil.copy(production.videos[0], other)
    with open(other, "ab") as fh:
        fh.write(b"\0")  # same pictures, other bytes
    with db(case) as conn:
        conn.execute("UPDATE media SET path = ? WHERE name = ?", (str(other), production.videos[0].name))
    r = run("detect", "faces", case, "--cluster", cluster)
    assert r.code == 1
    assert r.err.startswith(f"error: {production.videos[0].name}: the file at {other} is not the "
                            "case's original"), r.err
    tracks = face_tracks(case)
    assert tracks[production.videos[0].name] == [] and tracks["bwc_02.mp4"]


def test_an_unreachable_scheduler_is_one_error_line(case, monkeypatch):
    monkeypatch.setenv("REVIEWER_CLUSTER_TIMEOUT", "3")
    r = run("detect", "faces", case, "--cluster", "tcp://127.0.0.1:9")  # the discard port
    assert r.code == 1 and r.err.startswith("error: tcp://127.0.0.1:9: cannot reach the Dask scheduler")
    assert len(r.err.splitlines()) == 1 and r.out == ""
