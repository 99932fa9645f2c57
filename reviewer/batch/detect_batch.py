"""Face detection over many videos: plan, run on workers, write each result into the case.

Resumable: a video whose detection already ran on the same original (SHA-256) with the
same detector settings is skipped (its record is part of the undoable edit that added its
tracks); a video whose detections are cached (a cancelled batch, the coverage review) is
not searched again, only joined and added. Workers return detections; the coordinator,
the only writer of case.db, joins them into tracks and adds them.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reviewer.batch.tasks import DetectOutcome, DetectTask, Source
from reviewer.batch.runners import failure_detail
from reviewer.errors import Cancelled, ReviewerError
from reviewer.progress import BatchProgress
from reviewer.session.detect import FACE_SETTINGS, DetectSettings, run_status
from reviewer.store import CaseStore
from reviewer.store.batch_records import faces_key, get_record
from reviewer.store.db import now_iso


@dataclass(frozen=True)
class DetectItem:
    """What the batch did with one video. ``command`` (when the caller applies the edits
    itself, as the window does on its undo stack) adds the tracks and the record."""

    media_id: int
    name: str
    status: str  # done | current | failed
    tracks: int = 0
    detail: str = ""
    command: Any = None

    def line(self) -> str:
        if self.status == "failed":
            return f"error: {self.detail}"
        if self.status == "current":
            return f"current  {self.name}: faces already found with these settings"
        return f"done     {self.name}: {self.tracks} face track(s){self.detail}"


def run_key(row: dict[str, Any], settings: DetectSettings) -> dict[str, Any]:
    """The detector's settings as they apply to this video (its stride follows its rate)."""
    from reviewer.session.detect import run_key as key

    return key(row, settings)


def is_current(store: CaseStore, row: dict[str, Any], settings: DetectSettings) -> bool:
    rec = get_record(store, faces_key(row["id"]))
    return (rec is not None and rec[1].get("sha256") == row["sha256"]
            and rec[1].get("settings") == run_key(row, settings))


def videos(store: CaseStore, refs: list[str] | None,
           purpose: str = "face detection") -> list[dict[str, Any]]:
    """The videos named (by id or name), or every video of the case; a document named is
    refused (``purpose`` says what for)."""
    from reviewer.store import media as media_store

    if not refs:
        return [r for r in media_store.list_media(store) if r["kind"] == "video"]
    rows = []
    for ref in refs:
        row = media_store.find_media(store, ref)
        if row["kind"] != "video":
            raise ReviewerError(f"{row['name']}: is a document; {purpose} is for videos")
        if row["id"] not in {r["id"] for r in rows}:
            rows.append(row)
    return rows


def record_commands(store: CaseStore, row: dict[str, Any], settings: DetectSettings,
                    tracks: int) -> list[Any]:
    from reviewer.session.edits import Delete, Insert

    cmds: list[Any] = []
    old = get_record(store, faces_key(row["id"]))
    if old is not None:
        cmds.append(Delete("settings", old[0], label="detect faces"))
    value = {"sha256": row["sha256"], "settings": run_key(row, settings), "tracks": tracks,
             "when": now_iso()}
    cmds.append(Insert("settings", {"key": faces_key(row["id"]), "value": json.dumps(value)},
                       label="detect faces"))
    return cmds


def add_tracks(store: CaseStore, row: dict[str, Any], scan: Any, settings: DetectSettings,
               reason: str, status: str, apply: Callable[[Any], None] | None) -> tuple[int, Any]:
    """Join the pass (``scan``: a :class:`reviewer.media.facescan.FaceScan`) into tracks and add them with the run's record as one edit, applied
    here or handed to ``apply``; returns (tracks added, the edit handed over or None)."""
    from reviewer.session.detect import face_tracks, remember_scan, tracks_command
    from reviewer.session.edits import Batch
    from reviewer.session.session import Session

    remember_scan(store, row, scan, settings)
    cmd = tracks_command(store, row, face_tracks(store, row, settings=settings, result=scan),
                         reason, status)
    n = len(cmd.commands) if cmd is not None else 0
    record = record_commands(store, row, settings, n)
    if cmd is None:  # nothing to undo: the record alone, not an undo step
        Session(store).apply(Batch(tuple(record), label="detect faces"))
        return 0, None
    full = Batch(tuple(cmd.commands) + tuple(record), label="detect faces")
    if apply is None:
        Session(store).apply(full)
        return n, None
    apply(full)
    return n, full


def plan_task(store: CaseStore, row: dict[str, Any], settings: DetectSettings) -> DetectTask:
    """What a worker needs to search one video: the file, its hash, the case's frame
    numbering and the settings; nothing of the case itself."""
    from reviewer.media.index import cached_index
    from reviewer.session.detect import stride_for
    from reviewer.store.media import FrameIndexCache

    index = cached_index(row["path"], FrameIndexCache(store, row["id"]))
    return DetectTask(Source(row["id"], row["name"], row["path"], row["sha256"]),
                      index.to_bytes(), settings.threshold, settings.max_side,
                      stride_for(row, settings), index.count)


