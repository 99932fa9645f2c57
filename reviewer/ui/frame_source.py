"""Exact frames for the window, decoded on one thread of their own (newest request wins).

One thread owns the decoder (CONVENTIONS.md). The GUI asks for frame n; if n is cached
it is answered at once, otherwise the request replaces any older unserved one, so scrubbing
never queues up hundreds of decodes. While idle the thread decodes a few frames ahead so
stepping forward is instant; frames already seen stay cached so stepping back is too.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

PREFETCH_AHEAD = 4


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, int(rgb.strides[0]), QImage.Format_RGB888).copy()


class FrameSource(QObject):
    frame_ready = Signal(int, QImage)
    failed = Signal(int, str)

    def __init__(self, open_reader: Callable[[], Any], frame_count: int,
                 cache_frames: int = 64) -> None:
        super().__init__()
        self._open_reader = open_reader
        self._count = frame_count
        self._cache: OrderedDict[int, QImage] = OrderedDict()
        self._cache_max = cache_frames
        self._cond = threading.Condition()
        self._pending: int | None = None
        self._last_served = -1
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="frame-source", daemon=True)
        self._thread.start()

    # -- GUI thread ---------------------------------------------------------------------------
    def cached(self, n: int) -> QImage | None:
        with self._cond:
            img = self._cache.get(n)
            if img is not None:
                self._cache.move_to_end(n)
            return img

    def request(self, n: int) -> None:
        img = self.cached(n)
        if img is not None:
            self.frame_ready.emit(n, img)
            with self._cond:
                self._last_served = n
                self._cond.notify()  # wake the prefetcher
            return
        with self._cond:
            self._pending = n
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(timeout=5)

    # -- decoder thread -----------------------------------------------------------------------
    def _next_job(self) -> tuple[int, bool] | None:
        """(frame, is_prefetch) to decode next, or None to stop; waits while idle."""
        with self._cond:
            while True:
                if self._closed:
                    return None
                if self._pending is not None:
                    n, self._pending = self._pending, None
                    return n, False
                for k in range(1, PREFETCH_AHEAD + 1):
                    m = self._last_served + k
                    if 0 <= m < self._count and m not in self._cache and self._last_served >= 0:
                        return m, True
                self._cond.wait()

    def _emit(self, signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window went away while we decoded; nobody to tell
            with self._cond:
                self._closed = True

    def _run(self) -> None:
        reader = None
        try:
            reader = self._open_reader()
        except Exception as exc:  # noqa: BLE001 - reported to the window as one line
            self._emit(self.failed, -1, str(exc))
            return
        try:
            while True:
                job = self._next_job()
                if job is None:
                    return
                n, prefetch = job
                try:
                    img = rgb_to_qimage(reader.frame(n))
                except Exception as exc:  # noqa: BLE001
                    if not prefetch:
                        self._emit(self.failed, n, str(exc))
                    with self._cond:  # don't retry a frame that cannot be decoded forever
                        self._cache[n] = QImage()
                    continue
                with self._cond:
                    self._cache[n] = img
                    while len(self._cache) > self._cache_max:
                        self._cache.popitem(last=False)
                    if not prefetch:
                        self._last_served = n
                if not prefetch:
                    self._emit(self.frame_ready, n, img)
        finally:
            close = getattr(reader, "close", None)
            if close:
                close()
