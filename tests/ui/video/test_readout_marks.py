"""The frame and timecode readout is always whole (frame and HH:MM:SS.mmm), also with In/Out
set and at 1024x700, and its count agrees with the Case list; In/Out belongs to one clip; a
box drawn with B covers this frame to the end unless In–Out is asked for with Shift+B, and
the status line says which."""
from __future__ import annotations

from conftest import N_FRAMES, ids, shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from reviewer.annotate.geometry import Box


def _whole(label) -> bool:
    """The label shows its whole text: as wide as the text needs, and inside the window."""
    fm = label.fontMetrics()
    return label.isVisible() and label.width() >= fm.horizontalAdvance(label.text())


def _apart(a, b) -> bool:
    ra = a.geometry().translated(a.parentWidget().mapTo(a.window(), a.geometry().topLeft() * 0))
    rb = b.geometry().translated(b.parentWidget().mapTo(b.window(), b.geometry().topLeft() * 0))
    return not ra.intersects(rb)


def _seek(qtbot, pane, n: int) -> None:
    pane.seek(n)
    qtbot.waitUntil(lambda: pane.frame == n)


def test_readout_whole_with_in_out_and_at_1024x700(qtbot, window):
    win = window
    vid = ids(win)["video"]
    win.view.open_item(vid)
    pane = win.video
    _seek(qtbot, pane, 3)
    assert pane.readout.text() == f"Frame 3 of {N_FRAMES} · {pane.times.timecode(3)}"
    assert pane.times.timecode(3) == "00:00:00.100"
    item = win.items._items[vid].text()
    assert f"{N_FRAMES} frames" in item  # "Frame 3 of 60" agrees with the Case list
    for size in ((1600, 960), (1024, 700)):
        win.resize(*size)
        _seek(qtbot, pane, 40)
        pane.set_in()
        _seek(qtbot, pane, 59)
        pane.set_out()
        qtbot.wait(50)
        assert pane.readout.text().endswith("00:00:01.967"), pane.readout.text()
        assert _whole(pane.readout), (size, pane.readout.width(), pane.readout.text())
        for other in (pane.marks, pane.sound_mode):
            assert _apart(pane.readout, other), size
        assert pane.readout.geometry().right() < pane.width()
    shot(win, "window-1024x700-readout")


def _second_video(qtbot, win, tmp_path) -> int:
    from fixtures.videos import make_video

    path = make_video(tmp_path / "second.mp4", "cfr", n_frames=30, size=(160, 120), audio=False)
    win.import_paths([str(path)])
    qtbot.waitUntil(lambda: any(m["name"] == "second.mp4" for m in win.ctl.media_list()),
                    timeout=30000)
    return next(m["id"] for m in win.ctl.media_list() if m["name"] == "second.mp4")


def test_in_out_belongs_to_its_clip(qtbot, window, tmp_path):
    win = window
    first = ids(win)["video"]
    second = _second_video(qtbot, win, tmp_path)
    win.view.open_item(first)
    pane = win.video
    _seek(qtbot, pane, 10)
    pane.set_in()
    _seek(qtbot, pane, 20)
    pane.set_out()
    win.view.open_item(second)
    assert (pane.mark_in, pane.mark_out) == (-1, -1)
    assert (pane.timeline.mark_in, pane.timeline.mark_out) == (-1, -1)
    assert pane.marks.text() == ""
    win.note_tools.ask_note_text = lambda where: ("never", [])
    win.add_note("range")  # no In–Out on this clip: nothing is made from the other one's
    assert win.ctl.notes(second)[0] == []
    win.view.open_item(first)
    assert (pane.mark_in, pane.mark_out) == (10, 20)
    assert (pane.timeline.mark_in, pane.timeline.mark_out) == (10, 20)
    assert pane.marks.text() == "In 10 · Out 20"
    win.actions["clear_marks"].trigger()
    assert (pane.mark_in, pane.mark_out) == (-1, -1)


def test_b_covers_to_the_end_and_shift_b_covers_in_out(qtbot, window):
    win = window
    vid = ids(win)["video"]
    win.view.open_item(vid)
    pane = win.video
    _seek(qtbot, pane, 10)
    pane.set_in()
    _seek(qtbot, pane, 20)
    pane.set_out()
    _seek(qtbot, pane, 15)
    pane.view.setFocus()
    QTest.keyClick(pane.view, Qt.Key_B)
    assert pane.view.tool == "rect"
    assert "this frame to the last" in win.statusBar().currentMessage()
    pane.view.box_drawn.emit(Box(10, 10, 40, 40), "rect")
    t = max(win.ctl.tracks(vid), key=lambda r: r["id"])
    assert (t["frame_from"], t["frame_to"]) == (15, N_FRAMES - 1)
    assert "this frame to the last" in win.statusBar().currentMessage()
    QTest.keyClick(pane.view, Qt.Key_B, Qt.ShiftModifier)
    assert "over In–Out (frames 10–20)" in win.statusBar().currentMessage()
    pane.view.box_drawn.emit(Box(60, 10, 40, 40), "rect")
    t = max(win.ctl.tracks(vid), key=lambda r: r["id"])
    assert (t["frame_from"], t["frame_to"]) == (10, 20)
    assert "In–Out, frames 10–20" in win.statusBar().currentMessage()
    # B again goes back to this frame to the end
    QTest.keyClick(pane.view, Qt.Key_B)
    pane.view.box_drawn.emit(Box(100, 10, 40, 40), "rect")
    t = max(win.ctl.tracks(vid), key=lambda r: r["id"])
    assert (t["frame_from"], t["frame_to"]) == (15, N_FRAMES - 1)
    # without In/Out, Shift+B says what is missing and draws nothing over another span
    pane.clear_marks()
    QTest.keyClick(pane.view, Qt.Key_B, Qt.ShiftModifier)
    assert "Set In (I) and Out (O)" in win.statusBar().currentMessage()
