"""Faces and text found in one video on one decode (``reviewer detect all``, the window's
Find faces and text).

The two passes are the very ones ``detect faces`` and ``detect text`` run, with the same
settings and the same rules for what becomes a redaction; only the decoding is shared
(reviewer.media.shared_decode): the text pass is fed the frames the face pass decodes. Each pass
writes what it writes when run alone: the face tracks with the record that faces were
searched (so ``detect faces`` afterwards adds nothing), the text tracks with what was read.
Faces already found with these settings, or cached, are not searched again; the text pass
then decodes on its own.

The command line runs it as a batch task (:func:`detect_all_batch`): a sandboxed child or a
Dask worker decodes the video and runs both passes, never opening case.db, and the
coordinator takes its detections and text tracks only once they are checked
(reviewer.batch.untrusted, reviewer.media.text_chunks). The window runs :func:`detect_all`
in its own process.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reviewer.batch.detect_batch import DetectItem, add_tracks, is_current
from reviewer.batch.tasks import Source
from reviewer.errors import ReviewerError
from reviewer.progress import BatchProgress, Progress
from reviewer.session.detect import FACE_SETTINGS, run_status
from reviewer.store import CaseStore


@dataclass(frozen=True)
class DetectAllResult:
    faces: DetectItem      # as ``detect faces`` reports one video
    text: Any              # a reviewer.session.detect_text.TextResult
    shared: bool           # the text pass read the face pass's decode (False: faces were not searched)


def detect_all(store: CaseStore, row: dict[str, Any], *, reason: str = "b6",
               match: str | None = None, suggest: bool = False,
               progress: Progress | None = None,
               apply: Callable[[Any], None] | None = None) -> DetectAllResult:
    """Faces and text of the video ``row``. ``apply``: who applies each pass's edit (the
    window's undo stack; the face edit first); default: applied here. The text edit is
    handed back in ``text.command`` when ``apply`` is given, as ``detect_text_command``
    does, and applied here otherwise."""
    from reviewer.session.detect import cached_scan, scan_file, stride_for
    from reviewer.session.detect_text import compile_match, detect_text_command, text_pass
    from reviewer.session.session import Session

    compile_match(match)  # a bad pattern is refused before the video is read
    progress = progress or Progress()
    status = run_status(suggest)
    name = row["name"]
    if is_current(store, row, FACE_SETTINGS):
        faces = DetectItem(row["id"], name, "current")
        fed = None
    else:
        scan = cached_scan(store, row, FACE_SETTINGS)
        fed = None
        note = " (detections were cached)"
        if scan is None:
            from reviewer.media.index import cached_index
            from reviewer.store.media import FrameIndexCache

            # the text pass rides on the face pass's decoding thread; its own progress is
            # silent (the face pass reports for both) but shares the cancel flag through
            # the face pass, which stops the decode
            fed = text_pass(store, row, Progress())
            index = cached_index(row["path"], FrameIndexCache(store, row["id"]))
            scan = scan_file(row["path"], name, index, FACE_SETTINGS,
                             stride_for(row, FACE_SETTINGS), progress.sub(0.0, 0.97),
                             taps=(fed.push,))
            note = f" ({index.count} frames, text read on the same decode)"
        n, cmd = add_tracks(store, row, scan, FACE_SETTINGS, reason, status, apply)
        faces = DetectItem(row["id"], name, "done", n, note, cmd)
    text = detect_text_command(store, row, match, reason, progress.sub(0.97 if fed else 0.0, 1.0),
                               fed=fed)
    if apply is None and text.command is not None:
        Session(store).apply(text.command)
    return DetectAllResult(faces, text, fed is not None)


@dataclass(frozen=True)
class DetectAllTask:
    """Both passes over one original, for a worker: the file and its hash, the case's frame
    numbering, the face detector's settings (``faces`` False: faces need no search, the
    text pass decodes alone) and the text pass's."""

    source: Source
    index: bytes
    threshold: float
    max_side: int
    stride: int
    frames: int
    faces: bool
    text_side: int
    text_stride: int
    text_restarts: tuple[int, ...] = ()  # where the text pass starts afresh (media.text_chunks)

    @property
    def key(self) -> str:
        return f"all-{self.source.sha256[:16]}-{self.source.media_id}"


@dataclass(frozen=True)
class DetectAllOutcome:
    media_id: int
    scan: Any            # a FaceScan, or None when faces were not searched
    text: tuple[Any, ...]  # the text pass's finished tracks (reviewer.media.text_chunks.plain)
    frames: int
    source_sha256: str = ""  # the SHA-256 of the file read, checked before and after reading


