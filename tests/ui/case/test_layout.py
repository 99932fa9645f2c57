"""No truncated tabs, names and columns at 1600 wide, and a usable layout at 1024x700
. Text is measured with the widgets' own font metrics."""
from __future__ import annotations

from conftest import ids, shot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar


def _tab_bars(win) -> list[QTabBar]:
    return [b for b in win.findChildren(QTabBar) if b.isVisible() and b.count() > 1 and b.parent() is win]


def _fill(qtbot, win) -> None:
    from reviewer.citation import exhibits as ex
    from reviewer.store.exhibits import next_seq

    media = ids(win)
    win.ctl.add_note(media["video"], "Officer reaches for the door", frame=12, frame_to=20)
    win.ctl.add_note(media["pdf"], "Stamp on page 2", page_no=2)
    win.ctl.apply(ex.declare_pages(win.ctl.media(media["pdf"]), 2, 3, next_seq(win.ctl.store)))
    win.view.open_item(media["video"])
    win.video.seek(5)
    win.video.set_in()
    win.video.seek(25)
    win.video.set_out()
    win.exhibits.declare("clip")
    qtbot.wait(100)


def _wrapped_whole(tree, col: int) -> None:
    """A column that wraps (cites, where a redaction is): every word within the column and
    every row as tall as its wrapped text, so nothing ends in an ellipsis."""
    fm = tree.fontMetrics()
    for i in range(tree.topLevelItemCount()):
        it = tree.topLevelItem(i)
        text = it.text(col)
        width = tree.columnWidth(col) - 10
        # Qt breaks lines at spaces and after dashes (Unicode line breaking), as drawn
        need = fm.boundingRect(0, 0, width, 100000, int(Qt.TextWordWrap), text)
        assert need.width() <= width, (text, need.width(), width)
        assert tree.visualItemRect(it).height() >= need.height(), (text, need.height())


def _whole_columns(tree, skip: tuple[int, ...] = ()) -> None:
    fm = tree.fontMetrics()
    for i in range(tree.topLevelItemCount()):
        it = tree.topLevelItem(i)
        for c in range(tree.columnCount()):
            if c in skip:
                continue
            assert tree.columnWidth(c) >= fm.horizontalAdvance(it.text(c)), (it.text(c), c)


def test_nothing_cut_short_at_1600(qtbot, window):
    from reviewer.ui.case import dock_layout

    win = window
    # the layout a 1600 pixel screen gets (window_fit.place): the Case list first in the
    # upper tabs; its own column too would leave the tabs or the page short of room
    dock_layout.arrange(win, False, case_left=False)
    win.resize(1600, 960)
    _fill(qtbot, win)
    qtbot.wait(100)
    bars = _tab_bars(win)
    assert len(bars) == 2, [[b.tabText(i) for i in range(b.count())] for b in bars]
    for bar in bars:
        fm = bar.fontMetrics()
        assert bar.elideMode() == Qt.ElideNone
        for i in range(bar.count()):
            assert bar.tabRect(i).width() >= fm.horizontalAdvance(bar.tabText(i)), bar.tabText(i)
            assert bar.tabRect(i).right() <= bar.width(), bar.tabText(i)  # no scrolling needed
    # the Case list shows every line of every item whole, once the docks have settled round
    # the picture (opening the video gives it half the window, asynchronously offscreen)
    lst = win.items.list
    fm = lst.fontMetrics()

    def cut_lines() -> list[tuple[str, int]]:
        room = lst.viewport().width() - lst.iconSize().width() - 16
        return [(line, room) for i in range(lst.count()) for line in lst.item(i).text().splitlines()
                if fm.horizontalAdvance(line) > room]
    qtbot.waitUntil(lambda: not cut_lines(), timeout=3000)
    # the notes' Where and Note (wrapped, drawn whole), the exhibits' and the redactions' columns
    from drawn_text import drawn_whole

    notes = win.notes
    for r in range(len(notes.model.notes)):
        for c in (0, 1):
            ok, why = drawn_whole(notes.table, r, c)
            assert ok, why
    win.docks["exhibits"].raise_()
    qtbot.wait(50)
    # the cite wraps rather than being cut short (each line within its column); the rest whole
    _wrapped_whole(win.exhibits.panel.tree, 1)
    _whole_columns(win.exhibits.panel.tree, skip=(1,))
    win.docks["redactions"].raise_()
    win.ctl.add_box(ids(win)["video"], 5, 5, 30, __import__("reviewer.annotate.geometry",
                    fromlist=["Box"]).Box(10, 10, 60, 40), "rect", "b6")
    qtbot.wait(50)
    _wrapped_whole(win.redact.panel.tree, 1)
    _whole_columns(win.redact.panel.tree, skip=(1,))
    shot(win, "window-1600-layout")


def test_usable_at_1024x700(qtbot, window):
    from reviewer.ui.case import dock_layout

    win = window
    dock_layout.arrange(win, True)
    win.resize(1024, 700)
    _fill(qtbot, win)
    qtbot.wait(100)
    win.resize(1024, 700)
    qtbot.wait(100)
    assert win.minimumSizeHint().width() <= 1024 and win.minimumSizeHint().height() <= 700, win.minimumSizeHint()
    assert win.width() <= 1024, (win.width(), win.minimumSize(), win.minimumSizeHint())
    assert win.width() <= 1024 and win.height() <= 700
    # the picture and the page side by side: the picture has the room, the page fits its width
    assert win.video.width() >= 480 and win.doc.width() >= 200
    assert win.docks["items"].isVisible() or win.docks["items"].widget().isVisibleTo(win)
    # the readout whole
    fm = win.video.readout.fontMetrics()
    assert win.video.readout.width() >= fm.horizontalAdvance(win.video.readout.text())
    for bar in _tab_bars(win):
        assert bar.elideMode() == Qt.ElideNone  # whole titles, scrolled if need be
    shot(win, "window-1024x700-compact")
    # and back to the wide layout from the View menu
    win.actions["layout_wide"].trigger()
    assert win.dockWidgetArea(win.docks["items"]) == Qt.LeftDockWidgetArea
