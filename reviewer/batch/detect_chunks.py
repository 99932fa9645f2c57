"""One long video's face detection on many workers (``detect faces --chunks N``).

A single recording cannot use the batch's per-video parallelism, so its pass is split
(:mod:`reviewer.session.detect_chunks`): one worker walks the file on thumbnails (the
stride walk and the shot boundaries), then each of N workers runs the real pass over one
keyframe-aligned range. Like every batch task they never open case.db; each checks the
original's SHA-256 and names it in its result, and the coordinator joins the chunks only
when every hash is the case's and the ranges tile the video, then joins tracks over the
whole video exactly as for the one-process pass.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reviewer.batch.tasks import Source
from reviewer.batch.runners import failure_detail
from reviewer.errors import ReviewerError
from reviewer.progress import BatchProgress, Progress


@dataclass(frozen=True)
class WalkTask:
    source: Source
    index: bytes
    stride: int
    frames: int
    text_shots: bool = False  # also the text pass's shot boundaries, on the same decode

    @property
    def key(self) -> str:
        return f"walk-{self.source.sha256[:16]}-{self.source.media_id}"


@dataclass(frozen=True)
class WalkOutcome:
    sha256: str
    walk: tuple[int, ...]
    transitions: tuple[Any, ...]
    text_transitions: tuple[Any, ...] = ()


@dataclass(frozen=True)
class DetectChunkTask:
    source: Source
    index: bytes
    threshold: float
    max_side: int
    stride: int
    walk: tuple[int, ...]
    first: int
    last: int

    @property
    def frames(self) -> int:
        return self.last - self.first + 1

    @property
    def key(self) -> str:
        return f"detect-{self.source.sha256[:16]}-{self.source.media_id}-{self.first}"


def _hash_of(source: Source) -> str:
    """The SHA-256 of the file this worker reads (hashed here, before decoding), refused
    unless it is the case's original."""
    from reviewer.batch.tasks import verify_source

    verify_source(source)  # hashes the file; the same check and message as every batch task
    return source.sha256


def run_walk(task: WalkTask, progress: Progress | None = None) -> WalkOutcome:
    from reviewer.media.index import FrameIndex
    from reviewer.session.detect_chunks import walk_file

    sha = _hash_of(task.source)
    index = FrameIndex.from_bytes(task.index)
    taps, text = (), None
    if task.text_shots:  # detect all: the text pass's boundaries ride on this decode
        from reviewer.media.text_chunks import ShotsTap

        text = ShotsTap(index.rotation)
        taps = (text,)
    walk, transitions = walk_file(task.source.path, task.source.name, index, task.stride,
                                  progress, taps=taps)
    return WalkOutcome(sha, tuple(walk), tuple(transitions),
                       text.finish() if text is not None else ())


def run_chunk(task: DetectChunkTask, progress: Progress | None = None) -> Any:
    from reviewer.media.index import FrameIndex
    from reviewer.session.detect import DetectSettings
    from reviewer.session.detect_chunks import scan_chunk

    sha = _hash_of(task.source)
    settings = DetectSettings(threshold=task.threshold, max_side=task.max_side)
    return scan_chunk(task.source.path, task.source.name, FrameIndex.from_bytes(task.index),
                      settings, task.stride, task.walk, task.first, task.last, sha, progress)


def run_chunk_task(task: Any, progress: Progress | None = None) -> Any:
    """The entry point :func:`reviewer.batch.tasks.run_task` hands these tasks to."""
    if isinstance(task, WalkTask):
        return run_walk(task, progress)
    if isinstance(task, DetectChunkTask):
        return run_chunk(task, progress)
    raise TypeError(f"not a batch task: {type(task).__name__}")


def _one(runner: Any, tasks: list[Any], batch: BatchProgress) -> list[Any]:
    """Every task's result, in the order of ``tasks``; the first failure raised."""
    got: dict[str, Any] = {}
    batch.plan({t.key: t.frames for t in tasks})
    for task, out in runner.run(tasks, batch):
        if isinstance(out, BaseException):
            if isinstance(out, ReviewerError):
                raise out
            raise ReviewerError(failure_detail({"name": task.source.name}, out))
        batch.finish(task.key)
        got[task.key] = out
    return [got[t.key] for t in tasks]


def chunked_scan(plan: Any, runner: Any, batch: BatchProgress, chunks: int) -> Any:
    """The pass over one video (``plan``: its :class:`reviewer.batch.tasks.DetectTask`) in
    up to ``chunks`` pieces on ``runner``'s workers, joined and checked; returns (the
    :class:`reviewer.media.facescan.FaceScan`, how many pieces it ran in)."""
    scan, pieces, _ = chunked_scan_beside(plan, runner, batch, chunks)
    return scan, pieces


def chunked_scan_beside(plan: Any, runner: Any, batch: BatchProgress, chunks: int,
                        beside: Callable[[WalkOutcome], list[Any]] | None = None) -> Any:
    """:func:`chunked_scan`, with ``beside(walk)``: more tasks run on the workers together with
    the face chunks (``detect all``'s text chunks), given the walk's outcome, which then
    also holds the text pass's shot boundaries (one decode for both walks); returns (the
    FaceScan, its pieces, those tasks' results in their order)."""
    from reviewer.media.index import FrameIndex
    from reviewer.session.detect_chunks import join_chunks, plan_chunks

    src = plan.source
    walked = _one(runner, [WalkTask(src, plan.index, plan.stride, plan.frames,
                                    text_shots=beside is not None)], batch)[0]
    if not isinstance(walked, WalkOutcome) or walked.sha256 != src.sha256:
        raise ReviewerError(f"{src.name}: the walk read a file whose SHA-256 is not the "
                            "original's; not used")
    index = FrameIndex.from_bytes(plan.index)
    ranges = plan_chunks(index, walked.walk, chunks)
    tasks = [DetectChunkTask(src, plan.index, plan.threshold, plan.max_side, plan.stride,
                             walked.walk, a, b) for a, b in ranges]
    more = list(beside(walked)) if beside is not None else []
    outs = _one(runner, tasks + more, batch)
    parts = outs[:len(tasks)]
    return (join_chunks(src.name, src.sha256, index.count, walked.transitions, parts), len(parts),
            outs[len(tasks):])
