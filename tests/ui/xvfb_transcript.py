"""Runs the real window under X (Xvfb) on a case whose video says known things: transcribes
it from the keyboard (Ctrl+Shift+S, the real recogniser), clicks a word in the Transcript
panel, mutes the phone number's words, steps the picture, and keeps a screenshot.

Started by tests/ui/speech/test_transcript_xvfb.py with DISPLAY and QT_QPA_PLATFORM=xcb set;
prints one JSON line of state for the test to assert on.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

DIGITS = {"five", "three", "one", "two", "eight", "nine", "four", "zero", "5", "3", "1", "2",
          "8", "9", "4", "0"}


def wait_for(app: QApplication, cond, seconds: float = 10.0) -> bool:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return False


def plain(word: str) -> str:
    return word.lower().strip(".,?!-")


def main(case: str, shots: str) -> int:
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.speech.transcript_panel import WORD_COL
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
    wait_for(app, lambda: win.video.frame == 0, 10)
    panel = win.speech.panel
    state["before"] = panel.summary.text()
    win.video.setFocus()
    QTest.keyClick(win, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    state["returned_at_once"] = panel.model.rows == []
    state["transcribed"] = wait_for(app, lambda: len(panel.model.rows) > 10, 120)
    state["summary"] = panel.summary.text()
    rows = panel.model.rows
    words = [plain(r["word"]) for r in rows]
    state["words"] = words
    # a click on "phone" goes to the frame it is said on, and highlights it
    k = words.index("phone")
    index = panel.model.index(k, WORD_COL)
    panel.table.scrollTo(index)
    app.processEvents()
    QTest.mouseClick(panel.table.viewport(), Qt.LeftButton, Qt.NoModifier,
                     panel.table.visualRect(index).center())
    wait_for(app, lambda: panel.model.current == k, 5)
    state["clicked_word"] = words[k]
    state["clicked_start"] = rows[k]["start"]
    state["frame_after_click"] = win.video.frame
    state["frame_seconds"] = float(win.video.times.seconds(win.video.frame))
    state["current_after_click"] = plain(rows[panel.model.current]["word"]) if panel.model.current >= 0 else ""
    # the number's words, muted from the panel with a reason
    digits = [r["id"] for r in rows if r["kind"] == "word" and plain(r["word"]) in DIGITS
              and r["start"] < rows[k]["start"] + 6]
    panel.select_ids(digits)
    QTest.mouseClick(panel.mute_button, Qt.LeftButton)
    wait_for(app, lambda: any(r["redacted"] for r in panel.model.rows), 5)
    state["muted_words"] = sum(bool(r["redacted"]) for r in panel.model.rows)
    state["spans"] = len(win.ctl.store.query("SELECT id FROM redactions WHERE kind = 'audio'"))
    # stepping the picture with the keyboard moves the highlight along
    win.video.setFocus()
    before = panel.model.current
    for _ in range(12):
        QTest.keyClick(win.video, Qt.Key_Right)
        app.processEvents()
    wait_for(app, lambda: panel.model.current != before, 3)
    state["current_after_steps"] = plain(panel.model.rows[panel.model.current]["word"]) \
        if panel.model.current >= 0 else ""
    panel.select_ids(digits[:2])
    wait_for(app, lambda: False, 1.0)
    shot = QApplication.primaryScreen().grabWindow(0)
    state["shot"] = shot.save(str(Path(shots) / "xvfb-transcript.png"))
    print("STATE " + json.dumps(state), flush=True)
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
