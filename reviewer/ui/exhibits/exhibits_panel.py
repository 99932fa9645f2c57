"""Exhibits in bundle order with their pin cites; declare from the playhead, In–Out or pages;
reorder, remove; Bundle previews the index before writing anything."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui import theme
from reviewer.ui.icons import icon


def exhibit_rows(ctl: Any) -> list[dict[str, Any]]:
    """Each exhibit with its shown label, where it is, and the cite a brief would use."""
    from reviewer.citation.cites import clip_cite, document_cite, still_cite
    from reviewer.citation.exhibits import display_labels
    from reviewer.store.exhibits import list_exhibits, page_bates

    rows = list_exhibits(ctl.store)
    labels = display_labels(rows)
    out = []
    for e in rows:
        label = labels[e["id"]]
        if e["kind"] == "document":
            where = f"pp. {e['page_from']}–{e['page_to']}" if e["page_to"] != e["page_from"] \
                else f"p. {e['page_from']}"
            a, b = e["page_from"], e["page_to"]
            cite = document_cite(label, a, page_bates(ctl.store, e["media_id"], a), b,
                                 page_bates(ctl.store, e["media_id"], b))
        else:
            times = ctl.times(e["media_id"])
            a, b = times.timecode(e["frame_from"]), times.timecode(e["frame_to"])
            where = f"f{e['frame_from']}–{e['frame_to']}" if e["kind"] != "still" \
                else f"f{e['frame_from']}"
            if e["kind"] == "transcript":
                # the words said from the first frame's start to the last frame's end, cited
                # as the bundle cites them (reviewer.citation.preview)
                from reviewer.citation.transcript_exhibit import span_seconds
                from reviewer.timebase import timecode

                b = timecode(span_seconds(times, e["frame_from"], e["frame_to"])[1])
                where += " (words said)"
            cite = still_cite(label, e["media_name"], a) if e["kind"] == "still" \
                else clip_cite(label, e["media_name"], a, b)
        out.append({**e, "shown_label": label, "where": where, "cite": cite})
    return out


class ExhibitsPanel(QWidget):
    declare_requested = Signal(str)      # "clip" | "still" | "pages"
    move_requested = Signal(int, int)    # exhibit id, new index
    remove_requested = Signal(int)
    bundle_requested = Signal()
    jump_requested = Signal(int, int)    # media id, frame or page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        # the cite names the source and the place already: two columns, both shown whole
        self.tree.setHeaderLabels(["Exhibit", "Pin cite"])
        self.tree.setRootIsDecorated(False)
        self.tree.itemClicked.connect(self._on_tree_item_clicked)
        from PySide6.QtWidgets import QHeaderView

        hh = self.tree.header()  # the label as wide as its text; the cite wraps, never elided
        hh.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.Stretch)
        whole_cites(self.tree)
        self.rows: list[dict[str, Any]] = []
        self.empty = QLabel("No exhibits yet: set In and Out on a video and press “Clip”, "
                            "or “Pages” on a document.")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {theme.MUTED}")
        row = QHBoxLayout()
        for key, text in [("clip", "Clip"), ("still", "Still"), ("pages", "Pages")]:
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, k=key: self.declare_requested.emit(k))
            row.addWidget(b)
        row.addStretch(1)
        for text, delta in [("↑", -1), ("↓", 1)]:
            b = QPushButton(text)
            b.setMaximumWidth(32)
            b.clicked.connect(lambda _=False, d=delta: self._move(d))
            row.addWidget(b)
        rm = QPushButton()
        rm.setIcon(icon("delete"))
        rm.setToolTip("Remove the selected exhibit")
        rm.clicked.connect(self._remove)
        row.addWidget(rm)
        bundle = QPushButton("Bundle…")
        bundle.setIcon(icon("bundle"))
        bundle.clicked.connect(self.bundle_requested)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.empty)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        lay.addWidget(bundle)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        current = self.current_id()
        self.rows = rows
        self.tree.clear()
        for e in rows:
            it = QTreeWidgetItem([e["shown_label"], e["cite"]])
            it.setData(0, Qt.UserRole, e["id"])
            it.setToolTip(1, f"{e['cite']}\n{e['media_name']}, {e['where']}")
            self.tree.addTopLevelItem(it)
            if e["id"] == current:
                self.tree.setCurrentItem(it)
        self.empty.setVisible(not rows)

    def current_id(self) -> int | None:
        it = self.tree.currentItem()
        return it.data(0, Qt.UserRole) if it is not None else None

    def _move(self, delta: int) -> None:
        eid = self.current_id()
        if eid is None:
            return
        i = next(n for n, e in enumerate(self.rows) if e["id"] == eid)
        j = i + delta
        if 0 <= j < len(self.rows):
            self.move_requested.emit(eid, j)

    def _remove(self) -> None:
        eid = self.current_id()
        if eid is not None:
            self.remove_requested.emit(eid)

    def _on_tree_item_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        e = next(r for r in self.rows if r["id"] == item.data(0, Qt.UserRole))
        self.jump_requested.emit(e["media_id"], e["frame_from"] if e["kind"] != "document"
                                 else e["page_from"])


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's present width (a tree view asks
    for a row's height without telling the delegate how wide the column is)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: Any, index: Any) -> QSize:
        base = super().sizeHint(option, index)
        width = max(40, self.tree.columnWidth(index.column()) - 10)
        text = str(index.data() or "")
        need = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), Qt.TextWordWrap, text)
        return QSize(base.width(), max(base.height(), need.height() + 6))


def whole_cites(tree: QTreeWidget) -> None:
    """A cite is shown whole: long ones wrap onto more lines instead of ending in "…"."""
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setTextElideMode(Qt.ElideNone)
    tree.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    tree.setItemDelegate(WrapDelegate(tree))
    tree.header().sectionResized.connect(lambda *_: tree.doItemsLayout())


class BundlePreview(QDialog):
    """The index the bundle will carry, shown before anything is written."""

    def __init__(self, rows: list[dict[str, Any]], parent: QWidget | None = None,
                 marked_notes: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bundle: index preview")
        self.resize(760, 420)
        self.setSizeGripEnabled(True)  # it can be made wider
        tree = QTreeWidget()
        tree.setHeaderLabels(["#", "Exhibit", "Kind", "Cite"])
        tree.setRootIsDecorated(False)
        from PySide6.QtWidgets import QHeaderView

        for col in range(3):
            tree.header().setSectionResizeMode(col, QHeaderView.ResizeToContents)
        tree.header().setSectionResizeMode(3, QHeaderView.Stretch)
        whole_cites(tree)
        for n, e in enumerate(rows, start=1):
            tree.addTopLevelItem(QTreeWidgetItem([str(n), e["shown_label"], e["kind"], e["cite"]]))
        notes = ("No note is marked for the bundle: its notes report will be empty. (Right-click "
                 "a note ▸ Include in the bundle.)" if not marked_notes else
                 f"{marked_notes} note{'s' if marked_notes != 1 else ''} marked for the bundle "
                 "go into its notes report; every other note stays in the case.")
        note = QLabel("Every redaction of the case is applied to each exhibit. " + notes)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {theme.MUTED}")
        self.with_withheld = QCheckBox("Include the log of what the agency withheld "
                                       "(withheld_log.csv and withheld_log.pdf)")
        self.with_withheld.setToolTip("Every withheld region of the case's documents, by exemption, "
                                      "document and page; listed in index.json and SHA256SUMS")
        buttons = QDialogButtonBox()
        buttons.addButton("Choose folder and write…", QDialogButtonBox.AcceptRole)
        buttons.addButton(QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(tree, 1)
        lay.addWidget(note)
        lay.addWidget(self.with_withheld)
        lay.addWidget(buttons)
        self.tree = tree
