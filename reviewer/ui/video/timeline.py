"""The timeline: timecode ruler, playhead, note ranges and redaction tracks on their frames.

Click or drag to seek; the wheel zooms around the pointer from the whole video down to single
frames (Shift+wheel scrolls). Items are kept sorted by start so painting only visits what
is on screen, which keeps thousands of notes and hundreds of tracks cheap.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from reviewer.timebase import FrameTimes
from reviewer.ui import theme

RULER_PX = 22
NOTE_LANE_PX = 12
AUDIO_LANE_PX = 6
TRACK_LANE_PX = 9
MAX_TRACK_LANES = 6
MAX_PX_PER_FRAME = 24.0
TICK_STEPS_S = (0.04, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600)


@dataclass(frozen=True)
class Span:
    id: int
    frame_from: int
    frame_to: int
    status: str = "active"  # for tracks: active | suggested
    lane: int = 0


def pack_lanes(spans: list[Span], max_lanes: int) -> list[Span]:
    """Assign each span the first lane free at its start (interval partitioning), sorted by start."""
    ends: list[int] = []  # at most max_lanes entries: the scan per span stays short
    out = []
    for s in sorted(spans, key=lambda s: (s.frame_from, s.frame_to)):
        lane = next((i for i, e in enumerate(ends) if e < s.frame_from), None)
        if lane is None and len(ends) < max_lanes:
            lane = len(ends)
            ends.append(s.frame_to)
        elif lane is None:  # every lane busy: share the last one
            lane = max_lanes - 1
            ends[lane] = max(ends[lane], s.frame_to)
        else:
            ends[lane] = s.frame_to
        out.append(Span(s.id, s.frame_from, s.frame_to, s.status, lane))
    return out


class Timeline(QWidget):
    seek_requested = Signal(int)
    item_activated = Signal(str, int)  # "note" | "track", id
    painted = Signal()  # the strips under it (sound) follow its zoom and playhead

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(RULER_PX + NOTE_LANE_PX + TRACK_LANE_PX * 3 + 8)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setFixedHeight(RULER_PX + NOTE_LANE_PX + AUDIO_LANE_PX + TRACK_LANE_PX * MAX_TRACK_LANES
                            + 12)
        self.times: FrameTimes | None = None
        self.playhead = 0
        self.first_frame = 0.0   # left edge, in frames
        self.px_per_frame = 1.0
        self._fit = True
        self._notes: list[Span] = []
        self._tracks: list[Span] = []
        self._note_starts: list[int] = []
        self._track_starts: list[int] = []
        self._longest_note = 0
        self._longest_track = 0
        self.mark_in = self.mark_out = -1
        self._dragging = False
        self._audio: list[Span] = []
        self.keyframes: list[int] = []  # of the selected track, drawn as ticks
        self.alerts: list[int] = []     # frames to look at (faces not covered), red ticks

    # -- content ------------------------------------------------------------------------------
    def set_times(self, times: FrameTimes | None) -> None:
        self.times = times
        self.playhead = 0
        self._fit = True
        self._notes, self._tracks = [], []
        self._index()
        self.update()

    def set_notes(self, spans: list[Span]) -> None:
        self._notes = pack_lanes(spans, 1)
        self._index()
        self.update()

    def set_tracks(self, spans: list[Span]) -> None:
        self._tracks = pack_lanes(spans, MAX_TRACK_LANES)
        self._index()
        self.update()

    def _index(self) -> None:
        self._note_starts = [s.frame_from for s in self._notes]
        self._track_starts = [s.frame_from for s in self._tracks]
        self._longest_note = max((s.frame_to - s.frame_from for s in self._notes), default=0)
        self._longest_track = max((s.frame_to - s.frame_from for s in self._tracks), default=0)

    def set_audio(self, spans: list[Span]) -> None:
        """Muted or bleeped stretches of the sound, in frames."""
        self._audio = sorted(spans, key=lambda s: s.frame_from)
        self.update()

    def set_keyframes(self, frames: list[int]) -> None:
        self.keyframes = sorted(frames)
        self.update()

    def set_alert_frames(self, frames: list[int]) -> None:
        """Red ticks on these frames (the coverage check's faces not covered); [] clears."""
        self.alerts = sorted(set(frames))
        self.update()

    def set_playhead(self, n: int) -> None:
        self.playhead = n
        if not self._fit:  # keep the playhead in view when zoomed in
            x = self.frame_to_x(n)
            if x < 0 or x > self.width() - 10:
                self.first_frame = max(0.0, n - self.width() / self.px_per_frame / 4)
        self.update()

    def set_marks(self, mark_in: int, mark_out: int) -> None:
        self.mark_in, self.mark_out = mark_in, mark_out
        self.update()

    # -- mapping ------------------------------------------------------------------------------
    def _count(self) -> int:
        return self.times.count if self.times else 0

    def _apply_fit(self) -> None:
        if self._fit and self._count():
            self.px_per_frame = max(1e-6, self.width() / self._count())
            self.first_frame = 0.0

    def frame_to_x(self, n: float) -> float:
        self._apply_fit()
        return (n - self.first_frame) * self.px_per_frame

    def x_to_frame(self, x: float) -> int:
        self._apply_fit()
        n = math.floor(self.first_frame + x / self.px_per_frame)
        return max(0, min(n, self._count() - 1))

    def zoom(self, factor: float, anchor_x: float) -> None:
        if not self._count():
            return
        self._apply_fit()
        fit = self.width() / self._count()
        anchor = self.first_frame + anchor_x / self.px_per_frame
        ppf = min(MAX_PX_PER_FRAME, max(fit, self.px_per_frame * factor))
        self._fit = ppf <= fit * 1.0001
        self.px_per_frame = ppf
        self.first_frame = self._clamp_first(anchor - anchor_x / ppf)
        self.update()

    def _clamp_first(self, first: float) -> float:
        visible = self.width() / self.px_per_frame
        return max(0.0, min(first, max(0.0, self._count() - visible)))

    def visible_frames(self) -> tuple[int, int]:
        self._apply_fit()
        a = int(self.first_frame)
        return a, min(self._count() - 1, int(self.first_frame + self.width() / self.px_per_frame))

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(theme.BASE))
        if not self._count():
            p.setPen(QColor(theme.MUTED))
            p.drawText(self.rect(), Qt.AlignCenter, "Timeline: open a video")
            return
        self._apply_fit()
        a, b = self.visible_frames()
        self._paint_ruler(p, a, b)
        if self.mark_in >= 0 or self.mark_out >= 0:
            x0 = self.frame_to_x(max(self.mark_in, 0))
            x1 = self.frame_to_x((self.mark_out if self.mark_out >= 0 else self._count() - 1) + 1)
            p.fillRect(QRectF(x0, RULER_PX, x1 - x0, self.height() - RULER_PX),
                       QColor(224, 165, 38, 40))
        y = RULER_PX + 2
        self._paint_spans(p, self._notes, self._note_starts, self._longest_note, a, b, y,
                          NOTE_LANE_PX - 2, QColor(theme.NOTE), QColor(theme.NOTE))
        y += NOTE_LANE_PX + 2
        p.setPen(Qt.NoPen)
        p.setBrush(QBrush(QColor("#b48ead")))
        for s in self._audio:
            x0, x1 = self.frame_to_x(s.frame_from), self.frame_to_x(s.frame_to + 1)
            p.drawRect(QRectF(x0, y, max(2.0, x1 - x0), AUDIO_LANE_PX - 2))
        y += AUDIO_LANE_PX
        p.setPen(QPen(QColor("#ffffff"), 1))
        for k in self.keyframes:  # the selected track's keyframes, under the ruler
            if a <= k <= b:
                x = int(self.frame_to_x(k) + max(1.0, self.px_per_frame) / 2)
                p.drawLine(x, RULER_PX - 6, x, RULER_PX + 1)
        self._paint_spans(p, self._tracks, self._track_starts, self._longest_track, a, b, y,
                          TRACK_LANE_PX - 2, QColor(theme.REDACT), QColor(theme.ACCENT))
        if self.alerts:
            p.setPen(QPen(QColor("#ff4d4f"), 3))
            lo, hi = bisect_right(self.alerts, a - 1), bisect_right(self.alerts, b)
            last = -10.0
            for k in self.alerts[lo:hi]:
                x = self.frame_to_x(k) + max(1.0, self.px_per_frame) / 2
                if x - last >= 2:  # many alerts on one pixel: one tick
                    p.drawLine(int(x), 0, int(x), 4)  # above the timecodes, not over them
                    last = x
        x = self.frame_to_x(self.playhead)
        w = max(2.0, self.px_per_frame)
        p.fillRect(QRectF(x, 0, w, self.height()), QColor(255, 255, 255, 60 if w > 2 else 0))
        p.setPen(QPen(QColor("#ffffff"), 1.5))
        p.drawLine(int(x), 0, int(x), self.height())
        p.end()
        self.painted.emit()

    def _paint_ruler(self, p: QPainter, a: int, b: int) -> None:
        t = self.times
        p.fillRect(QRectF(0, 0, self.width(), RULER_PX), QColor(theme.PANEL))
        span_s = float(t.seconds(b) - t.seconds(a)) or 1.0
        per_px = span_s / max(1, self.width())
        step = next((s for s in TICK_STEPS_S if s / per_px >= 90), TICK_STEPS_S[-1])
        p.setPen(QColor(theme.MUTED))
        s = math.ceil(float(t.seconds(a)) / step) * step
        while s <= float(t.seconds(b)) + 1e-9:
            n = t.frame_at_seconds(s)
            x = self.frame_to_x(n)
            p.drawLine(int(x), RULER_PX - 8, int(x), RULER_PX)
            p.drawText(int(x) + 3, 13, t.timecode(n)[3:] if step < 1 else t.timecode(n)[:8])
            s += step
        if self.px_per_frame >= 6:  # single frames: one tick each
            p.setPen(QColor("#555c6a"))
            for n in range(a, b + 1):
                x = int(self.frame_to_x(n))
                p.drawLine(x, RULER_PX - 3, x, RULER_PX)

    def _paint_spans(self, p: QPainter, spans: list[Span], starts: list[int], longest: int,
                     a: int, b: int, y: float, h: float, color: QColor, alt: QColor) -> None:
        lo = bisect_right(starts, a - longest - 1)
        hi = bisect_right(starts, b)
        p.setPen(Qt.NoPen)
        brushes = {"suggested": QBrush(alt), "active": QBrush(color)}
        covered: dict[tuple[int, str], float] = {}  # per lane and colour: drawn up to this x
        self._apply_fit()
        first, ppf = self.first_frame, self.px_per_frame
        for s in spans[lo:hi]:
            if s.frame_to < a:
                continue
            x0 = (s.frame_from - first) * ppf
            x1 = max(x0 + 2.0, (s.frame_to + 1 - first) * ppf)
            key = (s.lane, "suggested" if s.status == "suggested" else "active")
            done = covered.get(key, -1.0)
            if x1 <= done:  # thousands of notes share a few hundred pixels: paint each once
                continue
            covered[key] = x1
            p.setBrush(brushes[key[1]])
            p.drawRect(QRectF(max(x0, done), y + s.lane * (h + 2), x1 - max(x0, done), h))

    # -- mouse --------------------------------------------------------------------------------
    def span_at(self, x: float, y: float) -> tuple[str, int] | None:
        """("note" | "track", id) of the span drawn under the point, if any."""
        n = self.x_to_frame(x)
        top = RULER_PX + 2
        if top <= y < top + NOTE_LANE_PX:
            kind, spans, lane = "note", self._notes, 0
        else:
            t0 = top + NOTE_LANE_PX + 2 + AUDIO_LANE_PX
            lane = int((y - t0) // TRACK_LANE_PX) if y >= t0 else -1
            kind, spans = "track", self._tracks
        hit = [s for s in spans if s.lane == lane and s.frame_from <= n <= s.frame_to]
        return (kind, hit[-1].id) if hit else None

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.LeftButton and self._count():
            self._dragging = True
            self.seek_requested.emit(self.x_to_frame(e.position().x()))
            hit = self.span_at(e.position().x(), e.position().y())
            if hit:
                self.item_activated.emit(*hit)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._dragging:
            self.seek_requested.emit(self.x_to_frame(e.position().x()))

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        self._dragging = False

    def wheelEvent(self, e: QWheelEvent) -> None:
        steps = e.angleDelta().y() / 120 or e.angleDelta().x() / 120
        if not steps:
            return
        if e.modifiers() & Qt.ShiftModifier and not self._fit:
            self.first_frame = self._clamp_first(
                self.first_frame - steps * 60 / self.px_per_frame)
            self.update()
        else:
            self.zoom(1.5 ** steps, e.position().x())

    def resizeEvent(self, e: object) -> None:
        if not self._fit:
            self.first_frame = self._clamp_first(self.first_frame)
        super().resizeEvent(e)
