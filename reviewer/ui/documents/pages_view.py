"""Every page of one document in one continuous scroll, with boxes and highlights over it.

Page geometry comes from the case (each page's size in points), so layout never waits for
rendering; pictures arrive from the thread pool and replace grey placeholders. Overlay
rectangles are in PDF points, origin top-left, like the CLI's.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from reviewer.ui import state_marks, theme
from reviewer.ui.documents.page_render import PageRenderer

GAP_PX = 12
PX_PER_PT = 96 / 72
WITHHELD_COLOR = "#ff8c1a"  # what the agency withheld: apart from our own redactions' red


@dataclass(frozen=True)
class PageRect:
    page_no: int
    x0_pt: float
    y0_pt: float
    x1_pt: float
    y1_pt: float
    kind: str = "redact"  # redact | suggested | hit | note | withheld | select
    id: int = -1
    label: str = ""


class PagesView(QAbstractScrollArea):
    page_changed = Signal(int)
    rect_drawn = Signal(int, object)       # page, (x0, y0, x1, y1) in points
    selection_made = Signal(int, object)   # page, rect in points (text selection)
    withheld_drawn = Signal(int, object)   # page, rect in points (withheld tool)
    page_clicked = Signal(int)             # page number (from 1) under a click
    rect_changed = Signal(int, object)     # page box id, (x0, y0, x1, y1) moved or resized by keys

    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        renderer.rendered.connect(self._on_renderer_rendered)
        self.path = ""
        self.sizes_pt: list[tuple[float, float]] = []
        self.zoom = 1.0
        self._tops: list[float] = []
        self.rects: list[PageRect] = []
        # a second layer, owned by one panel (the withheld log), so set_rects never drops it
        self.highlights: list[PageRect] = []
        self.highlight_id = -1
        self.preview = True
        self.tool = "select"  # select | redact | withheld
        self._drag: tuple[int, QPointF] | None = None
        self._draft: tuple[int, QRectF] | None = None
        self.current_page = 0
        self.selected_box = -1  # the page box keys move and resize (id of a "redact" rect)
        self.setObjectName("Pages")  # the theme rings it when it has the focus
        self.verticalScrollBar().valueChanged.connect(self._on_scroll_value_changed)
        self.viewport().setMouseTracking(True)

    def set_document(self, path: str, sizes_pt: list[tuple[float, float]]) -> None:
        self.path, self.sizes_pt = path, [(w or 612.0, h or 792.0) for w, h in sizes_pt]
        self.rects = []
        self.highlights, self.highlight_id = [], -1
        self.current_page = 0
        self.selected_box = -1
        self._layout()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def set_zoom(self, zoom: float) -> None:
        page = self.current_page
        self.zoom = max(0.25, min(4.0, zoom))
        self._layout()
        if self.sizes_pt:
            self.go_to_page(page + 1)
        self.viewport().update()

    def fit_width(self) -> None:
        if self.sizes_pt:
            # the usual page width (a few landscape pages then scroll sideways)
            usual = sorted(w for w, _ in self.sizes_pt)[len(self.sizes_pt) // 2] * PX_PER_PT
            self.set_zoom((self.viewport().width() - 2 * GAP_PX) / usual)

    def set_rects(self, rects: list[PageRect]) -> None:
        self.rects = rects
        self.viewport().update()

    def words_of(self, page_no: int) -> list[tuple]:
        """The page's words (x0, y0, x1, y1, text in points) that labels keep clear of;
        replaced by the document pane, which reads and caches them."""
        return []

    def set_highlights(self, rects: list[PageRect], selected_id: int = -1) -> None:
        """Outline ``rects`` (points, top-left) in orange with their labels; ``selected_id``
        is drawn bolder. Independent of :meth:`set_rects`."""
        self.highlights, self.highlight_id = list(rects), selected_id
        self.viewport().update()

    def _scale(self) -> float:
        return self.zoom * PX_PER_PT

    def _layout(self) -> None:
        s, y, self._tops = self._scale(), float(GAP_PX), []
        for _w, h in self.sizes_pt:
            self._tops.append(y)
            y += h * s + GAP_PX
        widest = max((w for w, _ in self.sizes_pt), default=0) * s + 2 * GAP_PX
        self.verticalScrollBar().setRange(0, max(0, int(y - self.viewport().height())))
        self.verticalScrollBar().setPageStep(self.viewport().height())
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setRange(0, max(0, int(widest - self.viewport().width())))
        self.horizontalScrollBar().setPageStep(self.viewport().width())

    def resizeEvent(self, e: object) -> None:
        self._layout()
        super().resizeEvent(e)

    def page_rect(self, i: int) -> QRectF:
        """Page i (0-based) in viewport pixels."""
        s = self._scale()
        w, h = self.sizes_pt[i]
        vw = self.viewport().width()
        if w * s + 2 * GAP_PX <= vw:  # fits: centred in the view
            x = (vw - w * s) / 2 - self.horizontalScrollBar().value()
        else:
            x = GAP_PX - self.horizontalScrollBar().value()
        return QRectF(x, self._tops[i] - self.verticalScrollBar().value(), w * s, h * s)

    def go_to_page(self, page_no: int, y_pt: float = 0.0) -> None:
        if not self.sizes_pt:
            return
        i = max(0, min(page_no - 1, len(self.sizes_pt) - 1))
        self.verticalScrollBar().setValue(int(self._tops[i] - GAP_PX + y_pt * self._scale()))
        self._set_current(i)

    def visible_pages(self) -> range:
        if not self.sizes_pt:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        a = max(0, bisect_right(self._tops, top) - 1)
        b = bisect_right(self._tops, bottom)
        return range(a, min(b, len(self.sizes_pt)))

    def _set_current(self, i: int) -> None:
        if i != self.current_page:
            self.current_page = i
            self.page_changed.emit(i + 1)

    def _on_scroll_value_changed(self, _v: int) -> None:
        vis = self.visible_pages()
        if len(vis):
            mid = self.verticalScrollBar().value() + self.viewport().height() / 3
            self._set_current(max(0, bisect_right(self._tops, mid) - 1))

    def _on_renderer_rendered(self, path: str, page_no: int, zoom: float) -> None:
        if path == self.path and page_no - 1 in self.visible_pages():
            self.viewport().update()

    def to_points(self, i: int, pos: QPointF) -> QPointF:
        r, s = self.page_rect(i), self._scale()
        return QPointF((pos.x() - r.x()) / s, (pos.y() - r.y()) / s)

    def _rect_to_px(self, i: int, x0: float, y0: float, x1: float, y1: float) -> QRectF:
        r, s = self.page_rect(i), self._scale()
        return QRectF(r.x() + x0 * s, r.y() + y0 * s, (x1 - x0) * s, (y1 - y0) * s)

    def focusInEvent(self, e: Any) -> None:
        super().focusInEvent(e)
        self.viewport().update()  # the focus ring

    def focusOutEvent(self, e: Any) -> None:
        super().focusOutEvent(e)
        self.viewport().update()

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self.viewport())
        p.fillRect(self.viewport().rect(), QColor("#15171c"))
        if not self.sizes_pt:
            p.setPen(QColor(theme.MUTED))
            p.drawText(self.viewport().rect(), Qt.AlignCenter,
                       "Select a document in the case, or drop PDFs here")
            return
        by_page: dict[int, list[PageRect]] = {}
        for r in self.rects:
            by_page.setdefault(r.page_no, []).append(r)
        lit: dict[int, list[PageRect]] = {}
        for r in self.highlights:
            lit.setdefault(r.page_no, []).append(r)
        for i in self.visible_pages():
            target = self.page_rect(i)
            img = self.renderer.get(self.path, i + 1, self._scale())
            if img is None:
                img = self.renderer.nearest(self.path, i + 1)
            if img is not None:
                p.drawImage(target, img)
            else:
                p.fillRect(target, QColor("#f3f3f0"))
                p.setPen(QColor("#888888"))
                p.drawText(target, Qt.AlignCenter, f"Page {i + 1}…")
            for r in by_page.get(i + 1, []):
                self._paint_rect(p, i, r)
            self._paint_highlights(p, i, lit.get(i + 1, []))
            if self._draft and self._draft[0] == i:
                p.setPen(QPen(QColor(theme.ACCENT), 1.5, Qt.DashLine))
                p.setBrush(Qt.NoBrush)
                d = self._draft[1]
                p.drawRect(self._rect_to_px(i, d.left(), d.top(), d.right(), d.bottom()))
        if not self.preview:
            state_marks.paint_preview_off(p, QRectF(self.viewport().rect()))

    def _paint_rect(self, p: QPainter, i: int, r: PageRect) -> None:
        box = self._rect_to_px(i, r.x0_pt, r.y0_pt, r.x1_pt, r.y1_pt)
        if r.kind == "redact":
            if self.preview:
                p.fillRect(box, QColor(0, 0, 0))
            p.setPen(QPen(QColor(theme.REDACT), 1.5))
            p.setBrush(Qt.NoBrush)
            p.drawRect(box)
            if r.label:
                p.drawText(box.adjusted(2, 0, 0, 0), Qt.AlignLeft | Qt.AlignVCenter, r.label)
            if r.id == self.selected_box and r.id >= 0:  # the one keys move: bold, with a handle
                p.setPen(QPen(QColor(theme.ACCENT), 3))
                p.drawRect(box)
                p.fillRect(QRectF(box.right() - 4, box.bottom() - 4, 8, 8), QColor(theme.ACCENT))
        elif r.kind in ("hit", "select"):
            p.fillRect(box, QColor(255, 214, 0, 110) if r.kind == "hit" else QColor(61, 90, 128, 110))
        else:
            color = {"suggested": theme.ACCENT, "note": theme.NOTE, "withheld": "#a0a0a0"}.get(
                r.kind, theme.MUTED)
            p.setPen(QPen(QColor(color), 1.5, Qt.DashLine))
            p.setBrush(Qt.NoBrush)
            p.drawRect(box)

    def label_rects(self, i: int, rects: list[PageRect], fm: Any) -> list[QRectF]:
        """Where the withheld labels of page ``i`` are drawn (clear of each other and the text)."""
        from PySide6.QtCore import QSizeF

        from reviewer.ui.documents.label_layout import place_labels

        boxes = [self._rect_to_px(i, r.x0_pt, r.y0_pt, r.x1_pt, r.y1_pt) for r in rects]
        sizes = [QSizeF(fm.horizontalAdvance(r.label) + 8, fm.height() + 2) for r in rects]
        words = [self._rect_to_px(i, *w[:4]) for w in (self.words_of(i + 1) if rects else [])]
        return place_labels(boxes, sizes, self.page_rect(i), words)

    def _paint_highlights(self, p: QPainter, i: int, rects: list[PageRect]) -> None:
        color = QColor(WITHHELD_COLOR)
        for r in rects:
            box = self._rect_to_px(i, r.x0_pt, r.y0_pt, r.x1_pt, r.y1_pt)
            chosen = r.id == self.highlight_id
            p.setPen(QPen(color, 3.0 if chosen else 1.5, Qt.SolidLine if chosen else Qt.DashLine))
            p.setBrush(QColor(255, 140, 26, 50) if chosen else Qt.NoBrush)
            p.drawRect(box.adjusted(-2, -2, 2, 2) if chosen else box)
        labelled = [r for r in rects if r.label]
        for r, tag in zip(labelled, self.label_rects(i, labelled, p.fontMetrics())):
            p.fillRect(tag, color)
            p.setPen(QColor("#000000"))
            p.drawText(tag, Qt.AlignCenter, r.label)

    # -- mouse: drag a box (redact tool) or a text selection (select tool) --------------------
    def _page_at(self, pos: QPointF) -> int:
        for i in self.visible_pages():
            if self.page_rect(i).contains(pos):
                return i
        return -1

    def mousePressEvent(self, e: QMouseEvent) -> None:
        i = self._page_at(e.position())
        if i >= 0:
            self.page_clicked.emit(i + 1)
        if e.button() == Qt.LeftButton and i >= 0:
            self._drag = (i, self.to_points(i, e.position()))
            self._draft = (i, QRectF(self._drag[1], self._drag[1]))

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._drag:
            i, start = self._drag
            self._draft = (i, QRectF(start, self.to_points(i, e.position())).normalized())
            self.viewport().update()

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if not self._drag or not self._draft:
            return
        i, r = self._draft
        self._drag = self._draft = None
        w, h = self.sizes_pt[i]
        r = r.intersected(QRectF(0, 0, w, h))
        self.viewport().update()
        if r.width() < 2 or r.height() < 2:
            return
        rect = (round(r.left(), 2), round(r.top(), 2), round(r.right(), 2), round(r.bottom(), 2))
        if self.tool == "redact":
            self.rect_drawn.emit(i + 1, rect)
        elif self.tool == "withheld":
            self.withheld_drawn.emit(i + 1, rect)
        else:
            self.selection_made.emit(i + 1, rect)

    # -- keyboard: the video picture's keys for boxes ----------------------------------------
    def keyPressEvent(self, e: Any) -> None:
        """Boxes without a mouse, with the picture's keys: with the page tool armed (R), Enter
        puts a box over the middle quarter of the page at the top of the view; Alt+arrows move
        the selected box, Alt+Shift+arrows resize it (a tenth of the page a press, or one
        point with Ctrl); Esc lets go of it."""
        key, mods = e.key(), e.modifiers()
        if not self.sizes_pt:
            super().keyPressEvent(e)
            return
        if key in (Qt.Key_Return, Qt.Key_Enter) and self.tool == "redact":
            w, h = self.sizes_pt[self.current_page]
            self.rect_drawn.emit(self.current_page + 1, (round(w / 4, 2), round(h / 4, 2),
                                                         round(3 * w / 4, 2), round(3 * h / 4, 2)))
            e.accept()
            return
        sel = next((r for r in self.rects if r.kind == "redact" and r.id == self.selected_box
                    and r.id >= 0), None)
        if key == Qt.Key_Escape and sel is not None:
            self.selected_box = -1
            self.viewport().update()
            e.accept()
            return
        arrows = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1),
                  Qt.Key_Down: (0, 1)}
        if key in arrows and mods & Qt.AltModifier and sel is not None:
            self.rect_changed.emit(sel.id, self.nudged(sel, *arrows[key],
                                                       bool(mods & Qt.ShiftModifier),
                                                       bool(mods & Qt.ControlModifier)))
            e.accept()
            return
        super().keyPressEvent(e)

    def nudged(self, r: PageRect, ux: int, uy: int, resize: bool, fine: bool) -> tuple:
        """``r`` moved (or its lower right corner moved) one step, kept on its page."""
        w, h = self.sizes_pt[r.page_no - 1]
        step = 1.0 if fine else max(1.0, min(w, h) / 10)
        x0, y0, x1, y1 = r.x0_pt, r.y0_pt, r.x1_pt, r.y1_pt
        if resize:
            x1 = min(w, max(x0 + 2, x1 + ux * step))
            y1 = min(h, max(y0 + 2, y1 + uy * step))
        else:
            dx = min(max(ux * step, -x0), w - x1)
            dy = min(max(uy * step, -y0), h - y1)
            x0, y0, x1, y1 = x0 + dx, y0 + dy, x1 + dx, y1 + dy
        return tuple(round(v, 2) for v in (x0, y0, x1, y1))

    def wheelEvent(self, e: QWheelEvent) -> None:
        if e.modifiers() & Qt.ControlModifier:
            steps = e.angleDelta().y() / 120
            self.set_zoom(self.zoom * (1.2 ** steps))
        else:
            super().wheelEvent(e)
