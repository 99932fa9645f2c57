"""The transcript beside the picture: the words of the current video with their times.

One row a word (or a stretch of speech the recogniser heard but wrote no word for), in time
order. The word being said at the playhead is highlighted; clicking a row goes to its frame;
typing over a word asks for a correction (an edit command, made by the tools, never here);
selected words can be muted or bleeped. How a row looks says what is known of it:

- a word the recogniser was unsure of is grey and italic, its tooltip says how unsure;
- a word under an audio redaction is struck through (the export is silent there);
- "speech not transcribed" is its own row, never an empty stretch that passes for silence.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer.timebase import format_ms
from reviewer.ui import theme
from reviewer.ui.reason_list import fill_reasons

COLUMNS = ("Time", "Track", "Word")
WORD_COL = 2
ROW_ROLE = Qt.UserRole + 1  # the row's dict
GAP_COLOR = "#d08770"
CURRENT_BG = "#5a4a1e"  # the accent, dimmed: the word at the playhead


def transcript_rows(words: list[dict[str, Any]], gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Words (session.speech.media_words) and untranscribed speech as one time-ordered list."""
    rows = [{**w, "kind": "word"} for w in words]
    rows += [{"kind": "gap", "id": -1, "start": float(g["start"]), "end": float(g["end"]),
              "track": g["track"], "word": "", "low": False, "redacted": False} for g in gaps]
    return sorted(rows, key=lambda r: (r["start"], r["track"], r["kind"] == "gap"))


def _tc(seconds: float) -> str:
    # word times are kept to the millisecond: rounding first keeps 1.2 from reading 1.201
    return format_ms(math.ceil(round(seconds * 1000, 3)))


class TranscriptModel(QAbstractTableModel):
    correction_requested = Signal(int, str)  # word id, new text

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.starts: list[float] = []
        self.stamps: list[str] = []
        self.current = -1
        self.tracks = 1

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.starts = [r["start"] for r in rows]
        self.stamps = [_tc(r["start"]) for r in rows]  # read on every paint: made once
        self.tracks = len({r["track"] for r in rows}) or 1
        self.current = -1
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        f = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if index.column() == WORD_COL and self.rows[index.row()]["kind"] == "word":
            f |= Qt.ItemIsEditable
        return f

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        r = self.rows[index.row()]
        col = index.column()
        gap = r["kind"] == "gap"
        if role in (Qt.DisplayRole, Qt.EditRole):
            if col == 0:
                return self.stamps[index.row()]
            if col == 1:
                return str(r["track"] + 1)
            if gap:
                return f"(speech not transcribed, {r['end'] - r['start']:.1f} s)"
            return r["word"]
        if role == ROW_ROLE:
            return r
        if role == Qt.FontRole and col == WORD_COL and (gap or r["low"] or r["redacted"]):
            font = QFont()
            font.setItalic(gap or r["low"])
            font.setStrikeOut(bool(r["redacted"]))
            return font
        if role == Qt.ForegroundRole and col == WORD_COL:
            if gap:
                return QBrush(QColor(GAP_COLOR))
            if r["low"]:
                return QBrush(QColor(theme.MUTED))
        if role == Qt.BackgroundRole and index.row() == self.current:
            return QBrush(QColor(CURRENT_BG))
        if role == Qt.ToolTipRole:
            return tooltip(r)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.EditRole) -> bool:
        r = self.rows[index.row()]
        text = " ".join(str(value).split())
        if role != Qt.EditRole or r["kind"] != "word" or not text or text == r["word"]:
            return False
        # the case changes through an edit command; the panel shows it when the case says so
        self.correction_requested.emit(int(r["id"]), text)
        return False

    def row_at(self, seconds: float, until: float | None = None) -> int:
        """The row being said while the picture shows ``seconds`` .. ``until`` (one frame):
        the latest-starting word (or untranscribed speech) that starts before the frame ends
        and has not ended before it began; -1 between words."""
        until = seconds if until is None else max(until, seconds)
        i = bisect_left(self.starts, until) - 1 if until > seconds else bisect_right(self.starts, seconds) - 1
        # a later-starting row may have ended while an earlier, longer one (a gap) still runs
        for k in range(i, max(-1, i - 8), -1):
            if self.rows[k]["end"] >= seconds:
                return k
        return -1

    def set_current(self, row: int) -> None:
        if row == self.current:
            return
        old, self.current = self.current, row
        for k in (old, row):
            if 0 <= k < len(self.rows):
                self.dataChanged.emit(self.index(k, 0), self.index(k, len(COLUMNS) - 1),
                                      [Qt.BackgroundRole])


