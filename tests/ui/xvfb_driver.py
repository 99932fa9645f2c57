"""Runs the real window under X (Xvfb), drives it with QTest keys and writes what it saw.

Started by test_xvfb.py as a subprocess with DISPLAY and QT_QPA_PLATFORM=xcb set; prints one
JSON line of state for the test to assert on.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def pump(app: QApplication, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(app: QApplication, cond, seconds: float = 10.0) -> bool:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return False


def start_window() -> tuple[QApplication, object]:
    """The application and its main window as every Xvfb script starts them: the theme
    applied, a fresh preferences file (no user's layout), 1600x1000 at the screen's top left,
    shown and given the focus."""
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    win = MainWindow(prefs_path=Path(tempfile.mkdtemp()) / "prefs.json")
    win.resize(1600, 1000)
    win.move(0, 0)
    win.show()
    win.activateWindow()
    wait_for(app, lambda: win.isActiveWindow(), 5)
    return app, win


def main(case: str, shots: str) -> int:
    sys.path.append(str(Path(__file__).resolve().parents[1]))  # for fixtures.videos
    import os

    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    from conftest import image_number
    for k, v in saved.items():  # importing conftest points these at its own temp home
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    app, win = start_window()
    demo = case == "--demo"
    prefix = "xvfb-demo" if demo else "xvfb"
    if demo:  # the File menu's way: built off the GUI thread, then opened
        win.open_demo()
        assert wait_for(app, lambda: win.ctl is not None, 240), "the demo case did not open"
    else:
        assert win.open_case(case)
    out: dict = {"platform": app.platformName()}
    vid = next(m["id"] for m in win.ctl.media_list() if m["kind"] == "video")
    win.view.open_item(vid)
    pane = win.video
    pane.view.setFocus()

    def shown(n: int) -> bool:
        if pane.frame != n or pane.view.image().isNull():
            return False
        # fixture frames carry their own number; demo clips are judged by the readout
        return demo or image_number(pane.view.image()) == n
    out["first"] = wait_for(app, lambda: shown(0))
    for _ in range(7):
        QTest.keyClick(pane.view, Qt.Key_Right)
    out["after_7_right"] = wait_for(app, lambda: shown(7))
    QTest.keyClick(pane.view, Qt.Key_Right, Qt.ShiftModifier)
    out["after_shift_right"] = wait_for(app, lambda: shown(37))
    QTest.keyClick(pane.view, Qt.Key_Space)
    pump(app, 0.8)
    out["played_to"] = pane.frame
    QTest.keyClick(pane.view, Qt.Key_Space)
    out["paused_exact"] = wait_for(app, lambda: shown(pane.frame))
    out["sound"] = pane.playback.has_sound
    QTest.keyClick(pane.view, Qt.Key_Home)
    out["home"] = wait_for(app, lambda: shown(0))
    # a redaction box over the top half from frame 0 on, drawn with the API the tool uses
    from reviewer.annotate.geometry import Box
    win.ctl.add_box(vid, 0, 0, pane.times.count - 1, Box(20, 20, 120, 80), "ellipse", "b6")
    pane.refresh_overlays()
    out["boxes"] = len(pane.view.boxes())
    pdf = next(m["id"] for m in win.ctl.media_list() if m["kind"] == "pdf")
    win.view.open_item(pdf)
    if not demo:
        win.ctl.add_page_box(pdf, 1, (72, 120, 400, 150), "b6")
    else:  # leave the user's demo case as it was
        win.actions["undo"].trigger()
        out["boxes_after_undo"] = len(pane.view.boxes())
    out["page_rendered"] = wait_for(
        app, lambda: win.doc.view.renderer.get(win.doc.view.path, 1, win.doc.view._scale()) is not None)
    pump(app, 0.5)
    win.grab().save(str(Path(shots) / f"{prefix}-window-grab.png"))
    subprocess.run(["import", "-window", "root", str(Path(shots) / f"{prefix}-screen.png")],
                   check=False, timeout=30)
    out["readout"] = pane.readout.text()
    out["title"] = win.windowTitle()
    print("STATE " + json.dumps(out), flush=True)
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
