"""Search across every document (FTS5), the words read in the videos (detect text) and the
words spoken in them: a results list with hit counts; open a hit (a page, or a video at the
frame it was seen or said on)."""
from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from reviewer.ui import theme

VIDEO_ROLE = Qt.UserRole + 1  # set on hits that are words read in a video (data: media, frame)


def snippet_html(snippet: str) -> str:
    """FTS5's ``[hit]`` marks as bold accent text, everything else escaped."""
    esc = snippet.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\[([^\]]*)\]", rf"<b style='color:{theme.ACCENT}'>\1</b>", esc)


class SearchPanel(QWidget):
    search_requested = Signal(str)
    hit_activated = Signal(int, int, str)  # media id, page, query
    frame_activated = Signal(int, int)     # media id, frame: words read in a video

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Search every document (Ctrl+F)")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(lambda: self.search_requested.emit(self.field.text()))
        self.summary = QLabel("")
        self.summary.setStyleSheet(f"color: {theme.MUTED}")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.results.itemClicked.connect(self._on_results_item_activated)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.field)
        lay.addWidget(self.summary)
        lay.addWidget(self.results, 1)
        self._query = ""

    def clear(self) -> None:
        self.field.clear()
        self.show_results("", [])

    def show_results(self, query: str, rows: list[dict[str, Any]]) -> None:
        # in document and page order (the index ranks by relevance), as a reader goes through
        # a production; documents in the order they were imported
        rows = sorted(rows, key=lambda r: (r.get("media_id", 0), r.get("page_no") or 0,
                                           r.get("frame") or 0))
        self._query = query
        self.results.clear()
        pages = [r for r in rows if r.get("kind") != "video"]
        seen = [r for r in rows if r.get("kind") == "video" and r.get("found_in") != "speech"]
        spoken = [r for r in rows if r.get("found_in") == "speech"]
        docs = len({r["media_id"] for r in pages})
        parts = []
        if pages:
            parts.append(f"{len(pages)} page{'s' if len(pages) != 1 else ''} in {docs} document"
                         f"{'s' if docs != 1 else ''}")
        if seen:
            parts.append(f"{len(seen)} moment{'s' if len(seen) != 1 else ''} in video")
        if spoken:
            from reviewer.ui.speech.spoken_hits import add_spoken_rows, summary_part

            parts.append(summary_part(spoken))
        self.summary.setText(", ".join(parts) if rows else
                             (f"No page or video contains “{query}”" if query else ""))
        for r in seen:
            esc = (r.get("snippet") or "").replace("&", "&amp;").replace("<", "&lt;")
            self._add_row((r["media_id"], r["frame"]),
                          f"<b>{r['name']}</b> frame {r['frame']} · {r.get('timecode') or ''}<br>"
                          f"seen: <b style='color:{theme.ACCENT}'>{esc}</b>", video=True)
        if spoken:  # what was said: exact hits, then names that only sound alike
            add_spoken_rows(self, spoken)
        for r in pages:
            bates = f" · {r['bates']}" if r.get("bates") else ""
            if r.get("hits"):
                bates += f" · {r['hits']} hit{'s' if r['hits'] != 1 else ''}"
            self._add_row((r["media_id"], r["page_no"]),
                          f"<b>{r['name']}</b> p. {r['page_no']}{bates}<br>"
                          f"{snippet_html(r.get('snippet') or '')}")

    def _add_row(self, where: tuple[int, int], html: str, video: bool = False) -> None:
        item = QListWidgetItem()
        item.setData(Qt.UserRole, where)
        if video:
            item.setData(VIDEO_ROLE, True)
        label = QLabel(html)
        label.setWordWrap(True)
        label.setTextFormat(Qt.RichText)
        label.setContentsMargins(4, 3, 4, 3)
        item.setSizeHint(label.sizeHint())
        self.results.addItem(item)
        self.results.setItemWidget(item, label)

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        if item.data(Qt.UserRole) is None:
            return  # a heading (spoken near misses), not a hit
        media_id, where = item.data(Qt.UserRole)
        if item.data(VIDEO_ROLE):
            self.frame_activated.emit(media_id, where)
        else:
            self.hit_activated.emit(media_id, where, self._query)
