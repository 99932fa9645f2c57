"""The case's items: videos with a thumbnail and duration, PDFs with page counts, Bates ranges
and how many of their pages wait to be read by OCR (a search does not see those pages' words
yet, so a student should know which document they are in)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStackedLayout, QWidget

from reviewer.timebase import format_ms
from reviewer.ui.icons import icon

THUMB = QSize(96, 64)


@dataclass(frozen=True)
class ItemSummary:
    id: int
    kind: str  # video | pdf
    name: str
    detail: str


def video_detail(row: dict) -> str:
    """Two lines: the length and frame count (the readout's "Frame N of COUNT"), the size."""
    dur = format_ms(round((row.get("duration") or 0) * 1000))[:-4]
    return f"{dur} · {row.get('frame_count') or 0} frames\n{row.get('width')}×{row.get('height')}"


def pdf_detail(row: dict, first_bates: str | None, last_bates: str | None) -> str:
    from reviewer.citation.cites import bates_range

    n = row.get("page_count") or 0
    pages = f"{n} page{'s' if n != 1 else ''}"
    return f"{pages}\n{bates_range(first_bates, last_bates)}" if first_bates else pages


def ocr_note(n: int) -> str:
    """What follows a document's page count while ``n`` of its pages wait for OCR."""
    return f" · {n} wait{'s' if n == 1 else ''} for OCR" if n else ""


def ocr_tip(n: int) -> str:
    return (f"{n} of its pages wait to be read by OCR: pages that are only a picture, or typed "
            "pages holding a picture of text. Search and the identifier sweep do not see their "
            "words until then (File ▸ Read waiting pages by OCR)") if n else ""


class ItemsPanel(QWidget):
    item_activated = Signal(int)
    width_wanted = Signal(int)  # pixels the longest name and detail need, whole

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setIconSize(THUMB)
        self.list.setTextElideMode(Qt.ElideMiddle)  # a long name keeps its start and its end
        self.list.setSpacing(2)
        self.list.setUniformItemSizes(True)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.empty = QLabel("Drop videos and PDFs here to import\n\n(or File ▸ Import…)")
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.stack.setCurrentIndex(1)
        self._items: dict[int, QListWidgetItem] = {}
        self._summaries: list[ItemSummary] = []
        self._ocr: dict[int, int] = {}  # media id: pages waiting for OCR
        self.wanted_width = 0

    def set_items(self, items: list[ItemSummary]) -> None:
        current = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        self._items = {}
        self._summaries = list(items)
        for it in items:
            w = QListWidgetItem(icon("video" if it.kind == "video" else "pdf"), "")
            w.setData(Qt.UserRole, it.id)
            w.setSizeHint(QSize(220, max(THUMB.height() + 8, 3 * self.fontMetrics().height() + 10)))
            self.list.addItem(w)
            self._items[it.id] = w
        if current in self._items:
            self.list.setCurrentItem(self._items[current])
        self.list.blockSignals(False)
        self.stack.setCurrentIndex(0 if items else 1)
        self._show_texts()

    def set_ocr_waiting(self, counts: dict[int, int]) -> None:
        """How many pages of each document wait for OCR (the documents not named: none)."""
        if dict(counts) != self._ocr:
            self._ocr = dict(counts)
            self._show_texts()

    def text_of(self, it: ItemSummary) -> str:
        if it.kind == "video":
            return f"{it.name}\n{it.detail}"
        first, _, rest = it.detail.partition("\n")
        line = f"{first}{ocr_note(self._ocr.get(it.id, 0))}"
        return f"{it.name}\n{line}" + (f"\n{rest}" if rest else "")

    def _show_texts(self) -> None:
        for it in self._summaries:
            w = self._items[it.id]
            text = self.text_of(it)
            w.setText(text)
            tip = ocr_tip(self._ocr.get(it.id, 0)) if it.kind != "video" else ""
            w.setToolTip(f"#{it.id} {text}" + (f"\n\n{tip}" if tip else ""))
        fm = self.list.fontMetrics()
        text = max((fm.horizontalAdvance(line) for it in self._summaries
                    for line in self.text_of(it).splitlines()), default=0)
        self.wanted_width = THUMB.width() + text + 48
        self.width_wanted.emit(self.wanted_width)

    def set_thumbnail(self, media_id: int, image: QImage) -> None:
        w = self._items.get(media_id)
        if w is not None and not image.isNull():
            pm = QPixmap.fromImage(image.scaled(THUMB, Qt.KeepAspectRatio, Qt.SmoothTransformation))
            w.setIcon(QIcon(pm))

    def current_id(self) -> int | None:
        w = self.list.currentItem()
        return int(w.data(Qt.UserRole)) if w is not None else None

    def select(self, media_id: int) -> None:
        w = self._items.get(media_id)
        if w is not None and self.list.currentItem() is not w:
            self.list.blockSignals(True)
            self.list.setCurrentItem(w)
            self.list.blockSignals(False)

    def _on_list_current_item_changed(self, cur: QListWidgetItem | None, _prev: object) -> None:
        if cur is not None:
            self.item_activated.emit(int(cur.data(Qt.UserRole)))
