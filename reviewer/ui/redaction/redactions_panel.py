"""Every redaction of the item on screen, for review: suggestions first, accept or reject,
click to jump. Face detection runs from here (off the GUI thread, one undo step)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui import theme
from reviewer.ui.icons import icon


class RedactionsPanel(QWidget):
    jump_requested = Signal(str, int, int)        # "box"|"page", redaction id, frame or page
    status_requested = Signal(list, str)          # ids, "active" | "rejected"
    delete_requested = Signal(list)
    detect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Redaction", "Where", "Reason", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.itemClicked.connect(self._on_tree_item_clicked)
        self.tree.setColumnWidth(0, 110)
        self.tree.setColumnWidth(1, 110)
        self.summary = QLabel("")
        self.summary.setStyleSheet(f"color: {theme.MUTED}")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, icon_name in [("accept", "Accept", None), ("reject", "Reject", None),
                                     ("delete", "Delete", "delete"), ("detect", "Find faces…", "face")]:
            b = QPushButton(text)
            if icon_name:
                b.setIcon(icon(icon_name))
            self.buttons[key] = b
            row.addWidget(b)
        self.buttons["accept"].clicked.connect(lambda: self._status("active"))
        self.buttons["reject"].clicked.connect(lambda: self._status("rejected"))
        self.buttons["delete"].clicked.connect(
            lambda: self.selected_ids() and self.delete_requested.emit(self.selected_ids()))
        self.buttons["detect"].clicked.connect(self.detect_requested)
        self.buttons["accept"].setToolTip("Keep the selected suggestions as redactions (A)")
        self.buttons["reject"].setToolTip("Drop the selected suggestions (X)")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)

    def set_redactions(self, tracks: list[dict[str, Any]], page_boxes: list[dict[str, Any]]) -> None:
        selected = set(self.selected_ids())
        self.tree.clear()
        order = sorted(tracks, key=lambda t: (t["status"] != "suggested", t["frame_from"], t["id"]))
        for t in order:
            name = t.get("label") or ("Ellipse" if t["shape"] == "ellipse" else "Box")
            it = QTreeWidgetItem([f"{name} #{t['id']}", f"f{t['frame_from']}–{t['frame_to']}",
                                  t["reason"] or "—", t["status"]])
            it.setData(0, Qt.UserRole, ("box", t["id"], t["frame_from"]))
            if t["status"] == "suggested":
                it.setForeground(3, QColor(theme.ACCENT))
            self.tree.addTopLevelItem(it)
            it.setSelected(t["id"] in selected)
        for b in page_boxes:
            it = QTreeWidgetItem([f"Page box #{b['id']}", f"p.{b['page_no']}", b["reason"] or "—",
                                  "active"])
            it.setData(0, Qt.UserRole, ("page", b["id"], b["page_no"]))
            self.tree.addTopLevelItem(it)
            it.setSelected(b["id"] in selected)
        n_sugg = sum(t["status"] == "suggested" for t in tracks)
        total = len(tracks) + len(page_boxes)
        self.summary.setText(
            f"{total} redaction{'s' if total != 1 else ''}" +
            (f", {n_sugg} suggestion{'s' if n_sugg != 1 else ''} to review" if n_sugg else "")
            if total else "No redactions on this item yet. Draw a box (B) or find faces.")

    def selected_ids(self) -> list[int]:
        return [it.data(0, Qt.UserRole)[1] for it in self.tree.selectedItems()]

    def _status(self, status: str) -> None:
        ids = [it.data(0, Qt.UserRole)[1] for it in self.tree.selectedItems()
               if it.data(0, Qt.UserRole)[0] == "box"]
        if ids:
            self.status_requested.emit(ids, status)

    def _on_tree_item_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        kind, rid, where = item.data(0, Qt.UserRole)
        self.jump_requested.emit(kind, rid, where)
