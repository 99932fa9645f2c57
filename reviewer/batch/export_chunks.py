"""One long video's export on many workers (``export CASE MEDIA --out FILE --chunks N``).

The export's plan (:mod:`reviewer.export.smartcut`) cuts it into runs that each start a fresh
x264 at a GOP of the original; consecutive runs make a chunk (:mod:`reviewer.export.chunks`).
Three steps, the first and last in the coordinator's sandboxed child (they read the original
and the workers' files), the middle on the runner's workers (local processes or Dask):

1. :func:`plan_job`: the plan and one :class:`ExportChunkTask` per chunk, or why the video
   is exported in one process (a stream the smart cut cannot write, too few runs);
2. :func:`run_export_chunk`: the worker checks the original's SHA-256, encodes its runs into
   a chunk file staged in the output folder, and names the hash it read;
3. :func:`join_job`: the export written and checked as the one-process export is, with the
   encoded runs' packets taken from the chunk files.

A worker's result is a claim (decision 0010): :func:`check_chunk` accepts only a result for
this item and chunk, made from the case's original, naming a regular single-link file with
the chunk's staged name in the output folder; the join refuses a chunk file whose frames,
times or pictures are not its runs' (:class:`reviewer.export.chunks.ChunkFile`). The chunk
files are removed whatever happens.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.batch.tasks import Source
from reviewer.batch.untrusted import Refused, staged_in
from reviewer.export.encoder import DEFAULT_PRESET
from reviewer.progress import BatchProgress, Progress

JOB_TIMEOUT_S = 24 * 3600.0


@dataclass(frozen=True)
class ExportChunkTask:
    source: Source
    index: bytes  # FrameIndex.to_bytes()
    expect: Any  # the case's VideoExpect
    out: str  # the export's output name; the chunk is staged beside it
    part: int  # 1..N
    runs: tuple[tuple[int, int], ...]  # encoded runs (source frames, inclusive)
    sps_id: int
    threads: int  # x264's thread count: the coordinator's
    preset: str = DEFAULT_PRESET
    crf: int = 18

    @property
    def frames(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.runs)

    @property
    def key(self) -> str:
        return f"export-{self.source.sha256[:16]}-{self.source.media_id}-chunk{self.part}"


@dataclass(frozen=True)
class ExportChunkOutcome:
    media_id: int
    part: int
    staged: str  # the chunk file
    headers: tuple[bytes, ...]  # x264's SPS and PPS
    source_sha256: str  # of the file the worker read


def chunk_name(out: Path, part: int) -> Path:
    """The name a chunk's staged file is made from (:func:`reviewer.export.publish.temp_name`),
    so the export's own clean-up of a dead writer's leftovers removes it too."""
    return out.with_name(f"{out.name}.chunk{part}")


def run_export_chunk(task: ExportChunkTask, progress: Progress | None = None) -> ExportChunkOutcome:
    from reviewer.batch.tasks import verify_source
    from reviewer.export.chunks import encode_chunk
    from reviewer.export.publish import temp_name
    from reviewer.media.index import FrameIndex

    sha = verify_source(task.source)
    path = temp_name(chunk_name(Path(task.out), task.part))
    try:
        headers = encode_chunk(task.source.path, FrameIndex.from_bytes(task.index), task.expect,
                               list(task.runs), task.preset, task.crf, task.sps_id, task.threads,
                               path, progress)
        verify_source(task.source, "after")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ExportChunkOutcome(task.source.media_id, task.part, str(path), headers, sha)


def _read_plan(case: str, media_id: int, out: str) -> tuple[dict, Any, Any, Any]:
    """The item's row, frame index, expected export and smart-cut plan, read the same way
    when the chunks are planned and when they are joined, so the join can hold the chunks
    against the very runs the plan gave them."""
    from reviewer.export.expect import video_expect
    from reviewer.export.smartcut import plan_copy
    from reviewer.export.source import load_source_index
    from reviewer.export.video import check_out
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    with CaseStore.open(case) as store:
        row = media_store.get_media(store, media_id)
        check_out(store, Path(out))
        index = load_source_index(store, row)
        expect = video_expect(store, row, index, None)
    return row, index, expect, plan_copy(row["path"], index, expect)


def plan_job(case: str, media_id: int, out: str, preset: str, crf: int, chunks: int,
             progress: Any = None) -> list[ExportChunkTask] | str:
    """The chunks' tasks, or why this export runs in one process."""
    from reviewer.export.chunks import encode_runs, split_runs, x264_threads
    from reviewer.export.video import check_options

    check_options(preset, crf)
    row, index, expect, plan = _read_plan(case, media_id, out)
    if plan.reason is not None:
        return f"its stream cannot be written in pieces ({plan.reason})"
    runs = encode_runs(plan, *expect.frames)
    groups = split_runs(runs, chunks)
    if len(groups) < 2:
        return ("nothing to encode" if not runs else
                f"its {sum(hi - lo + 1 for lo, hi in runs)} encoded frames make one run")
    src = Source(int(row["id"]), row["name"], row["path"], row["sha256"])
    blob = index.to_bytes()
    threads = x264_threads(expect.height)
    return [ExportChunkTask(src, blob, expect, out, k, tuple(g), plan.free_id, threads, preset, crf)
            for k, g in enumerate(groups, 1)]


