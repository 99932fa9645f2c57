"""Transcription over many videos: plan, run on workers, write each result into the case.

Resumable and idempotent: a track already transcribed from the same original (SHA-256) with
the same model and settings is not done again, so a second run with nothing changed does
nothing. Workers return words; the coordinator, the only writer of case.db, checks that the
worker read the case's original (the hash it names) before writing them.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reviewer.batch.speech_tasks import TranscribeOutcome, TranscribeTask
from reviewer.batch.tasks import Source
from reviewer.batch.runners import failure_detail
from reviewer.errors import ReviewerError
from reviewer.progress import BatchProgress
from reviewer.speech.engine import MODEL_NAME, Settings
from reviewer.store import CaseStore


@dataclass(frozen=True)
class TranscribeItem:
    media_id: int
    name: str
    status: str  # done | current | failed | silent (no audio track)
    words: int = 0
    gaps: int = 0
    detail: str = ""

    def line(self) -> str:
        if self.status == "failed":
            return f"error: {self.detail}"
        gaps = f", {self.gaps} stretch(es) of speech not transcribed" if self.gaps else ""
        if self.status == "silent":
            return f"{self.name}\t0 words (no audio track)"
        if self.status == "current":
            return f"{self.name}\t{self.words} words (already transcribed with these settings){gaps}"
        return f"{self.name}\t{self.words} words{gaps}"


def _counts(store: CaseStore, media_id: int) -> tuple[int, int]:
    from reviewer.store.transcripts import gaps_of, words_of

    return len(words_of(store, media_id)), len(gaps_of(store, media_id))


def transcribe_batch(store: CaseStore, rows: list[dict[str, Any]], runner: Any,
                     batch: BatchProgress, settings: Settings = Settings()) -> Iterator[TranscribeItem]:
    """Transcribe every audio track of ``rows`` (videos), yielding each item as it is written."""
    from reviewer.media.index import cached_index
    from reviewer.media.speech_audio import audio_track_count
    from reviewer.store.media import FrameIndexCache
    from reviewer.store.transcripts import find_transcript, save_transcript

    key = settings.key()
    tasks: list[TranscribeTask] = []
    by_id = {r["id"]: r for r in rows}
    for row in rows:
        try:
            n = audio_track_count(row["path"])
            if n == 0:
                yield TranscribeItem(row["id"], row["name"], "silent")
                continue
            todo = tuple(t for t in range(n) if find_transcript(
                store, row["id"], t, row["sha256"], MODEL_NAME, key) is None)
            if not todo:
                yield TranscribeItem(row["id"], row["name"], "current", *_counts(store, row["id"]))
                continue
            index = cached_index(row["path"], FrameIndexCache(store, row["id"]))
            seconds = float(row.get("duration") or index.duration_s or 1)
            tasks.append(TranscribeTask(Source(row["id"], row["name"], row["path"], row["sha256"]),
                                        index.to_bytes(), todo, tuple(vars(settings).items()),
                                        max(1, round(seconds * len(todo)))))
        except ReviewerError as exc:
            yield TranscribeItem(row["id"], row["name"], "failed", detail=str(exc))
    batch.plan({t.key: t.frames for t in tasks})
    if not tasks:
        return
    for task, out in runner.run(tasks, batch):
        row = by_id[task.source.media_id]
        if isinstance(out, BaseException):
            item = TranscribeItem(row["id"], row["name"], "failed", detail=failure_detail(row, out))
        elif not isinstance(out, TranscribeOutcome) or out.sha256 != row["sha256"] \
                or out.media_id != row["id"]:
            item = TranscribeItem(row["id"], row["name"], "failed", detail=(
                f"{row['name']}: the worker's words came from another file (SHA-256 "
                f"{getattr(out, 'sha256', '?')[:16]}…, the case has {row['sha256'][:16]}…); not kept"))
        else:
            for tw in out.tracks:
                save_transcript(store, row["id"], tw.track, out.sha256, out.model, key,
                                tw.seconds, tw.words, tw.gaps)
            item = TranscribeItem(row["id"], row["name"], "done", *_counts(store, row["id"]))
        batch.finish(task.key)
        yield item
