"""The sound of a video as a min/max envelope, for drawing a waveform under the timeline.

Times are relative to the video's frame 0, exactly as export aligns audio
(reviewer/export/audio.py): sample k sits at k / rate seconds after frame 0, where k counts
from the first decoded audio frame's pts minus frame 0's time. Samples before frame 0 are
left out (the export drops them too). Channels are mixed by taking the min and max over all
of them, so a sound in one channel only still shows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from reviewer.errors import Cancelled, MediaError
from reviewer.progress import Progress


@dataclass(frozen=True)
class Envelope:
    """``mins[i]``/``maxs[i]``: the lowest and highest sample value (-1..1) in bucket i, which
    covers samples [i * samples_per_bucket, (i + 1) * samples_per_bucket) after frame 0."""

    sample_rate: int
    samples_per_bucket: Fraction
    mins: np.ndarray
    maxs: np.ndarray
    samples_seen: int  # samples decoded at or after frame 0

    @property
    def buckets(self) -> int:
        return len(self.mins)

    @property
    def duration_s(self) -> Fraction:
        return self.samples_per_bucket * self.buckets / self.sample_rate

    def bucket_seconds(self, i: int) -> Fraction:
        """Start of bucket ``i`` in exact seconds after frame 0."""
        return self.samples_per_bucket * i / self.sample_rate

    def sample_at(self, seconds: Fraction) -> int:
        """The sample playing at ``seconds`` after frame 0 (the one export's spans start at)."""
        return math.floor(Fraction(seconds) * self.sample_rate)


def has_audio(path: str | Path) -> bool:
    from reviewer.media.decode import open_input

    with open_input(path) as container:
        return bool(container.streams.audio)


def audio_envelope(path: str | Path, t0_s: Fraction, duration_s: Fraction, buckets: int,
                   progress: Progress | None = None) -> Envelope | None:
    """Decode the first audio stream of ``path`` into ``buckets`` min/max pairs over
    [0, duration_s) after frame 0 (``t0_s``: frame 0's absolute time, ``pts[0] * time_base``).
    None when the file has no sound. Buckets no sample reached stay at 0."""
    from reviewer.media.decode import open_input

    if buckets <= 0:
        raise ValueError("buckets must be positive")
    with open_input(path) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        rate = int(stream.codec_context.sample_rate or 0)
        if rate <= 0:
            raise MediaError(f"{Path(path).name}: the audio has no sample rate")
        total = max(1, math.ceil(Fraction(duration_s) * rate))
        per = Fraction(total, buckets)
        mins = np.zeros(buckets, dtype=np.float32)
        maxs = np.zeros(buckets, dtype=np.float32)
        seen = 0
        nxt: int | None = None
        last_report = -1.0
        for frame in container.decode(stream):
            if nxt is None or frame.pts is not None:
                # each frame placed by its own pts when it has one, else right after the last
                nxt = 0 if frame.pts is None else round(
                    (frame.pts * frame.time_base - Fraction(t0_s)) * rate)
            arr = _as_float(frame.to_ndarray(), frame.format.name, len(frame.layout.channels))
            n = arr.shape[1]
            k0, nxt = nxt, nxt + n
            a, b = max(0, -k0), min(n, total - k0)
            if a < b:
                _fold(arr[:, a:b], k0 + a, per, mins, maxs)
                seen += b - a
            if k0 >= total:
                break
            if progress is not None:
                f = min(1.0, max(0.0, nxt / total))
                if f - last_report >= 0.02:
                    last_report = f
                    progress.update(f, "Reading the sound")
                if progress.cancelled:
                    raise Cancelled()
    return Envelope(rate, per, mins, maxs, seen)


def _as_float(arr: np.ndarray, fmt: str, channels: int) -> np.ndarray:
    """channels x samples as float32 in -1..1, whatever the decoder's sample format."""
    if not fmt.endswith("p"):  # packed: interleaved in one row
        arr = arr.reshape(-1, channels).T
    if arr.dtype.kind == "f":
        return arr.astype(np.float32, copy=False)
    if arr.dtype == np.uint8:
        return (arr.astype(np.float32) - 128.0) / 128.0
    return arr.astype(np.float32) / float(np.iinfo(arr.dtype).max + 1)


def _fold(arr: np.ndarray, k0: int, per: Fraction, mins: np.ndarray, maxs: np.ndarray) -> None:
    """Fold samples k0.. (channels x n) into their buckets' min and max."""
    lo = arr.min(axis=0)
    hi = arr.max(axis=0)
    k = np.arange(k0, k0 + arr.shape[1], dtype=np.int64)
    idx = (k * per.denominator) // per.numerator  # exact: bucket = floor(k / per)
    idx = np.minimum(idx, len(mins) - 1)
    np.minimum.at(mins, idx, lo)
    np.maximum.at(maxs, idx, hi)