def run_detect_all(task: DetectAllTask, progress: Progress | None = None) -> DetectAllOutcome:
    """On a worker: both passes on one decode (the text pass alone when faces need none)."""
    from reviewer.batch.tasks import verify_source
    from reviewer.media.index import FrameIndex
    from reviewer.media.text import TextDetector, TextReader
    from reviewer.media.text_chunks import plain
    from reviewer.media.text_pass import TextPass
    from reviewer.session.detect import DetectSettings, scan_file

    progress = progress or Progress()
    src = task.source
    verify_source(src)
    index = FrameIndex.from_bytes(task.index)
    scan = None
    if task.faces:
        fed = TextPass(src.path, index, TextDetector(max_side=task.text_side), TextReader(),
                       task.text_stride, Progress(), restarts=task.text_restarts)
        scan = scan_file(src.path, src.name, index,
                         DetectSettings(threshold=task.threshold, max_side=task.max_side),
                         task.stride, progress, taps=(fed.push,))
        text = fed.finish()
    else:
        text = TextPass(src.path, index, TextDetector(max_side=task.text_side), TextReader(),
                        task.text_stride, progress, restarts=task.text_restarts).run()
    return DetectAllOutcome(src.media_id, scan, plain(text), index.count,
                            verify_source(src, "after"))


def plan_all(store: CaseStore, row: dict[str, Any], faces: bool) -> DetectAllTask:
    from reviewer.batch.detect_batch import plan_task
    from reviewer.media.index import FrameIndex
    from reviewer.media.text_split import restart_points
    from reviewer.media.text_pass import detect_side_for, stride_for

    t = plan_task(store, row, FACE_SETTINGS)
    index = FrameIndex.from_bytes(t.index)
    stride = stride_for(float(row.get("fps") or 30.0))
    return DetectAllTask(t.source, t.index, t.threshold, t.max_side, t.stride, t.frames, faces,
                         detect_side_for(index.width, index.height), stride,
                         restart_points(index, stride))


def check_all(out: Any, task: DetectAllTask, width: int, height: int) -> DetectAllOutcome:
    """The worker's claim, refused (reviewer.batch.untrusted.Refused) unless it is for this
    video, read from the case's original, with faces and text tracks on its frames only."""
    from reviewer.batch.tasks import DetectOutcome
    from reviewer.batch.untrusted import Refused, check_detection
    from reviewer.media.text_chunks import check_tracks

    src = task.source
    if not isinstance(out, DetectAllOutcome) or out.media_id != src.media_id:
        raise Refused(f"{src.name}: the worker returned a result for another item; not used")
    if task.faces:
        from reviewer.media.facescan import FaceScan

        if not isinstance(out.scan, FaceScan):
            raise Refused(f"{src.name}: the worker returned no face search; not used")
    # the face half is checked as a ``detect faces`` worker's result is
    check_detection(DetectOutcome(out.media_id, out.scan if task.faces else None, out.frames,
                                  out.source_sha256), task)
    try:
        check_tracks(src.name, out.text, task.frames, width, height)
    except ReviewerError as exc:
        raise Refused(str(exc)) from None
    return out


def detect_all_batch(store: CaseStore, row: dict[str, Any], runner: Any, batch: BatchProgress,
                     *, reason: str = "b6", match: str | None = None, suggest: bool = False,
                     chunks: int = 1) -> DetectAllResult:
    """``reviewer detect all``: both passes on ``runner``'s worker (one decode), or, with
    ``chunks`` > 1, each pass split into keyframe-aligned pieces over the workers; the
    results written here, as :func:`detect_all` writes them."""
    from reviewer.batch.runners import failure_detail
    from reviewer.media.index import FrameIndex
    from reviewer.media.text_chunks import FoundText
    from reviewer.session.detect import cached_scan
    from reviewer.session.detect_text import compile_match, detect_text_command
    from reviewer.session.session import Session

    compile_match(match)
    status = run_status(suggest)
    name = row["name"]
    current = is_current(store, row, FACE_SETTINGS)
    scan = None if current else cached_scan(store, row, FACE_SETTINGS)
    task = plan_all(store, row, faces=not current and scan is None)
    index = FrameIndex.from_bytes(task.index)
    if chunks > 1:
        from reviewer.batch.text_chunks import chunked_all

        got_scan, text = chunked_all(task, runner, batch, chunks, index)
        note = f" ({task.frames} frames in chunks)"
    else:
        batch.plan({task.key: task.frames})
        ((_, out),) = list(runner.run([task], batch))
        if isinstance(out, BaseException):
            raise ReviewerError(failure_detail(row, out))
        out = check_all(out, task, index.width, index.height)
        batch.finish(task.key)
        got_scan, text = out.scan, out.text
        note = f" ({task.frames} frames, text read on the same decode)"
    if current:
        faces = DetectItem(row["id"], name, "current")
    else:
        if scan is None:
            scan = got_scan
        else:
            note = " (detections were cached)"
        n, _ = add_tracks(store, row, scan, FACE_SETTINGS, reason, status, None)
        faces = DetectItem(row["id"], name, "done", n, note)
    found = FoundText(tuple(text), task.text_side, task.text_stride)
    result = detect_text_command(store, row, match, reason, found=found)
    if result.command is not None:
        Session(store).apply(result.command)
    return DetectAllResult(faces, result, task.faces)


__all__ = ["DetectAllOutcome", "DetectAllResult", "DetectAllTask", "check_all", "detect_all",
           "detect_all_batch", "run_detect_all"]
