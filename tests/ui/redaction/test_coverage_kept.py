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


def test_stretches_shown_whole_in_a_narrow_panel(qtbot):
    """Each stretch of frames with a face not covered, its times included, is shown whole in
    a narrow Faces panel (as at 1280x800): the line wraps instead of running off the side."""
    from PySide6.QtCore import QRect, Qt

    from reviewer.ui.redaction.coverage import CoveragePanel

    panel = CoveragePanel()
    qtbot.addWidget(panel)
    panel.resize(200, 400)
    panel.show()
    qtbot.waitExposed(panel)
    rows = [(f, f"00:00:{f // 30:02d}.{(f % 30) * 33:03d}", 1) for f in (15, 16, 17, 90)]
    panel.show_result("bodycam_01_street.mp4", rows, 300)
    qtbot.wait(50)
    lst = panel.list
    fm = lst.fontMetrics()
    room = lst.viewport().width()
    for i in range(lst.count()):
        it = lst.item(i)
        rect = lst.visualItemRect(it)
        need = fm.boundingRect(QRect(0, 0, rect.width() - 6, 10000), int(Qt.TextWordWrap), it.text())
        assert rect.right() <= room and need.width() <= rect.width() - 6, (it.text(), rect, room)
        assert rect.height() >= need.height(), (it.text(), rect.height(), need.height())
