"""The default layout on the four common screens with the demo case: a video selected in the
Case list and a PDF opened beside it, the picture keeps at least half the window's width; the
page and the docks share the rest; every panel's tab shows its whole title in a tab bar with
no scroll arrows. Widths the user drags, and a layout restored from the last run, are kept."""
from __future__ import annotations

import pytest
from conftest import shot
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolButton
from windows import placed_window

SIZES = [(1280, 720), (1366, 768), (1600, 1000), (1920, 1080)]


@pytest.fixture
def demo(demo_case):
    return demo_case


def choose(qtbot, win, kind: str, nth: int = 0) -> int:
    """Click the ``nth`` item of ``kind`` in the Case list, as the student does."""
    media_id = [m["id"] for m in win.ctl.media_list() if m["kind"] == kind][nth]
    item = win.items._items[media_id]
    win.items.list.scrollToItem(item)
    rect = win.items.list.visualItemRect(item)
    qtbot.mouseClick(win.items.list.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: (win.view.video_id if kind == "video" else win.view.doc_id)
                    == media_id, timeout=5000)
    qtbot.wait(100)
    return media_id


def video_and_page(qtbot, win) -> None:
    for dock in ("items",):
        win.docks[dock].raise_()
    choose(qtbot, win, "video")
    choose(qtbot, win, "pdf")


def whole_tab_rows(win) -> list[str]:
    """Every panel's title as shown in the right-hand tab bars, checked whole: each tab
    inside the bar's own rectangle, the bar itself the widget drawn there, and no scroll
    arrows."""
    from reviewer.ui.case import dock_layout

    shown = []
    for group in dock_layout.groups(win, Qt.RightDockWidgetArea):
        bar = dock_layout.group_bar(win, group, laid_out=True)
        assert bar is not None and bar.isVisible(), [d.windowTitle() for d in group]
        top = win.childAt(bar.mapTo(win, bar.rect().center()))
        assert top is bar or bar.isAncestorOf(top), (top, bar.geometry())
        for i in range(bar.count()):
            tab = bar.tabRect(i)
            assert bar.rect().contains(tab), (bar.tabText(i), tab, bar.rect())
            assert tab.width() >= bar.fontMetrics().horizontalAdvance(bar.tabText(i))
            shown.append(bar.tabText(i))
        arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
        assert not arrows, [bar.tabText(i) for i in range(bar.count())]
    return shown


@pytest.mark.parametrize("size", SIZES)
def test_the_picture_keeps_half_the_width_beside_a_document(qtbot, demo, tmp_path, size):
    available = QRect(0, 0, *size)
    win = placed_window(qtbot, demo, tmp_path / "prefs.json", available)
    try:
        video_and_page(qtbot, win)
        assert available.contains(win.frameGeometry()), (win.frameGeometry(), available)
        assert win.doc.view.path and win.doc.isVisible()
        picture = win.video.view
        assert picture.width() >= win.width() / 2, (picture.width(), win.width())
        # the page beside it keeps a usable width, within the window
        assert win.doc.width() >= max(200, win.doc.minimumSizeHint().width()), win.doc.width()
        assert win.doc.mapTo(win, QPoint(win.doc.width(), 0)).x() <= win.width()
        # the page number and Bates number in view are shown whole, however narrow the pane
        where = win.doc.where
        assert where.isVisible() and where.text().startswith("Page 1 / "), where.text()
        assert all(where.fontMetrics().horizontalAdvance(line) <= where.contentsRect().width()
                   for line in where.text().splitlines()), (where.width(), where.text())
        # every panel: a whole tab on the right, or the Case list's own column on the left
        shown = whole_tab_rows(win)
        if win.dockWidgetArea(win.docks["items"]) == Qt.LeftDockWidgetArea:
            assert win.docks["items"].isVisible() and win.docks["items"].width() >= 230
            shown.append("Case")
        assert sorted(shown) == sorted(d.windowTitle() for d in win.docks.values()), shown
        shot(win, f"picture-beside-page-{size[0]}x{size[1]}")
        # the tall forms show every row: the lower group has their height on a whole screen
        for key in ("people", "find_redact", "withheld"):
            win.docks[key].raise_()
            qtbot.waitUntil(win.docks[key].widget().isVisible, timeout=2000)
            assert win.docks[key].widget().panel_scroll.verticalScrollBar().maximum() == 0, key
    finally:
        win.close()


