"""A redaction box on a PDF page drawn, moved and resized with keys only, with the picture's
keys: R arms the page tool, Enter puts a box over the middle quarter of the page in view,
Alt+arrows move it, Alt+Shift+arrows resize it (Ctrl: one point). The box is one undoable
edit and the run of moves another; the export covers where the box ended up."""
from __future__ import annotations

import json

from conftest import ids
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def page_boxes(win, media_id: int) -> list[tuple[int, tuple]]:
    return [(r["page_no"], tuple(r["rect"])) for r in win.ctl.page_redactions(media_id)]


def test_page_box_by_keys_only(qtbot, window):
    win = window
    pdf = ids(win)["pdf"]
    win.view.open_item(pdf)
    qtbot.waitUntil(lambda: win.doc.media is not None and win.doc.media["id"] == pdf)
    view = win.doc.view
    win.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    # on past the first page by keys: the box goes on the page in view
    QTest.keyClick(view, Qt.Key_PageDown)
    n = view.current_page + 1
    assert n > 1
    w, h = view.sizes_pt[n - 1]
    QTest.keyClick(view, Qt.Key_R)  # Draw box on page
    assert win.redact.tool_actions["page"].isChecked() and view.tool == "redact"
    QTest.keyClick(view, Qt.Key_Return)
    boxes = page_boxes(win, pdf)
    assert boxes == [(n, (round(w / 4, 2), round(h / 4, 2), round(3 * w / 4, 2), round(3 * h / 4, 2)))]
    rid = win.ctl.page_redactions(pdf)[0]["id"]
    assert view.selected_box == rid  # the new box is the one the keys move
    step = min(w, h) / 10
    QTest.keyClick(view, Qt.Key_Right, Qt.AltModifier)
    QTest.keyClick(view, Qt.Key_Up, Qt.AltModifier)
    QTest.keyClick(view, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)   # wider
    QTest.keyClick(view, Qt.Key_Down, Qt.AltModifier | Qt.ShiftModifier | Qt.ControlModifier)
    x0, y0, x1, y1 = w / 4 + step, h / 4 - step, 3 * w / 4 + 2 * step, 3 * h / 4 - step + 1
    (page, got), = page_boxes(win, pdf)
    assert page == n
    assert all(abs(a - b) < 0.02 for a, b in zip(got, (x0, y0, x1, y1))), (got, (x0, y0, x1, y1))
    # never off the page: moving far right stops at its edge
    for _ in range(15):
        QTest.keyClick(view, Qt.Key_Right, Qt.AltModifier)
    (_, got), = page_boxes(win, pdf)
    assert abs(got[2] - w) < 0.02 and abs((got[2] - got[0]) - (x1 - x0)) < 0.02
    # the moves are one undo step, the box another
    focus = QApplication.focusWidget()
    QTest.keyClick(focus, Qt.Key_Z, Qt.ControlModifier)
    assert page_boxes(win, pdf) == boxes
    QTest.keyClick(focus, Qt.Key_Z, Qt.ControlModifier)
    assert page_boxes(win, pdf) == []
    QTest.keyClick(focus, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    QTest.keyClick(focus, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    (_, got), = page_boxes(win, pdf)
    assert abs(got[2] - w) < 0.02
    # stored as the CLI reads it: points, top-left, on that page
    row = win.ctl.store.query_one("SELECT page_no, rect FROM redactions WHERE kind = 'page'")
    assert row["page_no"] == n and abs(json.loads(row["rect"])[2] - w) < 0.02
    # Esc lets go of the box: Alt+arrows then move nothing
    QTest.keyClick(view, Qt.Key_Escape)
    QTest.keyClick(view, Qt.Key_Left, Qt.AltModifier)
    assert page_boxes(win, pdf)[0][1] == got
