"""The notes panel: every note of the case, filtered by item, tag and text; click to jump,
double-click to edit in place, delete, link a video moment to a document passage.

The panel only states intents (``*_requested``); the controller turns them into edit
commands, and the panel reloads when the case says annotations changed.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.annotate.notes import Annotation
from reviewer.ui import theme
from reviewer.ui.icons import icon

COLUMNS = ("Where", "Note", "Tags", "Links")
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class AnnotationModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.notes: list[Annotation] = []
        self.where: Callable[[Annotation], str] = lambda a: f"{a.media_id}"
        self.edited: Callable[[int, str, Any], None] = lambda i, field, value: None

    def set_notes(self, notes: list[Annotation]) -> None:
        self.beginResetModel()
        self.notes = notes
        self.endResetModel()

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.notes)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.notes[index.row()]
        col = index.column()
        if role == Qt.DisplayRole and col in (0, 1):
            return breakable(self.where(a) if col == 0 else a.text)
        if role in (Qt.DisplayRole, Qt.EditRole):
            if col == 0:
                return self.where(a)
            if col == 1:
                return a.text
            if col == 2:
                return ", ".join(a.tags)
            if col == 3:
                return " ".join(f"→{i}" for i in a.linked_ids) if role == Qt.DisplayRole else ""
        if role == Qt.DecorationRole and col == 1 and a.for_bundle:
            return icon("bundle")  # marked: this note goes into the bundle's notes report
        if role == Qt.ToolTipRole and col in (0, 1, 2):
            tip = (self.where(a), a.text, ", ".join(a.tags))[col]
            if col == 1 and a.for_bundle:
                tip = f"{tip}\n\nMarked for the bundle: it goes into the bundle's notes report"
            return tip
        if role == Qt.ForegroundRole and col in (0, 3):
            return QColor(theme.MUTED)
        if role == Qt.UserRole:
            return a.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        return f | Qt.ItemIsEditable if index.column() in (1, 2) else f

    def setData(self, index: Index, value: Any, role: int = Qt.EditRole) -> bool:
        if role != Qt.EditRole or index.column() not in (1, 2):
            return False
        a = self.notes[index.row()]
        if index.column() == 1 and value != a.text:
            self.edited(a.id, "text", str(value))
        elif index.column() == 2:
            tags = [t.strip() for t in str(value).split(",") if t.strip()]
            if tuple(tags) != a.tags:
                self.edited(a.id, "tags", tags)
        return True  # the reload after the edit shows the stored value

    def row_of(self, annotation_id: int) -> int:
        return next((i for i, a in enumerate(self.notes) if a.id == annotation_id), -1)


def breakable(text: str) -> str:
    """``text`` as drawn in a wrapping column: Qt breaks lines only at spaces, and cuts off a
    long file name or e-mail address, so zero-width spaces let a long word break after its
    ``_ . / @ -`` and, in a long piece between those, every few letters (the text itself,
    edited or copied, is unchanged)."""
    def word(m: re.Match) -> str:
        pieces = re.split(r"(?<=[_./@-])", m.group())
        return "\u200b".join(re.sub(r"(\w{4})(?=\w{3})", "\\1\u200b", p) if len(p) > 8 else p
                              for p in pieces)
    return re.sub(r"\S{13,}", word, text)


def text_on(color: QColor) -> QColor:
    """Black or white, whichever reads better on ``color``."""
    r, g, b = color.red(), color.green(), color.blue()
    return QColor("#111111") if 0.299 * r + 0.587 * g + 0.114 * b > 150 else QColor("#ffffff")


class TagChipDelegate(QStyledItemDelegate):
    """The Tags column as coloured chips, one per tag, in the tag's case colour; chips that do
    not fit on the line go on the next (the row grows), so no tag is hidden."""

    def __init__(self, colors: dict[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.colors = colors

    @staticmethod
    def chip_rects(tags: list[str], fm: Any, rect: QRectF) -> list[QRectF]:
        """Where each tag's chip goes in ``rect``: left to right, wrapping onto new lines."""
        h = fm.height() + 2
        x, y, out = rect.x() + 3, rect.y() + 2, []
        for t in tags:
            w = fm.horizontalAdvance(t) + 10
            if x + w > rect.right() and x > rect.x() + 3:
                x, y = rect.x() + 3, y + h + 2
            out.append(QRectF(x, y, w, h))
            x += w + 3
        return out

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> Any:
        base = super().sizeHint(option, index)
        tags = [t.strip() for t in str(index.data() or "").split(",") if t.strip()]
        view = self.parent()
        width = view.columnWidth(index.column()) if hasattr(view, "columnWidth") else 200
        rects = self.chip_rects(tags, option.fontMetrics, QRectF(0, 0, width, 0))
        if rects:
            base.setHeight(max(base.height(), int(rects[-1].bottom()) + 3))
        return base

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if option.state & QStyle.State_Selected:
            p.fillRect(option.rect, QColor(theme.SELECT))
        tags = [t.strip() for t in str(index.data() or "").split(",") if t.strip()]
        p.save()
        p.setRenderHint(QPainter.Antialiasing)
        for t, r in zip(tags, self.chip_rects(tags, option.fontMetrics, QRectF(option.rect))):
            color = QColor(self.colors.get(t, theme.MUTED))
            p.setPen(Qt.NoPen)
            p.setBrush(color)
            p.drawRoundedRect(r, 4, 4)
            p.setPen(text_on(color))
            p.drawText(r, Qt.AlignCenter, t)
        p.restore()


