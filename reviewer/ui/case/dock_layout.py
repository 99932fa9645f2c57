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
          "redactions": "Redactions", "find_redact": "Find and redact", "coverage": "Faces",
          "withheld": "Withheld", "transcript": "Transcript"}
TOP = ("notes", "exhibits", "search", "transcript")
BOTTOM = ("redactions", "find_redact", "coverage", "withheld")
COMPACT_BELOW_PX = 1400  # narrower screens start compact


def arrange(win: Any, compact: bool) -> None:
    docks = win.docks
    size = win.size()  # moving docks about must not grow the window past the screen
    for key, title in TITLES.items():
        if key in docks:
            docks[key].setWindowTitle(title)
    area = Qt.RightDockWidgetArea
    top = [docks[k] for k in (("items",) if compact else ()) + TOP if k in docks]
    bottom = [docks[k] for k in BOTTOM if k in docks]
    if compact:  # one group: 700 pixels have no height for two; its tab bar scrolls
        top, bottom = top + bottom, []
    if not compact and "items" in docks:
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
    if not getattr(win, "_fit_items_wired", False):
        win.items.width_wanted.connect(lambda px: fit_items(win, px))
        win._fit_items_wired = True
    no_elided_tabs(win)
    win.resize(size)
    if compact:
        win.resizeDocks(top[:1], [300], Qt.Horizontal)
    else:
        items = max(270, min(win.items.wanted_width, win.width() // 3))
        win.resizeDocks([docks["items"], top[0]], [items, 460], Qt.Horizontal)


def fit_items(win: Any, width: int) -> None:
    """Give the Case list the width its longest name needs (wide layout; up to a third of
    the window), so names and details show whole."""
    if not getattr(win, "compact_layout", False) and "items" in win.docks:
        win.resizeDocks([win.docks["items"]], [min(width, win.width() // 3)], Qt.Horizontal)


def no_elided_tabs(win: Any) -> None:
    """Tab bars of tabbed docks show whole titles (scroll buttons when short of room)."""
    for bar in [b for b in win.findChildren(QTabBar) if b.parent() is win]:
        bar.setElideMode(Qt.ElideNone)
        bar.setUsesScrollButtons(True)
        bar.setExpanding(False)


def build_menu(win: Any, menu: Any) -> None:
    menu.addSeparator()
    win.act("layout_wide", "Wide layout", lambda: arrange(win, False), None, None, menu)
    win.act("layout_compact", "Compact layout (small screens)", lambda: arrange(win, True), None,
            None, menu)
