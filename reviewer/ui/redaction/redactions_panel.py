"""Every redaction of the item selected in the case, for review: suggestions first, then boxes,
sound spans (mutes and bleeps) and page boxes; accept or reject, delete, click to jump. Face
detection runs from here (off the GUI thread, one undo step)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui import theme
from reviewer.ui.icons import icon


@dataclass(frozen=True)
class RedactionRow:
    """One line of the list. ``kind`` is ``box``, ``audio`` or ``page``; ``where`` is the frame
    (box, audio) or page to jump to."""

    kind: str
    id: int
    name: str
    span: str
    reason: str
    status: str
    where: int


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}{'es' if word.endswith('x') else 's'}"


class RedactionsPanel(QWidget):
    jump_requested = Signal(str, int, int)        # kind, redaction id, frame or page
    status_requested = Signal(list, str)          # ids, "active" | "rejected"
    delete_requested = Signal(list)
    detect_requested = Signal()
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.media_id: int | None = None
        self.rows: list[RedactionRow] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Redaction", "Where", "Reason", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.tree.itemClicked.connect(self._on_tree_item_clicked)
        self.tree.itemSelectionChanged.connect(self.selection_changed)
        hh = self.tree.header()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeToContents)
        from reviewer.ui.exhibits.exhibits_panel import whole_cites

        # where a redaction is (frames and times) wraps in a narrow panel, never ends in "…"
        whole_cites(self.tree)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {theme.MUTED}")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, icon_name in [("accept", "Accept", None), ("reject", "Reject", None),
                                     ("restore", "Restore", None), ("delete", "Delete", "delete"),
                                     ("detect", "Find faces…", "face")]:
            b = QPushButton(text)
            if icon_name:
                b.setIcon(icon(icon_name))
            self.buttons[key] = b
            if key != "detect":
                row.addWidget(b)
        self.buttons["accept"].clicked.connect(lambda: self._status("active"))
        self.buttons["reject"].clicked.connect(lambda: self._status("rejected"))
        self.buttons["restore"].clicked.connect(self._restore)
        self.buttons["restore"].setToolTip("Make the selected rejected suggestions suggestions "
                                           "again, to review once more")
        self.show_rejected = QCheckBox("Show rejected")
        self.show_rejected.setToolTip("List the suggestions rejected (X), to look at them again "
                                      "and restore one")
        self.buttons["delete"].clicked.connect(
            lambda: self.selected_ids() and self.delete_requested.emit(self.selected_ids()))
        self.buttons["detect"].clicked.connect(self.detect_requested)
        self.buttons["accept"].setToolTip("Keep the selected suggestions as redactions (A)")
        self.buttons["reject"].setToolTip("Drop the selected suggestions (X)")
        self.buttons["delete"].setToolTip("Delete the selected redactions, sound spans included (Del)")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.show_rejected)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        lay.addWidget(self.buttons["detect"])  # its own row: the dock stays narrow
        self.set_redactions(None, "", [])

    def set_redactions(self, media_id: int | None, name: str, rows: list[RedactionRow],
                       kind: str = "video") -> None:
        """Show ``rows``, the redactions of item ``media_id`` (called ``name``); the selection
        is kept only when it is the same item's."""
        selected = set(self.selected_ids()) if media_id == self.media_id else set()
        self.media_id, self.rows = media_id, list(rows)
        self.tree.blockSignals(True)
        self.tree.clear()
        order = sorted(rows, key=lambda r: (r.status != "suggested", ("box", "audio", "page").index(r.kind),
                                            r.where, r.id))
        for r in order:
            it = QTreeWidgetItem([r.name, _breakable(r.span), r.reason or "—", r.status])
            it.setData(0, Qt.UserRole, (r.kind, r.id, r.where))
            it.setToolTip(1, r.span)
            if r.status == "suggested":
                it.setForeground(3, QColor(theme.ACCENT))
            self.tree.addTopLevelItem(it)
            it.setSelected(r.id in selected)
        self.tree.blockSignals(False)
        n_sugg = sum(r.status == "suggested" for r in rows)
        if media_id is None:
            self.summary.setText("Select an item in the case to see its redactions.")
        elif not rows and kind == "pdf":
            self.summary.setText(f"{name}: no redactions on its pages yet. Drag a box on a page "
                                 "(R), or Redact ▸ Search and redact…")
        elif not rows:
            self.summary.setText(f"{name}: no redactions yet. Draw a box (B), mute In–Out (M) "
                                 "or find faces.")
        else:
            kinds = [_plural(sum(r.kind == k for r in rows), w)
                     for k, w in (("box", "box"), ("audio", "sound span"), ("page", "page box"))
                     if any(r.kind == k for r in rows)]
            self.summary.setText(f"{name}: {', '.join(kinds)}" +
                                 (f"; {_plural(n_sugg, 'suggestion')} to review (A accept, X reject)"
                                  if n_sugg else ""))
        self.selection_changed.emit()

    def selected_ids(self) -> list[int]:
        return [it.data(0, Qt.UserRole)[1] for it in self.tree.selectedItems()]

    def selected_suggestions(self) -> list[int]:
        ids = set(self.selected_ids())
        return [r.id for r in self.rows if r.id in ids and r.status == "suggested"]

    def select(self, redaction_id: int) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.data(0, Qt.UserRole)[1] == redaction_id:
                self.tree.setCurrentItem(it)
                self.tree.scrollToItem(it)
                return True
        return False

    def next_suggestion(self, after: list[int]) -> int | None:
        """The first suggestion listed below the rows ``after`` (else above), to review next."""
        ids = [self.tree.topLevelItem(i).data(0, Qt.UserRole)[1]
               for i in range(self.tree.topLevelItemCount())]
        status = {r.id: r.status for r in self.rows}
        start = max((ids.index(i) for i in after if i in ids), default=-1) + 1
        for i in ids[start:] + ids[:start]:
            if status.get(i) == "suggested" and i not in after:
                return i
        return None

    def _restore(self) -> None:
        ids = set(self.selected_ids())
        ids = [r.id for r in self.rows if r.id in ids and r.status == "rejected"]
        if ids:
            self.status_requested.emit(ids, "suggested")

    def _status(self, status: str) -> None:
        ids = self.selected_suggestions()
        if ids:
            self.status_requested.emit(ids, status)

    def _on_tree_item_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        kind, rid, where = item.data(0, Qt.UserRole)
        self.jump_requested.emit(kind, rid, where)


def _breakable(span: str) -> str:
    """The span as shown in a narrow panel: a time range may wrap after its dash (Qt breaks
    lines only at spaces there), so a zero-width space follows the dash of the times; the
    frames before the " · " keep the span's one spelling (reviewer.ui.frame_spans)."""
    frames, sep, times = span.partition(" · ")
    return frames + sep + times.replace("\u2013", "\u2013\u200b") if sep else span
