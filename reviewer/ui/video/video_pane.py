"""The video pane: picture, transport, frame/timecode readout, jump field, timeline.

Keys (while the pane or its picture has focus): Space play/pause, J/K/L shuttle, Left/Right
one frame, Shift+Left/Right one second, Home/End, [ and ] speed, + and - zoom, I/O in and
out points. A paused or stepped picture is always the exact frame from PyAV.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.errors import ReviewerError
from reviewer.timebase import FrameTimes
from reviewer.ui.video.frame_source import FrameSource
from reviewer.ui.icons import icon
from reviewer.ui.video.playback import SPEEDS, Playback, next_speed, shuttle
from reviewer.ui.video.timeline import Timeline
from reviewer.ui.video.video_view import BoxOverlay, VideoView
from reviewer.ui.video.waveform import WaveformStrip


def readout_text(frame: int, count: int, timecode: str) -> str:
    """``Frame 3 of 300 · 00:00:00.100``: the count agrees with the Case list's "300 frames"
    (frames are numbered 0..299, as everywhere in the app and the command line)."""
    return f"Frame {frame} of {count} · {timecode}"


class VideoPane(QWidget):
    frame_changed = Signal(int)
    in_out_changed = Signal(int, int)  # -1 when unset
    status_message = Signal(str)
    video_opened = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = VideoView(self)
        self.view.empty_text = "Select a video in the case, or drop videos and PDFs here"
        self.timeline = Timeline(self)
        self.waveform = WaveformStrip(self.timeline, self)
        self.playback = Playback(self)
        self.times: FrameTimes | None = None
        self.media: dict[str, Any] | None = None
        self.source: FrameSource | None = None
        self.frame = -1
        self.mark_in = self.mark_out = -1
        self.overlay_provider: Callable[[int], list[BoxOverlay]] = lambda n: []

        self.readout = QLabel("--")
        self.readout.setObjectName("Readout")
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        # the readout is what a pin cite is copied from: it always has room for the frame and
        # the whole HH:MM:SS.mmm; the In/Out marks beside it give way instead
        self.readout.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Preferred)
        self.readout.setToolTip("Frames count from 0; the timecode is the first millisecond "
                                "inside the frame, as pin cites and the command line use it")
        self._marks_by_media: dict[int, tuple[int, int]] = {}
        self.jump = QLineEdit()
        self.jump.setPlaceholderText("Go to frame or timecode")
        self.jump.setToolTip("The frame on screen; type a frame number or a timecode and press "
                             "Enter to go there (Ctrl+G)")
        self.jump.setMinimumWidth(90)
        self.jump.returnPressed.connect(self._on_jump_return_pressed)
        self.speed = QComboBox()
        self.speed.setFocusPolicy(Qt.NoFocus)
        self.speed.setToolTip("Playback speed ([ slower, ] faster)")
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.activated.connect(self._on_speed_activated)
        self.buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        for name, tip, slot in [
            ("home", "First frame (Home)", self.go_home),
            ("step_back", "Previous frame (←)", lambda: self.step(-1)),
            ("play", "Play / pause (Space)", self.toggle_play),
            ("step_fwd", "Next frame (→)", lambda: self.step(1)),
            ("end", "Last frame (End)", self.go_end),
        ]:
            b = QToolButton()
            b.setIcon(icon(name))
            b.setToolTip(tip)
            b.setFocusPolicy(Qt.NoFocus)
            b.clicked.connect(slot)
            self.buttons[name] = b
            bar.addWidget(b)
        bar.addSpacing(4)
        bar.addWidget(self.speed)
        # says so when the sound cannot be heard, instead of playing silently
        self.sound_note = QLabel("")
        self.sound_note.setObjectName("SoundNote")
        self.sound_note.setStyleSheet("color: #ffb4a8")
        self.sound_note.hide()
        self.sound_mode = QComboBox()
        self.sound_mode.setFocusPolicy(Qt.NoFocus)
        self.sound_mode.setToolTip("What a span dragged on the sound strip does: mute it or "
                                   "bleep it (Shift+M switches)")
        self.sound_mode.addItem("Strip: mute", "mute")
        self.sound_mode.addItem("Strip: bleep", "bleep")
        self.sound_mode.setAccessibleName("What a drag on the sound strip does")
        bar.addStretch(1)
        bar.addWidget(self.jump)
        self.marks = QLabel("")
        self.marks.setStyleSheet("color: #9aa3b2")
        self.marks.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.marks.setMinimumWidth(1)  # 0 would mean "unset": its text would set the minimum
        info = QHBoxLayout()
        info.setContentsMargins(6, 0, 6, 0)
        info.addWidget(self.readout)
        info.addSpacing(8)
        info.addWidget(self.marks, 1)
        info.addWidget(self.sound_note)
        info.addWidget(self.sound_mode)  # here, not in the transport bar: the pane stays narrow
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.view, 1)
        lay.addLayout(info)
        lay.addLayout(bar)
        lay.addWidget(self.timeline)
        lay.addWidget(self.waveform)
        self.setFocusProxy(self.view)

        self.playback.frame_shown.connect(self._on_playback_frame_shown)
        self.playback.state_changed.connect(self._on_playback_state_changed)
        self.playback.message.connect(self.status_message)
        self.timeline.seek_requested.connect(self.seek)
        self._set_enabled(False)

    # -- opening ------------------------------------------------------------------------------
    def open_video(self, media: dict[str, Any], times: FrameTimes, open_server: Callable[[], Any],
                   use_vlc: bool = True) -> None:
        self.close_video()
        self.media, self.times = media, times
        self.source = FrameSource(open_server, times.count)
        self.source.frame_ready.connect(self._on_source_frame_ready)
        self.source.failed.connect(self._on_source_failed)
        self.timeline.set_times(times)
        self.playback.load(media["path"], times, int(media["width"]), int(media["height"]),
                           use_vlc=use_vlc)
        self._fit_readout(times)
        # In and Out belong to the clip they were set on: this clip's own, if any, come back
        self.mark_in, self.mark_out = self._marks_by_media.get(int(media["id"]), (-1, -1))
        self._show_marks(announce=False)
        self._set_enabled(True)
        self.frame = -1
        self.view.empty_text = "Decoding…"
        self.seek(0)
        self._show_sound_note()
        if self.playback.fallback_reason:
            self.status_message.emit(self.playback.fallback_reason)
        self.video_opened.emit()

    def _show_sound_note(self) -> None:
        from reviewer.ui.video.sound_device import sound_problem

        why = self.playback.fallback_reason or sound_problem()
        self.sound_note.setText("No sound" if why else "")
        self.sound_note.setToolTip(why or "")
        self.sound_note.setVisible(bool(why))

    def close_video(self) -> None:
        self.playback.stop()
        self.mark_in = self.mark_out = -1
        self._show_marks(announce=False)
        if self.source is not None:
            self.source.frame_ready.disconnect(self._on_source_frame_ready)
            self.source.close()
            self.source = None
        self.media = self.times = None
        self.frame = -1
        self.view.set_image(QImage())
        self.view.empty_text = "Select a video in the case, or drop videos and PDFs here"
        self.view.set_boxes([])
        self.timeline.set_times(None)
        self.waveform.set_envelope(None, "none")
        self.waveform.set_spans([])
        self.readout.setText("--")
        self.jump.clear()
        self.sound_note.hide()
        self._set_enabled(False)

    def shutdown(self) -> None:
        self.close_video()
        self.playback.release()

    def _set_enabled(self, on: bool) -> None:
        for w in [*self.buttons.values(), self.jump, self.speed, self.sound_mode]:
            w.setEnabled(on)

    # -- moving the playhead ------------------------------------------------------------------
    def seek(self, n: int) -> None:
        if self.times is None or self.times.count == 0:
            return
        n = max(0, min(int(n), self.times.count - 1))
        if self.playback.direction:
            self.playback.stop()
        self._show_frame(n)
        if self.source is not None:
            self.source.request(n)

    def step(self, delta: int) -> None:
        if self.times is not None:
            self.seek((max(self.frame, 0)) + delta)

    def step_seconds(self, seconds: int) -> None:
        if self.times is None or self.frame < 0:
            return
        t = self.times.seconds(self.frame) + seconds
        end = self.times.end_seconds()
        self.seek(self.times.frame_at_seconds(min(max(t, 0), end)))

    def go_home(self) -> None:
        self.seek(0)

    def go_end(self) -> None:
        if self.times:
            self.seek(self.times.count - 1)

    def _show_frame(self, n: int) -> None:
        """Move the playhead to n: readout, timeline and overlays now; picture when decoded."""
        changed = n != self.frame
        self.frame = n
        self.readout.setText(readout_text(n, self.times.count, self.times.timecode(n)))
        if not self.jump.hasFocus():  # never under the reviewer's typing
            self.jump.setText(str(n))
        self.timeline.set_playhead(n)
        self.view.set_boxes(self.overlay_provider(n))
        if changed:
            self.frame_changed.emit(n)

    def refresh_overlays(self) -> None:
        if self.frame >= 0:
            self.view.set_boxes(self.overlay_provider(self.frame))

    def _on_source_frame_ready(self, n: int, image: QImage) -> None:
        # a late answer for a frame we already left is dropped: the newest request wins
        if n == self.frame and not image.isNull() and not (
                self.playback.direction == 1 and self.playback.has_sound):
            self.view.set_image(image)

    def _on_source_failed(self, n: int, why: str) -> None:
        self.status_message.emit(f"Frame {n} could not be decoded: {why}" if n >= 0 else why)

    def _on_playback_frame_shown(self, n: int, image: QImage) -> None:
        self._show_frame(n)
        if not image.isNull():
            self.view.set_image(image)
        elif self.source is not None:
            self.source.request(n)

    def _on_playback_state_changed(self, direction: int, rate: float) -> None:
        self.buttons["play"].setIcon(icon("pause" if direction else "play"))
        self.speed.setCurrentIndex(min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - rate)))
        if direction == 0 and self.times is not None and self.source is not None:
            # back to the exact frame: VLC's picture and clock are only approximate
            self._show_frame(self.playback.frame)
            self.source.request(self.playback.frame)
        word = {1: "Playing", -1: "Playing backwards", 0: "Paused"}[direction]
        self.status_message.emit(f"{word} at {rate:g}×" if direction else word)

    # -- playing ------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.playback.direction:
            self.playback.stop()
        else:
            self.play(1, self.playback.rate)

    def play(self, direction: int, rate: float) -> None:
        if self.times is None:
            return
        start = self.frame
        if direction == 1 and start >= self.times.count - 1:
            start = 0
        self.playback.set_state(direction, rate, start)

    def shuttle(self, key: str) -> None:
        d, r = shuttle(self.playback.direction, self.playback.rate, key)
        if d == 0:
            was = self.playback.direction
            self.playback.rate = r
            self.playback.stop()
            if not was:  # stop() says nothing when already stopped: the speed box must follow
                self._on_playback_state_changed(0, r)
        else:
            self.play(d, r)

    def change_speed(self, up: bool) -> None:
        self.set_rate(next_speed(self.playback.rate, up))

    def set_rate(self, rate: float) -> None:
        if self.playback.direction:
            self.play(self.playback.direction, rate)
        else:
            self.playback.rate = rate
            self._on_playback_state_changed(0, rate)

    def _on_speed_activated(self, i: int) -> None:
        self.set_rate(float(self.speed.itemData(i)))

    def _on_jump_return_pressed(self) -> None:
        if self.times is None:
            return
        try:
            n = self.times.resolve(self.jump.text())
        except ReviewerError as exc:
            self.status_message.emit(str(exc))
            return
        self.seek(n)
        self.view.setFocus()

    def set_in(self) -> None:
        self.mark_in = self.frame
        if self.mark_out != -1 and self.mark_out < self.mark_in:
            self.mark_out = -1
        self._marks_changed()

    def set_out(self) -> None:
        self.mark_out = self.frame
        if self.mark_in != -1 and self.mark_in > self.mark_out:
            self.mark_in = -1
        self._marks_changed()

    def forget_marks(self) -> None:
        self._marks_by_media.clear()

    def clear_marks(self) -> None:
        self.mark_in = self.mark_out = -1
        self._marks_changed()

    def _marks_changed(self) -> None:
        if self.media is not None:
            self._marks_by_media[int(self.media["id"])] = (self.mark_in, self.mark_out)
        self._show_marks(announce=True)

    def _show_marks(self, announce: bool) -> None:
        self.timeline.set_marks(self.mark_in, self.mark_out)
        self.in_out_changed.emit(self.mark_in, self.mark_out)
        if self.mark_in < 0 and self.mark_out < 0:
            self.marks.setText("")
            self.marks.setToolTip("")
            return
        tc = (lambda n: f" ({self.times.timecode(n)})") if self.times is not None else (lambda n: "")
        short = (f"In {self.mark_in}" if self.mark_in >= 0 else "In –") + " · " + \
            (f"Out {self.mark_out}" if self.mark_out >= 0 else "Out –")
        text = (f"In {self.mark_in}{tc(self.mark_in)}" if self.mark_in >= 0 else "In –") + " · " + \
            (f"Out {self.mark_out}{tc(self.mark_out)}" if self.mark_out >= 0 else "Out –")
        self.marks.setText(short)  # the frames beside the readout; their timecodes on hover
        self.marks.setToolTip(text)
        if announce:
            self.status_message.emit(text)

    def _fit_readout(self, times: FrameTimes) -> None:
        """Room for the widest readout of this clip (its last frame, the longest timecode)."""
        last = max(0, times.count - 1)
        widest = readout_text(last, times.count, times.timecode(last))
        self.readout.setMinimumWidth(self.readout.fontMetrics().horizontalAdvance(widest) + 12)

    # -- keys ---------------------------------------------------------------------------------
    def keyPressEvent(self, e: QKeyEvent) -> None:
        key, shift = e.key(), bool(e.modifiers() & Qt.ShiftModifier)
        actions: dict[int, Callable[[], None]] = {
            Qt.Key_Space: self.toggle_play,
            Qt.Key_Left: (lambda: self.step_seconds(-1)) if shift else (lambda: self.step(-1)),
            Qt.Key_Right: (lambda: self.step_seconds(1)) if shift else (lambda: self.step(1)),
            Qt.Key_Home: self.go_home,
            Qt.Key_End: self.go_end,
            Qt.Key_J: lambda: self.shuttle("j"),
            Qt.Key_K: lambda: self.shuttle("k"),
            Qt.Key_L: lambda: self.shuttle("l"),
            Qt.Key_BracketLeft: lambda: self.change_speed(False),
            Qt.Key_BracketRight: lambda: self.change_speed(True),
            Qt.Key_Plus: self.view.zoom_in,
            Qt.Key_Equal: self.view.zoom_in,
            Qt.Key_Minus: self.view.zoom_out,
            Qt.Key_0: lambda: self.view.set_zoom(1.0),
            Qt.Key_I: self.set_in,
            Qt.Key_O: self.set_out,
        }
        fn = actions.get(key)
        if fn is None or e.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
            super().keyPressEvent(e)
            return
        fn()
        e.accept()
