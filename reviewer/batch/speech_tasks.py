"""The transcription job: a pure function of (original path and SHA-256, tracks, settings).

Like face detection, a worker never opens case.db. It hashes the file it is about to read,
refuses it when that is not the case's original, and names the hash in its result, so the
coordinator writes the words only onto the item they were heard in.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.batch.tasks import Source
from reviewer.errors import MediaError
from reviewer.progress import Progress

THREADS = [2]  # set per worker by reviewer.batch.tasks.limit_threads


@dataclass(frozen=True)
class TranscribeTask:
    source: Source
    index: bytes | None  # FrameIndex.to_bytes(): where frame 0 is, so times match the video
    tracks: tuple[int, ...]  # audio tracks to transcribe (0-based)
    settings: tuple[tuple[str, Any], ...]  # reviewer.speech.engine.Settings fields
    frames: int  # the item's size for progress (seconds of audio x tracks)

    @property
    def key(self) -> str:
        return f"transcribe-{self.source.sha256[:16]}-{self.source.media_id}"


@dataclass(frozen=True)
class TrackWords:
    track: int
    seconds: float
    words: tuple[tuple[str, float, float, float], ...]  # word, start_s, end_s, confidence
    gaps: tuple[tuple[float, float], ...]  # speech heard, no words


@dataclass(frozen=True)
class TranscribeOutcome:
    media_id: int
    sha256: str  # of the file this worker read: checked by the coordinator before writing
    model: str
    tracks: tuple[TrackWords, ...]


def run_transcribe(task: TranscribeTask, progress: Progress | None = None) -> TranscribeOutcome:
    from reviewer.hashing import sha256_file
    from reviewer.media.speech_audio import frame0_seconds, speech_samples
    from reviewer.speech.engine import MODEL_NAME, Settings, transcribe

    progress = progress or Progress()
    path = Path(task.source.path)
    if not path.is_file():
        raise MediaError(f"{task.source.name}: the original is missing ({path}); every worker must "
                         "see the originals at the same path")
    digest = sha256_file(path)
    if digest != task.source.sha256:
        raise MediaError(f"{task.source.name}: the file at {path} is not the case's original "
                         "(its SHA-256 differs); not used")
    settings = Settings(**dict(task.settings))
    t0 = frame0_seconds(path, task.index)
    out = []
    n = max(1, len(task.tracks))
    for k, track in enumerate(task.tracks):
        audio = speech_samples(path, track, t0)
        heard = transcribe(audio, settings, threads=THREADS[0], progress=progress.sub(k / n, (k + 1) / n))
        out.append(TrackWords(track, heard.seconds,
                              tuple((w.word, w.start_s, w.end_s, w.confidence) for w in heard.words),
                              tuple(heard.untranscribed())))
    progress.update(1.0, "Transcribed")
    return TranscribeOutcome(task.source.media_id, digest, MODEL_NAME, tuple(out))
