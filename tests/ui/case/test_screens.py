"""The window on four common screens (1280x720, 1366x768, 1600x1000, 1920x1080): it fits the
screen frame and all, the transport, timeline and frame counter are on screen, every panel is
reachable through a visible control, and the picture has at least half the width. A saved
place too big for the screen is clamped, and relaunching does not drift."""
from __future__ import annotations

import pytest
from conftest import shot
from PySide6.QtCore import QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QToolButton
from windows import placed_window


def fresh_settings() -> None:
    s = QSettings("Reviewer", "Reviewer")
    s.remove("window")
    s.remove("geometry")
    s.remove("state")


def inside(win, widget) -> QRect:
    top_left = widget.mapTo(win, widget.rect().topLeft())
    return QRect(top_left, widget.size())


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1600, 1000), (1920, 1080)])
def test_the_window_fits_each_screen(qtbot, case, tmp_path, size):
    fresh_settings()
    available = QRect(0, 0, *size)
    win = placed_window(qtbot, case, tmp_path / "prefs.json", available)
    try:
        win.view.open_item(next(m["id"] for m in win.ctl.media_list() if m["kind"] == "video"))
        qtbot.wait(50)
        assert available.contains(win.frameGeometry()), (win.frameGeometry(), available)
        # the picture, its counter, the transport, the timeline and the sound strip are on
        # screen, above the status bar
        floor = win.statusBar().y()
        v = win.video
        for w in (v.view, v.readout, v.jump, v.buttons["play"], v.timeline, v.waveform):
            r = inside(win, w)
            assert w.isVisible() and r.left() >= 0 and r.right() < win.width(), (w, r)
            assert r.bottom() < floor, (w, r, floor)
        assert v.view.height() >= 250
        assert v.view.width() >= win.width() // 2
        # every panel: a visible control reaches it, and it shows
        button = win.findChild(QToolButton, "panels-button")
        assert button.isVisible() and QRect(0, 0, win.width(), win.height()).contains(
            inside(win, button)), inside(win, button)
        titles = [a.text() for a in win.panels_menu.actions()]
        assert titles == ["Case", "Notes", "Exhibits", "Search", "Transcript", "Redactions",
                          "Find and redact", "Faces", "Withheld", "People"]
        for action in win.panels_menu.actions():
            action.trigger()
            key = action.objectName().removeprefix("panel-")
            qtbot.waitUntil(lambda k=key: win.docks[k].widget().isVisible(), timeout=2000)
            r = inside(win, win.docks[key].widget())
            assert r.width() >= 150 and r.height() >= 150 and r.bottom() < floor, (key, r)
        shot(win, f"window-{size[0]}x{size[1]}")
    finally:
        win.close()


def test_a_saved_place_too_big_is_clamped_and_relaunch_does_not_drift(qtbot, case, tmp_path):
    from reviewer.ui.case import window_fit

    fresh_settings()
    laptop = QRect(0, 0, 1280, 800)
    s = QSettings("Reviewer", "Reviewer")
    s.setValue("window/rect", QRect(0, 25, 1278, 1502))  # saved on a taller screen
    win = placed_window(qtbot, None, tmp_path / "prefs.json", laptop, restore=True)
    assert laptop.contains(win.frameGeometry()), win.frameGeometry()
    assert win.height() <= 800
    win.resize(1100, 640)
    win.move(40, 30)
    places = []
    for _ in range(3):
        win.close()
        places.append((win.pos(), win.size()))
        win = placed_window(qtbot, None, tmp_path / "prefs.json", laptop, restore=True)
    win.close()
    assert places[0] == (QPoint(40, 30), QSize(1100, 640)), places
    assert places[0] == places[1] == places[2] == (win.pos(), win.size()), places
    assert window_fit.clamp(QRect(-50, 900, 2000, 300), laptop) == QRect(0, 500, 1280, 300)
