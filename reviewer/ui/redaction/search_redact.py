"""Search and redact: find a pattern (SSNs, A-numbers, …, or any regex) in the documents,
review every match, then mark the ones kept as page redactions in one undo step."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui import theme
from reviewer.ui.workers import run_job


def find_in_documents(docs: list[dict[str, Any]], pattern: str, progress: Any) -> list[dict[str, Any]]:
    """Every match in every document: media id, name, page, text, rects (worker thread)."""
    from reviewer.pdf.search import PATTERNS, find_matches

    regex = PATTERNS.get(pattern, pattern)
    out = []
    for i, d in enumerate(docs):
        progress.update(i / max(1, len(docs)), f"Searching {d['name']}")
        for m in find_matches(d["path"], regex):
            out.append({"media_id": d["id"], "name": d["name"], "page_no": m.page_no,
                        "text": m.text, "rects": [tuple(r) for r in m.rects]})
    progress.update(1.0, f"{len(out)} matches")
    return out


class SearchRedactDialog(QDialog):
    """Modeless: the search runs on the thread pool, the list fills when it is done."""

    def __init__(self, ctl: Any, reasons: list[tuple[str, str]], default_reason: str,
                 current_doc: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.current_doc = current_doc
        self.setWindowTitle("Search and redact")
        self.resize(640, 520)
        from reviewer.pdf.search import PATTERNS

        self.pattern = QComboBox()
        self.pattern.setEditable(True)
        for name in PATTERNS:
            self.pattern.addItem(name)
        self.pattern.setToolTip("A built-in pattern, or type any regular expression")
        self.scope = QComboBox()
        self.scope.addItem("Every document", "all")
        if current_doc is not None:
            self.scope.addItem("This document", "current")
        self.reason = QComboBox()
        for code, desc in reasons:
            self.reason.addItem(code, code)
        self.reason.setCurrentIndex(max(0, self.reason.findData(default_reason)))
        self.find_button = QPushButton("Find")
        self.find_button.clicked.connect(self.find)
        self.results = QTreeWidget()
        self.results.setHeaderLabels(["Match", "Document", "Page"])
        self.results.setRootIsDecorated(False)
        self.results.setColumnWidth(0, 260)
        self.summary = QLabel("Choose a pattern and press Find. Matching ignores case and follows "
                              "words across line breaks, hyphenation and ligatures, as a reader's "
                              "search does. Nothing is marked until you review the matches and press Mark.")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {theme.MUTED}")
        self.all_box = QCheckBox("Select all")
        self.all_box.setChecked(True)
        self.all_box.toggled.connect(self._on_all_box_toggled)
        self.buttons = QDialogButtonBox()
        self.mark_button = self.buttons.addButton("Mark selected", QDialogButtonBox.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.Close)
        self.mark_button.setEnabled(False)
        self.buttons.accepted.connect(self.mark)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Find"))
        top.addWidget(self.pattern, 1)
        top.addWidget(self.scope)
        top.addWidget(self.find_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_box)
        bottom.addStretch(1)
        bottom.addWidget(QLabel("Reason"))
        bottom.addWidget(self.reason)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.results, 1)
        lay.addLayout(bottom)
        lay.addWidget(self.buttons)
        self.matches: list[dict[str, Any]] = []
        self.marked = 0

    def find(self) -> None:
        pattern = self.pattern.currentText().strip()
        if not pattern:
            return
        docs = [m for m in self.ctl.media_list() if m["kind"] == "pdf"]
        if self.scope.currentData() == "current":
            docs = [m for m in docs if m["id"] == self.current_doc]
        self.find_button.setEnabled(False)
        self.summary.setText("Searching…")
        self._job = run_job(lambda p: find_in_documents(docs, pattern, p),
                            on_done=self.show_matches, on_error=self._on_error,
                            on_progress=lambda f, m: self.summary.setText(m))

    def _on_error(self, why: str) -> None:
        self.find_button.setEnabled(True)
        self.summary.setText(why)

    def show_matches(self, matches: list[dict[str, Any]]) -> None:
        self.find_button.setEnabled(True)
        self.matches = matches
        self.results.clear()
        for i, m in enumerate(matches):
            it = QTreeWidgetItem([m["text"].replace("\n", " "), m["name"], str(m["page_no"])])
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(0, Qt.Checked)
            it.setData(0, Qt.UserRole, i)
            self.results.addTopLevelItem(it)
        pages = len({(m["media_id"], m["page_no"]) for m in matches})
        self.summary.setText(f"{len(matches)} matches on {pages} pages. Untick any that must stay "
                             "visible, then Mark." if matches else "No matches.")
        self.mark_button.setEnabled(bool(matches))

    def _on_all_box_toggled(self, on: bool) -> None:
        for i in range(self.results.topLevelItemCount()):
            self.results.topLevelItem(i).setCheckState(0, Qt.Checked if on else Qt.Unchecked)

    def chosen(self) -> list[dict[str, Any]]:
        out = []
        for i in range(self.results.topLevelItemCount()):
            it = self.results.topLevelItem(i)
            if it.checkState(0) == Qt.Checked:
                out.append(self.matches[it.data(0, Qt.UserRole)])
        return out

    def mark(self) -> None:
        """Every rectangle of every ticked match becomes a page box, one undo step."""
        from reviewer.session import redactions as red
        from reviewer.session.edits import Batch

        by_media: dict[int, list[tuple[int, tuple]]] = {}
        for m in self.chosen():
            by_media.setdefault(m["media_id"], []).extend((m["page_no"], r) for r in m["rects"])
        reason = self.reason.currentData() or ""
        cmds = tuple(red.add_page_boxes(mid, boxes, reason=reason, source="text")
                     for mid, boxes in by_media.items())
        if cmds:
            self.ctl.apply(cmds[0] if len(cmds) == 1 else Batch(cmds, label="mark matches"))
        self.marked = sum(len(b) for b in by_media.values())
        self.accept()