def tooltip(r: dict[str, Any]) -> str:
    if r["kind"] == "gap":
        return ("Speech was heard here but the recogniser wrote no words for it: listen to it. "
                "It is not silence, and nothing said here can be found by search.")
    lines = [f"{_tc(r['start'])} – {_tc(r['end'])}, track {r['track'] + 1}"]
    if r["low"]:
        lines.append(f"The recogniser was unsure of this word (confidence {r['confidence']:.2f}): "
                     "check it by ear and correct it if need be.")
    if r.get("heard") and r["heard"] != r["word"]:
        lines.append(f"Corrected; the recogniser wrote “{r['heard']}”.")
    if r["redacted"]:
        lines.append("Under an audio redaction: silent (or bleeped) in the export.")
    lines.append("Click: go to it. Double-click or F2: correct it.")
    return "\n".join(lines)


class TranscriptPanel(QWidget):
    seek_requested = Signal(float)              # seconds from frame 0
    correction_requested = Signal(int, str)     # word id, text
    redact_requested = Signal(list, str, str)   # word ids, "mute" | "bleep", reason code
    transcribe_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TranscriptModel(self)
        # queued: the edit reloads the rows, which must not happen inside the editor's commit
        self.model.correction_requested.connect(self.correction_requested, Qt.QueuedConnection)
        self.summary = QLabel("Open a video to see what is said in it.")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {theme.MUTED}")
        self.transcribe_button = QPushButton("Transcribe")
        self.transcribe_button.setToolTip("Transcribe every audio track of this video, offline "
                                          "(Ctrl+Shift+S)")
        self.transcribe_button.clicked.connect(self.transcribe_requested)
        self.transcribe_button.hide()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        # fixed sizes measured once: sizing to contents reads every row (seconds for the
        # thousands of words of a long video) on each load and each highlighted word
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        hh = self.table.horizontalHeader()
        fm = self.table.fontMetrics()
        hh.setSectionResizeMode(0, QHeaderView.Fixed)
        hh.setSectionResizeMode(1, QHeaderView.Fixed)
        hh.setSectionResizeMode(2, QHeaderView.Stretch)
        hh.resizeSection(0, fm.horizontalAdvance("00:00:00.000") + 16)
        hh.resizeSection(1, fm.horizontalAdvance(COLUMNS[1]) + 16)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reason = QComboBox()
        self.reason.setToolTip("The exemption the muted or bleeped words are marked with")
        self.mentions_button = QPushButton("All mentions")
        self.mentions_button.setToolTip("Select every mention of the selected word in this "
                                        "video: the same word (or number) and names that "
                                        "sound like it")
        self.mentions_button.clicked.connect(self.select_mentions)
        self.mute_button = QPushButton("Mute")
        self.mute_button.setToolTip("Silence the selected words on every audio track (padded "
                                    "by half a second each side); one undo step")
        self.mute_button.clicked.connect(lambda: self._redact("mute"))
        self.bleep_button = QPushButton("Bleep")
        self.bleep_button.setToolTip("Replace the selected words by a tone on every audio track "
                                     "(padded by half a second each side); one undo step")
        self.bleep_button.clicked.connect(lambda: self._redact("bleep"))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.transcribe_button)
        # two short rows, not one long one: the panel fits a 1024-pixel screen's tab group
        bottom = QHBoxLayout()
        bottom.addWidget(self.mentions_button)
        bottom.addStretch(1)
        redact = QHBoxLayout()
        redact.addStretch(1)
        redact.addWidget(QLabel("Reason"))
        redact.addWidget(self.reason)
        redact.addWidget(self.mute_button)
        redact.addWidget(self.bleep_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        lay.addLayout(redact)
        self.mentions_note = ""
        self._update_buttons()

    # -- content ------------------------------------------------------------------------------
    def show_transcript(self, name: str, rows: list[dict[str, Any]], transcribed: bool) -> None:
        """Show ``rows`` (transcript_rows) of the video ``name``; keeps the selection of the
        same words and the scroll position when only their text or marks changed."""
        chosen = set(self.selected_ids())
        bar = self.table.verticalScrollBar().value()
        same = [r["id"] for r in rows] == [r["id"] for r in self.model.rows]
        self.model.set_rows(rows)
        if same:
            self.select_ids(chosen)
            self.table.verticalScrollBar().setValue(bar)
        words = [r for r in rows if r["kind"] == "word"]
        gaps = len(rows) - len(words)
        if not transcribed:
            self.summary.setText(f"{name}: not transcribed yet.")
        else:
            parts = [f"{name}: {len(words)} word{'s' if len(words) != 1 else ''}"]
            low = sum(r["low"] for r in words)
            red = sum(bool(r["redacted"]) for r in words)
            if low:
                parts.append(f"{low} uncertain (grey)")
            if red:
                parts.append(f"{red} redacted (struck through)")
            if gaps:
                parts.append(f"{gaps} stretch{'es' if gaps != 1 else ''} of speech not transcribed")
            self.summary.setText(", ".join(parts) + ".")
        self.transcribe_button.setVisible(not transcribed)
        self.table.setColumnHidden(1, self.model.tracks < 2)
        self._update_buttons()

    def clear(self, text: str = "Open a video to see what is said in it.") -> None:
        self.model.set_rows([])
        self.summary.setText(text)
        self.transcribe_button.hide()
        self._update_buttons()

    def set_reasons(self, reasons: list[tuple[str, str]], default: str) -> None:
        fill_reasons(self.reason, reasons, default)

    def set_time(self, seconds: float, until: float | None = None) -> None:
        """Highlight the row being said while the frame from ``seconds`` to ``until`` shows,
        and keep it in view."""
        row = self.model.row_at(seconds, until)
        self.model.set_current(row)
        if row >= 0 and self.table.state() != QAbstractItemView.EditingState:
            self.table.scrollTo(self.model.index(row, WORD_COL), QAbstractItemView.EnsureVisible)

    # -- selection ----------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[k]["id"] for k in rows if self.model.rows[k]["kind"] == "word"]

    def select_ids(self, ids: set[int] | list[int]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        want = set(ids)
        sel = QItemSelection()
        for k, r in enumerate(self.model.rows):
            if r["kind"] == "word" and r["id"] in want:
                sel.select(self.model.index(k, 0), self.model.index(k, len(COLUMNS) - 1))
        self.table.selectionModel().select(sel, QItemSelectionModel.ClearAndSelect)
        self._update_buttons()

    def select_mentions(self) -> None:
        """Select every mention (exact and similar) of the first selected word."""
        from reviewer.session.speech_redact import mentions

        ids = self.selected_ids()
        if not ids:
            return
        words = [r for r in self.model.rows if r["kind"] == "word"]
        index = next(k for k, w in enumerate(words) if w["id"] == ids[0])
        exact, near = mentions(words, index)
        self.select_ids([words[k]["id"] for k in exact + near] or ids)
        text = words[index]["word"]
        self.mentions_note = (f"“{text}”: {len(exact)} exact mention{'s' if len(exact) != 1 else ''}"
                              + (f" and {len(near)} that sound{'s' if len(near) == 1 else ''} like it"
                                 if near else "") + " selected")
        self.summary.setText(self.mentions_note + ": Mute or Bleep redacts them all.")

    def _update_buttons(self) -> None:
        on = bool(self.selected_ids())
        for b in (self.mentions_button, self.mute_button, self.bleep_button):
            b.setEnabled(on)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        self.seek_requested.emit(float(self.model.rows[index.row()]["start"]))

    def _redact(self, mode: str) -> None:
        ids = self.selected_ids()
        if ids:
            self.redact_requested.emit(ids, mode, self.reason.currentData() or "")
