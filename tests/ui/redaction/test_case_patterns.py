"""The case's own patterns from the Find and redact panel: a typed regex saved under a name
(stored in the case setting ``redact.patterns`` by an undoable edit), listed beside the
built-in ones, found by "every pattern", removed again."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import ids, shot

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode,
                                reason="needs poppler-utils")


def _stored(win) -> list:
    # read with sqlite3 itself, not the project's store
    con = sqlite3.connect(Path(win.ctl.folder) / "case.db")
    try:
        row = con.execute("SELECT value FROM settings WHERE key = 'redact.patterns'").fetchone()
    finally:
        con.close()
    return json.loads(row[0]) if row else []


def _names(panel) -> list[str]:
    return [panel.pattern.itemText(i) for i in range(panel.pattern.count())]


def _save(qtbot, panel, regex: str, name: str) -> None:
    panel.pattern.setEditText(regex)
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    dlg = panel.name_dialog
    qtbot.waitUntil(dlg.isVisible)
    dlg.setTextValue(name)
    dlg.accept()


def test_save_list_find_and_remove_a_case_pattern(qtbot, window):
    win = window
    win.view.open_item(ids(win)["pdf"])
    win.actions["search_redact"].trigger()
    panel = win.redact.find.panel
    builtins = _names(panel)
    # a listed choice is not saved again
    panel.pattern.setCurrentIndex(1)
    assert not panel.save_button.isEnabled() and not panel.remove_button.isEnabled()
    stack = win.ctl.undo_stack.count()
    # the SSN's first group, named as the clinic would name its own identifier
    _save(qtbot, panel, r"\b900-10\b", "Client file number")
    assert _stored(win) == [{"name": "Client file number", "pattern": r"\b900-10\b"}]
    assert win.ctl.undo_stack.count() == stack + 1
    names = _names(panel)
    assert names[:len(builtins)] == builtins and names[-1] == "Client file number"
    i = panel.pattern.findText("Client file number")
    assert "900-10" in panel.pattern.itemData(i, 3)  # Qt.ToolTipRole: its regex
    assert panel.pattern.currentText() == "Client file number" and panel.remove_button.isEnabled()
    shot(panel, "panel-case-patterns")
    # every pattern now finds it too, named by its name
    assert ("Client file number", r"\b900-10\b") in win.redact.find.all_patterns()
    panel.pattern.setCurrentIndex(0)
    panel.find_button.click()
    qtbot.waitUntil(lambda: panel.find_button.isEnabled() and not panel.summary.text().startswith("Searching"),
                    timeout=60000)
    assert any("Client file number" in h.patterns and h.text == "900-10" for h in panel.matches)
    # undo takes it out of the case and of the list; redo puts it back
    win.ctl.undo_stack.undo()
    assert _stored(win) == [] and "Client file number" not in _names(panel)
    win.ctl.undo_stack.redo()
    assert "Client file number" in _names(panel)
    # a second one, then remove the first
    _save(qtbot, panel, r"Case\s+No\.\s*\d+", "Court case number")
    assert [p["name"] for p in _stored(win)] == ["Client file number", "Court case number"]
    panel.pattern.setCurrentIndex(panel.pattern.findText("Client file number"))
    panel.remove_button.click()
    assert [p["name"] for p in _stored(win)] == ["Court case number"]
    assert "Client file number" not in _names(panel) and "Court case number" in _names(panel)
    win.ctl.undo_stack.undo()
    assert [p["name"] for p in _stored(win)] == ["Client file number", "Court case number"]


def test_a_bad_regex_is_refused_in_words(qtbot, window):
    win = window
    win.actions["search_redact"].trigger()
    panel = win.redact.find.panel
    _save(qtbot, panel, "(unclosed", "Broken")
    assert "not a regular expression" in win.statusBar().currentMessage()
    assert _stored(win) == []
