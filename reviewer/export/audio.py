"""Silencing audio sample by sample (never by whole audio frames: FFmpeg's ``enable=`` on
audio leaves about 22 ms of a span audible), and re-encoding it to AAC.

Sample k of the export sits at time k / rate relative to the export's frame 0. A span
[from, to] covers every sample whose time interval [k/rate, (k+1)/rate) touches it.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from reviewer.annotate.geometry import AudioSpan

BLEEP_HZ = 1000
BLEEP_LEVEL = 0.25  # about -12 dBFS: clearly a tone, not painful


def span_samples(span: AudioSpan, rate: int) -> tuple[int, int]:
    """[first, last) sample indexes covered by ``span`` (relative to the export's frame 0):
    from the sample playing at ``from`` through the sample playing at ``to``, inclusive."""
    lo = math.floor(Fraction(span.t_from_s) * rate)
    hi = math.floor(Fraction(span.t_to_s) * rate) + 1
    return max(lo, 0), max(hi, lo + 1)


def silence(planes: np.ndarray, first_sample: int, spans: Sequence[AudioSpan], rate: int) -> None:
    """Mute or bleep, in place, the samples of ``planes`` (channels x samples, float; the first
    column is sample ``first_sample``) that fall in ``spans``."""
    n = planes.shape[1]
    for span in spans:
        lo, hi = span_samples(span, rate)
        a, b = max(lo - first_sample, 0), min(hi - first_sample, n)
        if a >= b:
            continue
        if span.mode == "bleep":
            k = np.arange(first_sample + a, first_sample + b, dtype=np.float64)
            planes[:, a:b] = (BLEEP_LEVEL * np.sin(2 * np.pi * BLEEP_HZ * k / rate)).astype(planes.dtype)
        else:
            planes[:, a:b] = 0


class AudioReencoder:
    """Decoded source audio in, AAC packets out: cut to the export's span, silenced exactly."""

    def __init__(self, out_container: Any, src_stream: Any, t0_s: Fraction, start_s: Fraction,
                 end_s: Fraction | None, spans: Iterable[AudioSpan]) -> None:
        import av

        ctx = src_stream.codec_context
        self.rate = int(ctx.sample_rate or 48000)
        # AAC takes the usual layouts; anything unusual is mixed down to stereo
        layout = {1: "mono", 2: "stereo", 6: "5.1", 8: "7.1"}.get(int(ctx.channels or 2), "stereo")
        self.layout = layout
        self.stream = out_container.add_stream("aac", rate=self.rate, layout=layout)
        br = ctx.bit_rate or src_stream.bit_rate or 0
        self.stream.bit_rate = int(min(max(br, 128_000), 320_000))
        self._resampler = av.AudioResampler(format="fltp", layout=layout, rate=self.rate)
        self._av = av
        self.t0_s = t0_s  # absolute time of the source's frame 0
        self.start = round(start_s * self.rate)  # export sample 0, relative to frame 0
        self.end = None if end_s is None else math.ceil(end_s * self.rate)
        self.spans = list(spans)
        self._next: int | None = None  # relative sample index of the next resampled sample
        self.samples_out = 0

    def _emit(self, frames: list[Any]) -> list[Any]:
        packets = []
        for rf in frames:
            arr = rf.to_ndarray()  # channels x samples, float32 planar
            n = arr.shape[1]
            k0 = self._next
            self._next = k0 + n
            a = max(self.start - k0, 0)
            b = n if self.end is None else min(self.end - k0, n)
            if a >= b:
                continue
            arr = np.ascontiguousarray(arr[:, a:b])
            silence(arr, k0 + a, self.spans, self.rate)
            out = self._av.AudioFrame.from_ndarray(arr, format="fltp", layout=self.layout)
            out.sample_rate = self.rate
            out.pts = k0 + a - self.start
            out.time_base = Fraction(1, self.rate)
            self.samples_out += b - a
            packets.extend(self.stream.encode(out))
        return packets

    def push(self, frame: Any) -> list[Any]:
        if self._next is None:
            if frame.pts is None:
                self._next = 0
            else:
                self._next = round((frame.pts * frame.time_base - self.t0_s) * self.rate)
        frame.pts = None  # the resampler keeps its own continuous count
        return self._emit(self._resampler.resample(frame))

    def flush(self) -> list[Any]:
        packets = []
        if self._next is not None:
            packets.extend(self._emit(self._resampler.resample(None)))
        packets.extend(self.stream.encode(None))
        return packets
