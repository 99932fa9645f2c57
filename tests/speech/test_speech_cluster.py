"""``transcribe --cluster``: the same words as on this machine, from a Dask scheduler and
worker started here on 127.0.0.1 (the fixture of tests/batch/test_cluster.py), and a worker
that finds another file at the original's path writes nothing."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from batch.test_cluster import cluster  # noqa: F401 - the module's scheduler and worker
from cli.clirun import ok, run
from fixtures.speech import have_espeak, speech_video

pytestmark = pytest.mark.skipif(not have_espeak(), reason="espeak-ng is not installed")


def _case(folder, video):
    ok("new", folder)
    ok("import", folder, video)
    return folder


def _words(case):
    return [(w["word"], w["track"]) for w in
            json.loads(ok("transcript", case, "stop.mp4", "--json").out)]


def test_transcribe_on_the_cluster_equals_the_local_run_and_resumes(cluster, tmp_path):  # noqa: F811
    video = tmp_path / "stop.mp4"
    speech_video(video, ["Officer Keisha Brown stopped the car.", "Step out of the vehicle please."])
    local, remote = _case(tmp_path / "local", video), _case(tmp_path / "remote", video)
    ok("transcribe", local, "--jobs", "2")
    r = ok("transcribe", remote, "--cluster", cluster)
    assert r.out.startswith("stop.mp4\t") and _words(remote) == _words(local)
    again = ok("transcribe", remote, "--cluster", cluster)
    assert "already transcribed" in again.out


def test_a_worker_refuses_words_from_a_file_that_is_not_the_original(cluster, tmp_path):  # noqa: F811
    video = tmp_path / "stop.mp4"
    speech_video(video, ["Step out of the vehicle please."])
    case = _case(tmp_path / "case", video)
    other = tmp_path / "other.mp4"
    shutil.copy(video, other)
    with open(other, "ab") as fh:
        fh.write(b"\0")  # the same sound, other bytes
    with sqlite3.connect(case / "case.db") as conn:
        conn.execute("UPDATE media SET path = ?", (str(other),))
    r = run("transcribe", case, "--cluster", cluster)
    assert r.code == 1 and f"the file at {other} is not the case's original" in r.err
    with sqlite3.connect(case / "case.db") as conn:
        assert conn.execute("SELECT count(*) FROM transcripts").fetchone()[0] == 0