class AnnotationsPanel(QWidget):
    note_requested = Signal(str)          # "frame" | "range" | "page" | "region"
    edit_requested = Signal(int, str, object)
    delete_requested = Signal(list)
    link_requested = Signal(int, int)
    jump_requested = Signal(int)          # annotation id
    filter_changed = Signal()
    tag_color_requested = Signal(str, str)   # tag, colour "#rrggbb"
    bundle_requested = Signal(list, bool)    # note ids, marked for the bundle or not

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag_colors: dict[str, str] = {}
        # set by the window when a case opens: tag name -> colour, read at each set_tags
        self.color_lookup: Callable[[], dict[str, str]] = dict
        self.color_dialog: QColorDialog | None = None
        self.model = AnnotationModel(self)
        self.model.edited = lambda i, f, v: self.edit_requested.emit(i, f, v)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        hh = self.table.horizontalHeader()
        # fixed-width side columns: ResizeToContents would read all 10,000 rows on each reload
        hh.setSectionResizeMode(0, QHeaderView.Interactive)
        hh.setSectionResizeMode(1, QHeaderView.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.Interactive)
        hh.setSectionResizeMode(3, QHeaderView.Interactive)
        hh.resizeSection(0, 150)
        hh.resizeSection(2, 110)  # room for two tag chips
        hh.resizeSection(3, 44)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        # a note is shown whole: it wraps onto more lines in its column, never ends in "…"
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.ElideNone)
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.timeout.connect(self._fit_rows)
        hh.sectionResized.connect(lambda *_: self._rows_timer.start(0))
        self.table.verticalScrollBar().valueChanged.connect(lambda *_: self._rows_timer.start(0))
        self.chips = TagChipDelegate(self.tag_colors, self.table)
        self.table.setItemDelegateForColumn(2, self.chips)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)

        self.scope = QComboBox()
        self.scope.addItem("All items", "all")
        self.scope.addItem("This item", "current")
        self.tag = QComboBox()
        self.tag.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # tag names shown whole
        self.tag.addItem("Any tag", "")
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter notes")
        self.text.setClearButtonEnabled(True)
        for sig in (self.scope.currentIndexChanged, self.tag.currentIndexChanged,
                    self.text.textChanged):
            sig.connect(lambda *_: self.filter_changed.emit())
        self.count = QLabel("")
        self.count.setStyleSheet(f"color: {theme.MUTED}")
        filters = QHBoxLayout()
        filters.addWidget(self.scope)
        filters.addWidget(self.tag)
        filters.addWidget(self.text, 1)

        self.buttons: dict[str, QToolButton] = {}
        actions = QHBoxLayout()
        for key, name, text, tip in [
            ("frame", "note", "Note", "Note on this frame or page (N)"),
            ("range", "note", "In–Out", "Note on the frames between In (I) and Out (O)"),
            ("region", "note", "Passage", "Note on the selected passage of the page"),
        ]:
            b = QToolButton()
            b.setIcon(icon(name))
            b.setText(text)
            b.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
            b.setToolTip(tip)
            b.clicked.connect(lambda _=False, k=key: self.note_requested.emit(k))
            self.buttons[key] = b
            actions.addWidget(b)
        actions.addStretch(1)
        # link and delete sit beside the count: the note buttons keep the row's width
        under = QHBoxLayout()
        self.count.setWordWrap(True)  # a long count wraps rather than widening the panel
        under.addWidget(self.count, 1)
        for key, name, tip, slot in [("link", "link", "Link the two selected notes", self._link),
                                     ("delete", "delete", "Delete the selected notes (Del)",
                                      self._delete)]:
            b = QToolButton()
            b.setIcon(icon(name))
            b.setToolTip(tip)
            b.clicked.connect(slot)
            self.buttons[key] = b
            under.addWidget(b)

        self.empty = QLabel("No notes yet.\nPress N to note the frame or page you are on,\n"
                            "or I and O then “Note on In–Out” for a range.")
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(filters)
        lay.addLayout(self.stack, 1)
        lay.addLayout(under)
        lay.addLayout(actions)

    # -- content ------------------------------------------------------------------------------
    def filters(self) -> dict[str, Any]:
        return {"scope": self.scope.currentData(), "tag": self.tag.currentData() or None,
                "text": self.text.text().strip() or None}

    def reset_filters(self) -> None:
        """As a fresh window has them: a tag or text typed for one case means nothing in another."""
        for w in (self.scope, self.tag, self.text):
            w.blockSignals(True)
        self.scope.setCurrentIndex(0)
        self.tag.setCurrentIndex(0)
        self.text.clear()
        for w in (self.scope, self.tag, self.text):
            w.blockSignals(False)

    def set_tags(self, tags: list[str]) -> None:
        self.tag_colors.clear()
        self.tag_colors.update(self.color_lookup())
        self.table.viewport().update()
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("Any tag", "")
        for t in tags:
            self.tag.addItem(t, t)
            if t in self.tag_colors:
                self.tag.setItemData(self.tag.count() - 1, QColor(self.tag_colors[t]),
                                     Qt.DecorationRole)
        i = self.tag.findData(current)
        self.tag.setCurrentIndex(max(0, i))
        self.tag.blockSignals(False)

    def set_notes(self, notes: list[Annotation], total: int) -> None:
        selected = self.selected_ids()
        self.model.set_notes(notes)
        filtered = any(v for k, v in self.filters().items() if k != "scope") or \
            self.filters()["scope"] != "all"
        noun = "note" if total == 1 else "notes"
        marked = sum(a.for_bundle for a in notes)
        text = f"{len(notes)} of {total} {noun}" if filtered else f"{total} {noun}"
        self.count.setText(text + (f" · {marked} marked for the bundle" if marked else ""))
        self.count.setToolTip("Notes stay in the case; right-click a note ▸ Include in the "
                              "bundle to put it in a bundle's notes report")
        self.stack.setCurrentIndex(0 if notes or filtered else 1)
        for i in selected:
            self.select(i, scroll=False)
        self._fit_columns(notes)

    def _fit_columns(self, notes: list[Annotation]) -> None:
        """Share the table's width so the note's text gets the most: Where as wide as its
        longest text among the first rows (reading all 10,000 would be slow) up to 30% of the
        table, wrapping beyond; Tags as wide as their chips up to a quarter; Links only
        when a note has one. The note's text takes the rest and wraps."""
        fm = self.table.fontMetrics()
        first = notes[:300]
        hh = self.table.horizontalHeader()
        room = max(200, self.table.viewport().width())
        need = max((fm.horizontalAdvance(self.model.where(a)) for a in first), default=0)
        # and never narrower than its longest unbreakable word (a timecode stays whole)
        word = max((fm.horizontalAdvance(w) for a in first
                    for w in re.split(r"[\s\u200b]+", breakable(self.model.where(a)))), default=0)
        hh.resizeSection(0, max(80, word + 16, min(need + 16, int(room * 0.3))))
        chips = max((sum(fm.horizontalAdvance(t) + 13 for t in a.tags) for a in first), default=0)
        self.table.setColumnHidden(2, chips == 0)
        if chips:  # the widest chip always fits; more chips wrap onto another line
            widest = max(fm.horizontalAdvance(t) + 16 for a in first for t in a.tags)
            hh.resizeSection(2, max(60, widest, min(chips + 6, int(room * 0.25))))
        self.table.setColumnHidden(3, not any(a.linked_ids for a in first))
        self._rows_timer.start(0)

    def resizeEvent(self, e: Any) -> None:
        super().resizeEvent(e)
        self._fit_columns(self.model.notes)
        self._fit_buttons()

    def _fit_buttons(self) -> None:
        """In a narrow panel the note buttons drop their (identical) icons and keep their
        words, rather than ending in "…"."""
        keys = ("frame", "range", "region")
        fm = self.fontMetrics()
        icon_w = self.buttons["frame"].iconSize().width() + 4
        words = sum(fm.horizontalAdvance(self.buttons[k].text()) + 16 for k in keys)
        wide = words + len(keys) * icon_w + 24 <= self.width()
        for k in keys:
            self.buttons[k].setToolButtonStyle(Qt.ToolButtonTextBesideIcon if wide
                                               else Qt.ToolButtonTextOnly)

    def _fit_rows(self) -> None:
        """Rows in view (and a screenful beyond) as tall as their wrapped text; the rest when
        they scroll into view, since measuring all 10,000 on each reload would be slow."""
        t = self.table
        top, height = max(0, t.rowAt(0)), t.viewport().height()
        shown, row = 0, top
        while row < self.model.rowCount() and shown < 2 * height:
            t.resizeRowToContents(row)
            shown += t.rowHeight(row)
            row += 1

    def select(self, annotation_id: int, scroll: bool = True) -> None:
        row = self.model.row_of(annotation_id)
        if row >= 0:
            self.table.selectRow(row)
            if scroll:
                self.table.scrollTo(self.model.index(row, 0))

    def selected_ids(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.notes[r].id for r in sorted(rows) if r < len(self.model.notes)]

    # -- intents ------------------------------------------------------------------------------
    def _on_table_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.jump_requested.emit(self.model.notes[index.row()].id)

    def _delete(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.delete_requested.emit(ids)

    def _link(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            self.link_requested.emit(ids[0], ids[1])

    def _on_table_context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            menu = self.context_menu(index.row())
            menu.setAttribute(Qt.WA_DeleteOnClose)
            menu.popup(self.table.viewport().mapToGlobal(pos))

    def context_menu(self, row: int) -> QMenu:
        """The right-click menu of the note on ``row`` (built apart from showing it)."""
        a = self.model.notes[row]
        menu = QMenu(self)
        menu.addAction("Go to", lambda: self.jump_requested.emit(a.id))
        menu.addAction("Edit text", lambda: self.table.edit(self.model.index(row, 1)))
        menu.addAction("Edit tags", lambda: self.table.edit(self.model.index(row, 2)))
        for other in a.linked_ids:
            menu.addAction(f"Follow link to note {other}",
                           lambda o=other: self.jump_requested.emit(o))
        if len(self.selected_ids()) == 2:
            menu.addAction("Link the two selected", self._link)
        ids = self.selected_ids() if a.id in self.selected_ids() else [a.id]
        mark = menu.addAction("Include in the bundle")
        mark.setCheckable(True)
        mark.setChecked(a.for_bundle)
        mark.setToolTip("Notes are work product: only marked notes go into a bundle's notes report")
        mark.triggered.connect(lambda on: self.bundle_requested.emit(ids, bool(on)))
        for t in a.tags:
            menu.addAction(f"Colour of tag “{t}”…", lambda t=t: self.choose_tag_color(t))
        menu.addAction("Delete", self._delete)
        return menu

    def toggle_bundle_mark(self) -> None:
        """Mark the selected notes for the bundle, or unmark them when all already are."""
        ids = self.selected_ids()
        if ids:
            marked = {a.id for a in self.model.notes if a.for_bundle}
            self.bundle_requested.emit(ids, not all(i in marked for i in ids))

    def choose_tag_color(self, tag: str) -> None:
        """Pick a colour for ``tag`` (a non-blocking dialog); the choice becomes an undoable
        edit through ``tag_color_requested``."""
        dlg = QColorDialog(QColor(self.tag_colors.get(tag, "#888888")), self)
        dlg.setWindowTitle(f"Colour of tag “{tag}”")
        dlg.colorSelected.connect(lambda c: self.tag_color_requested.emit(tag, c.name()))
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        self.color_dialog = dlg
        dlg.open()

    def keyPressEvent(self, e: Any) -> None:
        if e.key() == Qt.Key_Delete and self.table.hasFocus():
            self._delete()
            e.accept()
            return
        super().keyPressEvent(e)
