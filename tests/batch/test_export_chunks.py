"""One video's export in GOP-aligned chunks (``export CASE MEDIA --out FILE --chunks N``): the
very export of the one-process run (FFmpeg's program decodes the same frames; same bytes and
sidecar), with a box and a silenced span across the chunk boundaries, and a worker that lies
refused with nothing published."""
from __future__ import annotations

import json
import shutil
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from batch.export_clip import BOX, NAME, make_export_case
from batch.readers import ffmpeg_frames
from cli.clirun import ok, run



@pytest.fixture(scope="module")
def chunk_case(tmp_path_factory) -> tuple[Path, Path]:
    return make_export_case(tmp_path_factory.mktemp("export-chunks"))


def _chunk_runs(case: Path, out: Path, n: int) -> list[tuple]:
    from reviewer.batch.export_chunks import plan_job

    tasks = plan_job(str(case), 1, str(out), "ultrafast", 18, n)
    assert not isinstance(tasks, str), tasks
    return [t.runs for t in tasks]


def _chunks_holding(runs: list[tuple], lo: int, hi: int) -> int:
    return sum(1 for group in runs if any(a <= hi and b >= lo for a, b in group))


def _sidecar(out: Path) -> dict:
    doc = json.loads(Path(f"{out}.verify.json").read_text())
    # only the times of the passes may differ between two runs
    for p in doc.get("passes", []):
        if isinstance(p, dict):
            p.pop("when", None)
            p.pop("time", None)
    return doc


def test_chunks_give_the_one_process_export(chunk_case, tmp_path):
    case, clip = chunk_case
    outs = {}
    for n in (1, 2, 3):
        out = tmp_path / f"export{n}.mp4"
        r = ok("export", case, NAME, "--out", out, "--preset", "ultrafast", "--chunks", n)
        if n > 1:
            assert f"encoded in {n} pieces" in r.out, r.out
            runs = _chunk_runs(case, out, n)
            assert len(runs) == n
            # the box and the silenced span each lie in two chunks: their frames cross a join
            assert _chunks_holding(runs, *BOX) >= 2, runs
            assert _chunks_holding(runs, 294, 309) >= 2, runs
        outs[n] = out
        assert ok("verify", out).code == 0
    import numpy as np

    frames = {n: ffmpeg_frames(p) for n, p in outs.items()}  # FFmpeg's program decodes them
    assert len(frames[1]) == 420
    assert np.array_equal(frames[2], frames[1]) and np.array_equal(frames[3], frames[1])
    assert outs[2].read_bytes() == outs[1].read_bytes() == outs[3].read_bytes()
    assert _sidecar(outs[2]) == _sidecar(outs[1]) == _sidecar(outs[3])
    side = _sidecar(outs[3])
    assert side["copied_gops"], side.get("smart_cut")
    # the copied GOPs are the original's frames; the box's are not, and black under it
    theirs = ffmpeg_frames(clip)
    copied = [k for g in side["copied_gops"] for k in range(g["frames"][0], g["frames"][1] + 1)]
    assert copied and all(np.array_equal(frames[3][k], theirs[k]) for k in copied)
    assert frames[3][BOX[0]][103:137, 23:77].max() < 40
    assert theirs[BOX[0]][103:137, 23:77].max() > 100
    # the chunk files are gone
    assert not [p.name for p in tmp_path.iterdir() if ".chunk" in p.name]


class _InProcess:
    """A runner that runs each chunk here; ``tamper`` changes what a worker returns."""

    def __init__(self, tamper) -> None:
        self.tamper = tamper

    def run(self, tasks, batch):
        from reviewer.batch.tasks import run_task

        for t in tasks:
            yield t, self.tamper(t, run_task(t))

    def close(self) -> None:
        pass


def _drop_last_record(path: Path) -> None:
    from reviewer.export.chunks import MAGIC, RECORD

    data = path.read_bytes()
    pos, last = len(MAGIC), len(MAGIC)
    while pos < len(data):
        last = pos
        pos += RECORD.size + RECORD.unpack_from(data, pos)[2]
    path.write_bytes(data[:last])


