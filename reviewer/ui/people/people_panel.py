"""The People panel: the case's list of people (names redacted in every form a production
writes them) and the names finder's proposals to accept or reject. It only shows and asks;
the tools (reviewer.ui.people.people_tools) change the case."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)


class PeoplePanel(QWidget):
    add_requested = Signal(str)
    import_requested = Signal()
    remove_requested = Signal(list)
    redact_requested = Signal(list, str)  # names, reason code
    suggest_requested = Signal()
    accept_requested = Signal(list)
    reject_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("people-panel")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        head = QLabel("People of the case, found in every form a production writes them.")
        head.setToolTip("Surname first, initials, capitals, without accents, possessive")
        head.setWordWrap(True)
        lay.addWidget(head)
        self.people = QListWidget()
        self.people.setObjectName("people-list")
        self.people.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.people.setAccessibleName("People of the case")
        self.people.setMinimumHeight(48)
        lay.addWidget(self.people, 1)
        row = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setObjectName("people-name")
        self.name.setPlaceholderText("Given Surname, or Surname, Given")
        self.name.setAccessibleName("Name to add")
        self.name.returnPressed.connect(self._add)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._add)
        row.addWidget(self.name, 1)
        row.addWidget(self.add_button)
        lay.addLayout(row)
        row = QHBoxLayout()
        self.import_button = QPushButton("Import a list…")
        self.import_button.setToolTip("A text file (one name a line) or a CSV file (column 'name')")
        self.import_button.clicked.connect(self.import_requested)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.selected()))
        row.addWidget(self.import_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        lay.addLayout(row)
        row = QHBoxLayout()
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason for the redaction")
        self.redact_button = QPushButton("Redact their names")
        self.redact_button.setObjectName("people-redact")
        self.redact_button.setToolTip("Box every form of the selected people's names (all of them "
                                      "when none is selected) in every document; one undo step")
        self.redact_button.clicked.connect(
            lambda: self.redact_requested.emit(self.selected() or self.names(), self.reason.currentData() or ""))
        self.reason.setToolTip("The reason (exemption code) the boxes are given")
        row.addWidget(self.redact_button, 1)
        row.addWidget(self.reason)
        lay.addLayout(row)

        found = QLabel("Names in the documents that the list lacks:")
        found.setWordWrap(True)
        lay.addWidget(found)
        self.suggestions = QTreeWidget()
        self.suggestions.setObjectName("people-suggestions")
        self.suggestions.setAccessibleName("Proposed names")
        self.suggestions.setHeaderLabels(["Name", "Seen", "First seen"])
        self.suggestions.setRootIsDecorated(False)
        self.suggestions.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.suggestions.setWordWrap(True)
        header = self.suggestions.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.suggestions.setTextElideMode(Qt.ElideNone)
        self.suggestions.setMinimumWidth(160)  # a narrow dock scrolls it, never widens the window
        lay.addWidget(self.suggestions, 4)
        row = QHBoxLayout()
        self.suggest_button = QPushButton("Find names")
        self.suggest_button.setToolTip("Read the documents for person names the list lacks "
                                       "(proposals to review: nothing is marked)")
        self.suggest_button.clicked.connect(self.suggest_requested)
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Add the selected names to the case's people")
        self.accept_button.clicked.connect(lambda: self.accept_requested.emit(self.chosen()))
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("Not a person of the case: not proposed again")
        self.reject_button.clicked.connect(lambda: self.reject_requested.emit(self.chosen()))
        for b in (self.suggest_button, self.accept_button, self.reject_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.summary = QLabel("")
        self.summary.setObjectName("people-summary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)

    # -- what the tools show ------------------------------------------------------------------
    def set_people(self, names: list[str]) -> None:
        self.people.clear()
        self.people.addItems(names)

    def set_reasons(self, reasons: list[tuple[str, str]], default: str) -> None:
        self.reason.clear()
        for code, desc in reasons:
            self.reason.addItem(code, code)
            self.reason.setItemData(self.reason.count() - 1, desc, Qt.ToolTipRole)
        i = self.reason.findData(default)
        if i >= 0:
            self.reason.setCurrentIndex(i)

    def set_suggestions(self, found: list[dict[str, Any]]) -> None:
        self.suggestions.clear()
        for p in found:
            first = f"{p['where'][0][0]} p. {p['where'][0][1]}" if p["where"] else ""
            item = QTreeWidgetItem([p["name"], str(p["count"]), first])
            item.setData(0, Qt.UserRole, p["name"])
            # the forms as written and every place, where there is room for them
            tip = ("Written as: " + " | ".join(p["seen"][:5]) + "\nSeen on: "
                   + ", ".join(f"{m} p. {n}" for m, n in p["where"]))
            for col in range(3):
                item.setToolTip(col, tip)
            self.suggestions.addTopLevelItem(item)

    def drop_suggestions(self, names: list[str]) -> None:
        for i in reversed(range(self.suggestions.topLevelItemCount())):
            if self.suggestions.topLevelItem(i).data(0, Qt.UserRole) in names:
                self.suggestions.takeTopLevelItem(i)

    def names(self) -> list[str]:
        return [self.people.item(i).text() for i in range(self.people.count())]

    def selected(self) -> list[str]:
        return [i.text() for i in self.people.selectedItems()]

    def chosen(self) -> list[str]:
        return [i.data(0, Qt.UserRole) for i in self.suggestions.selectedItems()]

    def _add(self) -> None:
        text = self.name.text().strip()
        if text:
            self.add_requested.emit(text)
