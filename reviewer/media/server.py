"""FrameServer: exact frames for the UI, cached around the playhead, prefetched ahead.

One worker thread owns one :class:`FrameReader` (one decoder per thread); callers on any
thread talk to it through a request slot:

``server = FrameServer(path, index, cache_mb=512)``
    starts the worker. ``index`` is a :class:`FrameIndex` (``cached_index`` gives it instantly
    from the case).
``server.request(n, callback)``
    non-blocking. The newest request wins: a request that is still waiting when a newer
    one arrives is dropped (its callback is never called), and a decode walk in progress is
    abandoned when the new target is not on its way. ``callback(n, rgb)`` runs **on the
    worker thread** with the displayed RGB ``uint8`` (H, W, 3) array; a Qt caller should
    emit a signal from it (queued connection) and never touch widgets there. If the frame
    cannot be decoded the callback receives ``(n, None)`` and ``server.last_error`` says why.
``server.get(n, timeout=None) -> rgb``
    blocking; never dropped (it also becomes the newest request). Raises
    :class:`MediaError` when the frame cannot be decoded, ``TimeoutError`` on timeout.
``server.cached(n) -> rgb | None``
    non-blocking look into the cache (for painting while a request is in flight).
``server.close()``
    stops the worker and closes the decoder.

Decoded frames are kept (as decoded ``av.VideoFrame``s, about 1.5 bytes a pixel) up to
``cache_mb`` megabytes, evicting those farthest from the playhead. After serving a frame the
worker prefetches ``prefetch`` frames in the direction of travel; going backwards that means
decoding the stretch from the keyframe before, so that stepping back is a cache hit too.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.errors import MediaError
from reviewer.media.frames import FrameReader, check_frame
from reviewer.media.index import FrameIndex, index_file

Callback = Callable[[int, Any], None]
DEFAULT_CACHE_MB = 512


class _Superseded(Exception):
    """A newer request arrived that the current decode walk does not lead to."""


@dataclass
class _Waiter:
    n: int
    event: threading.Event = field(default_factory=threading.Event)
    frame: Any = None
    error: str | None = None


class FrameServer:
    def __init__(self, path: str | Path, index: FrameIndex | None = None, *, cache_mb: int = DEFAULT_CACHE_MB,
                 prefetch: int = 8, threads: bool = True) -> None:
        self.path = Path(path)
        self.index = index if index is not None else index_file(self.path)
        self.cache_bytes = max(1, int(cache_mb)) * 1024 * 1024
        self.prefetch = max(0, prefetch)
        self.last_error: str | None = None
        self._threads = threads
        self._cache: OrderedDict[int, Any] = OrderedDict()
        self._sizes: dict[int, int] = {}
        self._failed: set[int] = set()  # frames that would not decode: never prefetched again
        self._used = 0
        self._rgb_memo: tuple[int, Any] | None = None
        self._lock = threading.Condition()
        self._pending: tuple[int, Callback | None] | None = None
        self._waiters: list[_Waiter] = []
        self._seq = 0
        self._playhead = 0
        self._direction = 1
        self._closed = False
        self._ready = threading.Event()
        self._open_error: str | None = None
        self._reader: FrameReader | None = None  # created and used only by the worker
        self._thread = threading.Thread(target=self._run, name=f"frames:{self.path.name}", daemon=True)
        self._thread.start()

    # -- API (any thread) -------------------------------------------------------------
    def request(self, n: int, callback: Callback | None = None) -> None:
        self._check(n)
        with self._lock:
            self._pending = (n, callback)
            self._seq += 1
            self._lock.notify_all()

    def get(self, n: int, timeout: float | None = None) -> Any:
        self._check(n)
        hit = self.cached(n)
        if hit is not None:
            with self._lock:  # still tell the worker where the playhead is, for prefetch
                self._note_playhead(n)
                self._seq += 1
                self._lock.notify_all()
            return hit
        w = _Waiter(n)
        with self._lock:
            self._waiters.append(w)
            self._seq += 1
            self._lock.notify_all()
        if not w.event.wait(timeout):
            with self._lock:
                if w in self._waiters:
                    self._waiters.remove(w)
            raise TimeoutError(f"{self.path.name}: frame {n} not decoded within {timeout} s")
        if w.error is not None:
            raise MediaError(w.error)
        return w.frame

    def cached(self, n: int) -> Any:
        with self._lock:
            memo = self._rgb_memo
            if memo is not None and memo[0] == n:
                return memo[1]
            frame = self._cache.get(n)
        if frame is None:
            return None
        rgb = self._reader_rgb(frame)
        with self._lock:
            self._rgb_memo = (n, rgb)
        return rgb

    def cache_info(self) -> dict[str, int]:
        with self._lock:
            return {"frames": len(self._cache), "bytes": self._used, "limit": self.cache_bytes}

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(10)

    def __enter__(self) -> FrameServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- worker -----------------------------------------------------------------------
    def _check(self, n: int) -> None:
        check_frame(self.path, self.index, n)

    def _reader_rgb(self, frame: Any) -> Any:
        from reviewer.media.decode import to_display_rgb

        return to_display_rgb(frame, self.index.rotation, self.index.square_size)

    def _note_playhead(self, n: int) -> None:
        if n != self._playhead:
            self._direction = 1 if n > self._playhead else -1
        self._playhead = n

    def _run(self) -> None:
        try:
            self._reader = FrameReader(self.path, self.index, threads=self._threads)
        except MediaError as exc:
            self._open_error = str(exc)
            self._reader = None
        try:
            while True:
                with self._lock:
                    while not (self._closed or self._pending or self._waiters or self._want_prefetch()):
                        self._lock.wait()
                    if self._closed:
                        break
                    if self._pending is not None:
                        n, cb = self._pending
                        self._pending = None
                        waiter = None
                    elif self._waiters:
                        waiter = self._waiters[0]
                        n, cb = waiter.n, None
                    else:
                        n, cb, waiter = -1, None, None
                    seq = self._seq
                if n < 0:
                    self._do_prefetch(seq)
                    continue
                self._serve(n, cb, waiter, seq)
        finally:
            if self._reader is not None:
                self._reader.close()
            with self._lock:
                for w in self._waiters:
                    w.error = f"{self.path.name}: the frame server was closed"
                    w.event.set()
                self._waiters.clear()

    def _serve(self, n: int, cb: Callback | None, waiter: _Waiter | None, seq: int) -> None:
        with self._lock:
            self._note_playhead(n)
        rgb, error = None, None
        try:
            rgb = self.cached(n)
            if rgb is None:
                rgb = self._decode(n, seq, abandon=waiter is None)
        except _Superseded:
            return  # a newer request is pending; this one is dropped
        except MediaError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the worker must outlive one bad frame
            error = f"{self.path.name}: frame {n} cannot be decoded ({type(exc).__name__}: {exc})"
            self._restart_reader()
        with self._lock:
            self.last_error = error
            for w in [w for w in self._waiters if w.n == n]:
                w.frame, w.error = rgb, error
                w.event.set()
                self._waiters.remove(w)
        if cb is not None:
            cb(n, rgb)

    def _decode(self, n: int, seq: int, abandon: bool) -> Any:
        if self._reader is None:
            raise MediaError(self._open_error or f"{self.path.name}: cannot be opened")

        def keep(i: int, frame: Any) -> None:
            self._put(i, frame)
            if abandon and self._seq != seq:
                with self._lock:
                    newest = self._pending[0] if self._pending else None
                if newest is None or not (i < newest <= n):
                    raise _Superseded()

        frame = self._reader.decode_to(n, on_frame=keep)
        rgb = self._reader_rgb(frame)
        with self._lock:
            self._rgb_memo = (n, rgb)
        return rgb

    def _restart_reader(self) -> None:
        """A fresh decoder after an unexpected error, so one bad frame does not stick."""
        try:
            if self._reader is not None:
                self._reader.close()
            self._reader = FrameReader(self.path, self.index, threads=self._threads)
        except Exception as exc:  # noqa: BLE001
            self._reader = None
            self._open_error = str(exc)

    def _want_prefetch(self) -> bool:
        return self.prefetch > 0 and self._reader is not None and self._next_prefetch() is not None

    def _next_prefetch(self) -> int | None:
        """The nearest uncached frame within ``prefetch`` of the playhead, direction of travel."""
        for k in range(1, self.prefetch + 1):
            i = self._playhead + self._direction * k
            if not 0 <= i < self.index.count:
                return None
            if i in self._failed:
                return None
            if i not in self._cache:
                return i
        return None

    def _do_prefetch(self, seq: int) -> None:
        with self._lock:
            target = self._next_prefetch()
            if target is None:
                return
            if self._direction > 0:
                target = min(self.index.count - 1, self._playhead + self.prefetch)
        if self._direction < 0:
            # Going back: decode from the keyframe before the stretch, caching all of it.
            target = max(0, self._playhead - self.prefetch)
        try:
            self._walk(target, seq)
        except _Superseded:
            pass
        except Exception:  # noqa: BLE001 - prefetch is best effort; requests report errors
            with self._lock:
                self._failed.add(target)
            self._restart_reader()

    def _walk(self, target: int, seq: int) -> None:
        def keep(i: int, frame: Any) -> None:
            self._put(i, frame)
            if self._seq != seq or self._closed:
                raise _Superseded()

        if self._direction < 0:
            # Fill from the stretch's keyframe up to the playhead (or the next cached frame).
            stop = target
            while stop + 1 < self._playhead and stop + 1 not in self._cache:
                stop += 1
            self._reader.decode_to(stop, on_frame=keep)
        else:
            self._reader.decode_to(target, on_frame=keep)

    def _put(self, i: int, frame: Any) -> None:
        size = sum(p.buffer_size for p in frame.planes)
        with self._lock:
            if i in self._cache:
                self._cache.move_to_end(i)
                return
            self._cache[i] = frame
            self._sizes[i] = size
            self._used += size
            while self._used > self.cache_bytes and len(self._cache) > 1:
                far = max(self._cache, key=lambda k: abs(k - self._playhead))
                if far == i:
                    break
                self._cache.pop(far)
                self._used -= self._sizes.pop(far)
