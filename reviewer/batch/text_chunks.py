"""One video's text pass on the batch runner's workers (``detect text --chunks N``, and the
text half of ``detect all --chunks N``).

Like every batch task the workers never open case.db: each checks the original's SHA-256
and names it in its result. One worker walks the whole video for the shot boundaries while
N others each run the pass over one range starting where the pass starts afresh anyway
(:mod:`reviewer.media.text_chunks`: at the look after a keyframe); the coordinator checks
each result (the hash, the ranges tiling the video, the tracks' shape), puts them end to
end and finishes them as the pass finishes its own, so the tracks and readings are those
of the pass in one process.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.batch.tasks import Source
from reviewer.errors import ReviewerError
from reviewer.progress import BatchProgress, Progress


@dataclass(frozen=True)
class TextWalkTask:
    source: Source
    index: bytes
    frames: int

    @property
    def key(self) -> str:
        return f"textwalk-{self.source.sha256[:16]}-{self.source.media_id}"


@dataclass(frozen=True)
class TextWalkOutcome:
    sha256: str
    transitions: tuple[Any, ...]


@dataclass(frozen=True)
class TextChunkTask:
    source: Source
    index: bytes
    side: int
    stride: int
    restarts: tuple[int, ...]
    first: int
    last: int

    @property
    def frames(self) -> int:
        return self.last - self.first + 1

    @property
    def key(self) -> str:
        return f"text-{self.source.sha256[:16]}-{self.source.media_id}-{self.first}-{self.last}"


def run_text_task(task: Any, progress: Progress | None = None) -> Any:
    """On a worker: the walk or one chunk, on the original only (its hash checked first)."""
    from reviewer.batch.tasks import verify_source
    from reviewer.media.index import FrameIndex
    from reviewer.media.text_chunks import run_text_chunk, text_shots

    sha = verify_source(task.source)
    index = FrameIndex.from_bytes(task.index)
    if isinstance(task, TextWalkTask):
        return TextWalkOutcome(sha, text_shots(task.source.path, index, progress))
    from reviewer.media.text import TextDetector, TextReader

    return run_text_chunk(task.source.path, index, TextDetector(max_side=task.side), TextReader(),
                          task.stride, task.restarts, task.first, task.last, sha, progress)


def _checked(name: str, out: Any, task: Any, index: Any) -> Any:
    from reviewer.annotate.tracks import Transition
    from reviewer.batch.untrusted import Refused
    from reviewer.media.text_chunks import TextChunk, check_tracks

    if isinstance(task, TextWalkTask):
        if (not isinstance(out, TextWalkOutcome) or not isinstance(out.transitions, tuple)
                or not all(type(t) is Transition for t in out.transitions)):
            raise Refused(f"{name}: the worker returned no shot boundaries; not used")
        if out.sha256 != task.source.sha256:
            raise Refused(f"{name}: the walk read a file whose SHA-256 is not the original's; "
                          "not used")
        return out
    if not isinstance(out, TextChunk):
        raise Refused(f"{name}: the worker returned no text chunk; not used")
    if (out.first, out.last) != (task.first, task.last):
        raise Refused(f"{name}: the worker returned frames {out.first}-{out.last} for the chunk "
                      f"of frames {task.first}-{task.last}; not used")
    try:
        check_tracks(name, out.tracks, index.count, index.width, index.height)
    except ReviewerError as exc:
        raise Refused(str(exc)) from None
    return out


def text_tasks(plan: Any, index: Any, chunks: int) -> tuple[list[Any], tuple[int, ...]]:
    """The chunks of the text pass over ``plan``'s video (a DetectAllTask: source, index,
    text settings): up to ``chunks`` ranges of nearly equal length, each starting at a
    restart point; and the restart points."""
    from reviewer.media.text_split import restart_points
    from reviewer.session.detect_chunks import plan_chunks

    restarts = restart_points(index, plan.text_stride)
    ranges = plan_chunks(index, restarts, chunks, min_frames=1)
    return [TextChunkTask(plan.source, plan.index, plan.text_side, plan.text_stride, restarts,
                          a, b) for a, b in ranges], restarts


def joined_text(plan: Any, index: Any, tasks: list[Any], outs: list[Any], transitions: Any,
                restarts: tuple[int, ...]) -> tuple[Any, ...]:
    """The tracks from the chunks' results, each checked, joined and finished."""
    from reviewer.annotate.tracks import Transition
    from reviewer.media.text_chunks import finish_chunks, join_text_chunks, plain

    src = plan.source
    if not isinstance(transitions, tuple) or not all(type(t) is Transition for t in transitions):
        raise ReviewerError(f"{src.name}: the walk returned no shot boundaries; not used")
    outs = [_checked(src.name, o, t, index) for o, t in zip(outs, tasks)]
    whole = join_text_chunks(src.name, src.sha256, index.count, restarts, outs)
    return plain(finish_chunks(whole, transitions, index.count, plan.text_stride, restarts))


