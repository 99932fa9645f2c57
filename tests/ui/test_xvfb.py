"""Whole-window tests in a real X window (Xvfb, Qt's xcb platform); screenshots kept."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SHOTS

pytestmark = pytest.mark.xvfb


@pytest.fixture(scope="module")
def display():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    for n in range(91, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock = Path(f"/tmp/.X11-unix/X{n}")
    for _ in range(100):
        if sock.exists():
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.skip("Xvfb did not start")
    yield f":{n}"
    proc.terminate()
    proc.wait(10)


def test_window_under_x_steps_plays_and_redacts(display, case):
    SHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", REVIEWER_NO_AUDIO="1")
    r = subprocess.run([sys.executable, str(Path(__file__).with_name("xvfb_driver.py")), str(case),
                        str(SHOTS)], check=False, capture_output=True, text=True, timeout=180, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    line = next(l for l in r.stdout.splitlines() if l.startswith("STATE "))
    state = json.loads(line[6:])
    assert state["platform"] == "xcb"
    assert state["first"] and state["after_7_right"] and state["after_shift_right"]
    assert state["played_to"] > 37 or not state["sound"]
    assert state["paused_exact"] and state["home"]
    assert state["boxes"] == 1 and state["page_rendered"]
    assert "Frame 0 of" in state["readout"]
    assert (SHOTS / "xvfb-window-grab.png").stat().st_size > 10_000
    assert (SHOTS / "xvfb-screen.png").exists()


def test_demo_case_from_the_file_menu_under_x(display, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", REVIEWER_NO_AUDIO="1",
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    r = subprocess.run([sys.executable, str(Path(__file__).with_name("xvfb_driver.py")), "--demo",
                        str(SHOTS)], check=False, capture_output=True, text=True, timeout=400, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    state = json.loads(next(l for l in r.stdout.splitlines() if l.startswith("STATE "))[6:])
    assert state["title"].startswith("Reviewer — demo-case")
    assert state["after_7_right"] and state["home"] and state["page_rendered"]
    assert state["boxes"] == 1 and state["boxes_after_undo"] == 0
    assert (tmp_path / "data" / "Reviewer" / "demo-case" / "case.db").exists()


def test_main_py_demo_starts_the_real_program(display, tmp_path):
    """``python main.py --demo`` itself, in the X window, until the demo case is open."""
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", REVIEWER_NO_AUDIO="1",
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.Popen([sys.executable, "main.py", "--demo"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        prefs = tmp_path / "config" / "Reviewer" / "prefs.json"
        for _ in range(2400):  # the recent-cases list is written once the case is open
            if prefs.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert "demo-case" in prefs.read_text()
        time.sleep(2)
        shot_path = SHOTS / "xvfb-main-py-demo.png"
        subprocess.run(["import", "-display", display, "-window", "root", str(shot_path)],
                       check=True, timeout=30)
        assert shot_path.stat().st_size > 10_000
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err[-3000:]


def test_workflow_restart_note_suggestion_export_bundle(display, case, tmp_path):
    """Issue 15: the whole workflow in a real X window, driven with xdotool's real input."""
    if shutil.which("xdotool") is None:
        pytest.skip("xdotool is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", REVIEWER_NO_AUDIO="1",
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    driver = str(Path(__file__).with_name("xvfb_workflow.py"))

    def step(*args: str) -> dict:
        r = subprocess.run([sys.executable, driver, *args], check=False, capture_output=True,
                           text=True, timeout=420, env=env, cwd=ROOT)
        assert r.returncode == 0, r.stderr[-4000:]
        assert "Traceback" not in r.stderr, r.stderr[-4000:]
        return json.loads(next(l for l in r.stdout.splitlines() if l.startswith("STATE "))[6:])

    before = step("prepare", str(case), str(SHOTS))
    assert before["prepared_rows"] == ["box", "box", "audio"]
    out = tmp_path / "filings"
    s = step("run", str(case), str(SHOTS), str(out))
    assert s["platform"] == "xcb"
    # the restart: the panel shows, and shows the selected clip's two boxes and its mute
    assert s["restart_panel_visible"] and s["restart_item"] == "bodycam.mp4"
    assert s["restart_rows"] == ["box", "box", "audio"], s
    assert s["restart_summary"].startswith("bodycam.mp4: 2 boxes, 1 sound span")
    # the note typed into the dialog, marked from its context menu
    assert s["note"] == [["Stamp shows the date", ["evidence"], 2]]
    assert s["note_for_bundle"] and "1 marked for the bundle" in s["notes_count"]
    # a suggestion accepted from the list with A; the status line says so
    assert s["suggestions"] >= 1 and s["accepted"] == "active"
    assert s["accept_status_line"].startswith("Accepted suggestion #")
    # the export: swept, marked, the dialog in the case's exports folder, a result with Open
    assert s["sweep_found"] > 0 and s["marked_summary"].startswith("Added ")
    assert Path(s["export_dialog_dir"]) == (case / "exports").resolve()
    assert "checks of the written file found" in s["export_result"]
    assert {"Show in folder", "Open"} <= set(s["export_buttons"])
    exported = case / "exports" / "production.redacted.pdf"
    assert exported.is_file()
    text = subprocess.run(["pdftotext", str(exported), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "900-10-1000" not in text and "Record of Deportable Alien" in text
    # the bundle, its folder chosen with a folder chooser, the marked note in its report
    assert s["bundle_dialog_is_folder_chooser"]
    bundle = Path(s["bundle_folder"])
    assert bundle.parent == out and (bundle / "SHA256SUMS").is_file()
    assert "Stamp shows the date" in (bundle / "annotations.html").read_text("utf-8")
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=bundle, capture_output=True,
                          text=True, check=False)
    assert sums.returncode == 0, sums.stdout
    assert s["small_window"] == [1024, 700]
    for n in (1, 5, 9, 11, 12):
        shots = list(SHOTS.glob(f"xvfb-workflow-{n}-*.png"))
        assert shots and shots[0].stat().st_size > 10_000, n
