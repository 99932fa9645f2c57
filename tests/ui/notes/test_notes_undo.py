"""Notes and redactions from the window, each through an edit command, with undo and redo."""
from __future__ import annotations

from conftest import ids, shot
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from reviewer.annotate.geometry import Box


def note_rows(win) -> list[tuple[str, tuple]]:
    return [(a.text, a.tags) for a in win.notes.model.notes]


def test_note_on_frame_range_and_page_with_undo_redo(qtbot, window, monkeypatch):
    win = window
    answers = iter([("Officer enters", ["entry"]), ("Door forced", ["force", "entry"]),
                    ("Warrant says 6 am", ["warrant"])])
    monkeypatch.setattr(win.note_tools, "ask_note_text", lambda where: next(answers))
    media = ids(win)
    win.view.open_item(media["video"])
    win.video.seek(12)
    win.add_note("frame")
    win.video.seek(20)
    win.video.set_in()
    win.video.seek(29)
    win.video.set_out()
    win.add_note("range")
    win.view.open_item(media["pdf"])
    win.doc.go_to(3)
    qtbot.waitUntil(lambda: win.doc.view.current_page == 2)
    win.add_note("frame")
    assert note_rows(win) == [("Officer enters", ("entry",)), ("Door forced", ("force", "entry")),
                              ("Warrant says 6 am", ("warrant",))]
    notes = win.notes.model.notes
    assert (notes[0].frame, notes[0].last_frame) == (12, 12)
    assert (notes[1].frame, notes[1].last_frame) == (20, 29)
    assert notes[2].page_no == 3
    # the timeline shows the video's notes on their frames
    spans = sorted((s.frame_from, s.frame_to) for s in win.video.timeline._notes)
    assert spans == [(12, 12), (20, 29)]
    # undo three times: nothing left; redo brings them back with the same ids
    before = [a.id for a in notes]
    for _ in range(3):
        win.actions["undo"].trigger()
    assert note_rows(win) == []
    assert "No notes yet" in win.notes.empty.text() and win.notes.stack.currentIndex() == 1
    for _ in range(3):
        win.actions["redo"].trigger()
    assert [a.id for a in win.notes.model.notes] == before
    # filter by tag and by text
    win.notes.tag.setCurrentIndex(win.notes.tag.findData("entry"))
    assert [a.text for a in win.notes.model.notes] == ["Officer enters", "Door forced"]
    win.notes.text.setText("door")
    assert [a.text for a in win.notes.model.notes] == ["Door forced"]
    assert win.notes.count.text() == "1 of 3 notes"
    model = win.notes.model
    shown = [model.data(model.index(0, c)) for c in range(4)]
    assert shown[1] == "Door forced" and shown[2] == "force, entry"
    assert shown[0].startswith("bodycam.mp4 · f20–29 ")
    shot(win, "window-notes-filtered")


def test_edit_in_place_delete_and_link_both_ways(qtbot, window, monkeypatch):
    win = window
    media = ids(win)
    a = win.ctl.add_note(media["video"], "Subject runs", frame=40)
    b = win.ctl.add_note(media["pdf"], "Report says subject walked", page_no=2,
                         rect=(72, 100, 400, 140))
    model = win.notes.model
    row = model.row_of(a)
    model.setData(model.index(row, 1), "Subject runs east")
    model.setData(model.index(row, 2), "flight, contradiction")
    note = win.ctl.note(a)
    assert note.text == "Subject runs east" and note.tags == ("flight", "contradiction")
    win.actions["undo"].trigger()  # the tag edit
    win.actions["undo"].trigger()  # the text edit
    assert win.ctl.note(a).text == "Subject runs"
    win.ctl.link_notes(a, b)
    assert win.ctl.note(a).linked_ids == (b,) and win.ctl.note(b).linked_ids == (a,)
    # following the link from the document passage lands on the video moment, and back
    win.jump_to_note(b)
    assert win.view.doc_id == media["pdf"] and win.doc.view.current_page == 1
    win.jump_to_note(a)
    qtbot.waitUntil(lambda: win.video.frame == 40)
    assert "linked" in win.statusBar().currentMessage()
    # the region note is drawn on its page
    assert any(r.kind == "note" and r.id == b for r in win.doc.view.rects)
    win.notes.select(a)
    win.notes._delete()
    assert model.row_of(a) == -1
    win.actions["undo"].trigger()
    assert model.row_of(a) >= 0 and win.ctl.note(a).linked_ids == (b,)  # link restored too


