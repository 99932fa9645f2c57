"""Runs the real window under X (Xvfb) on a case with a generated production, fills the
People panel (typed names, the finder's proposals), redacts the listed names, and saves a
screenshot of the screen; prints one JSON line of state for test_people_xvfb.py."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.append(str(Path(__file__).resolve().parent))
from xvfb_driver import start_window, wait_for  # noqa: E402


def main(case: str, shots: str, names: list[str]) -> int:
    app, win = start_window()
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
