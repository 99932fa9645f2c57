"""Runs the real window under X (Xvfb) on a case whose video says known things: transcribes
it from the keyboard (Ctrl+Shift+S, the real recogniser), clicks a word in the Transcript
panel, mutes the phone number's words, steps the picture, and keeps a screenshot.

Started by tests/ui/speech/test_transcript_xvfb.py with DISPLAY and QT_QPA_PLATFORM=xcb set;
prints one JSON line of state for the test to assert on.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.append(str(Path(__file__).resolve().parent))
from xvfb_driver import start_window, wait_for  # noqa: E402

DIGITS = {"five", "three", "one", "two", "eight", "nine", "four", "zero", "5", "3", "1", "2",
          "8", "9", "4", "0"}


def plain(word: str) -> str:
    return word.lower().strip(".,?!-")


def main(case: str, shots: str) -> int:
    from reviewer.ui.speech.transcript_panel import WORD_COL

    app, win = start_window()
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
