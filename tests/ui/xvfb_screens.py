"""Starts the real window on an X screen of one size (Xvfb), as the program starts it: placed
for that screen with no saved layout. Opens the demo case, clicks a video and then the PDF in
the Case list, and prints one JSON line of what the window shows (picture, page, tab rows);
the screen is saved as xvfb-screen-WxH.png.

Started by test_screens_xvfb.py as ``xvfb-run ... python xvfb_screens.py CASE SHOTS``.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabBar, QToolButton

sys.path.append(str(Path(__file__).resolve().parent))
from xvfb_driver import wait_for  # noqa: E402


def click_item(app: QApplication, win, media_id: int) -> None:
    lst = win.items.list
    item = win.items._items[media_id]
    lst.scrollToItem(item)
    app.processEvents()
    at = lst.visualItemRect(item).center()
    QTest.mouseClick(lst.viewport(), Qt.LeftButton, Qt.NoModifier, at)


def tab_rows(win) -> list[dict]:
    """Each tab bar the window draws: its tabs, whether each lies inside the bar, and
    whether scroll arrows show."""
    rows = []
    for bar in win.findChildren(QTabBar):
        if bar.parent() is not win or not bar.isVisible() or bar.count() < 2:
            continue
        at = win.childAt(bar.mapTo(win, bar.rect().center()))
        rows.append({
            "tabs": [bar.tabText(i) for i in range(bar.count())],
            "drawn": at is bar or bar.isAncestorOf(at),
            "whole": [bar.rect().contains(bar.tabRect(i)) for i in range(bar.count())],
            "arrows": any(b.isVisible() for b in bar.findChildren(QToolButton)),
            "rect": list(bar.geometry().getRect()),
        })
    return rows


def main(case: str, shots: str) -> int:
    from reviewer.ui import workers
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    win = MainWindow(prefs_path=Path(tempfile.mkdtemp()) / "prefs.json")  # placed for the screen
    win.show()
    wait_for(app, lambda: win.isVisible() and win.isActiveWindow(), 5)
    assert win.open_case(case)
    wait_for(app, lambda: not workers._live, 120)
    media = win.ctl.media_list()
    video = next(m["id"] for m in media if m["kind"] == "video")
    pdf = next(m["id"] for m in media if m["kind"] == "pdf")
    win.docks["items"].raise_()
    click_item(app, win, video)
    assert wait_for(app, lambda: win.view.video_id == video)
    click_item(app, win, pdf)
    assert wait_for(app, lambda: win.view.doc_id == pdf)
    wait_for(app, lambda: win.doc.view.renderer.get(win.doc.view.path, 1, win.doc.view._scale())
             is not None, 10)
    wait_for(app, lambda: False, 0.5)  # the layout settles
    screen = win.screen().geometry()
    name = f"{screen.width()}x{screen.height()}"
    win.screen().grabWindow(0).save(str(Path(shots) / f"xvfb-screen-{name}.png"))
    items = win.docks["items"]
    state = {
        "platform": app.platformName(),
        "screen": [screen.width(), screen.height()],
        "available": list(win.screen().availableGeometry().getRect()),
        "frame": list(win.frameGeometry().getRect()),
        "window_width": win.width(),
        "picture": win.video.view.width(),
        "page": win.doc.width(),
        "page_right": win.doc.mapTo(win, QPoint(win.doc.width(), 0)).x(),
        "readout": win.doc.where.text(),
        "readout_whole": win.doc.where.isVisible() and all(
            win.doc.where.fontMetrics().horizontalAdvance(line) <= win.doc.where.contentsRect().width()
            for line in win.doc.where.text().splitlines()),
        "rows": tab_rows(win),
        "case_column": win.dockWidgetArea(items) == Qt.LeftDockWidgetArea and items.isVisible(),
        "panels": sorted(d.windowTitle() for d in win.docks.values()),
    }
    print("STATE " + json.dumps(state), flush=True)
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
