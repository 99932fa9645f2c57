"""The source video as export sees it: MEDIA's frame index and exact frame reader, with the
decoding on its own thread so that decoding and encoding overlap.

Frame numbers are MEDIA's: frame n is the n-th displayed pts of ``reviewer.media.index``'s
FrameIndex, and ``FrameReader.iter_frames`` raises when a listed frame cannot be decoded, so
an export never has a silent gap.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from reviewer.errors import MediaError

logging.getLogger("libav").setLevel(logging.CRITICAL)


def load_source_index(store: Any, media_row: dict) -> Any:
    """MEDIA's frame index of the item (the numbering every redaction refers to)."""
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache

    return cached_index(media_row["path"], FrameIndexCache(store, media_row["id"]))


def rotate_plane(plane: np.ndarray, rotation: int) -> np.ndarray:
    """A stored plane turned ``rotation`` degrees clockwise (as displayed)."""
    if rotation == 90:
        return np.rot90(plane, k=-1)
    if rotation == 180:
        return plane[::-1, ::-1]
    if rotation == 270:
        return np.rot90(plane, k=1)
    return plane


def plane_array(frame: Any, i: int) -> np.ndarray:
    """A read-only view (rows x width) of plane ``i`` of a decoded frame, without padding."""
    p = frame.planes[i]
    arr = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)
    return arr[:p.height, :p.width]


_END = object()


class Decoder:
    """Decodes frames first..last (display order, yuv420p) on its own thread.

    Iterating yields ``(n, frame)``; errors in the thread are raised here. ``close()`` stops
    the thread (on cancel or error). ``ranges``: decode only these runs of frames (first..last
    inclusive each, in order) instead of first..last (a smart cut decodes only what it encodes).
    """

    def __init__(self, path: str | Path, index: Any, first: int, last: int, depth: int = 8,
                 ranges: list[tuple[int, int]] | None = None) -> None:
        from reviewer.media.frames import FrameReader

        self.name = Path(path).name
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._reader = FrameReader(path, index)
        self.first, self.last = first, last
        self.ranges = ranges if ranges is not None else [(first, last)]
        self._thread = threading.Thread(target=self._run, name="export-decode", daemon=True)
        self._thread.start()

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            size = self._reader.index.square_size
            for n, f in self._frames():
                if size is not None and (f.width, f.height) != size:
                    # non-square pixels: scaled to the shape a player shows, so the boxes
                    # (drawn in displayed pixels) land where they were drawn
                    f = f.reformat(width=size[0], height=size[1], format="yuv420p",
                                   interpolation="BICUBIC")
                elif f.format.name != "yuv420p":
                    f = f.reformat(format="yuv420p")
                if not self._put((n, f)):
                    return
            self._put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer thread
            self._put(exc)

    def _frames(self) -> Iterator[tuple[int, Any]]:
        for lo, hi in self.ranges:
            yield from self._reader.iter_frames(lo, hi, as_av=True)

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        while True:
            item = self._q.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                if isinstance(item, av.error.FFmpegError):
                    raise MediaError(f"{self.name}: the decoder failed ({item})") from None
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        try:
            self._reader.close()
        except Exception:  # noqa: BLE001, S110 - closing after an error
            pass


def audio_streams(path: str | Path) -> list[tuple[int, str, Fraction | None]]:
    """Every audio track of the source: (stream index, codec name, time of its first decoded
    sample in seconds on the file's clock, None when none decodes). Decoded, not the stream's
    start time: that one counts the encoder's priming samples, which decoders drop."""
    found = []
    with av.open(str(path)) as c:
        indexes = [s.index for s in c.streams.audio]
    for i in indexes:
        first = None
        with av.open(str(path)) as c:
            st = c.streams[i]
            try:
                for pkt in c.demux(st):
                    try:
                        frames = pkt.decode()
                    except av.error.InvalidDataError:
                        continue
                    if frames:
                        f = frames[0]
                        if f.pts is not None and f.time_base is not None:
                            first = f.pts * Fraction(f.time_base)
                        break
            except av.error.FFmpegError:
                first = None
            codec = st.codec_context.name or ""
        found.append((i, codec, first))
    return found


class AudioSource:
    """One audio stream of the source (the ``index``-th stream of the file, default its first
    audio track), read lazily up to a time (packets or decoded frames), so audio is
    interleaved with the video as it is written."""

    def __init__(self, path: str | Path, t0_s: Fraction, start_s: Fraction, end_s: Fraction,
                 decode: bool, index: int | None = None) -> None:
        self.name = Path(path).name
        try:
            self._c = av.open(str(path))
        except av.error.FFmpegError as exc:
            raise MediaError(f"{self.name}: cannot be opened ({exc})") from None
        self.stream = self._c.streams.audio[0] if index is None else self._c.streams[index]
        self.time_base = Fraction(self.stream.time_base)
        self.t0_s, self.end_s = t0_s, end_s
        if start_s > 1:
            self._c.seek(int((t0_s + start_s - 1) / self.time_base), stream=self.stream, backward=True)
        self._decode = decode
        self._gen = self._items()
        self._held: Any = None
        self.done = False

    def _items(self) -> Iterator[tuple[Fraction, Any]]:
        flushed = False
        for packet in self._c.demux(self.stream):
            if packet.size == 0 and packet.dts is None:
                if self._decode and not flushed:
                    flushed = True
                    for f in packet.decode():
                        yield Fraction(0), f
                continue
            t = (packet.pts * self.time_base - self.t0_s) if packet.pts is not None else None
            if t is not None and t > self.end_s + 1:
                break
            if self._decode:
                try:
                    decoded = packet.decode()
                except av.error.InvalidDataError:
                    # one damaged packet (a bad header in a broken TS): lose its ~20 ms, not
                    # the whole export; the re-encoded track simply has no samples there
                    continue
                for f in decoded:
                    yield t or Fraction(0), f
            else:
                yield t or Fraction(0), packet
        if self._decode and not flushed:
            for f in self.stream.codec_context.decode(None):
                yield Fraction(0), f

    def until(self, t_s: Fraction | None) -> Iterator[Any]:
        """Items starting before ``t_s`` (relative to source frame 0); all that remain for None."""
        while not self.done:
            if self._held is None:
                try:
                    self._held = next(self._gen)
                except StopIteration:
                    self.done = True
                    return
            t, item = self._held
            if t_s is not None and t > t_s:
                return
            self._held = None
            yield item

    def close(self) -> None:
        try:
            self._c.close()
        except Exception:  # noqa: BLE001, S110 - closing
            pass