def drag(qtbot, widget, start: QPoint, dx: int) -> None:
    QTest.mousePress(widget, Qt.LeftButton, Qt.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(widget, start + QPoint(dx * step // 5, 0))
        qtbot.wait(10)
    QTest.mouseRelease(widget, Qt.LeftButton, Qt.NoModifier, start + QPoint(dx, 0))
    qtbot.wait(50)


def test_widths_the_user_drags_or_restores_are_kept(qtbot, demo, tmp_path):
    available = QRect(0, 0, 1600, 1000)
    prefs = tmp_path / "prefs.json"
    win = placed_window(qtbot, demo, prefs, available)
    try:
        video_and_page(qtbot, win)
        right = win.docks["redactions"]
        # the separator between the page and the docks, dragged 200 px to the left
        page_right = win.doc.mapTo(win, QPoint(win.doc.width(), 0)).x()
        x = (page_right + right.mapTo(win, QPoint()).x()) // 2
        before = right.width()
        drag(qtbot, win, QPoint(x, right.mapTo(win, QPoint()).y() + 100), -200)
        dragged = right.width()
        assert dragged >= before + 150, (before, dragged)
        # and the middle split: the picture narrowed by 100 px
        handle = win.split.handle(1)
        sizes = win.split.sizes()
        drag(qtbot, handle, QPoint(handle.width() // 2, handle.height() // 2), -100)
        moved = win.split.sizes()
        assert moved[0] <= sizes[0] - 80, (sizes, moved)
        # opening other items keeps both
        choose(qtbot, win, "video", 1)
        choose(qtbot, win, "pdf")
        assert abs(right.width() - dragged) <= 2 and win.split.sizes() == moved
    finally:
        win.close()  # saves the place and the docks
    # the next start restores the docks as they were left, and still gives the picture its
    # half of the middle
    win = placed_window(qtbot, demo, prefs, available, restore=True)
    try:
        video_and_page(qtbot, win)
        restored = win.docks["redactions"].width()
        assert abs(restored - dragged) <= 4, (dragged, restored)
        assert win.video.view.width() >= sum(win.split.sizes()) // 2
    finally:
        win.close()


def test_a_720_line_screen_with_a_task_bar_fits_and_its_tall_forms_scroll(qtbot, demo, tmp_path):
    """1280x720 less a task bar and a title bar: 650 lines for the window. It fits, tabs
    and picture as on the full screen; People (the tallest form) scrolls to its last row."""
    available = QRect(0, 0, 1280, 650)
    win = placed_window(qtbot, demo, tmp_path / "prefs.json", available)
    try:
        video_and_page(qtbot, win)
        assert available.contains(win.frameGeometry()), (win.frameGeometry(), available)
        assert win.video.view.width() >= win.width() / 2
        whole_tab_rows(win)
        next(a for a in win.panels_menu.actions() if a.objectName() == "panel-people").trigger()
        panel = win.people.panel
        qtbot.waitUntil(panel.isVisible, timeout=2000)
        scroll = panel.panel_scroll
        assert scroll.verticalScrollBar().maximum() > 0  # the form is taller than its dock
        scroll.ensureWidgetVisible(panel.reject_button)
        qtbot.wait(50)
        button = panel.reject_button
        seen = QRect(button.mapTo(scroll.viewport(), QPoint()), button.size())
        assert scroll.viewport().rect().contains(seen), (seen, scroll.viewport().rect())
        shot(win, "window-1280x650-people-scrolled")
    finally:
        win.close()
