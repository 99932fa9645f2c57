"""Whether a table cell's text is drawn whole, measured as Qt draws an item view's text."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem


def drawn_whole(table, row: int, col: int) -> tuple[bool, str]:
    """Whether the cell's text fits the rectangle its delegate draws it in (wrapped when the
    table wraps), as QCommonStyle lays it out before eliding what does not fit."""
    index = table.model().index(row, col)
    opt = QStyleOptionViewItem()
    opt.initFrom(table)
    table.itemDelegateForIndex(index).initStyleOption(opt, index)
    opt.rect = table.visualRect(index)
    if table.wordWrap():
        opt.features |= QStyleOptionViewItem.WrapText
    style = table.style()
    rect = style.subElementRect(QStyle.SE_ItemViewItemText, opt, table)
    margin = style.pixelMetric(QStyle.PM_FocusFrameHMargin, None, table) + 1
    width = rect.width() - 2 * margin
    flags = int(Qt.TextWordWrap) if table.wordWrap() else 0  # Qt breaks at spaces only
    need = opt.fontMetrics.boundingRect(QRect(0, 0, width, 100000), flags, opt.text)
    ok = need.width() <= width and need.height() <= rect.height()
    return ok, f"{opt.text!r}: needs {need.width()}x{need.height()}, has {width}x{rect.height()}"
