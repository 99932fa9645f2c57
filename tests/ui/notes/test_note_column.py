"""The notes table shows a note whole: at 1280x800 and 1600x1000 the Note column has the room
and wraps, so a note that fits the panel is never drawn ending in "…". Checked as Qt draws an
item: the text rectangle the style gives the cell against the wrapped text's extent."""
from __future__ import annotations

import pytest
from conftest import ids, shot
from drawn_text import drawn_whole
from PySide6.QtWidgets import QStyle

NOTES = ["Officer reaches for the door",
         "Second officer says the stop was for a broken tail light; driver disputes it",
         "Stamp on page 2",
         "Counsel wrote from maria.garcia-lopez_immigration@example-lawclinic.org on the 3rd"]


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)])
def test_a_note_that_fits_is_shown_whole(qtbot, case, tmp_path, size):
    from PySide6.QtCore import QRect as R

    from reviewer.ui import workers
    from reviewer.ui.case import window_fit
    from reviewer.ui.main_window import MainWindow

    win = MainWindow(prefs_path=tmp_path / "prefs.json")
    qtbot.addWidget(win)
    window_fit.place(win, R(0, 0, *size))
    win.show()
    qtbot.waitExposed(win)
    assert win.open_case(case)
    qtbot.waitUntil(lambda: not workers._live, timeout=60000)
    media = ids(win)
    win.view.open_item(media["video"])
    win.ctl.add_note(media["video"], NOTES[0], frame=12, frame_to=20, tags=["use-of-force", "door"])
    win.ctl.add_note(media["video"], NOTES[1], frame=30, tags=["statement"])
    win.ctl.add_note(media["pdf"], NOTES[2], page_no=2)
    win.ctl.add_note(media["pdf"], NOTES[3], page_no=3)  # a long address breaks, not cut off
    win.docks["notes"].show()
    win.docks["notes"].raise_()
    panel = win.notes
    table = panel.table
    qtbot.waitUntil(lambda: table.isVisible() and len(panel.model.notes) == 4)
    qtbot.wait(100)
    room = table.viewport().width()
    fm = table.fontMetrics()
    # each note is narrower than the panel, so it fits: the Note column has the room left
    assert all(fm.horizontalAdvance(n) < 2.5 * room for n in NOTES)
    widths = [table.columnWidth(c) for c in range(4) if not table.isColumnHidden(c)]
    # (in a panel under 300 px the place's timecode and the widest tag keep their width, and
    # the note wraps in what is left: never less than a quarter)
    assert table.columnWidth(1) >= room / 4, (widths, room)

    def cut() -> list[str]:
        return [why for r in range(len(panel.model.notes)) for c in (0, 1)
                for ok, why in [drawn_whole(table, r, c)] if not ok]
    for _ in range(30):  # the rows in view take their height once the columns settle
        if not cut():
            break
        qtbot.wait(100)
    assert not cut(), cut()
    # every tag chip inside its cell: chips that do not fit on a line wrap onto the next
    for r in range(len(panel.model.notes)):
        index = panel.model.index(r, 2)
        cell = table.visualRect(index)
        tags = [t for t in str(index.data()).split(", ") if t]
        for chip in panel.chips.chip_rects(tags, fm, cell.toRectF() if hasattr(cell, "toRectF")
                                           else cell):
            assert cell.contains(chip.toAlignedRect()), (tags, chip, cell)
    # the buttons below whole: their words, not "…"
    for key in ("frame", "range", "region"):
        b = panel.buttons[key]
        assert b.width() >= b.sizeHint().width(), (b.text(), b.width(), b.sizeHint().width())
    # the short note on one line: a wrapped column does not make every row tall
    short = panel.model.row_of(next(a.id for a in panel.model.notes if a.text == NOTES[2]))
    assert table.rowHeight(short) < 2 * fm.height() + 4
    # the tag filter shows its chosen tag whole
    combo = panel.tag
    combo.setCurrentIndex(combo.findData("use-of-force"))
    from PySide6.QtWidgets import QStyleOptionComboBox

    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt) if hasattr(combo, "initStyleOption") else opt.initFrom(combo)
    field = combo.style().subControlRect(QStyle.CC_ComboBox, opt, QStyle.SC_ComboBoxEditField, combo)
    icon = combo.iconSize().width() + 4 if not combo.itemIcon(combo.currentIndex()).isNull() else 0
    assert field.width() - icon >= combo.fontMetrics().horizontalAdvance(combo.currentText()), \
        (field.width(), combo.currentText())
    combo.setCurrentIndex(0)
    qtbot.wait(50)
    shot(win, f"notes-column-{size[0]}x{size[1]}")
    win.close()