def find_faces(store: CaseStore, rows: list[dict[str, Any]], runner: Any, batch: BatchProgress,
               *, reason: str = "b6", suggest: bool = False,
               apply: Callable[[Any], None] | None = None,
               chunks: int = 1) -> Iterator[DetectItem]:
    """Face detection as both the window (Find faces, Find faces in every video) and
    ``reviewer detect faces`` run it: one settings value, one rule for which tracks become
    redactions and which suggestions."""
    return detect_batch(store, rows, runner, batch, reason=reason, status=run_status(suggest),
                        settings=FACE_SETTINGS, apply=apply, chunks=chunks)


def detect_batch(store: CaseStore, rows: list[dict[str, Any]], runner: Any, batch: BatchProgress,
                 *, reason: str = "b6", status: str = "active",
                 settings: DetectSettings = FACE_SETTINGS,
                 apply: Callable[[Any], None] | None = None,
                 chunks: int = 1) -> Iterator[DetectItem]:
    """Detect faces in ``rows`` (videos), yielding each video's outcome as it is written.

    ``chunks`` > 1: each video in turn is split into that many keyframe-aligned pieces run
    on the workers at once (reviewer.batch.detect_chunks), with the one-process result.

    ``apply``: who applies each video's edit (the window's undo stack); default: applied
    here, through a session on ``store``."""
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache
    from reviewer.session.detect import cached_scan

    if status not in ("active", "suggested"):
        raise ReviewerError(f"status must be 'active' or 'suggested', not {status!r}")
    tasks: list[DetectTask] = []
    cached: list[tuple[dict[str, Any], Any]] = []
    by_id = {r["id"]: r for r in rows}
    for row in rows:
        if is_current(store, row, settings):
            yield DetectItem(row["id"], row["name"], "current")
            continue
        scan = cached_scan(store, row, settings)
        if scan is not None:
            cached.append((row, scan))
            continue
        try:
            tasks.append(plan_task(store, row, settings))
        except ReviewerError as exc:
            yield DetectItem(row["id"], row["name"], "failed", detail=str(exc))
    batch.plan({t.key: t.frames for t in tasks})
    for row, scan in cached:
        if batch.cancelled:
            raise Cancelled("cancelled")
        n, cmd = add_tracks(store, row, scan, settings, reason, status, apply)
        yield DetectItem(row["id"], row["name"], "done", n, " (detections were cached)", cmd)
    if not tasks:
        return
    if chunks > 1:  # videos long enough to split go first, each over every worker
        from reviewer.session.detect_chunks import MIN_CHUNK_FRAMES

        split = [t for t in tasks if t.frames >= 2 * MIN_CHUNK_FRAMES]
        yield from _chunked(store, split, by_id, runner, batch, chunks, settings, reason,
                            status, apply)
        tasks = [t for t in tasks if t.frames < 2 * MIN_CHUNK_FRAMES]
        if not tasks:
            return
        batch.plan({t.key: t.frames for t in tasks})
    for task, out in runner.run(tasks, batch):
        row = by_id[task.source.media_id]
        if isinstance(out, BaseException):
            item = DetectItem(row["id"], row["name"], "failed", detail=failure_detail(row, out))
        else:
            from reviewer.batch.untrusted import check_detection

            try:
                check_detection(out, task)
            except ReviewerError as exc:
                batch.finish(task.key)
                yield DetectItem(row["id"], row["name"], "failed", detail=str(exc))
                continue
            assert isinstance(out, DetectOutcome)
            n, cmd = add_tracks(store, row, out.scan, settings, reason, status, apply)
            item = DetectItem(row["id"], row["name"], "done", n, f" ({out.frames} frames)", cmd)
        batch.finish(task.key)
        yield item


def _chunked(store: CaseStore, tasks: list[DetectTask], by_id: dict[int, Any], runner: Any,
             batch: BatchProgress, chunks: int, settings: DetectSettings, reason: str,
             status: str, apply: Callable[[Any], None] | None) -> Iterator[DetectItem]:
    from reviewer.batch.detect_chunks import chunked_scan

    for task in tasks:
        row = by_id[task.source.media_id]
        try:
            scan, pieces = chunked_scan(task, runner, batch, chunks)
        except ReviewerError as exc:  # Cancelled is not one: it ends the batch
            yield DetectItem(row["id"], row["name"], "failed", detail=str(exc))
            continue
        n, cmd = add_tracks(store, row, scan, settings, reason, status, apply)
        yield DetectItem(row["id"], row["name"], "done", n,
                         f" ({task.frames} frames in {pieces} chunk(s))", cmd)
