"""Marking a note for the bundle from the window: the note's context menu and the Notes menu,
shown on the note, one undo step, and only marked notes reach the bundle."""
from __future__ import annotations

from conftest import go_on_anyway, ids, shot
from PySide6.QtCore import Qt


def _note(win, media_id: int, text: str, page: int) -> int:
    return win.ctl.add_note(media_id, text, page_no=page)


def test_context_menu_and_notes_menu_mark_a_note(qtbot, window):
    win = window
    pdf = ids(win)["pdf"]
    a = _note(win, pdf, "Agent's account contradicts the video", 2)
    b = _note(win, pdf, "Strategy: do not disclose", 3)
    panel = win.notes
    row = panel.model.row_of(a)
    panel.select(a)
    menu = panel.context_menu(row)
    mark = next(x for x in menu.actions() if x.text() == "Include in the bundle")
    assert mark.isCheckable() and not mark.isChecked()
    mark.trigger()
    assert win.ctl.note(a).for_bundle and not win.ctl.note(b).for_bundle
    # shown on the note: an icon and a tooltip in its Note column, and the count says so
    idx = panel.model.index(panel.model.row_of(a), 1)
    assert not panel.model.data(idx, Qt.DecorationRole).isNull()
    assert "Marked for the bundle" in panel.model.data(idx, Qt.ToolTipRole)
    assert panel.model.data(panel.model.index(panel.model.row_of(b), 1), Qt.DecorationRole) is None
    assert "1 marked for the bundle" in panel.count.text()
    assert "bundle" in win.statusBar().currentMessage()
    # its menu now shows it checked; unchecking keeps it out again
    menu = panel.context_menu(panel.model.row_of(a))
    assert next(x for x in menu.actions() if x.text() == "Include in the bundle").isChecked()
    win.actions["undo"].trigger()
    assert not win.ctl.note(a).for_bundle
    # the Notes menu marks the selection (both notes: one undo step) and a second time unmarks
    notes_menu = next(m for m in win.menuBar().actions() if m.text() == "&Notes").menu()
    assert win.actions["note_bundle"] in notes_menu.actions()
    panel.table.selectAll()
    win.actions["note_bundle"].trigger()
    assert win.ctl.note(a).for_bundle and win.ctl.note(b).for_bundle
    shot(win.notes, "notes-marked-for-bundle")
    win.actions["undo"].trigger()
    assert not win.ctl.note(a).for_bundle and not win.ctl.note(b).for_bundle
    win.actions["redo"].trigger()
    panel.table.selectAll()
    win.actions["note_bundle"].trigger()
    assert not win.ctl.note(a).for_bundle and not win.ctl.note(b).for_bundle


def test_only_marked_notes_reach_the_bundle(qtbot, window, tmp_path):
    from reviewer.citation import exhibits as ex
    from reviewer.store.exhibits import next_seq

    win = window
    pdf = ids(win)["pdf"]
    shared = _note(win, pdf, "Page 2 shows the stamp", 2)
    _note(win, pdf, "Privileged strategy note", 3)
    win.notes.bundle_requested.emit([shared], True)
    win.ctl.apply(ex.declare_pages(win.ctl.media(pdf), 2, 3, next_seq(win.ctl.store)))
    win.exhibits.bundle(preview=True, out=str(tmp_path / "b"))
    dlg = win.exhibits.preview_dialog
    text = " ".join(l.text() for l in dlg.findChildren(type(win.case_label)))
    assert "1 note marked for the bundle" in text
    dlg.accept()
    go_on_anyway(qtbot, win, lambda: getattr(win, "last_bundle", None) is not None)
    qtbot.waitUntil(lambda: getattr(win, "last_bundle", None) is not None, timeout=60000)
    html = (tmp_path / "b" / "annotations.html").read_text("utf-8")
    assert "Page 2 shows the stamp" in html and "Privileged strategy" not in html