def chunked_text(plan: Any, runner: Any, batch: BatchProgress, chunks: int,
                 index: Any) -> tuple[Any, ...]:
    """The text pass's tracks over the video of ``plan`` in up to ``chunks`` pieces on
    ``runner``'s workers, beside one walk for the shot boundaries; joined and checked."""
    from reviewer.batch.detect_chunks import _one

    tasks, restarts = text_tasks(plan, index, chunks)
    walk = TextWalkTask(plan.source, plan.index, index.count)
    outs = _one(runner, [walk] + tasks, batch)
    shots = _checked(plan.source.name, outs[0], walk, index).transitions
    return joined_text(plan, index, tasks, outs[1:], shots, restarts)


def text_batch(store: Any, row: dict[str, Any], runner: Any, batch: BatchProgress, *,
               match: str | None = None, reason: str = "b6", chunks: int = 1) -> Any:
    """``detect text`` on the runner's workers: the whole pass on one (``chunks`` 1) or
    split; written here as the one-process command writes it. Returns its TextResult."""
    from reviewer.batch.detect_all import check_all, plan_all
    from reviewer.batch.runners import failure_detail
    from reviewer.media.index import FrameIndex
    from reviewer.media.text_chunks import FoundText
    from reviewer.session.detect_text import compile_match, detect_text_command
    from reviewer.session.session import Session

    compile_match(match)
    if row.get("kind") != "video":
        raise ReviewerError(f"{row['name']}: is a document; detect text is for videos "
                            "(use 'redact text' for documents)")
    task = plan_all(store, row, faces=False)
    index = FrameIndex.from_bytes(task.index)
    if chunks > 1:
        text = chunked_text(task, runner, batch, chunks, index)
    else:
        batch.plan({task.key: task.frames})
        ((_, out),) = list(runner.run([task], batch))
        if isinstance(out, BaseException):
            raise ReviewerError(failure_detail(row, out))
        text = check_all(out, task, index.width, index.height).text
        batch.finish(task.key)
    result = detect_text_command(store, row, match, reason,
                                 found=FoundText(tuple(text), task.text_side, task.text_stride))
    if result.command is not None:
        Session(store).apply(result.command)
    return result


def chunked_all(task: Any, runner: Any, batch: BatchProgress, chunks: int,
                index: Any) -> tuple[Any, tuple[Any, ...]]:
    """``detect all --chunks N``: the face pass split as ``detect faces --chunks`` splits it,
    its walk also finding the text pass's shot boundaries (one decode for both), and the
    text pass's chunks run beside the face chunks; (the FaceScan or None, the text tracks).
    Without a face search, the text pass alone as ``detect text --chunks``."""
    from reviewer.batch.detect_chunks import chunked_scan_beside
    from reviewer.batch.tasks import DetectTask

    if not task.faces:
        return None, chunked_text(task, runner, batch, chunks, index)
    plan = DetectTask(task.source, task.index, task.threshold, task.max_side, task.stride,
                      task.frames)
    text, restarts = text_tasks(task, index, chunks)
    got: dict[str, Any] = {}

    def beside(walked: Any) -> list[Any]:
        got["shots"] = walked.text_transitions
        return text

    scan, _, outs = chunked_scan_beside(plan, runner, batch, chunks, beside)
    return scan, joined_text(task, index, text, outs, got["shots"], restarts)


__all__ = ["TextChunkTask", "TextWalkTask", "chunked_all", "chunked_text", "joined_text",
           "run_text_task", "text_batch", "text_tasks"]