def test_draw_move_and_undo_a_video_box(qtbot, window):
    win = window
    media = ids(win)
    win.view.open_item(media["video"])
    pane = win.video
    qtbot.waitUntil(lambda: not pane.view.image().isNull())
    win.redact.set_tool("rect")
    pane.seek(10)
    view = pane.view
    tl = view.to_widget(__import__("PySide6.QtCore", fromlist=["QRectF"]).QRectF(40, 30, 80, 60))
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, tl.topLeft().toPoint())
    QTest.mouseMove(view, tl.bottomRight().toPoint())
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    QApplication.sendEvent(view, QMouseEvent(QEvent.MouseMove, QPointF(tl.bottomRight()),
                                             QPointF(tl.bottomRight()), Qt.NoButton,
                                             Qt.LeftButton, Qt.NoModifier))
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, tl.bottomRight().toPoint())
    tracks = win.ctl.tracks(media["video"])
    assert len(tracks) == 1
    t = tracks[0]
    assert (t["frame_from"], t["frame_to"]) == (10, pane.times.count - 1)
    k = t["kfs"][0]
    assert k.frame == 10 and abs(k.box.x_px - 40) < 2 and abs(k.box.w_px - 80) < 2
    assert len(pane.view.boxes()) == 1 and t["reason"] == "b6"
    # drawn black over the picture while the preview is on
    img = view.grab().toImage()
    c = view.to_widget(__import__("PySide6.QtCore", fromlist=["QRectF"]).QRectF(80, 60, 1, 1))
    assert img.pixelColor(c.topLeft().toPoint()).lightness() < 20
    # moving the box at frame 40 adds a keyframe there; frames between interpolate
    pane.seek(40)
    win.ctl.move_box(t["id"], 40, Box(140, 90, 80, 60))
    t2 = win.ctl.tracks(media["video"])[0]
    assert [k.frame for k in t2["kfs"]] == [10, 40]
    mid = pane.view.boxes()[0].box
    assert abs(mid.x_px - 140) < 1e-6
    pane.seek(25)
    assert abs(pane.view.boxes()[0].box.x_px - (k.box.x_px + 140) / 2) < 1e-6  # halfway
    assert win.video.timeline._tracks and win.video.timeline._tracks[0].frame_from == 10
    shot(win, "window-video-box")
    win.actions["undo"].trigger()
    assert [k.frame for k in win.ctl.tracks(media["video"])[0]["kfs"]] == [10]
    win.actions["undo"].trigger()
    assert win.ctl.tracks(media["video"]) == []
    assert pane.view.boxes() == []


def test_page_box_drawn_with_the_page_tool(qtbot, window):
    win = window
    media = ids(win)
    win.view.open_item(media["pdf"])
    win.redact.set_tool("page")
    win.doc.view.rect_drawn.emit(2, (72.0, 100.0, 300.0, 120.0))
    boxes = win.ctl.page_redactions(media["pdf"])
    assert [(b["page_no"], b["rect"]) for b in boxes] == [(2, (72.0, 100.0, 300.0, 120.0))]
    assert any(r.kind == "redact" and r.page_no == 2 for r in win.doc.view.rects)
    win.actions["undo"].trigger()
    assert win.ctl.page_redactions(media["pdf"]) == []


def test_dragging_a_box_at_another_frame_adds_a_keyframe(qtbot, window):
    from PySide6.QtCore import QEvent, QPointF, QRectF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    win = window
    media = ids(win)
    win.view.open_item(media["video"])
    pane = win.video
    qtbot.waitUntil(lambda: not pane.view.image().isNull())
    win.ctl.add_box(media["video"], 5, 5, 50, Box(40, 40, 60, 60), "rect", "b6")
    pane.seek(30)
    view = pane.view
    start = view.to_widget(QRectF(70, 70, 0, 0)).topLeft()
    end = view.to_widget(QRectF(120, 90, 0, 0)).topLeft()
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, start.toPoint())
    QApplication.sendEvent(view, QMouseEvent(QEvent.MouseMove, QPointF(end), QPointF(end),
                                             Qt.NoButton, Qt.LeftButton, Qt.NoModifier))
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, end.toPoint())
    t = win.ctl.tracks(media["video"])[0]
    assert [k.frame for k in t["kfs"]] == [5, 30]
    moved = t["kfs"][1].box
    assert abs(moved.x_px - 90) < 2 and abs(moved.y_px - 60) < 2 and moved.w_px == 60
    # the Delete key on the picture deletes the selected box, and undo brings it back
    assert view.selected_track == t["id"]
    assert win.video.timeline.keyframes == [5, 30]  # the selected track's keyframes as ticks
    QTest.keyClick(view, Qt.Key_Delete)
    assert win.ctl.tracks(media["video"]) == []
    win.actions["undo"].trigger()
    assert len(win.ctl.tracks(media["video"])) == 1


def test_clicking_a_note_on_the_timeline_selects_it(qtbot, window):
    win = window
    media = ids(win)
    win.view.open_item(media["video"])
    a = win.ctl.add_note(media["video"], "Knock", frame=10, frame_to=30)
    tl = win.video.timeline
    x = int(tl.frame_to_x(20))
    from conftest import N_FRAMES  # noqa: F401

    from reviewer.ui.video.timeline import NOTE_LANE_PX, RULER_PX
    qtbot.mouseClick(tl, Qt.LeftButton, pos=QPoint(x, RULER_PX + 2 + NOTE_LANE_PX // 2))
    assert win.notes.selected_ids() == [a]
    qtbot.waitUntil(lambda: win.video.frame == tl.x_to_frame(x))