LIES = {
    "hash": "SHA-256",
    "missing frames": "of the",
    "extra frames": "more than the frames",
    "original named": "not a staged export",
    "another chunk's file": "not a staged export",
    "unredacted": "boxes",
}


@pytest.mark.parametrize("lie", list(LIES))
def test_a_lying_worker_is_refused_and_nothing_is_written(chunk_case, tmp_path, lie):
    from reviewer.batch.export_chunks import chunked_export, run_export_chunk
    from reviewer.errors import ReviewerError
    from reviewer.sandbox import Sandbox
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    case = tmp_path / "case"
    shutil.copytree(chunk_case[0], case)
    out = tmp_path / "out" / "export.mp4"
    out.parent.mkdir()

    def tamper(task, got):
        if task.part != 2:
            return got
        staged = Path(got.staged)
        if lie == "hash":
            return replace(got, source_sha256="0" * 64)
        if lie == "missing frames":
            _drop_last_record(staged)
        elif lie == "extra frames":
            data = staged.read_bytes()
            staged.write_bytes(data + data[8:8 + 13 + struct.unpack(">I", data[17:21])[0]])
        elif lie == "original named":
            return replace(got, staged=str(chunk_case[1]))
        elif lie == "another chunk's file":  # a copy under chunk 1's name (a dead writer's)
            other = staged.with_name(".export.mp4.chunk1.999999-abcdef12.part")
            shutil.copy(staged, other)
            return replace(got, staged=str(other))
        elif lie == "unredacted":  # the frames encoded as they are, boxes left out
            staged.unlink()
            return run_export_chunk(replace(task, expect=replace(task.expect, tracks=())))
        return got

    with CaseStore.open(case) as store:
        row = media_store.find_media(store, NAME)
    box = Sandbox()
    try:
        with pytest.raises(ReviewerError) as err:
            result = chunked_export(str(case), row, out, "ultrafast", 18, 3, _InProcess(tamper), box)
            if isinstance(result, dict) and not result["ok"]:  # the join's own checks failed
                raise ReviewerError(result["message"] + " " + json.dumps(result["checks"]))
    finally:
        box.close()
    assert LIES[lie] in str(err.value), str(err.value)
    assert list(out.parent.iterdir()) == []  # no export, no sidecar, no chunk file left
    assert chunk_case[1].exists()  # the original stays where it is


def test_chunks_below_one_is_one_error_line(chunk_case, tmp_path):
    r = run("export", chunk_case[0], NAME, "--out", tmp_path / "o.mp4", "--chunks", "0")
    assert r.code == 1 and r.err.startswith("error: --chunks 0"), r.err
    assert not (tmp_path / "o.mp4").exists()


def test_a_wholly_redacted_video_splits_too(chunk_case, tmp_path):
    """Nothing copied (a box on every frame): the export still restarts x264 where the plan
    says, so the chunks are the one-process export; the coordinator renders nothing itself."""
    case = tmp_path / "case"
    shutil.copytree(chunk_case[0], case)
    ok("redact", "box", case, NAME, "--frames", "0:419", "--rect", "250,10,40,30")
    one, two = tmp_path / "one.mp4", tmp_path / "two.mp4"
    ok("export", case, NAME, "--out", one, "--preset", "ultrafast")
    r = ok("export", case, NAME, "--out", two, "--preset", "ultrafast", "--chunks", "2")
    assert "encoded in 2 pieces" in r.out, r.out
    assert not json.loads(Path(f"{two}.verify.json").read_text()).get("copied_gops")
    assert two.read_bytes() == one.read_bytes()


def test_chunks_with_all_is_a_command_line_error(chunk_case, tmp_path):
    r = run("export", chunk_case[0], "--all", "--out", tmp_path / "out", "--chunks", "2")
    assert r.code == 2 and r.err.startswith("error: --chunks splits one video"), r.err
    assert not (tmp_path / "out").exists()
