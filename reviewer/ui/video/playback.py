"""What plays and how fast: VLC with sound forward, exact PyAV frames otherwise (no Qt widgets).

Shuttle rules (J/K/L, as in editing suites): L plays forward, again doubles the speed up to
4x; J slows forward playback down, then plays backwards, then faster backwards; K stops.
Reverse playback has no sound: libVLC cannot play backwards.
"""
from __future__ import annotations

import threading
from fractions import Fraction

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from reviewer.timebase import FrameTimes

SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 4.0)


def next_speed(rate: float, up: bool) -> float:
    if up:
        return next((s for s in SPEEDS if s > rate + 1e-9), SPEEDS[-1])
    return next((s for s in reversed(SPEEDS) if s < rate - 1e-9), SPEEDS[0])


def shuttle(direction: int, rate: float, key: str) -> tuple[int, float]:
    """(direction, rate) after pressing J, K or L; direction 0 is stopped."""
    if key == "k":
        return 0, rate if direction else 1.0
    sign = 1 if key == "l" else -1
    if direction == 0:
        return sign, 1.0
    if direction == sign:
        return sign, min(4.0, rate * 2)
    if rate > 1.0:
        return direction, max(1.0, rate / 2)
    return 0, 1.0


class Playback(QObject):
    """Drives the playhead. ``frame_shown(n, image)``: image is null when the caller should
    fetch the exact frame itself (PyAV playback)."""

    frame_shown = Signal(int, QImage)
    state_changed = Signal(int, float)  # direction, rate
    message = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.direction = 0
        self.rate = 1.0
        self.frame = 0
        self._times: FrameTimes | None = None
        self._vlc = None
        self._vlc_reason: str | None = None
        self._latest = None
        self._latest_lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._path = ""
        self._size = (0, 0)
        self.fallback_reason = ""

    def load(self, path: str, times: FrameTimes, width: int, height: int,
             use_vlc: bool = True) -> None:
        self.stop()
        self._times, self._path, self._size = times, path, (width, height)
        self.frame = 0
        self.fallback_reason = ""
        if not use_vlc:
            self.fallback_reason = "Sound off: playing exact frames without libVLC"
            return
        if self._vlc is None and self._vlc_reason is None:
            from reviewer.media.vlcplayer import VlcPlayer, vlc_unavailable_reason

            self._vlc_reason = vlc_unavailable_reason()
            if self._vlc_reason is None:
                try:
                    self._vlc = VlcPlayer(self._on_vlc_frame)
                except Exception as exc:  # noqa: BLE001
                    self._vlc_reason = f"libVLC could not start ({exc}); playing silently"
        if self._vlc is not None:
            self._vlc.load(path, width, height)
        else:
            self.fallback_reason = self._vlc_reason or ""

    @property
    def has_sound(self) -> bool:
        return self._vlc is not None and not self.fallback_reason

    def _on_vlc_frame(self, buf: object) -> None:  # VLC's thread
        with self._latest_lock:
            self._latest = buf

    def set_state(self, direction: int, rate: float, frame: int) -> None:
        if self._times is None or self._times.count == 0:
            return
        self.frame = frame
        was = self.direction
        self.direction, self.rate = direction, rate
        self._timer.stop()
        if direction == 1 and self.has_sound:
            if self._vlc is not None:
                self._vlc.set_rate(rate)
                if was != 1:
                    self._vlc.seek_ms(int(self._times.seconds(frame) * 1000))
                    self._vlc.play()
                    self._vlc.seek_ms(int(self._times.seconds(frame) * 1000))
            self._timer.start(15)
        else:
            if self._vlc is not None and self._vlc.is_playing():
                self._vlc.pause()
            if direction:
                if self.fallback_reason and was == 0:
                    self.message.emit(self.fallback_reason)
                self._timer.start(max(5, int(1000 * self._frame_seconds() / rate)))
        self.state_changed.emit(self.direction, self.rate)

    def stop(self) -> int:
        self._timer.stop()
        if self._vlc is not None and self._vlc.is_playing():
            self._vlc.pause()
        if self.direction:
            self.direction = 0
            self.state_changed.emit(0, self.rate)
        return self.frame

    def _frame_seconds(self) -> float:
        t = self._times
        if t is None or t.count < 2:
            return 1 / 30
        return float(t.end_seconds() / t.count) or 1 / 30

    def _on_timer_timeout(self) -> None:
        t = self._times
        if t is None:
            return
        if self.direction == 1 and self.has_sound:
            with self._latest_lock:
                buf, self._latest = self._latest, None
            if self._vlc is not None and not self._vlc.is_playing() and buf is None \
                    and self.frame >= t.count - 2:
                self.frame = t.count - 1
                self.stop()
                self.frame_shown.emit(self.frame, QImage())
                return
            if buf is None:
                return
            img = QImage(buf.data, buf.width_px, buf.height_px, buf.stride_bytes,
                         QImage.Format_RGB32).copy()
            ms = buf.time_ms if buf.time_ms >= 0 else self._vlc.time_ms()
            self.frame = t.frame_at_seconds(Fraction(ms, 1000))
            self.frame_shown.emit(self.frame, img)
            return
        n = self.frame + self.direction
        if not 0 <= n < t.count:
            self.stop()
            return
        self.frame = n
        self.frame_shown.emit(n, QImage())

    def release(self) -> None:
        self.stop()
        if self._vlc is not None:
            self._vlc.release()
            self._vlc = None