def check_chunk(outcome: Any, task: ExportChunkTask) -> Path:
    """The chunk file a worker's result names, if the result is what was asked for."""
    src = task.source
    if not isinstance(outcome, ExportChunkOutcome) or outcome.media_id != src.media_id \
            or outcome.part != task.part:
        raise Refused(f"{src.name}: the worker returned a result for another item or chunk; not used")
    if outcome.source_sha256 != src.sha256:
        got = str(outcome.source_sha256 or "")[:12] or "no hash"
        raise Refused(f"{src.name}: chunk {task.part} was encoded from a file with SHA-256 {got}, "
                      f"not the case's original ({src.sha256[:12]}); not used")
    out = Path(task.out)
    return staged_in(out.parent, outcome.staged, chunk_name(out, task.part),
                     f"{src.name} (chunk {task.part})")


def join_job(case: str, media_id: int, out: str, preset: str, crf: int,
             parts: list[tuple[tuple[tuple[int, int], ...], str]], headers: tuple[bytes, ...],
             progress: Any = None) -> dict:
    """The export made from the chunk files ``parts`` (runs, path), staged as
    :func:`reviewer.export.jobs.export_job` stages it."""
    from reviewer.export.checks import ExportFailed
    from reviewer.export.chunks import ChunkFile, ChunkRefused, ChunkWriter, encode_runs
    from reviewer.export.jobs import _rows
    from reviewer.export.video import export_video_file

    row, index, expect, plan = _read_plan(case, media_id, out)
    given = [tuple(r) for runs, _p in parts for r in runs]
    if plan.reason is not None or given != encode_runs(plan, *expect.frames):
        raise ChunkRefused(f"{row['name']}: the chunks do not cover the runs the export encodes; "
                           "not joined")
    files: dict[tuple[int, int], ChunkFile] = {}
    opened = []
    try:
        for k, (runs, path) in enumerate(parts, 1):
            runs = [tuple(r) for r in runs]
            chunk = ChunkFile(path, runs, index, f"{row['name']}: chunk {k}")
            opened.append(chunk)
            files.update({r: chunk for r in runs})

        def writer(*args: Any) -> ChunkWriter:
            return ChunkWriter(files, set(headers), *args)

        writer.plan = plan  # type: ignore[attr-defined]
        try:
            res = export_video_file(row, index, expect, Path(out), preset=preset, crf=crf,
                                    progress=progress, publish=False, encoder="libx264",
                                    writer=writer)
        except ExportFailed as exc:
            return {"ok": False, "message": str(exc), "checks": _rows(exc.checks)}
    finally:
        for chunk in opened:
            chunk.close()
    return {"ok": True, "checks": _rows(res.checks), "path": out, "staged": str(res.path),
            "staged_sidecar": str(res.sidecar) if res.sidecar else None}


def chunked_export(case: str, row: dict, out: Path, preset: str, crf: int, chunks: int,
                   runner: Any, box: Any, batch: BatchProgress | None = None,
                   progress: Any = None) -> dict | str:
    """The coordinator: ``export_job``'s staged result made from ``chunks`` workers' chunks,
    or (a string) why the export should run in one process instead."""
    from reviewer.batch.detect_chunks import _one

    tasks = box.run("reviewer.batch.export_chunks:plan_job",
                    (case, row["id"], str(out), preset, int(crf), int(chunks)),
                    label=row["name"], timeout=JOB_TIMEOUT_S)
    if isinstance(tasks, str):
        return tasks
    try:
        outcomes = _one(runner, tasks, batch or BatchProgress())
        paths = [check_chunk(o, t) for o, t in zip(outcomes, tasks)]
        heads = {tuple(o.headers) for o in outcomes}
        if len(heads) != 1:
            raise Refused(f"{row['name']}: the workers' x264 made different parameter sets; not joined")
        parts = [(t.runs, str(p)) for t, p in zip(tasks, paths)]
        result = box.run("reviewer.batch.export_chunks:join_job",
                         (case, row["id"], str(out), preset, int(crf), parts, heads.pop()),
                         label=row["name"], timeout=JOB_TIMEOUT_S, progress=progress)
        return {**result, "pieces": len(tasks)}
    finally:
        _remove(out, tasks)


def _remove(out: Path, tasks: list[ExportChunkTask]) -> None:
    """Every chunk file of this export: the names are this export's alone, whoever wrote
    them (a worker that named another file may still have left its own). A link is removed,
    never what it points to; the original is never touched."""
    import re

    from reviewer.export.publish import _glob_escape

    for task in tasks:
        name = chunk_name(out, task.part).name
        pattern = re.compile(rf"\.{re.escape(name)}\.\d{{1,10}}-[0-9a-f]{{8}}\.part")
        for p in out.parent.glob(f".{_glob_escape(name)}.*.part"):
            if pattern.fullmatch(p.name) and os.path.normpath(p) != os.path.normpath(task.source.path):
                try:
                    p.unlink()
                except OSError:
                    pass


__all__ = ["ExportChunkOutcome", "ExportChunkTask", "check_chunk", "chunked_export", "join_job",
           "plan_job", "run_export_chunk"]
