"""The document pane: thumbnails, continuous pages, zoom, go to page or Bates, copy text."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui.case import media_access
from reviewer.ui.icons import icon
from reviewer.ui.documents.page_render import PageRenderer
from reviewer.ui.documents.pages_view import PageRect, PagesView

THUMB_ZOOM = 0.18


def words_in(words: list[tuple[float, float, float, float, str]],
             rect: tuple[float, float, float, float]) -> str:
    """The words whose centres fall inside ``rect``, in reading order."""
    x0, y0, x1, y1 = rect
    hit = [w for w in words if x0 <= (w[0] + w[2]) / 2 <= x1 and y0 <= (w[1] + w[3]) / 2 <= y1]
    hit.sort(key=lambda w: (round(w[1] / 4), w[0]))
    lines: list[str] = []
    last_y = None
    for w in hit:
        y = round(w[1] / 4)
        if last_y is not None and y == last_y:
            lines[-1] += " " + w[4]
        else:
            lines.append(w[4])
        last_y = y
    return "\n".join(lines)


class DocPane(QWidget):
    page_changed = Signal(int)
    status_message = Signal(str)
    page_rect_drawn = Signal(int, object)     # page, rect in points (redact tool)
    page_rect_changed = Signal(int, object)   # page box id, rect in points (moved by keys)
    text_selected = Signal(int, object, str)  # page, rect, text
    withheld_rect_drawn = Signal(int, object)  # page, rect in points (withheld tool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = PageRenderer(self)
        self.renderer.rendered.connect(self._on_renderer_rendered)
        self.renderer.failed.connect(
            lambda path, n, why: self.status_message.emit(f"Page {n} could not be shown: {why}"))
        self.view = PagesView(self.renderer, self)
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListWidget.IconMode)
        self.thumbs.setFlow(QListWidget.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(84, 108))
        self.thumbs.setGridSize(QSize(100, 134))
        self.thumbs.setFixedWidth(118)
        self.thumbs.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.thumbs.setMovement(QListWidget.Static)
        self.thumbs.currentRowChanged.connect(self._on_thumbs_current_row_changed)
        self.media: dict[str, Any] | None = None
        self.pages: list[dict[str, Any]] = []
        self.bates_lookup: Callable[[str], tuple[int, int] | None] = lambda s: None
        self._words: dict[int, list] = {}

        self.goto = QLineEdit()
        self.goto.setPlaceholderText("Go to page or Bates no.")
        self.goto.setMinimumWidth(70)
        self.goto.setMaximumWidth(170)
        self.goto.returnPressed.connect(self._on_goto_return_pressed)
        self.where = QLabel("")
        self.where.setObjectName("Readout")
        self.where.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.where.setMinimumWidth(1)  # it gives way: the picture beside it needs the room
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        self.buttons: dict[str, QToolButton] = {}
        for name, tip, slot in [("zoom_out", "Zoom out (Ctrl+wheel)", lambda: self.zoom_by(1 / 1.2)),
                                ("zoom_in", "Zoom in (Ctrl+wheel)", lambda: self.zoom_by(1.2))]:
            b = QToolButton()
            b.setIcon(icon(name))
            b.setToolTip(tip)
            b.clicked.connect(slot)
            self.buttons[name] = b
            bar.addWidget(b)
        fit = QToolButton()
        fit.setText("Fit")
        fit.setToolTip("Fit the page to the width of the pane")
        fit.clicked.connect(self.view.fit_width)
        bar.addWidget(fit)
        bar.addSpacing(4)
        bar.addWidget(self.where, 1)
        bar.addWidget(self.goto)
        self._bar = bar
        # a narrow pane (the picture keeps half the window) shows the page and Bates number on
        # a row of their own rather than cutting them: they are what the student cites
        self._readout_row = QHBoxLayout()
        self._readout_row.setContentsMargins(8, 0, 4, 0)
        split = QHBoxLayout()
        split.setSpacing(0)
        split.addWidget(self.thumbs)
        split.addWidget(self.view, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(bar)
        lay.addLayout(self._readout_row)
        lay.addLayout(split, 1)
        self.view.page_changed.connect(self._on_view_page_changed)
        self.view.rect_drawn.connect(self.page_rect_drawn)
        self.view.rect_changed.connect(self.page_rect_changed)
        self.view.withheld_drawn.connect(self.withheld_rect_drawn)
        self.view.selection_made.connect(self._on_view_selection_made)
        self.view.words_of = self.words_of

    def resizeEvent(self, e: Any) -> None:
        # a narrow pane (a small screen) gives the page the room; the thumbnails come back wider
        self.thumbs.setVisible(self.width() >= 440)
        super().resizeEvent(e)
        self._place_readout()

    def _place_readout(self) -> None:
        """The readout beside the zoom buttons when its text fits there; else on its own row,
        and there on two lines (page, then Bates number) if one is too narrow."""
        page, bates = getattr(self, "_readout", ("", ""))
        text = f"{page}   {bates}" if bates else page
        width = self.where.fontMetrics().horizontalAdvance
        bar = self._bar
        others = sum(bar.itemAt(i).sizeHint().width() for i in range(bar.count())
                     if bar.itemAt(i).widget() not in (self.where, self.goto))
        room = (self.width() - others - self.goto.minimumWidth()
                - bar.spacing() * bar.count() - 8)
        inline = room >= width(text) + 4
        if inline != (bar.indexOf(self.where) >= 0):
            if inline:
                self._readout_row.removeWidget(self.where)
                bar.insertWidget(bar.indexOf(self.goto), self.where, 1)
            else:
                bar.removeWidget(self.where)
                self._readout_row.addWidget(self.where, 1)
            self.where.show()
        row = self.width() - 12 - 4
        self.where.setText(text if inline or width(text) + 4 <= row or not bates
                           else f"{page}\n{bates}")

    def open_document(self, media: dict[str, Any], pages: list[dict[str, Any]]) -> None:
        self.media, self.pages = media, pages
        self._words = {}
        self.view.set_document(media["path"], [(p["width_pt"], p["height_pt"]) for p in pages])
        self.thumbs.clear()
        for p in pages:
            item = QListWidgetItem(str(p["page_no"]))
            item.setToolTip(p.get("bates") or f"Page {p['page_no']}")
            item.setIcon(icon("pdf"))
            item.setTextAlignment(Qt.AlignHCenter)
            self.thumbs.addItem(item)
        for p in pages[:60]:  # the rest as they scroll into view
            self.renderer.get(media["path"], p["page_no"], THUMB_ZOOM)
        self._on_view_page_changed(1)
        QTimer.singleShot(0, self.view.fit_width)  # once the pane has its real width

    def close_document(self) -> None:
        self.media, self.pages = None, []
        self.view.set_document("", [])
        self.thumbs.clear()
        self._readout = ("", "")
        self.where.setText("")

    def zoom_by(self, factor: float) -> None:
        self.view.set_zoom(self.view.zoom * factor)

    def go_to(self, page_no: int, rect: tuple | None = None) -> None:
        self.view.go_to_page(page_no, max(0.0, rect[1] - 36) if rect else 0.0)

    def set_rects(self, rects: list[PageRect]) -> None:
        self.view.set_rects(rects)

    def set_highlights(self, rects: list[PageRect], selected_id: int = -1) -> None:
        self.view.set_highlights(rects, selected_id)

    def _on_renderer_rendered(self, path: str, page_no: int, zoom: float) -> None:
        if self.media and path == self.media["path"] and abs(zoom - THUMB_ZOOM) < 1e-6:
            img = self.renderer.get(path, page_no, THUMB_ZOOM)
            item = self.thumbs.item(page_no - 1)
            if img is not None and item is not None:
                item.setIcon(QIcon(QPixmap.fromImage(img)))

    def _on_view_page_changed(self, page_no: int) -> None:
        if not self.pages:
            return
        p = self.pages[page_no - 1]
        for q in range(max(1, page_no - 12), min(len(self.pages), page_no + 12) + 1):
            self.renderer.get(self.media["path"], q, THUMB_ZOOM)  # thumbnails near the reader
        bates = f"   {p['bates']}" if p.get("bates") else ""
        self._readout = (f"Page {page_no} / {len(self.pages)}", p.get("bates") or "")
        self._place_readout()
        self.thumbs.blockSignals(True)
        self.thumbs.setCurrentRow(page_no - 1)
        self.thumbs.blockSignals(False)
        self.page_changed.emit(page_no)

    def _on_thumbs_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.view.go_to_page(row + 1)

    def _on_goto_return_pressed(self) -> None:
        text = self.goto.text().strip()
        if not text or not self.media:
            return
        if text.isdigit() and 1 <= int(text) <= len(self.pages):
            self.go_to(int(text))
            return
        hit = self.bates_lookup(text)
        if hit is None:
            self.status_message.emit(f"{text}: no such page or Bates number")
        elif hit[0] != self.media["id"]:
            self.status_message.emit(f"{text} is in another document")
            self.bates_elsewhere(hit)
        else:
            self.go_to(hit[1])

    def bates_elsewhere(self, hit: tuple[int, int]) -> None:
        """Replaced by the window: open the other document at that page."""

    def words_of(self, page_no: int) -> list[tuple[float, float, float, float, str]]:
        """The page's words, read once per page of the open document."""
        if self.media is None:
            return []
        if page_no not in self._words:
            self._words[page_no] = media_access.page_words(self.media["path"], page_no)
        return self._words[page_no]

    def _on_view_selection_made(self, page_no: int, rect: tuple) -> None:
        if self.media is None:
            return
        text = words_in(self.words_of(page_no), rect)
        self.view.set_rects([r for r in self.view.rects if r.kind != "select"] +
                            [PageRect(page_no, *rect, kind="select")])
        if text:
            self.status_message.emit(f"Selected {len(text.split())} words; Ctrl+C copies them")
        self.selected_text = text
        self.text_selected.emit(page_no, rect, text)

    selected_text = ""

    def copy_selection(self) -> None:
        if self.selected_text:
            QGuiApplication.clipboard().setText(self.selected_text)
            self.status_message.emit("Copied the selected text")
