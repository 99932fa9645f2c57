"""The video pane on a real case: exact frames on every key, jump field, zoom, silent play."""
from __future__ import annotations

from conftest import N_FRAMES, image_number, shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def open_video(win):
    vid = next(m["id"] for m in win.ctl.media_list() if m["kind"] == "video")
    win.view.open_item(vid)
    return win.video


def shows(qtbot, pane, n: int) -> None:
    qtbot.waitUntil(lambda: pane.frame == n and not pane.view.image().isNull()
                    and image_number(pane.view.image()) == n, timeout=5000)


def key(pane, k, mods=Qt.NoModifier) -> None:
    QTest.keyClick(pane.view, k, mods)


def test_keys_step_exact_frames(qtbot, window):
    pane = open_video(window)
    shows(qtbot, pane, 0)
    key(pane, Qt.Key_Right)
    shows(qtbot, pane, 1)
    for _ in range(5):
        key(pane, Qt.Key_Right)
    shows(qtbot, pane, 6)
    key(pane, Qt.Key_Left)
    shows(qtbot, pane, 5)
    key(pane, Qt.Key_Right, Qt.ShiftModifier)   # one second at 30 fps
    shows(qtbot, pane, 35)
    key(pane, Qt.Key_Left, Qt.ShiftModifier)
    shows(qtbot, pane, 5)
    key(pane, Qt.Key_End)
    shows(qtbot, pane, N_FRAMES - 1)
    key(pane, Qt.Key_Right)                      # stays on the last frame
    shows(qtbot, pane, N_FRAMES - 1)
    key(pane, Qt.Key_Home)
    shows(qtbot, pane, 0)
    assert "Frame 0 of" in pane.readout.text() and "00:00:00.000" in pane.readout.text()


def test_jump_field_takes_frames_and_timecodes(qtbot, window):
    pane = open_video(window)
    shows(qtbot, pane, 0)
    for text, want in [("42", 42), ("#7", 7), ("00:00:01.000", 30), ("0.5", 15),
                       ("00:00:01.034", 31)]:
        pane.jump.setText(text)
        QTest.keyClick(pane.jump, Qt.Key_Return)
        shows(qtbot, pane, want)
        assert window.video.times.timecode(want) in pane.readout.text()
    pane.jump.setText("9999")
    QTest.keyClick(pane.jump, Qt.Key_Return)
    assert "outside" in window.statusBar().currentMessage()
    assert pane.frame == 31


def test_zoom_keys_and_speed_keys(qtbot, window):
    pane = open_video(window)
    shows(qtbot, pane, 0)
    key(pane, Qt.Key_Plus)
    key(pane, Qt.Key_Plus)
    assert pane.view.zoom > 1.5
    key(pane, Qt.Key_0)
    assert pane.view.zoom == 1.0
    key(pane, Qt.Key_BracketRight)
    assert pane.playback.rate == 1.5
    key(pane, Qt.Key_BracketLeft)
    key(pane, Qt.Key_BracketLeft)
    assert pane.playback.rate == 0.5
    assert pane.speed.currentText() == "0.5×"


def test_silent_playback_advances_and_pauses_on_exact_frame(qtbot, window, monkeypatch):
    pane = open_video(window)
    shows(qtbot, pane, 0)
    # the pane without libVLC: exact frames from PyAV, and the status bar says why
    m = pane.media
    pane.open_video(m, pane.times, pane.source._open_server, use_vlc=False)
    shows(qtbot, pane, 0)
    key(pane, Qt.Key_L)
    assert pane.playback.direction == 1
    assert "without libVLC" in window.statusBar().currentMessage() or \
        "Playing" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: pane.frame >= 10, timeout=5000)
    key(pane, Qt.Key_K)
    assert pane.playback.direction == 0
    n = pane.frame
    shows(qtbot, pane, n)  # paused: the picture is exactly the frame the readout names
    key(pane, Qt.Key_J)
    assert pane.playback.direction == -1
    qtbot.waitUntil(lambda: pane.frame <= n - 3, timeout=5000)
    key(pane, Qt.Key_Space)
    assert pane.playback.direction == 0


def test_vlc_playback_draws_into_our_view(qtbot, window):
    pane = open_video(window)
    shows(qtbot, pane, 0)
    if not pane.playback.has_sound:
        assert pane.playback.fallback_reason  # said why, and played silently instead
        return
    key(pane, Qt.Key_Space)
    assert pane.playback.direction == 1
    qtbot.waitUntil(lambda: pane.frame >= 15, timeout=8000)
    key(pane, Qt.Key_Space)
    n = pane.frame
    shows(qtbot, pane, n)
    shot(window, "window-after-vlc-playback")
