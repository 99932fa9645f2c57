"""How the window's docks are laid out, wide (1400 pixels and more) or compact (a 1024x700
laptop screen), so that no tab, name or column is cut short.

The right-hand docks form two tab groups of three or four short titles each (seven tabs in
one group read "N… Sear… R…" at any width), and tab titles are never elided: a tab bar
that has too little room scrolls. Compact moves the Case list into the right-hand groups,
which leaves the picture and the page enough room side by side.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

TITLES = {"items": "Case", "notes": "Notes", "exhibits": "Exhibits", "search": "Search",
          "transcript": "Transcript", "redactions": "Redactions", "find_redact": "Find and redact",
          "coverage": "Faces", "withheld": "Withheld", "people": "People"}
TOP = ("notes", "exhibits", "search", "transcript")
BOTTOM = ("redactions", "find_redact", "coverage", "withheld", "people")
COMPACT_BELOW_PX = 1400  # narrower screens start compact
CASE_LEFT_FROM_PX = 1800  # from this width the Case list has a column of its own


def arrange(win: Any, compact: bool, case_left: bool = True) -> None:
    """``compact``: one tab group on the right, Case list included. Else two groups on the
    right, and the Case list in a column of its own on the left when ``case_left`` (a wide
    screen) or first in the upper group (about 1600 pixels: the picture keeps half the width)."""
    docks = win.docks
    size = win.size()  # moving docks about must not grow the window past the screen
    for key, title in TITLES.items():
        if key in docks:
            docks[key].setWindowTitle(title)
    area = Qt.RightDockWidgetArea
    items_right = compact or not case_left
    top = [docks[k] for k in (("items",) if items_right else ()) + TOP if k in docks]
    bottom = [docks[k] for k in BOTTOM if k in docks]
    if compact:  # one group: 700 pixels have no height for two; its tab bar scrolls
        top, bottom = top + bottom, []
    if not items_right and "items" in docks:
        win.addDockWidget(Qt.LeftDockWidgetArea, docks["items"])
    for d in top + bottom:
        d.setFloating(False)
        win.addDockWidget(area, d)
    if bottom:
        win.splitDockWidget(top[0], bottom[0], Qt.Vertical)
    for group in (top, bottom):
        for d in group[1:]:
            win.tabifyDockWidget(group[0], d)
        if group:
            group[0].raise_()
    win.items.setMinimumWidth(170 if compact else 230)
    win.notes.setMinimumWidth(250 if compact else 320)
    win.compact_layout = compact
    win.case_left = not items_right
    if not getattr(win, "_fit_items_wired", False):
        win.items.width_wanted.connect(lambda px: fit_items(win, px))
        win._fit_items_wired = True
    no_elided_tabs(win)
    win.resize(size)
    if compact:
        win.resizeDocks(top[:1], [300], Qt.Horizontal)
    elif items_right:
        win.resizeDocks(top[:1], [max(460, min(win.items.wanted_width, win.width() // 4))],
                        Qt.Horizontal)
    else:
        items = max(270, min(win.items.wanted_width, items_cap(win)))
        win.resizeDocks([docks["items"], top[0]], [items, 460], Qt.Horizontal)


def items_cap(win: Any) -> int:
    """The most the Case list takes in its own column: a third of the window."""
    return max(230, win.width() // 3)


def fit_items(win: Any, width: int) -> None:
    """Give the Case list the width its longest name needs (in its own column; up to a
    third of the window), so names and details show whole."""
    if getattr(win, "case_left", False) and "items" in win.docks:
        win.resizeDocks([win.docks["items"]], [min(width, items_cap(win))], Qt.Horizontal)


def no_elided_tabs(win: Any) -> None:
    """Tab bars of tabbed docks show whole titles (scroll buttons when short of room)."""
    for bar in [b for b in win.findChildren(QTabBar) if b.parent() is win]:
        bar.setElideMode(Qt.ElideNone)
        bar.setUsesScrollButtons(True)
        bar.setExpanding(False)


def build_menu(win: Any, menu: Any) -> None:
    from reviewer.ui import keys

    menu.addSeparator()
    win.act("next_area", "Next area (picture, page, lists)", lambda: keys.next_area(win, 1), "F6",
            None, menu)
    win.act("prev_area", "Previous area", lambda: keys.next_area(win, -1), "Shift+F6", None, menu)
    menu.addSeparator()
    win.act("layout_wide", "Wide layout", lambda: arrange(win, False), None, None, menu)
    win.act("layout_medium", "Wide layout, Case list in the tabs",
            lambda: arrange(win, False, case_left=False), None, None, menu)
    win.act("layout_compact", "Compact layout (small screens)", lambda: arrange(win, True), None,
            None, menu)


def show_panel(win: Any, key: str) -> None:
    d = win.docks[key]
    d.show()
    d.raise_()
    d.widget().setFocus()


def add_panels_button(win: Any, toolbar: Any) -> None:
    """A "Panels" button on the toolbar listing every panel: in the compact layout not every
    tab fits its tab bar, and this is the visible way to each of them."""
    from PySide6.QtWidgets import QMenu, QToolButton

    menu = QMenu("Panels", win)
    for key, title in TITLES.items():
        if key in win.docks:
            a = menu.addAction(title, lambda k=key: show_panel(win, k))
            a.setObjectName(f"panel-{key}")
    button = QToolButton(toolbar)
    button.setText("Panels")
    button.setToolTip("Show any panel (Case, Notes, Exhibits, Search, Redactions, …)")
    button.setPopupMode(QToolButton.InstantPopup)
    button.setToolButtonStyle(Qt.ToolButtonTextOnly)
    button.setMenu(menu)
    button.setObjectName("panels-button")
    toolbar.addSeparator()
    toolbar.addWidget(button)
    win.panels_menu = menu
