"""The window offers the batch: Redact > Find faces in every video and File > Export all run
in the background with progress and cancel; each video's tracks are one undo step; a
second run does only what is not done and current."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from batch.readers import face_tracks

_HOME = Path(tempfile.mkdtemp(prefix="reviewer-batch-ui-home-"))
os.environ.setdefault("XDG_CONFIG_HOME", str(_HOME / "config"))
os.environ.setdefault("XDG_DATA_HOME", str(_HOME / "data"))
os.environ["REVIEWER_NO_AUDIO"] = "1"
# as in tests/ui: the offscreen platform says this whenever a window's size limits change
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture
def window(qtbot, case: Path, tmp_path: Path):
    from ui.windows import open_window

    win = open_window(qtbot, case, tmp_path / "prefs.json", size=(1400, 900))
    yield win
    win.close()


def _menu_texts(win, title: str) -> list[str]:
    menu = next(a.menu() for a in win.menuBar().actions() if a.text().replace("&", "") == title)
    return [a.text().replace("&", "") for a in menu.actions()]


def test_find_faces_in_every_video_then_undo_one_and_run_again(qtbot, window, case):
    win = window
    assert "Find faces in every video" in _menu_texts(win, "Redact")
    assert "Export all…" in _menu_texts(win, "File")
    win.actions["faces_all"].trigger()
    qtbot.waitUntil(lambda: hasattr(win, "last_batch_detect"), timeout=120000)
    tracks = face_tracks(case)
    # the command line's rule: strong tracks are redactions at once, weak ones suggestions
    assert all(t and any(s == "active" for *_x, s, _k in t) for t in tracks.values()), tracks
    assert "face track(s) added in 3 video(s)" in win.statusBar().currentMessage()
    win.ctl.undo_stack.undo()  # the last video's tracks go, and its record with them
    after_undo = face_tracks(case)
    emptied = [name for name, t in after_undo.items() if not t]
    assert len(emptied) == 1

    del win.last_batch_detect
    win.actions["faces_all"].trigger()
    qtbot.waitUntil(lambda: hasattr(win, "last_batch_detect"), timeout=120000)
    statuses = {i.name: i.status for i in win.last_batch_detect}
    assert statuses[emptied[0]] == "done"
    assert sorted(s for n, s in statuses.items() if n != emptied[0]) == ["current", "current"]
    assert face_tracks(case) == tracks



def _answer_sweep(qtbot, win, done) -> None:
    """Export all sweeps for identifiers first: go on when it asks."""
    find = win.redact.find
    qtbot.waitUntil(lambda: find.prompt is not None or done(), timeout=60000)
    if find.prompt is not None:
        next(b for b in find.prompt.buttons() if b.text() == "Go on anyway").click()


def test_export_all_from_the_window_then_again_is_a_noop(qtbot, window, tmp_path):
    win = window
    out = tmp_path / "exports"
    win.export_all(str(out))
    _answer_sweep(qtbot, win, lambda: hasattr(win, "last_export_all"))
    qtbot.waitUntil(lambda: hasattr(win, "last_export_all"), timeout=180000)
    assert [i.status for i in win.last_export_all] == ["done"] * 4
    # faces were never searched in this case: the window says so
    assert "Exported 4 item(s)" in win.statusBar().currentMessage()
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert len([n for n in stamps if n.endswith((".mp4", ".pdf"))]) == 4

    del win.last_export_all
    win.export_all(str(out))
    _answer_sweep(qtbot, win, lambda: hasattr(win, "last_export_all"))
    qtbot.waitUntil(lambda: hasattr(win, "last_export_all"), timeout=60000)
    assert [i.status for i in win.last_export_all] == ["current"] * 4
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps


def test_cancelled_export_all_leaves_nothing_half_made(qtbot, window, tmp_path):
    from cli.clirun import ok

    win = window
    out = tmp_path / "cancelled"
    from reviewer.ui.case import case_jobs

    case_jobs.export_all(win, str(out), jobs=1)
    job, _dlg = win._job
    qtbot.waitUntil(lambda: job.progress.fraction > 0.05, timeout=60000)
    job.progress.cancel()
    qtbot.waitUntil(lambda: hasattr(win, "last_export_all") or "cancelled" in
                    win.statusBar().currentMessage().lower(), timeout=60000)
    assert "ancelled" in win.statusBar().currentMessage()
    done = [i for i in getattr(win, "last_export_all", []) if i.status == "done"]
    finals = sorted(p for p in out.iterdir() if p.suffix in (".mp4", ".pdf"))
    assert len(finals) == len(done) < 4
    for p in finals:
        assert ok("verify", p).code == 0
    assert [p.name for p in out.iterdir() if p.name.startswith(".") and "reviewer-export" not in p.name] == []


def test_export_all_from_the_menu_asks_for_a_folder_and_refuses_the_originals(qtbot, window,
                                                                              production, tmp_path):
    win = window
    win.actions["export_all"].trigger()  # File > Export all…: a folder chooser, not blocking
    dlg = win.file_dialog
    qtbot.waitUntil(dlg.isVisible)
    assert Path(dlg.directory().absolutePath()) == Path(win.ctl.folder) / "exports"
    dlg.fileSelected.emit(str(production.media))  # the originals' own folder: refused
    assert not hasattr(win, "last_export_all")
    dlg.close()
    win.actions["export_all"].trigger()
    chosen = tmp_path / "chosen"
    win.file_dialog.fileSelected.emit(str(chosen))
    win.file_dialog.close()
    _answer_sweep(qtbot, win, lambda: hasattr(win, "last_export_all"))
    qtbot.waitUntil(lambda: hasattr(win, "last_export_all"), timeout=180000)
    assert [i.status for i in win.last_export_all] == ["done"] * 4
    assert len([p for p in chosen.iterdir() if p.suffix in (".mp4", ".pdf")]) == 4
