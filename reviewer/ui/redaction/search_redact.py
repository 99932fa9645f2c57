"""Search and redact, on the page and not behind a dialog: find one pattern, every built-in
pattern or the case's own (or any regex) in the documents, review each hit with its
surrounding words (a click shows it on the page), then mark the ones kept as page boxes in
one undo step. The same list shows the sweep for identifiers still readable before an
export or a bundle."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui import theme
from reviewer.ui.reason_list import fill_reasons
from reviewer.ui.redaction.text_hits import ALL, MATCHING_NOTE, Hit, builtin_patterns


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else ('es' if word.endswith('x') else 's')}"


class SearchRedactPanel(QWidget):
    find_requested = Signal()
    hit_activated = Signal(object)          # Hit: show it on its page
    mark_requested = Signal(list, str)      # the ticked hits, reason code
    save_pattern_requested = Signal(str, str)   # name, regex: a case pattern
    remove_pattern_requested = Signal(str)      # a case pattern's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pattern = QComboBox()
        self.pattern.setEditable(True)
        self.pattern.setInsertPolicy(QComboBox.NoInsert)
        self.pattern.setToolTip("A built-in pattern, every one of them, or type any regular "
                                "expression (a name, a case number)")
        self.pattern.setMinimumContentsLength(14)
        self.pattern.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.scope = QComboBox()
        self.match_case = QCheckBox("Match case")
        self.match_case.setToolTip("Off: “RODRIGUEZ” in a heading is found by “Rodriguez”")
        self.find_button = QPushButton("Find")
        self.find_button.setDefault(True)
        self.find_button.clicked.connect(self.find_requested)
        self.pattern.lineEdit().returnPressed.connect(self.find_requested)
        self.save_button = QPushButton("Save as case pattern…")
        self.save_button.setToolTip("Keep this regular expression in the case under a name: it "
                                    "is listed here and swept before every export and bundle")
        self.save_button.clicked.connect(self.ask_pattern_name)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove this pattern from the case's own (Ctrl+Z undoes)")
        self.remove_button.clicked.connect(
            lambda: self.remove_pattern_requested.emit(self.pattern.currentText().strip()))
        self.pattern.currentTextChanged.connect(self._update_pattern_buttons)
        self.name_dialog: QInputDialog | None = None
        self.how = QLabel(MATCHING_NOTE)
        self.how.setWordWrap(True)
        self.how.setStyleSheet(f"color: {theme.MUTED}")
        self.summary = QLabel("Choose what to look for and press Find.")
        self.summary.setWordWrap(True)
        self.results = QTreeWidget()
        # one branch per page (document and page order), the hits under it in context
        self.results.setHeaderLabels(["Hit in context", "Found"])
        self.results.setUniformRowHeights(True)
        self.results.setSelectionMode(QAbstractItemView.SingleSelection)
        hh = self.results.header()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(0, QHeaderView.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.results.currentItemChanged.connect(self._on_results_current_item_changed)
        self.all_box = QCheckBox("Tick all")
        self.all_box.setChecked(True)
        self.all_box.toggled.connect(self._on_all_box_toggled)
        self.reason = QComboBox()
        self.reason.setToolTip("The exemption the new boxes are marked with")
        self.mark_button = QPushButton("Mark ticked")
        self.mark_button.setEnabled(False)
        self.mark_button.clicked.connect(lambda: self.mark_requested.emit(
            self.chosen(), self.reason.currentData() or ""))
        top = QHBoxLayout()
        top.addWidget(self.pattern, 1)
        top.addWidget(self.find_button)
        own = QHBoxLayout()
        own.addStretch(1)
        own.addWidget(self.save_button)
        own.addWidget(self.remove_button)
        opts = QHBoxLayout()
        opts.addWidget(self.scope, 1)
        opts.addWidget(self.match_case)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_box)
        bottom.addStretch(1)
        bottom.addWidget(self.reason)
        bottom.addWidget(self.mark_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addLayout(own)
        lay.addLayout(opts)
        lay.addWidget(self.how)
        lay.addWidget(self.summary)
        lay.addWidget(self.results, 1)
        lay.addLayout(bottom)
        self.matches: list[Hit] = []
        self.marked = 0
        self.set_patterns([])

    # -- choices ------------------------------------------------------------------------------
    def set_patterns(self, own: list[tuple[str, str]], current: str | None = None) -> None:
        """The built-in patterns, then the case's own (their regex in the tooltip)."""
        current = self.pattern.currentText() if current is None else current
        self.pattern.blockSignals(True)
        self.pattern.clear()
        self.pattern.addItem("Every built-in pattern and the case's own", ALL)
        for name, key in builtin_patterns():
            self.pattern.addItem(name, key)
        self.own = [name for name, _key in own]
        if own:
            self.pattern.insertSeparator(self.pattern.count())
        for name, key in own:
            self.pattern.addItem(name, key)
            self.pattern.setItemData(self.pattern.count() - 1, f"The case's own pattern: {key}",
                                     Qt.ToolTipRole)
        i = self.pattern.findText(current)
        if i >= 0:
            self.pattern.setCurrentIndex(i)
        else:
            self.pattern.setCurrentIndex(0)
            if current and current != self.pattern.itemText(0):
                self.pattern.setEditText(current)  # a regex being typed stays
        self.pattern.blockSignals(False)
        self._update_pattern_buttons()

    def is_typed(self) -> bool:
        """Whether the pattern box holds a regex typed here (not one listed)."""
        text = self.pattern.currentText().strip()
        return bool(text) and self.pattern.findText(text) < 0

    def _update_pattern_buttons(self, *_: Any) -> None:
        self.save_button.setEnabled(self.is_typed())
        self.remove_button.setEnabled(self.pattern.currentText().strip() in getattr(self, "own", []))

    def ask_pattern_name(self) -> None:
        """Ask for the new case pattern's name (not blocking: the dialog is opened)."""
        regex = self.pattern.currentText().strip()
        if not self.is_typed():
            return
        dlg = QInputDialog(self)
        dlg.setWindowTitle("Save as a case pattern")
        dlg.setLabelText(f"A name for “{regex}” (what it finds, e.g. “Case number”). The case's "
                         "own patterns are swept before every export and bundle.")
        dlg.setTextValue("")
        dlg.setWindowModality(Qt.WindowModal)
        dlg.textValueSelected.connect(lambda name: name.strip() and
                                      self.save_pattern_requested.emit(name.strip(), regex))
        self.name_dialog = dlg
        dlg.open()

    def set_reasons(self, reasons: list[tuple[str, str]], default: str) -> None:
        fill_reasons(self.reason, reasons, default)

    def set_scopes(self, current_doc: str | None, exhibits: bool) -> None:
        chosen = self.scope.currentData()
        self.scope.clear()
        self.scope.addItem("Every document", "all")
        if current_doc:
            self.scope.addItem(f"This document ({current_doc})", "current")
        if exhibits:
            self.scope.addItem("The document exhibits", "exhibits")
        self.scope.setCurrentIndex(max(0, self.scope.findData(chosen)))

    def chosen_pattern(self) -> str:
        """The pattern key (or ``ALL``) for a listed choice; else the typed text as a regex
        (a built-in's short name, as the command line writes it, works too)."""
        text = self.pattern.currentText().strip()
        i = self.pattern.findText(text)
        if i >= 0:
            return str(self.pattern.itemData(i))
        return text

    # -- results ------------------------------------------------------------------------------
    def searching(self, what: str) -> None:
        self.find_button.setEnabled(False)
        self.mark_button.setEnabled(False)
        self.summary.setText(f"Searching: {what}…")
        self.summary.setStyleSheet("")

    def failed(self, why: str) -> None:
        self.find_button.setEnabled(True)
        self.summary.setText(why)

    def show_matches(self, hits: list[Hit], headline: str | None = None) -> None:
        self.find_button.setEnabled(True)
        self.matches = list(hits)
        self.results.clear()
        page_item: QTreeWidgetItem | None = None
        place = None
        for i, h in enumerate(hits):
            if h.place != place:
                place = h.place
                page_item = QTreeWidgetItem([h.where, ""])
                page_item.setFlags(page_item.flags() | Qt.ItemIsUserCheckable | Qt.ItemIsAutoTristate)
                page_item.setData(0, Qt.UserRole, -1)
                self.results.addTopLevelItem(page_item)
                page_item.setExpanded(True)
            it = QTreeWidgetItem([h.context, ", ".join(h.patterns)])
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(0, Qt.Unchecked if h.covered else Qt.Checked)
            it.setData(0, Qt.UserRole, i)
            it.setToolTip(0, h.context + ("\n(already under a box)" if h.covered else ""))
            if h.covered:
                it.setForeground(0, self.palette().placeholderText())
            page_item.addChild(it)
        for n in range(self.results.topLevelItemCount()):
            top = self.results.topLevelItem(n)
            top.setText(1, _plural(top.childCount(), "hit"))
        pages = len({h.place for h in hits if h.frame is None})
        docs = len({h.media_id for h in hits if h.frame is None})
        seen = [h for h in hits if h.frame is not None]
        open_ = [h for h in hits if not h.covered]
        text = headline + " " if headline else ""
        if hits:
            text += _plural(len(hits), 'hit')
            if pages:
                text += f" on {_plural(pages, 'page')} of {_plural(docs, 'document')}"
            if seen:
                videos = len({h.media_id for h in seen})
                text += (f"{' and' if pages else ''} {len(seen)} in the words read in "
                         f"{_plural(videos, 'video')}")
            if len(open_) != len(hits):
                text += f"; {len(hits) - len(open_)} already under a box (unticked)"
            text += (". Click one to see it on its page or frame; untick any that must stay visible, "
                     "then Mark (a video's text track is accepted).")
        else:
            text += "Nothing found."
        text += "".join(f" Warning: {note}." for note in getattr(hits, "notes", ()))
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {'#ff4d4f' if headline and open_ else theme.MUTED}")
        self.mark_button.setEnabled(bool(hits))

    def show_marked(self, boxes: int, hits: int, pages: int) -> None:
        self.marked = boxes
        self.summary.setText(f"Added {_plural(boxes, 'box')} for {_plural(hits, 'hit')} on "
                             f"{_plural(pages, 'page')} (one step: Ctrl+Z undoes).")
        self.summary.setStyleSheet(f"color: {theme.MUTED}")
        for it in self.hit_items():
            if it.checkState(0) == Qt.Checked:
                it.setCheckState(0, Qt.Unchecked)
                it.setText(1, "✓ " + it.text(1))
                it.setToolTip(1, "Marked: a box now covers it")
        self.mark_button.setEnabled(False)

    def hit_items(self) -> list[QTreeWidgetItem]:
        """The hits' rows, in order (under their pages)."""
        out = []
        for n in range(self.results.topLevelItemCount()):
            top = self.results.topLevelItem(n)
            out += [top.child(i) for i in range(top.childCount())]
        return out

    def item_of(self, hit: Hit) -> QTreeWidgetItem | None:
        return next((it for it in self.hit_items() if self.matches[it.data(0, Qt.UserRole)] is hit),
                    None)

    def _on_all_box_toggled(self, on: bool) -> None:
        for it in self.hit_items():
            it.setCheckState(0, Qt.Checked if on else Qt.Unchecked)

    def chosen(self) -> list[Hit]:
        return [self.matches[it.data(0, Qt.UserRole)] for it in self.hit_items()
                if it.checkState(0) == Qt.Checked]

    def _on_results_current_item_changed(self, cur: QTreeWidgetItem | None, _prev: Any) -> None:
        if cur is None:
            return
        i = cur.data(0, Qt.UserRole)
        if i is not None and i < 0 and cur.childCount():
            i = cur.child(0).data(0, Qt.UserRole)  # a page: show its first hit
        if i is not None and i >= 0:
            self.hit_activated.emit(self.matches[i])
