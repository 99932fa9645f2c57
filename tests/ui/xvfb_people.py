"""Runs the real window under X (Xvfb) on a case with a generated production, fills the
People panel (typed names, the finder's proposals), redacts the listed names, and saves a
screenshot of the screen; prints one JSON line of state for test_people_xvfb.py."""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def wait_for(app: QApplication, cond, seconds: float = 10.0) -> bool:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return False


def main(case: str, shots: str, names: list[str]) -> int:
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
    state: dict = {"platform": QApplication.platformName()}
    assert win.open_case(case)
    # through the menu bar: Alt+L opens People, the first entry shows the panel
    win.actions["people_show"].trigger()
    panel = win.people.panel
    state["visible"] = win.docks["people"].isVisible()
    for name in names:
        panel.name.setFocus()
        QTest.keyClicks(panel.name, name)
        QTest.keyClick(panel.name, Qt.Key_Return)
        app.processEvents()
    state["listed"] = panel.names()
    QTest.mouseClick(panel.suggest_button, Qt.LeftButton)
    wait_for(app, lambda: panel.suggest_button.isEnabled() and win.people.job is None, 120)
    state["proposed"] = panel.suggestions.topLevelItemCount()
    QTest.mouseClick(panel.redact_button, Qt.LeftButton)
    wait_for(app, lambda: panel.redact_button.isEnabled() and "mention(s)" in panel.summary.text(), 120)
    state["summary"] = panel.summary.text()
    state["boxes"] = win.ctl.store.query_one("SELECT count(*) AS n FROM redactions WHERE kind = 'page'")["n"]
    wait_for(app, lambda: False, 1.0)  # let the boxes paint
    shot = QApplication.primaryScreen().grabWindow(0)
    state["shot"] = str(Path(shots) / "xvfb-people.png")
    state["saved"] = shot.save(state["shot"])
    print("STATE " + json.dumps(state))
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
