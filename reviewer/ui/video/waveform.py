"""The sound strip under the timeline: the video's audio as a waveform, with its muted and
bleeped spans; drag on it to make a span, click a span to select it, Delete removes it.

It shares the timeline's mapping (same width, same zoom), so a frame sits at the same x in
both. Times are exact: a dragged span starts and ends on sample boundaries (Fraction of the
sample rate), relative to frame 0 as export uses them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from reviewer.ui import theme

STRIP_PX = 46
MODE_COLORS = {"mute": QColor(180, 142, 173, 110), "bleep": QColor(224, 165, 38, 110)}


@dataclass(frozen=True)
class SoundSpan:
    id: int
    t_from_s: Fraction
    t_to_s: Fraction
    mode: str = "mute"


class WaveformStrip(QWidget):
    span_drawn = Signal(object, object)   # t_from, t_to (Fraction seconds after frame 0)
    span_selected = Signal(int)           # -1 when none
    delete_requested = Signal(int)

    def __init__(self, timeline: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self.setFixedHeight(STRIP_PX)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setFocusPolicy(Qt.ClickFocus)
        self.setToolTip("Sound: drag to mute or bleep a stretch; click one to select, Delete "
                        "removes it")
        self.envelope: Any = None
        self.sample_rate = 48000  # until the envelope says otherwise
        self.state = "none"       # none | loading | ready | silent (no audio track) | failed
        self.spans: list[SoundSpan] = []
        self.selected = -1
        self._drag: tuple[float, float] | None = None
        self._starts: tuple[Any, np.ndarray] | None = None  # (times, frame starts in seconds)
        self._wave_key: tuple | None = None
        self._wave: QPolygonF | None = None
        timeline.painted.connect(self.update)

    # -- content ------------------------------------------------------------------------------
    def set_envelope(self, envelope: Any, state: str | None = None) -> None:
        self.envelope = envelope
        self._wave_key = None
        if envelope is not None:
            self.sample_rate = envelope.sample_rate
        self.state = state or ("ready" if envelope is not None else "silent")
        self.update()

    def set_spans(self, spans: list[SoundSpan]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.t_from_s, s.id))
        if self.selected not in {s.id for s in spans}:
            self.selected = -1
        self.update()

    def select(self, span_id: int) -> None:
        self.selected = span_id
        self.span_selected.emit(span_id)
        self.update()

    # -- mapping (through the timeline's frames) ----------------------------------------------
    def _times(self) -> Any:
        return self.timeline.times

    def _frame_starts(self) -> np.ndarray:
        """Seconds (float) at which each frame starts, plus the end: for drawing only; the
        times of a span come from :meth:`snap`."""
        t = self._times()
        if self._starts is None or self._starts[0] is not t:
            pts = np.asarray(list(t.pts) + [t.end_pts if t.end_pts is not None else t.pts[-1]],
                             dtype=np.float64)
            self._starts = (t, (pts - pts[0]) * float(t.time_base))
        return self._starts[1]

    def xs_to_seconds(self, xs: np.ndarray) -> np.ndarray:
        """Seconds after frame 0 at pixel positions ``xs``, linear within each frame."""
        starts = self._frame_starts()
        tl = self.timeline
        tl._apply_fit()
        f = tl.first_frame + np.asarray(xs, dtype=np.float64) / tl.px_per_frame
        count = len(starts) - 1
        n = np.clip(np.floor(f), 0, count - 1).astype(np.int64)
        out = starts[n] + (starts[n + 1] - starts[n]) * np.clip(f - n, 0.0, 1.0)
        return np.clip(out, 0.0, starts[-1])

    def x_to_seconds(self, x: float) -> float:
        return float(self.xs_to_seconds(np.array([x]))[0])

    def seconds_to_x(self, s: float) -> float:
        t = self._times()
        n = t.frame_at_seconds(Fraction(s).limit_denominator(10**9))
        start = float(t.seconds(n))
        end = float(t.seconds(n + 1)) if n + 1 < t.count else float(t.end_seconds())
        frac = (s - start) / (end - start) if end > start else 0.0
        return self.timeline.frame_to_x(n + min(max(frac, 0.0), 1.0))

    def snap(self, seconds: float) -> Fraction:
        """The exact start of the sample playing at ``seconds``."""
        return Fraction(math.floor(seconds * self.sample_rate + 1e-9), self.sample_rate)

    def span_at(self, x: float) -> SoundSpan | None:
        hit = [s for s in self.spans
               if self.seconds_to_x(float(s.t_from_s)) - 2 <= x <= self.seconds_to_x(float(s.t_to_s)) + 2]
        return hit[-1] if hit else None

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(theme.PANEL))
        t = self._times()
        if t is None or not t.count:
            return
        mid, half = self.height() / 2, self.height() / 2 - 3
        if self.envelope is not None:
            self._paint_wave(p, mid, half)
        else:
            p.setPen(QColor(theme.MUTED))
            text = {"loading": "Reading the sound…", "silent": "This video has no sound",
                    "failed": "The sound could not be read"}.get(self.state, "")
            p.drawText(self.rect(), Qt.AlignCenter, text)
        for s in self.spans:
            x0, x1 = self.seconds_to_x(float(s.t_from_s)), self.seconds_to_x(float(s.t_to_s))
            r = QRectF(x0, 1, max(2.0, x1 - x0), self.height() - 2)
            p.fillRect(r, MODE_COLORS.get(s.mode, MODE_COLORS["mute"]))
            if s.id == self.selected:
                p.setPen(QPen(QColor("#ffffff"), 2))
                p.setBrush(Qt.NoBrush)
                p.drawRect(r.adjusted(1, 1, -1, -1))
            p.setPen(QColor("#ffffff"))
            if r.width() > 40:
                p.drawText(r.adjusted(4, 2, 0, 0), Qt.AlignLeft | Qt.AlignTop, s.mode)
        if self._drag is not None:
            a, b = sorted(self._drag)
            p.fillRect(QRectF(a, 0, max(1.0, b - a), self.height()), QColor(255, 255, 255, 50))
        x = self.timeline.frame_to_x(self.timeline.playhead)
        p.setPen(QPen(QColor("#ffffff"), 1.5))
        p.drawLine(int(x), 0, int(x), self.height())

    def _paint_wave(self, p: QPainter, mid: float, half: float) -> None:
        w = self.width()
        tl = self.timeline
        tl._apply_fit()
        # the polygon only changes with zoom, scroll or size: playback repaints reuse it
        key = (w, self.height(), tl.first_frame, tl.px_per_frame, id(self._times()))
        if key != self._wave_key:
            self._wave_key, self._wave = key, self._wave_polygon(w, mid, half)
        if self._wave is not None:
            p.setPen(Qt.NoPen)
            p.setBrush(QColor(theme.NOTE))
            p.drawPolygon(self._wave)
        p.setPen(QPen(QColor(theme.MUTED), 1))
        p.drawLine(0, int(mid), w, int(mid))

    def _wave_polygon(self, w: int, mid: float, half: float) -> QPolygonF | None:
        env = self.envelope
        # scaled to the loudest moment (quiet body-cam speech would otherwise be a flat line),
        # but never by more than 10x, so near-silence still looks like silence
        peak = float(max(env.maxs.max(initial=0.0), -env.mins.min(initial=0.0)))
        half = half / max(peak, 0.1)
        # the seconds at each pixel column's edges, then each column's buckets' min and max
        edges = self.xs_to_seconds(np.arange(w + 1))
        per_s = float(env.samples_per_bucket) / env.sample_rate
        idx = np.clip((edges / per_s).astype(np.int64), 0, env.buckets)
        cols = int(np.searchsorted(idx, env.buckets))  # columns past the sound stay empty
        cols = min(cols, w)
        if cols <= 0:
            return None
        a = idx[:cols]
        b = np.maximum(idx[1:cols + 1], a + 1)
        # min/max over each column's buckets [a, b): the ranges are contiguous, so reduceat
        # over the starts does it (a start equal to the next gives that one bucket: zoomed in)
        hi = np.maximum.reduceat(env.maxs[:b[-1]], a)
        lo = np.minimum.reduceat(env.mins[:b[-1]], a)
        xs = np.arange(cols, dtype=np.float64)
        top = [QPointF(x, mid - v * half) for x, v in zip(xs, hi.tolist())]
        bottom = [QPointF(x, mid - v * half) for x, v in zip(xs, lo.tolist())]
        return QPolygonF(top + bottom[::-1])

    # -- mouse and keys -----------------------------------------------------------------------
    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.LeftButton or self._times() is None:
            return
        x = e.position().x()
        hit = self.span_at(x)
        if hit is not None and not e.modifiers() & Qt.ShiftModifier:
            self.select(hit.id)
            return
        self.select(-1)
        self._drag = (x, x)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = (self._drag[0], min(max(e.position().x(), 0.0), float(self.width())))
            self.update()

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._drag is None:
            return
        a, b = sorted(self._drag)
        self._drag = None
        self.update()
        if b - a < 3:  # a click, not a drag
            self.timeline.seek_requested.emit(self.timeline.x_to_frame(a))
            return
        t0, t1 = self.snap(self.x_to_seconds(a)), self.snap(self.x_to_seconds(b))
        if t1 > t0:
            self.span_drawn.emit(t0, t1)

    def event(self, e: QEvent) -> bool:
        # Delete here removes the selected span, not the window's "delete box" shortcut
        if e.type() == QEvent.ShortcutOverride and self.selected >= 0 and \
                e.key() in (Qt.Key_Delete, Qt.Key_Backspace):
            e.accept()
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.selected >= 0:
            self.delete_requested.emit(self.selected)
            e.accept()
            return
        super().keyPressEvent(e)
