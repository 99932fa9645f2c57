"""Exact frames by display index: seek to the keyframe at or before, decode forward, match pts.

``FrameReader(path, index)`` owns one demuxer and one decoder; use it from one thread.

- ``frame(n)`` -> RGB ``uint8`` array (H, W, 3) exactly as displayed (scaled to square pixels
  when the pixel aspect ratio is not 1:1, rotation applied).
- ``av_frame(n)`` -> the decoded ``av.VideoFrame`` (stored orientation, with its pts).
- ``iter_frames(start=0, end=None)`` yields ``(n, rgb)`` for every frame ``start..end``
  **inclusive** (``end=None``: to the last frame), decoding sequentially once; with
  ``as_av=True`` it yields ``(n, av.VideoFrame)`` (as stored: not scaled nor rotated; see ``index.square_size``
  and ``index.rotation``).
  It raises :class:`MediaError` rather than ever skipping a frame in the range.

Exactness rules. A frame is identified only by its pts being in the index. After a seek to
keyframe K, frames with pts before K (open-GOP leading pictures, possibly broken) are never
used. If the demuxer lands after the target (timestamp seeks in MPEG-TS do) the reader
retries from the previous seek point, then from the start of the file. MPEG-TS/PS are
seeked by byte position. The cached frame server is :class:`reviewer.media.server.FrameServer`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av

from reviewer.errors import MediaError
from reviewer.media.decode import check_picture_size, configure_decoder, open_input, to_display_rgb
from reviewer.media.index import FrameIndex, index_file

OnFrame = Callable[[int, Any], None]


def check_frame(path: Path, index: FrameIndex, n: int) -> None:
    """Refuse a frame number outside the video, naming the file (reader and server share it)."""
    if not isinstance(n, int) or not 0 <= n < index.count:
        raise MediaError(f"{path.name}: frame {n} is outside 0..{index.count - 1}")


class FrameReader:
    def __init__(self, path: str | Path, index: FrameIndex | None = None, *, threads: bool = True) -> None:
        self.path = Path(path)
        self.index = index if index is not None else index_file(self.path)
        self._threads = threads
        self._container: Any = None
        self._gen: Iterator[Any] | None = None
        self._open()

    # -- public -----------------------------------------------------------------------
    def frame(self, n: int) -> Any:
        """Frame ``n`` as displayed: RGB uint8 (H, W, 3)."""
        return to_display_rgb(self.av_frame(n), self.index.rotation, self.index.square_size)

    def av_frame(self, n: int) -> Any:
        return self.decode_to(n)

    def to_rgb(self, frame: Any) -> Any:
        return to_display_rgb(frame, self.index.rotation, self.index.square_size)

    def iter_frames(self, start: int = 0, end: int | None = None, *, as_av: bool = False) -> Iterator[tuple[int, Any]]:
        last = self.index.count - 1 if end is None else end
        self._check(start)
        self._check(last)
        if last < start:
            return
        first = self.decode_to(start)
        yield start, (first if as_av else self.to_rgb(first))
        expect = start + 1
        while expect <= last:
            n, frame = self._next_trusted()
            if n is None or n > expect:
                raise MediaError(f"{self.path.name}: frame {expect} could not be decoded (the file is damaged)")
            if n < expect:
                continue
            yield n, (frame if as_av else self.to_rgb(frame))
            expect += 1

    def decode_to(self, n: int, on_frame: OnFrame | None = None) -> Any:
        """Decode to frame ``n`` and return its ``av.VideoFrame``. ``on_frame(i, frame)`` is
        called for every trusted frame decoded on the way (the server caches them); it may
        raise to abandon the walk, leaving the reader consistent."""
        self._check(n)
        idx = self.index
        target = idx.pts[n]
        sp = idx.seek_point_for(n)
        # Keep decoding forward when the target is ahead and no nearer keyframe lies between.
        continuing = (self._gen is not None and self._last_n is not None and self._last_n < n
                      and (sp <= self._seek_i or n - self._last_n <= 2))
        if not continuing:
            self._seek(sp)
        tries = [sp - 1, 0, -1] if sp > 0 else ([-1] if sp == 0 else [])
        fresh = not continuing
        while True:
            n_got, frame = self._next_trusted()
            if n_got is not None and on_frame is not None and n_got <= n:
                on_frame(n_got, frame)
            if n_got == n:
                return frame
            if n_got is None or n_got > n:
                if not fresh and n_got is not None:
                    self._seek(sp)  # continued walk missed it: retry from a clean seek
                    fresh = True
                    continue
                if not tries:
                    raise MediaError(f"{self.path.name}: frame {n} (pts {target}) could not be decoded")
                nxt = tries.pop(0)
                if nxt < 0:
                    self._reopen()
                else:
                    self._seek(nxt)
                fresh = True

    def close(self) -> None:
        # Drop the decoder before the container: a frame-threaded codec context freed after
        # its container was closed deadlocks in FFmpeg's thread teardown.
        self._gen = None
        self._stream = None
        if self._container is not None:
            self._container.close()
            self._container = None

    def __enter__(self) -> FrameReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------
    def _check(self, n: int) -> None:
        check_frame(self.path, self.index, n)

    def _open(self) -> None:
        self._container = open_input(self.path)
        self._stream = self._container.streams[self.index.stream_index]
        configure_decoder(self._stream, self._threads)
        self._gen = None
        self._last_n = None
        self._seek_i = -1
        self._trust_from = None
        self._consumed = False

    def _reopen(self) -> None:
        """Read from the very start of the file (the safest position there is)."""
        if self._consumed:
            self.close()
            self._open()
        # From the top of the file the decoder itself drops what it cannot show; the walk
        # passes the first seek point, so targets before the second one continue from here.
        idx = self.index
        self._seek_i = 0 if idx.seek_pts and idx.seek_pts[0] <= idx.pts[0] else -1
        self._trust_from = None
        self._gen = self._decoded()

    def _seek(self, i: int) -> None:
        idx = self.index
        if i < 0 or (i == 0 and not self._consumed):
            self._reopen()  # from the top (nothing read yet, or no keyframe before the target)
            return
        try:
            if idx.seek_by_byte and idx.seek_pos and idx.seek_pos[i] >= 0:
                self._container.seek(idx.seek_pos[i], unsupported_byte_offset=True, backward=True)
            else:
                self._container.seek(idx.seek_pts[i], stream=self._stream, backward=True, any_frame=False)
        except av.error.FFmpegError:
            self._reopen()
            return
        self._stream.codec_context.flush_buffers()
        self._seek_i = i
        self._trust_from = idx.seek_pts[i]
        self._last_n = None
        self._gen = self._decoded()

    def _decoded(self) -> Iterator[Any]:
        first = True
        self._consumed = True
        try:
            for pkt in self._container.demux(self._stream):
                if first and pkt.pts is not None and pkt.is_keyframe and self._trust_from is not None:
                    # Landed on a later keyframe than asked: its leading pictures are not trusted.
                    self._trust_from = max(self._trust_from, pkt.pts)
                first = False
                try:
                    frames = self._stream.codec_context.decode(pkt)
                except av.error.InvalidDataError:
                    continue  # a damaged packet: its frame will be reported missing, never faked
                for f in frames:
                    # a stream may change size midway (a new H.264 SPS): each picture counts
                    check_picture_size(f.width, f.height, self.path.name)
                    yield f
        except av.error.FFmpegError as exc:
            why = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise MediaError(f"{self.path.name}: the video cannot be read further ({why})") from None

    def _next_trusted(self) -> tuple[int | None, Any]:
        """The next decoded frame that is in the index and trusted, or (None, None) at EOF."""
        if self._gen is None:
            self._reopen()
        assert self._gen is not None
        for frame in self._gen:
            pts = frame.pts if frame.pts is not None else frame.dts
            if pts is None or (self._trust_from is not None and pts < self._trust_from):
                continue
            n = self.index.frame_of_pts(pts)
            if n is None:
                continue
            self._last_n = n
            return n, frame
        self._gen = None
        self._last_n = None
        return None, None


def read_frame(path: str | Path, n: int, index: FrameIndex | None = None) -> Any:
    """One exact displayed frame (RGB) without keeping a reader open."""
    with FrameReader(path, index) as reader:
        return reader.frame(n)
