"""Notes land where the reviewer points: the page clicked (not the page at the top of the
view), the video frame after a click on the picture, whatever item the Case list has
selected; the status line says where the note went."""
from __future__ import annotations

from conftest import ids
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def test_n_notes_what_was_last_clicked(qtbot, window, monkeypatch):
    win = window
    media = ids(win)
    asked = []
    monkeypatch.setattr(win.note_tools, "ask_note_text",
                        lambda where: asked.append(where) or (f"note {len(asked)}", []))
    win.view.open_item(media["pdf"])
    win.view.open_item(media["video"])  # the Case list has the video selected
    assert win.items.current_id() == media["video"]
    view = win.doc.view
    view.go_to(2) if hasattr(view, "go_to") else win.doc.go_to(2)
    qtbot.waitUntil(lambda: view.current_page == 1)  # page 2 at the top of the view
    # click on page 3, lower down in the same view
    pages = list(view.visible_pages())
    assert 2 in pages, pages
    r = view.page_rect(2)
    y = int(max(r.top() + 20, 0))
    assert y < view.viewport().height()
    QTest.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, QPoint(int(r.center().x()), y))
    win.add_note("frame")
    note = max(win.notes.model.notes, key=lambda a: a.id)
    assert (note.media_id, note.page_no, note.frame) == (media["pdf"], 3, None)
    assert "page 3" in asked[-1] and "production.pdf" in asked[-1]
    assert win.statusBar().currentMessage() == "Note added on production.pdf, page 3"
    # a click on the picture: the next note is on the video frame on screen
    win.video.seek(9)
    QTest.mouseClick(win.video.view, Qt.LeftButton, Qt.NoModifier, win.video.view.rect().center())
    assert win.note_tools.pointed == "video", (win.note_tools.pointed, win.note_tools.pointed_page)
    win.add_note("frame")
    note = max(win.notes.model.notes, key=lambda a: a.id)
    assert (note.media_id, note.frame) == (media["video"], 9)
    assert win.statusBar().currentMessage() == "Note added on bodycam.mp4, frame 9"
