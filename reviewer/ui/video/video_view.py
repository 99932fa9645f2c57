"""The picture: the current frame (exact or VLC's), redaction boxes drawn over it, zoom and pan.

Boxes are in pixels of the displayed frame; the view maps them through one transform
(fit-to-window times zoom, plus pan), so they sit on the same pixels at every zoom.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from reviewer.annotate.geometry import Box
from reviewer.annotate.heads import HEAD, head_outline
from reviewer.ui import state_marks, theme

HANDLE_PX = 8
MIN_BOX_PX = 3


@dataclass(frozen=True)
class BoxOverlay:
    track_id: int
    box: Box
    shape: str = "rect"
    style: str = "solid"
    reason: str = ""
    status: str = "active"  # active | suggested


class VideoView(QWidget):
    box_drawn = Signal(object, str)            # Box, shape
    box_changed = Signal(int, object)          # track id, Box (a move or a resize)
    box_selected = Signal(int)                 # track id, -1 for none
    zoom_changed = Signal(float)
    clicked = Signal()                         # any click on the picture

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 160)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)
        self._image = QImage()
        self._boxes: list[BoxOverlay] = []
        self._preview = True
        self.tool = "select"  # select | rect | ellipse
        self.zoom = 1.0
        self._pan = QPointF(0, 0)
        self._drag: tuple[str, QPointF, object] | None = None
        self._draft: QRectF | None = None
        self.selected_track = -1
        self.empty_text = "No video open"

    # -- content ------------------------------------------------------------------------------
    def set_image(self, image: QImage) -> None:
        self._image = image
        self.update()

    def image(self) -> QImage:
        return self._image

    def set_boxes(self, boxes: list[BoxOverlay]) -> None:
        self._boxes = boxes
        self.update()

    def boxes(self) -> list[BoxOverlay]:
        return list(self._boxes)

    def set_preview(self, on: bool) -> None:
        self._preview = on
        self.update()

    def set_tool(self, tool: str) -> None:
        self.tool = tool
        self.setCursor(Qt.CrossCursor if tool in ("rect", "ellipse") else Qt.ArrowCursor)

    # -- transform ----------------------------------------------------------------------------
    def _scale(self) -> float:
        if self._image.isNull():
            return 1.0
        fit = min(self.width() / self._image.width(), self.height() / self._image.height())
        return fit * self.zoom

    def _origin(self) -> QPointF:
        s = self._scale()
        return QPointF((self.width() - self._image.width() * s) / 2 + self._pan.x(),
                       (self.height() - self._image.height() * s) / 2 + self._pan.y())

    def to_image(self, p: QPointF) -> QPointF:
        o, s = self._origin(), self._scale()
        return QPointF((p.x() - o.x()) / s, (p.y() - o.y()) / s)

    def to_widget(self, r: QRectF) -> QRectF:
        o, s = self._origin(), self._scale()
        return QRectF(o.x() + r.x() * s, o.y() + r.y() * s, r.width() * s, r.height() * s)

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        zoom = max(1.0, min(16.0, zoom))
        anchor = anchor or QPointF(self.width() / 2, self.height() / 2)
        before = self.to_image(anchor)
        self.zoom = zoom
        if zoom == 1.0:
            self._pan = QPointF(0, 0)
        else:
            after = self.to_image(anchor)
            s = self._scale()
            self._pan += QPointF((after.x() - before.x()) * s, (after.y() - before.y()) * s)
        self.zoom_changed.emit(self.zoom)
        self.update()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.25)

    # -- painting -----------------------------------------------------------------------------
    def focusInEvent(self, e: Any) -> None:
        super().focusInEvent(e)
        self.update()  # the focus ring

    def focusOutEvent(self, e: Any) -> None:
        super().focusOutEvent(e)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#111318"))
        if self.hasFocus():
            state_marks.paint_focus_ring(p, QRectF(self.rect()))
        if self._image.isNull():
            p.setPen(QColor(theme.MUTED))
            p.drawText(self.rect(), Qt.AlignCenter, self.empty_text)
            return
        p.setRenderHint(QPainter.SmoothPixmapTransform, self.zoom < 3)
        target = self.to_widget(QRectF(0, 0, self._image.width(), self._image.height()))
        p.drawImage(target, self._image)
        p.setRenderHint(QPainter.Antialiasing)
        p.setClipRect(target)  # what lies outside the frame is not in the export either
        for ov in self._boxes:
            self._paint_box(p, ov)
        if self._draft is not None:
            p.setPen(QPen(QColor(theme.ACCENT), 2, Qt.DashLine))
            p.setBrush(Qt.NoBrush)
            r = self.to_widget(self._draft)
            p.drawEllipse(r) if self.tool == "ellipse" else p.drawRect(r)
        if not self._preview:
            state_marks.paint_preview_off(p, QRectF(self.rect()))
        if self.hasFocus():
            state_marks.paint_focus_ring(p, QRectF(self.rect()))

    @staticmethod
    def _draw_shape(p: QPainter, shape: str, r: QRectF) -> None:
        """``shape`` in the widget rectangle ``r``, as the exporter draws it."""
        if shape == HEAD:
            path = QPainterPath()
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in
                                       head_outline(r.x(), r.y(), r.width(), r.height())]))
            path.closeSubpath()
            p.drawPath(path)
        elif shape == "ellipse":
            p.drawEllipse(r)
        else:
            p.drawRect(r)

    def _paint_box(self, p: QPainter, ov: BoxOverlay) -> None:
        r = self.to_widget(QRectF(ov.box.x_px, ov.box.y_px, ov.box.w_px, ov.box.h_px))
        suggested = ov.status == "suggested"
        if self._preview and not suggested:
            brush = QBrush(QColor(0, 0, 0)) if ov.style == "solid" else \
                QBrush(QColor(40, 40, 40, 235), Qt.DiagCrossPattern)
            p.setPen(Qt.NoPen)
            p.setBrush(QColor(0, 0, 0) if ov.style == "solid" else QColor(60, 60, 60, 230))
            self._draw_shape(p, ov.shape, r)
            if ov.style != "solid":
                p.setBrush(brush)
                self._draw_shape(p, ov.shape, r)
        color = QColor(theme.ACCENT) if suggested else QColor(theme.REDACT)
        selected = ov.track_id == self.selected_track
        p.setPen(QPen(color, 3 if selected else 1.5, Qt.DashLine if suggested else Qt.SolidLine))
        p.setBrush(Qt.NoBrush)
        self._draw_shape(p, ov.shape, r)
        if ov.reason:
            p.setPen(color)
            p.drawText(r.adjusted(3, 2, 0, 0), Qt.AlignLeft | Qt.AlignTop, ov.reason)
        if selected:
            p.setBrush(color)
            p.drawRect(QRectF(r.right() - HANDLE_PX / 2, r.bottom() - HANDLE_PX / 2,
                              HANDLE_PX, HANDLE_PX))

    # -- mouse --------------------------------------------------------------------------------
    def _hit(self, pos: QPointF) -> tuple[BoxOverlay, str] | None:
        for ov in reversed(self._boxes):
            r = self.to_widget(QRectF(ov.box.x_px, ov.box.y_px, ov.box.w_px, ov.box.h_px))
            corner = QRectF(r.right() - HANDLE_PX, r.bottom() - HANDLE_PX, 2 * HANDLE_PX,
                            2 * HANDLE_PX)
            if ov.track_id == self.selected_track and corner.contains(pos):
                return ov, "resize"
            if r.contains(pos):
                return ov, "move"
        return None

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self.clicked.emit()
        pos = e.position()
        self.setFocus()
        if e.button() == Qt.MiddleButton or self._image.isNull():
            self._drag = ("pan", pos, self._pan)
            return
        if e.button() != Qt.LeftButton:
            return
        if self.tool in ("rect", "ellipse"):
            self._drag = ("draw", self.to_image(pos), None)
            self._draft = QRectF(self.to_image(pos), self.to_image(pos))
            return
        hit = self._hit(pos)
        if hit:
            ov, what = hit
            self.selected_track = ov.track_id
            self.box_selected.emit(ov.track_id)
            self._drag = (what, pos, ov)
            self.update()
            return
        if self.selected_track != -1:
            self.selected_track = -1
            self.box_selected.emit(-1)
            self.update()
        self._drag = ("pan", pos, self._pan)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._drag is None:
            return
        kind, start, data = self._drag
        pos = e.position()
        if kind == "pan":
            self._pan = data + (pos - start)
        elif kind == "draw":
            self._draft = QRectF(start, self.to_image(pos)).normalized()
        elif kind in ("move", "resize"):
            s = self._scale()
            dx, dy = (pos.x() - start.x()) / s, (pos.y() - start.y()) / s
            b = data.box
            nb = Box(b.x_px + dx, b.y_px + dy, b.w_px, b.h_px) if kind == "move" else \
                Box(b.x_px, b.y_px, max(MIN_BOX_PX, b.w_px + dx), max(MIN_BOX_PX, b.h_px + dy))
            self._boxes = [BoxOverlay(o.track_id, nb, o.shape, o.style, o.reason, o.status)
                           if o.track_id == data.track_id else o for o in self._boxes]
        self.update()

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._drag is None:
            return
        kind, _start, data = self._drag
        self._drag = None
        if kind == "draw" and self._draft is not None:
            r = self._draft.intersected(QRectF(0, 0, self._image.width(), self._image.height()))
            self._draft = None
            if r.width() >= MIN_BOX_PX and r.height() >= MIN_BOX_PX:
                self.box_drawn.emit(Box(r.x(), r.y(), r.width(), r.height()), self.tool)
        elif kind in ("move", "resize"):
            moved = next((o for o in self._boxes if o.track_id == data.track_id), None)
            if moved is not None and moved.box != data.box:
                self.box_changed.emit(data.track_id, moved.box)  # one command on release
        self.update()

    # -- keyboard -----------------------------------------------------------------------------
    def keyPressEvent(self, e: Any) -> None:
        """Boxes without a mouse: with a drawing tool armed, Enter puts a box over the middle
        quarter of the picture; Alt+arrows move the selected box, Alt+Shift+arrows resize it
        (a tenth of the picture a press, or one pixel with Ctrl)."""
        key, mods = e.key(), e.modifiers()
        if self._image.isNull():
            super().keyPressEvent(e)
            return
        w, h = self._image.width(), self._image.height()
        if key in (Qt.Key_Return, Qt.Key_Enter) and self.tool in ("rect", "ellipse"):
            self.box_drawn.emit(Box(w / 4, h / 4, w / 2, h / 2), self.tool)
            e.accept()
            return
        arrows = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1),
                  Qt.Key_Down: (0, 1)}
        sel = next((o for o in self._boxes if o.track_id == self.selected_track), None)
        if key in arrows and mods & Qt.AltModifier and sel is not None:
            ux, uy = arrows[key]
            step = 1.0 if mods & Qt.ControlModifier else max(1.0, min(w, h) / 10)
            b = sel.box
            nb = Box(b.x_px, b.y_px, max(MIN_BOX_PX, b.w_px + ux * step),
                     max(MIN_BOX_PX, b.h_px + uy * step)) if mods & Qt.ShiftModifier else \
                Box(b.x_px + ux * step, b.y_px + uy * step, b.w_px, b.h_px)
            self.box_changed.emit(sel.track_id, nb)
            e.accept()
            return
        super().keyPressEvent(e)

    def wheelEvent(self, e: QWheelEvent) -> None:
        steps = e.angleDelta().y() / 120
        if steps:
            self.set_zoom(self.zoom * (1.25 ** steps), e.position())
