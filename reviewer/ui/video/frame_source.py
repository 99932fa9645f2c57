"""Exact frames for the window, from MEDIA's FrameServer, delivered as QImages by signal.

The FrameServer owns the decoder on its own thread (newest request wins, a cache around the
playhead, prefetch in the direction of travel). Its callback runs on that thread, so the
RGB array becomes a QImage there and crosses to the GUI thread as a queued signal; the GUI
thread never decodes. A few recent QImages are kept so a repeat request is instant.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, int(rgb.strides[0]), QImage.Format_RGB888).copy()


class FrameSource(QObject):
    frame_ready = Signal(int, QImage)
    failed = Signal(int, str)

    def __init__(self, open_server: Callable[[], Any], frame_count: int,
                 recent_frames: int = 24) -> None:
        super().__init__()
        self._count = frame_count
        self._recent: OrderedDict[int, QImage] = OrderedDict()
        self._max = recent_frames
        self._lock = threading.Lock()
        self._closed = False
        self._server = None
        self._open_server = open_server
        try:
            self._server = open_server()
        except Exception as exc:  # noqa: BLE001 - shown as one line in the status bar
            self._open_error = str(exc)
        else:
            self._open_error = None

    def cached(self, n: int) -> QImage | None:
        with self._lock:
            img = self._recent.get(n)
            if img is not None:
                self._recent.move_to_end(n)
            return img

    def request(self, n: int) -> None:
        if self._server is None:
            self.failed.emit(n, self._open_error or "the video cannot be opened")
            return
        img = self.cached(n)
        if img is not None:
            self.frame_ready.emit(n, img)
            # still tell the server where the playhead is, so it prefetches around it
        self._server.request(n, self._on_server_frame)

    def _on_server_frame(self, n: int, rgb: Any) -> None:  # the server's worker thread
        if self._closed:
            return
        if rgb is None:
            why = getattr(self._server, "last_error", None) or "cannot be decoded"
            self._emit(self.failed, n, why)
            return
        img = rgb_to_qimage(rgb)
        with self._lock:
            fresh = n not in self._recent
            self._recent[n] = img
            while len(self._recent) > self._max:
                self._recent.popitem(last=False)
        if fresh:
            self._emit(self.frame_ready, n, img)

    def _emit(self, signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window went away while the server decoded
            self._closed = True

    def close(self) -> None:
        self._closed = True
        if self._server is not None:
            self._server.close()
            self._server = None
