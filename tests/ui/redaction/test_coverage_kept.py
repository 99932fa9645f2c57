"""A completed face coverage check is case state: kept in the case, so a restart or another
computer opening the case (no QSettings of its own, another folder path) shows it, and another
case holding the same clip does not."""
from __future__ import annotations

import shutil

from conftest import ids
from PySide6.QtCore import QSettings


def open_video(qtbot, case, prefs):
    from windows import open_window

    win = open_window(qtbot, case, prefs)
    win.view.open_item(ids(win)["video"])
    qtbot.waitUntil(lambda: win.video.media is not None)
    return win


def test_a_completed_check_goes_with_the_case(qtbot, window, base_case, tmp_path):
    from reviewer.store import CaseStore
    from reviewer.session.coverage_record import last_check

    win = window
    win.view.open_item(ids(win)["video"])
    cov = win.redact.coverage
    assert cov.panel.summary.text().startswith("Not checked yet")
    win.actions["coverage"].trigger()
    qtbot.waitUntil(lambda: cov.result is not None, timeout=180000)
    frames = win.video.times.count
    found = f"no uncovered face on {frames} of {frames} frames"
    assert found in cov.panel.summary.text()
    case = win.ctl.folder
    win.close()
    with CaseStore.open(case) as store:  # in the case itself, for this very clip
        media = next(m for m in store.query("SELECT * FROM media") if m["kind"] == "video")
        kept = last_check(store, media)
    assert kept is not None and kept["frames_checked"] == frames and kept["frames"] == []

    # another computer: no settings of its own, the case copied to another place
    settings = QSettings("Reviewer", "Reviewer")
    settings.clear()
    settings.sync()
    elsewhere = tmp_path / "another-computer" / "case"
    shutil.copytree(case, elsewhere)
    other = open_video(qtbot, elsewhere, tmp_path / "prefs2.json")
    summary = other.redact.coverage.panel.summary.text()
    assert summary.startswith("Checked ") and found in summary, summary
    other.close()

    # another case holding the same clip: its own check, none yet
    fresh = tmp_path / "other-case"
    shutil.copytree(base_case, fresh)
    third = open_video(qtbot, fresh, tmp_path / "prefs3.json")
    assert third.redact.coverage.panel.summary.text().startswith("Not checked yet")
    third.close()
