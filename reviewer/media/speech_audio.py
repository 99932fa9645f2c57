"""The sound of one audio track as a speech recogniser wants it: mono, 16 kHz, float32.

Times are relative to the video's frame 0, as export aligns audio (reviewer/export/audio.py)
and as the waveform draws it: sample k of the result plays k / 16000 s after frame 0. Sound
before frame 0 is left out (the export drops it too); a track that starts late is preceded
by silence, so a word's time in the result is its time in the video. The resampling is
FFmpeg's (through PyAV), not ours.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from reviewer.errors import Cancelled, MediaError
from reviewer.progress import Progress

SPEECH_RATE = 16000


def audio_track_count(path: str | Path) -> int:
    from reviewer.media.decode import open_input

    with open_input(path) as container:
        return len(container.streams.audio)


def frame0_seconds(path: str | Path, index_bytes: bytes | None = None) -> Fraction:
    """Frame 0's absolute time (``pts[0] * time_base``) from the case's frame index."""
    from reviewer.media.index import FrameIndex

    if index_bytes is None:
        return Fraction(0)
    index = FrameIndex.from_bytes(index_bytes)
    return Fraction(index.pts[0]) * index.time_base if index.count else Fraction(0)


def speech_samples(path: str | Path, track: int, t0_s: Fraction,
                   progress: Progress | None = None) -> np.ndarray:
    """Audio track ``track`` (0-based among the audio tracks) of ``path``, mono 16 kHz
    float32, sample 0 at frame 0."""
    import av

    from reviewer.media.decode import open_input

    name = Path(path).name
    with open_input(path) as container:
        if track >= len(container.streams.audio):
            raise MediaError(f"{name}: has no audio track {track + 1}")
        stream = container.streams.audio[track]
        duration = float(container.duration or 0) / 1e6 if container.duration else 0.0
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SPEECH_RATE)
        chunks: list[np.ndarray] = []
        first: int | None = None  # sample index (after frame 0) of the first resampled sample
        try:
            for frame in container.decode(stream):
                if first is None:
                    start = (frame.pts * frame.time_base if frame.pts is not None else Fraction(0))
                    first = round((Fraction(start) - Fraction(t0_s)) * SPEECH_RATE)
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
                if progress is not None and duration > 0 and frame.pts is not None:
                    progress.update(min(1.0, float(frame.pts * frame.time_base) / duration),
                                    "Reading the sound")
                    if progress.cancelled:
                        raise Cancelled()
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            raise MediaError(f"{name}: the sound of track {track + 1} cannot be decoded ({exc})") from None
    audio = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    first = first or 0
    if first < 0:
        return audio[-first:]
    return np.concatenate([np.zeros(first, np.float32), audio]) if first else audio
