"""Starting the app, a bad case as one line (no traceback), recent cases and their file."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT
from PySide6.QtWidgets import QMessageBox

from reviewer.ui.case.prefs import MAX_RECENT, PREFS_VERSION, Prefs, load_prefs, save_prefs


def test_prefs_round_trip_and_recent_order(tmp_path):
    path = tmp_path / "prefs.json"
    p = Prefs()
    for i in range(MAX_RECENT + 3):
        p = p.with_recent(tmp_path / f"case{i}")
    p = p.with_recent(tmp_path / "case5")  # reopening moves it to the front, once
    save_prefs(p, path)
    back = load_prefs(path)
    assert back.recent_cases[0].endswith("case5")
    assert len(back.recent_cases) == MAX_RECENT
    assert len(set(back.recent_cases)) == MAX_RECENT
    assert json.loads(path.read_text())["version"] == PREFS_VERSION


def test_prefs_from_a_newer_version_or_garbage_fall_back_to_defaults(tmp_path):
    path = tmp_path / "prefs.json"
    path.write_text(json.dumps({"version": PREFS_VERSION + 1, "recent_cases": ["/x"]}))
    assert load_prefs(path).recent_cases == ()
    path.write_text("{not json")
    assert load_prefs(path) == Prefs()


def test_opening_a_bad_case_says_one_line(qtbot, tmp_path, monkeypatch):
    from reviewer.ui.main_window import MainWindow

    win = MainWindow(prefs_path=tmp_path / "prefs.json")
    qtbot.addWidget(win)
    not_a_case = tmp_path / "empty"
    not_a_case.mkdir()
    assert not win.open_case(not_a_case)
    box = win._last_error
    assert isinstance(box, QMessageBox)
    assert "\n" not in box.text() and "not a case" in box.text() and "Traceback" not in box.text()
    assert win.ctl is None
    box.close()


def test_open_case_records_recent_and_window_lists_it(qtbot, case, tmp_path):
    from reviewer.ui.main_window import MainWindow

    prefs = tmp_path / "prefs.json"
    win = MainWindow(prefs_path=prefs)
    qtbot.addWidget(win)
    assert win.open_case(case)
    assert load_prefs(prefs).recent_cases[0] == str(case.resolve())
    win._fill_recent()
    assert win.recent_menu.actions()[0].text() == str(case.resolve())
    assert win.items.list.count() == 2
    assert "bodycam.mp4" in win.items.list.item(0).text()
    assert "60 frames" in win.items.list.item(0).text()
    assert "6 pages" in win.items.list.item(1).text()
    assert "ICE-2023-000123–000128" in win.items.list.item(1).text()  # cited as a range
    win.close()


def test_main_py_with_a_bad_case_exits_cleanly_without_traceback(tmp_path):
    """The real entry point, offscreen: a message box, no traceback; closed by a timer."""
    script = (
        "import sys, runpy\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication, QMessageBox\n"
        "app = QApplication(sys.argv[:1])\n"
        "def close():\n"
        "    for w in app.topLevelWidgets():\n"
        "        if isinstance(w, QMessageBox): print('BOX:' + w.text(), flush=True)\n"
        "    app.quit()\n"
        "QTimer.singleShot(1500, close)\n"
        "sys.argv = ['main.py', sys.argv[1]]\n"
        f"runpy.run_path({str(ROOT / 'main.py')!r}, run_name='__main__')\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", script, str(tmp_path / "nope")], check=False,
                       capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    boxes = [l for l in r.stdout.splitlines() if l.startswith("BOX:")]
    assert boxes and "not a case" in boxes[0]


def test_qt_binding_in_use_is_not_the_one_that_crashes():
    from reviewer.ui.app import qt_binding_problem

    assert qt_binding_problem() is None
