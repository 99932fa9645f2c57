"""One video's face detection split into keyframe-aligned chunks (``detect faces --chunks N``,
and by default with ``--jobs N`` on one video): the very redactions of the one-process run,
and a chunk that names another file or leaves a gap or an overlap is refused."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from batch.long_clip import make_long_case
from batch.readers import face_tracks
from cli.clirun import ok


@pytest.fixture(scope="module")
def long_case(tmp_path_factory) -> tuple[Path, Path]:
    return make_long_case(tmp_path_factory.mktemp("chunks"))


def _copy(case: Path, dest: Path) -> Path:
    shutil.copytree(case, dest)
    return dest


def test_chunked_runs_give_the_one_process_redactions(long_case, tmp_path):
    case, _ = long_case
    one = _copy(case, tmp_path / "one")
    auto = _copy(case, tmp_path / "auto")
    three = _copy(case, tmp_path / "three")
    n_one = ok("detect", "faces", one, "--jobs", "1").out.strip()
    n_auto = ok("detect", "faces", auto, "--jobs", "2").out.strip()  # one video: 2 chunks
    n_three = ok("detect", "faces", three, "--chunks", "3", "--jobs", "2").out.strip()
    tracks = face_tracks(one)["foreman long.mp4"]
    assert tracks and int(n_one) == len(tracks)
    # a face on every frame of both shots: the boundaries at frames 60 and 120 (keyframes)
    # are crossed by tracks, which must come out whole, not cut at the chunk boundary
    assert any(t[0] < 60 < t[1] for t in tracks), tracks
    assert face_tracks(auto) == face_tracks(one)
    assert face_tracks(three) == face_tracks(one)
    assert n_auto == n_three == n_one


def test_videos_too_short_to_split_are_searched_whole_beside_a_split_one(long_case, production,
                                                                          tmp_path):
    """One long video and three of 18 frames: the long one in chunks, the short ones as
    before, the tracks of each as the one-process run makes them."""
    case = _copy(production.case, tmp_path / "case")
    ok("import", case, long_case[1])
    one = _copy(case, tmp_path / "one")
    ok("detect", "faces", one, "--jobs", "1")
    ok("detect", "faces", case, "--chunks", "2", "--jobs", "2")
    got, want = face_tracks(case), face_tracks(one)
    assert got == want and len(got) == 4 and all(got.values()), got


def _store_rows(case: Path):
    from reviewer.batch.detect_batch import videos
    from reviewer.store import CaseStore

    store = CaseStore.open(case)
    return store, videos(store, None)


class _InProcess:
    """A runner that runs each task here, letting ``tamper`` change what a chunk returns (a
    worker that lies or read another copy of the file)."""

    def __init__(self, tamper=None) -> None:
        self.tamper = tamper
        self.ran: list = []

    def run(self, tasks, batch):
        from reviewer.batch.tasks import run_task

        for t in tasks:
            out = run_task(t)
            self.ran.append(t)
            yield t, (self.tamper(t, out) if self.tamper else out)

    def close(self) -> None:
        pass


def test_the_pieces_join_into_the_whole_pass(long_case):
    from reviewer.batch.detect_batch import plan_task
    from reviewer.batch.detect_chunks import DetectChunkTask, chunked_scan
    from reviewer.batch.tasks import run_detect
    from reviewer.progress import BatchProgress
    from reviewer.session.detect import FACE_SETTINGS

    case, _ = long_case
    store, rows = _store_rows(case)
    with store:
        task = plan_task(store, rows[0], FACE_SETTINGS)
    runner = _InProcess()
    scan, pieces = chunked_scan(task, runner, BatchProgress(), 3)
    chunks = [t for t in runner.ran if isinstance(t, DetectChunkTask)]
    assert pieces == len(chunks) == 3
    assert all(t.first % 20 == 0 for t in chunks)  # each starts on a keyframe (GOP of 20)
    assert scan == run_detect(task).scan  # detections, boundaries, frames searched


@pytest.mark.parametrize("lie", ["hash", "gap", "overlap"])
def test_a_lying_chunk_is_refused_and_nothing_is_written(long_case, tmp_path, lie):
    from reviewer.batch.detect_batch import find_faces
    from reviewer.batch.detect_chunks import DetectChunkTask
    from reviewer.progress import BatchProgress

    case = _copy(long_case[0], tmp_path / "case")

    def tamper(task, out):
        if not isinstance(task, DetectChunkTask) or task.first == 0:
            return out
        if lie == "hash":
            return replace(out, sha256="0" * 64)
        if lie == "gap":
            return replace(out, first=out.first + 1,
                           detections=tuple(d for d in out.detections if d.frame > out.first),
                           searched=tuple(f for f in out.searched if f > out.first))
        return replace(out, first=out.first - 1)

    store, rows = _store_rows(case)
    with store:
        items = list(find_faces(store, rows, _InProcess(tamper), BatchProgress(), chunks=2))
    assert [i.status for i in items] == ["failed"]
    word = {"hash": "SHA-256", "gap": "gap", "overlap": "overlap"}[lie]
    assert word in items[0].detail and "not used" in items[0].detail
    assert face_tracks(case)["foreman long.mp4"] == []
