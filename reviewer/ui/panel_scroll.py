"""A tall panel (a form of rows: People, Find and redact, Withheld) that scrolls up and down
when its dock is shorter than the form, instead of holding the whole window taller than a
1280x720 screen.

Not QScrollArea's own widgetResizable: with word-wrapped labels in the form, that sizes the
form to its preferred height (the lists' full size hints), and the form scrolled in a dock
that had room for all its rows. Here the form gets the dock's height, or its minimum and a
scroll bar when the dock is shorter.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QVBoxLayout, QWidget


class PanelScroll(QScrollArea):
    def __init__(self, form: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel-scroll")
        self.setFrameShape(QFrame.NoFrame)
        self.setFocusPolicy(Qt.NoFocus)  # Tab goes through the form's controls, not the area
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setWidgetResizable(False)
        self.setWidget(form)
        form.installEventFilter(self)
        # as wide as the form at least, and its scroll bar: it scrolls up and down only
        self.bar_px = self.style().pixelMetric(QStyle.PM_ScrollBarExtent, None, self)
        self.setMinimumWidth(form.minimumSizeHint().width() + self.bar_px)

    def needed(self) -> int:
        """The form's least height, with two lines to spare: a word-wrapped label's minimum
        is worked out for a wider line than a dock gives it."""
        form = self.widget()
        return form.minimumSizeHint().height() + 2 * form.fontMetrics().height()

    def fit(self) -> None:
        form = self.widget()
        if form is None:
            return
        room = self.contentsRect()
        need = self.needed()
        width = room.width() - (self.bar_px if need > room.height() else 0)
        form.resize(max(1, width), max(need, room.height()))

    def resizeEvent(self, e: Any) -> None:
        super().resizeEvent(e)
        self.fit()

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.widget() and e.type() == QEvent.LayoutRequest:
            self.fit()  # the form's rows changed (a list filled, a label rewrapped)
        return False


def scroll_when_short(panel: QWidget, taller_than_px: int) -> None:
    """Put ``panel``'s form in a PanelScroll when its least height is over ``taller_than_px``
    (once). The panel stays the dock's widget: what refers to it still finds its controls."""
    lay = panel.layout()
    if (getattr(panel, "_scrolls", False) or lay is None
            or panel.minimumSizeHint().height() <= taller_than_px):
        return
    form = QWidget()
    form.setLayout(lay)  # Qt moves the layout and the widgets it holds to the form
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    panel.panel_scroll = PanelScroll(form)
    outer.addWidget(panel.panel_scroll)
    panel._scrolls = True
