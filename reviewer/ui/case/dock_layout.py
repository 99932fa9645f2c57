"""How the window's docks are laid out, wide (1400 pixels and more) or compact (a 1024x700
laptop screen), so that no tab, name or column is cut short.

The right-hand docks form two tab groups one above the other, at every size: what the
student reads and cites (Notes, Exhibits, Search, Transcript; the Case list first when it
has no column of its own) and what hides things (Redactions, Find and redact, Faces,
Withheld, People). Each row of tabs is a few short titles, drawn with a little less padding
than Qt's own, so the whole row fits the dock column the picture leaves (under 400 pixels):
every tab shows its whole title with no scroll arrows. One group of ten tabs (the former
compact layout) showed four of them and hid the rest behind arrows. The tall panels (People,
Find and redact, Withheld: forms of rows) share the lower group, which gets the height they
need when the window has it; in a shorter one they scroll (reviewer.ui.panel_scroll), so the
two groups still fit a 720 pixel high screen with a task bar. The Panels button on the
toolbar reaches every panel too, whatever the user has dragged where.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QTabBar

from reviewer.ui.panel_scroll import scroll_when_short

TITLES = {"items": "Case", "notes": "Notes", "exhibits": "Exhibits", "search": "Search",
          "transcript": "Transcript", "redactions": "Redactions", "find_redact": "Find and redact",
          "coverage": "Faces", "withheld": "Withheld", "people": "People"}
TOP = ("notes", "exhibits", "search", "transcript")
BOTTOM = ("redactions", "find_redact", "coverage", "withheld", "people")
COMPACT_BELOW_PX = 1400  # narrower screens start compact
# from this width the Case list has a column of its own: half the width for the picture
# leaves room then for the page (320 px), the tab rows (about 380) and long file names (400);
# at 1920 the column was 244 px and cut names and lengths short ("00:00:10… frames")
CASE_LEFT_FROM_PX = 2240
TALL_PANEL_PX = 200  # panels taller than this at their least scroll in a short window
# the main window's own tab bars (the dock groups'): 6 px each side instead of Fusion's 12
TAB_STYLE = "QMainWindow > QTabBar::tab { padding-left: 6px; padding-right: 6px; }"


def arrange(win: Any, compact: bool, case_left: bool = True) -> None:
    """Two tab groups on the right; the Case list in a column of its own on the left when
    ``case_left`` (a very wide screen, not ``compact``), else first in the upper group.
    ``compact`` (a small screen) lowers the panels' minimum widths. The docks then get their
    default widths round the picture (window_fit.give_picture_room)."""
    docks = win.docks
    size = win.size()  # moving docks about must not grow the window past the screen
    if win.styleSheet() != TAB_STYLE:
        win.setStyleSheet(TAB_STYLE)
    for key, title in TITLES.items():
        if key in docks:
            docks[key].setWindowTitle(title)
            scroll_when_short(docks[key].widget(), TALL_PANEL_PX)
    area = Qt.RightDockWidgetArea
    items_right = compact or not case_left
    top = [docks[k] for k in (("items",) if items_right else ()) + TOP if k in docks]
    bottom = [docks[k] for k in BOTTOM if k in docks]
    if not items_right and "items" in docks:
        win.addDockWidget(Qt.LeftDockWidgetArea, docks["items"])
    for d in top + bottom:
        d.setFloating(False)
        win.addDockWidget(area, d)
    if top and bottom:
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
    win.user_docks = False  # the default widths again, until the user drags a separator
    win.user_split = False
    if not getattr(win, "_fit_items_wired", False):
        win.items.width_wanted.connect(lambda px: fit_items(win, px))
        win._fit_items_wired = True
    no_elided_tabs(win)
    win.resize(size)
    from reviewer.ui.case import window_fit

    window_fit.give_picture_room(win)
    if win.isVisible():  # once the window has laid the new groups out
        QTimer.singleShot(0, win, lambda: hide_spare_bars(win))


def items_cap(win: Any) -> int:
    """The most the Case list takes in its own column: a third of the window."""
    return max(230, win.width() // 3)


def fit_items(win: Any, width: int) -> None:
    """Give the Case list the width its longest name needs (in its own column; up to a
    third of the window and what the picture, the page and the tabs leave), so names and
    details show whole; a width the user dragged stays."""
    if getattr(win, "case_left", False) and "items" in win.docks:
        from reviewer.ui.case import window_fit

        window_fit.give_picture_room(win)


def no_elided_tabs(win: Any) -> None:
    """Tab bars of tabbed docks show whole titles (scroll buttons when short of room)."""
    for bar in [b for b in win.findChildren(QTabBar) if b.parent() is win]:
        bar.setElideMode(Qt.ElideNone)
        bar.setUsesScrollButtons(True)
        bar.setExpanding(False)


def groups(win: Any, area: Qt.DockWidgetArea) -> list[list[Any]]:
    """The docked panels of ``area`` grouped as they are tabbed (closed ones left out)."""
    seen: set[int] = set()
    out = []
    for d in win.docks.values():
        if id(d) in seen or d.isFloating() or win.dockWidgetArea(d) != area:
            continue
        group = [x for x in [d, *win.tabifiedDockWidgets(d)] if x.toggleViewAction().isChecked()]
        seen.update(id(x) for x in group)
        if group:
            out.append(group)
    return out


def group_bar(win: Any, group: list[Any], laid_out: bool = False) -> QTabBar | None:
    """The tab bar showing ``group``. The window keeps spare bars of former groups about
    (``laid_out``: only the one placed against the group's panel, which the window has laid
    out; else any bar with the group's titles, which measures the same)."""
    titles = sorted(d.windowTitle() for d in group)
    bars = [b for b in win.findChildren(QTabBar) if b.parent() is win
            and sorted(b.tabText(i) for i in range(b.count())) == titles]
    shown = [d for d in group if d.isVisible()]
    for bar in bars:
        if shown and not bar.isHidden() and abs(bar.x() - shown[0].x()) <= 2 and (
                abs(bar.y() - shown[0].geometry().bottom()) <= 4
                or abs(bar.geometry().bottom() - shown[0].y()) <= 4):
            return bar
    return None if laid_out or not bars else bars[0]


def hide_spare_bars(win: Any) -> None:
    """Hide the tab bars no group uses. Arranging the docks before the window is first laid
    out leaves a bar behind for each step of the tabbing (Qt retires only the bars of a laid
    out state), and on a short screen one of them was drawn over the status line."""
    live = {group_bar(win, g, laid_out=True) for area in (Qt.LeftDockWidgetArea,
            Qt.RightDockWidgetArea, Qt.TopDockWidgetArea, Qt.BottomDockWidgetArea)
            for g in groups(win, area) if len(g) > 1}
    for bar in win.findChildren(QTabBar):
        if bar.parent() is win and bar not in live and not bar.isHidden():
            bar.hide()


def tabs_width(win: Any, area: Qt.DockWidgetArea = Qt.RightDockWidgetArea) -> int:
    """The width the widest row of tabs in ``area`` needs to show every title whole."""
    need = 0
    for group in groups(win, area):
        bar = group_bar(win, group) if len(group) > 1 else None
        if bar is not None:
            bar.ensurePolished()
            need = max(need, sum(bar.tabSizeHint(i).width() for i in range(bar.count())) + 6)
    return need


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
