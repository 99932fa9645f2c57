"""The withheld log as a dock: every region the agency withheld, filters, in-place edits, summary.

The panel only shows rows and says what the user asked for (signals); reading the case,
scanning and applying edits is :mod:`reviewer.ui.documents.withheld_tools`'s job.
"""
from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTableWidgetSelectionRange,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui import theme

COLUMNS = ["Document", "Page", "Bates", "Exemptions", "Comment", "Source"]
COL_CODES, COL_COMMENT = 3, 4
NO_LABEL = "(no label)"
ID_ROLE = Qt.UserRole + 1


def parse_codes(text: str) -> list[str]:
    """``"b6, (b)(7)(C)"`` -> ``["b6", "(b)(7)(C)"]`` (normalised by the edit command)."""
    return [c for c in re.split(r"[,;\s]+", text.strip()) if c]


def codes_label(codes: list[str]) -> str:
    return ", ".join(codes) or NO_LABEL


class WithheldPanel(QWidget):
    jump_requested = Signal(object)          # the row (dict)
    codes_edited = Signal(int, object)       # row id, list of codes
    comment_edited = Signal(int, str)        # row id, comment
    remove_requested = Signal(object)        # list of row ids
    draw_toggled = Signal(bool)              # the document pane's "draw a withheld box" mode
    scan_requested = Signal()
    export_requested = Signal(str)           # "csv" | "pdf"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        self._filling = False
        self.doc_filter = QComboBox()
        self.doc_filter.setToolTip("Show one document's regions")
        self.code_filter = QComboBox()
        self.code_filter.setToolTip("Show one exemption's regions")
        for combo in (self.doc_filter, self.code_filter):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.currentIndexChanged.connect(self._apply_filters)
        filters = QHBoxLayout()
        filters.addWidget(self.doc_filter, 1)
        filters.addWidget(self.code_filter, 1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.SelectedClicked)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(COL_COMMENT, QHeaderView.Stretch)
        self.table.setWordWrap(False)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        remove_key = QShortcut(QKeySequence.Delete, self.table)
        remove_key.setContext(Qt.WidgetShortcut)
        remove_key.activated.connect(self.remove_selected)

        self.summary = QTreeWidget()
        self.summary.setHeaderLabels(["Summary", "Regions", "Pages", "Exemptions"])
        self.summary.setRootIsDecorated(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "Regions")
        self.tabs.addTab(self.summary, "Summary")

        self.scan_button = QPushButton("Scan")
        self.scan_button.setToolTip("Look for withheld regions in documents not scanned yet")
        self.scan_button.clicked.connect(self.scan_requested)
        self.draw_button = QPushButton("Add region")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip("Then drag a box on the page over what was withheld")
        self.draw_button.toggled.connect(self.draw_toggled)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected regions from the log (Delete; undoable)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.clicked.connect(lambda: self.export_requested.emit("csv"))
        self.pdf_button = QPushButton("Export PDF…")
        self.pdf_button.setToolTip("A table for a brief's appendix")
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))
        edit_bar = QHBoxLayout()
        for b in (self.scan_button, self.draw_button, self.remove_button):
            edit_bar.addWidget(b)
        edit_bar.addStretch(1)
        export_bar = QHBoxLayout()
        export_bar.addStretch(1)
        export_bar.addWidget(self.csv_button)
        export_bar.addWidget(self.pdf_button)
        self.state = QLabel("No case open")
        self.state.setWordWrap(True)
        self.state.setStyleSheet(f"color: {theme.MUTED}")
        # the agency's boxes that cover text it did not remove (what x-ray reports)
        self.failed = QLabel()
        self.failed.setWordWrap(True)
        self.failed.setStyleSheet(f"color: {theme.REDACT}")
        self.failed.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.failed.hide()
        self.failed_notes: list[str] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(filters)
        lay.addLayout(edit_bar)
        lay.addWidget(self.failed)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.state)
        lay.addLayout(export_bar)
        self._fill_filters()

    def set_failed(self, notes: list[str]) -> None:
        """Say which withheld boxes still have text under them (empty: hide the warning)."""
        self.failed_notes = list(notes)
        self.failed.setVisible(bool(notes))
        self.failed.setText("" if not notes else (
            f"Failed redaction{'s' if len(notes) != 1 else ''}: the agency's box does not remove "
            "the text under it, which anyone can copy out.\n" + "\n".join(notes[:8])
            + (f"\n… and {len(notes) - 8} more" if len(notes) > 8 else "")))

    # -- rows -------------------------------------------------------------------------------------
    def set_rows(self, rows: list[dict[str, Any]], docs: list[tuple[int, str]] | None = None) -> None:
        """All the case's regions (``list_withheld`` rows) and, optionally, its documents."""
        self.rows = rows
        self._fill_filters(docs)
        self._apply_filters()

    def _fill_filters(self, docs: list[tuple[int, str]] | None = None) -> None:
        doc_keep, code_keep = self.doc_filter.currentData(), self.code_filter.currentData()
        if docs is None:
            docs = sorted({(r["media_id"], r["media_name"]) for r in self.rows})
        codes = sorted({c for r in self.rows for c in r["codes"]})
        if any(not r["codes"] for r in self.rows):
            codes.append("")
        for combo, items, first, keep in (
                (self.doc_filter, [(name, mid) for mid, name in docs], "All documents", doc_keep),
                (self.code_filter, [(c or NO_LABEL, c) for c in codes], "All exemptions", code_keep)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for text, data in items:
                combo.addItem(text, data)
            i = combo.findData(keep) if keep is not None else 0
            combo.setCurrentIndex(max(0, i))
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        mid, code = self.doc_filter.currentData(), self.code_filter.currentData()
        self.shown = [r for r in self.rows if (mid is None or r["media_id"] == mid)
                      and (code is None or (code in r["codes"] if code else not r["codes"]))]
        keep = set(self.selected_ids())
        self._filling = True
        self.table.setRowCount(len(self.shown))
        for i, r in enumerate(self.shown):
            cells = [r["media_name"], str(r["page_no"]), r.get("bates") or "", codes_label(r["codes"]),
                     r.get("comment") or "", r.get("source") or ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, r["id"])
                if c not in (COL_CODES, COL_COMMENT):
                    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                if c == COL_CODES:
                    item.setToolTip("Double-click to correct the exemptions (e.g. b6, b7C)")
                self.table.setItem(i, c, item)
        self.table.resizeColumnsToContents()
        self._filling = False
        self.select_ids(keep)
        self._fill_summary()
        n_docs = len({r["media_id"] for r in self.shown})
        self.state.setText(f"{len(self.shown)} of {len(self.rows)} region(s) in {n_docs} document(s)")

    def _fill_summary(self) -> None:
        from reviewer.pdf.withheld_report import by_code, by_document, page_ranges

        rows = self.shown
        self.summary.clear()
        pages_of: dict[str, set] = {}
        for r in rows:
            for c in r["codes"] or [""]:
                pages_of.setdefault(c, set()).add((r["media_id"], r["page_no"]))
        top = QTreeWidgetItem(["By exemption", str(len(rows)), str(len({(r["media_id"], r["page_no"])
                                                                     for r in rows}))])
        for code, n in by_code(rows):
            top.addChild(QTreeWidgetItem([code or NO_LABEL, str(n), str(len(pages_of.get(code, ())))]))
        docs = QTreeWidgetItem(["By document", "", ""])
        for name, n, pages in by_document(rows):
            docs.addChild(QTreeWidgetItem([name, str(n), str(pages)]))
        ranges = QTreeWidgetItem(["By page range", "", ""])
        for pr in page_ranges(rows):
            pages = (f"p. {pr['page_from']}" if pr["page_from"] == pr["page_to"]
                     else f"pp. {pr['page_from']}–{pr['page_to']}")
            codes = ", ".join(f"{c or NO_LABEL} ×{n}" for c, n in sorted(pr["codes"].items()))
            item = QTreeWidgetItem([f"{pr['media_name']} {pages}", str(pr["regions"]),
                                    str(pr["page_to"] - pr["page_from"] + 1), codes])
            bates = pr["bates_from"] or ""
            if pr["bates_to"] and pr["bates_to"] != pr["bates_from"]:
                bates += f" – {pr['bates_to']}"
            item.setToolTip(0, bates)
            ranges.addChild(item)
        for item in (top, docs, ranges):
            self.summary.addTopLevelItem(item)
            item.setExpanded(True)
        for c in range(4):
            self.summary.resizeColumnToContents(c)
        self.summary.setColumnWidth(0, min(self.summary.columnWidth(0), 220))

    # -- selection and edits ----------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.shown[r]["id"] for r in rows if r < len(self.shown)]

    def select_ids(self, ids: set[int] | list[int]) -> None:
        ids = set(ids)
        self.table.blockSignals(True)
        self.table.clearSelection()
        for i, r in enumerate(self.shown):
            if r["id"] in ids:
                self.table.setRangeSelected(QTableWidgetSelectionRange(i, 0, i, len(COLUMNS) - 1), True)
                self.table.setCurrentCell(i, 0, QItemSelectionModel.NoUpdate)
        self.table.blockSignals(False)

    def row(self, row_id: int) -> dict[str, Any] | None:
        return next((r for r in self.rows if r["id"] == row_id), None)

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.remove_requested.emit(ids)

    def _on_table_selection_changed(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.jump_requested.emit(self.row(ids[0]))

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row_id = item.data(ID_ROLE)
        row = self.row(row_id)
        if row is None:
            return
        if item.column() == COL_CODES:
            codes = [] if item.text().strip() == NO_LABEL else parse_codes(item.text())
            if codes != row["codes"]:
                self.codes_edited.emit(row_id, codes)
        elif item.column() == COL_COMMENT and item.text() != (row.get("comment") or ""):
            self.comment_edited.emit(row_id, item.text())
