"""State the reviewer can see: pressed tools and toggles, the preview-off band on the picture
and the pages, letters typed a moment ago never taken as commands, no sound said out loud, and
the speed box and Go-to-frame field following the playhead."""
from __future__ import annotations

import numpy as np
from conftest import ids
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest


def pixels(widget) -> np.ndarray:
    img = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(int)


def banner_pixels(widget) -> int:
    """How many pixels of the top quarter are the preview-off band's colour."""
    from reviewer.ui import state_marks

    arr = pixels(widget)
    top = arr[: max(1, arr.shape[0] // 4)]
    return int((np.abs(top - np.array(state_marks.BANNER_RGB)).sum(axis=2) < 12).sum())


def test_tools_and_toggles_look_pressed(qtbot, window):
    from PySide6.QtWidgets import QToolBar

    tb = window.findChild(QToolBar, "toolbar-main")
    for key in ("tool_rect", "preview"):
        action = window.actions[key]
        button = tb.widgetForAction(action)
        action.setChecked(False)
        off = pixels(button).mean(axis=(0, 1))
        action.setChecked(True)
        on = pixels(button).mean(axis=(0, 1))
        assert np.abs(on - off).sum() > 15, (key, off, on)


def test_preview_off_is_drawn_on_the_picture_and_pages(qtbot, window):
    media = ids(window)
    window.view.open_item(media["video"])
    window.view.open_item(media["pdf"])
    qtbot.waitUntil(lambda: not window.video.view.image().isNull(), timeout=20000)
    preview = window.actions["preview"]
    assert preview.isChecked()
    assert banner_pixels(window.video.view) == 0 and banner_pixels(window.doc.view) == 0
    preview.trigger()
    assert not preview.isChecked()
    assert banner_pixels(window.video.view) > 500
    assert banner_pixels(window.doc.view) > 500
    preview.trigger()
    assert banner_pixels(window.video.view) == 0


def test_letters_typed_a_moment_ago_are_not_commands(qtbot, window, monkeypatch):
    from reviewer.ui import keys

    media = ids(window)
    window.view.open_item(media["video"])
    preview, ellipse = window.actions["preview"], window.actions["tool_ellipse"]
    field = window.notes.text
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClicks(field, "pole")  # typed into the field: the field has the letters
    assert field.text() == "pole" and preview.isChecked() and not ellipse.isChecked()
    # a missed click: the focus is on the picture, the rest of the word goes on
    window.video.view.setFocus()
    qtbot.waitUntil(window.video.view.hasFocus)
    marks = (window.video.mark_in, window.video.mark_out)
    for ch in "peol":
        QTest.keyClick(window.video.view, ch)
    assert preview.isChecked() and not ellipse.isChecked()
    assert (window.video.mark_in, window.video.mark_out) == marks
    assert window.video.playback.direction == 0
    assert "typing in a text field" in window.statusBar().currentMessage()
    # a moment later the same key works
    monkeypatch.setattr(window.keys, "last_typed", float("-inf"))
    QTest.keyClick(window.video.view, "p")
    assert not preview.isChecked()
    QTest.keyClick(window.video.view, "e")
    assert ellipse.isChecked()
    assert keys.is_single_key(preview.shortcut())


def test_no_sound_is_said_beside_the_picture(qtbot, window, tmp_path):
    from reviewer.ui.video.sound_device import sound_problem

    window.view.open_item(ids(window)["video"])
    note = window.video.sound_note
    assert note.isVisibleTo(window) and "No sound" in note.text()
    assert "REVIEWER_NO_AUDIO" in note.toolTip()
    # the probe itself: no sound server and no card means no sound; a card or a server is enough
    (tmp_path / "proc" / "asound").mkdir(parents=True)
    (tmp_path / "proc" / "asound" / "cards").write_text("--- no soundcards ---\n")
    assert "No sound device" in sound_problem({}, tmp_path)
    (tmp_path / "proc" / "asound" / "cards").write_text(" 0 [PCH ]: HDA-Intel - HDA Intel PCH\n")
    assert sound_problem({}, tmp_path) is None
    (tmp_path / "run" / "pulse").mkdir(parents=True)
    (tmp_path / "run" / "pulse" / "native").touch()
    (tmp_path / "proc" / "asound" / "cards").unlink()
    assert sound_problem({"XDG_RUNTIME_DIR": str(tmp_path / "run")}, tmp_path) is None


def test_speed_box_and_go_to_frame_follow_the_state(qtbot, window):
    window.view.open_item(ids(window)["video"])
    pane = window.video
    pane.view.setFocus()
    qtbot.waitUntil(pane.view.hasFocus)
    QTest.keyClick(pane.view, Qt.Key_BracketRight)
    QTest.keyClick(pane.view, Qt.Key_BracketRight)
    assert pane.speed.currentData() == 2.0
    QTest.keyClick(pane.view, "k")  # K when stopped: back to normal speed, and the box says so
    assert pane.playback.rate == 1.0 and pane.speed.currentData() == 1.0
    for _ in range(5):
        QTest.keyClick(pane.view, Qt.Key_Right)
    assert pane.frame == 5 and pane.jump.text() == "5"
    pane.seek(17)
    assert pane.jump.text() == "17"
    # the field never changes under the reviewer's typing
    pane.jump.setFocus()
    qtbot.waitUntil(pane.jump.hasFocus)
    pane.jump.setText("4")
    pane.seek(20)
    assert pane.jump.text() == "4"
    QTest.keyClick(pane.jump, Qt.Key_Return)
    assert pane.frame == 4 and pane.jump.text() == "4"
