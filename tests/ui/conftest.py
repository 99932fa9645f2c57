"""UI test fixtures: a small real case (video + production PDF) built once per session.

Preferences, QSettings and the demo folder go to a temporary home so tests never read or
write the user's own; VLC gets a dummy audio output.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="reviewer-ui-home-"))
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)  # else every run leaves one in /tmp
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ["REVIEWER_NO_AUDIO"] = "1"

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
N_FRAMES = 60


@pytest.fixture(autouse=True)
def _fresh_settings():
    """Each test starts as a fresh install: no window place, dock layout or remembered folder
    saved by the test before it (the temporary home's QSettings last the whole run)."""
    from PySide6.QtCore import QSettings

    settings = QSettings("Reviewer", "Reviewer")
    settings.clear()
    settings.sync()
    yield
    # and no job of this test still holds one of the pool's threads (two on two cores) when
    # the next test starts its own: an import waited out a minute behind one in a full run
    from reviewer.ui.workers import cancel_all

    cancel_all(wait_ms=120000)


@pytest.fixture(scope="session")
def media_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from fixtures.pdfs import make_production_pdf
    from fixtures.videos import make_video

    folder = tmp_path_factory.mktemp("ui-media")
    video = make_video(folder / "bodycam.mp4", "cfr", n_frames=N_FRAMES, size=(320, 240))
    pdf = make_production_pdf(folder / "production.pdf").path
    return {"video": Path(video), "pdf": Path(pdf)}


@pytest.fixture(scope="session")
def base_case(tmp_path_factory: pytest.TempPathFactory, media_files: dict[str, Path]) -> Path:
    from reviewer.session.importer import Imported, import_paths
    from reviewer.store import CaseStore

    folder = tmp_path_factory.mktemp("ui-case-base") / "case"
    with CaseStore.create(folder) as store:
        results = import_paths(store, [media_files["video"], media_files["pdf"]])
    assert all(isinstance(r, Imported) for r in results), results
    return folder


@pytest.fixture
def case(base_case: Path, tmp_path: Path) -> Path:
    """A fresh copy of the case for each test (tests edit it)."""
    dest = tmp_path / "case"
    shutil.copytree(base_case, dest)
    return dest


@pytest.fixture(scope="session")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo case (reviewer.demo: three body-cam clips and a released PDF), built once."""
    from reviewer.demo import build_demo_case

    return build_demo_case(tmp_path_factory.mktemp("demo") / "case")


@pytest.fixture
def window(qtbot, case: Path, tmp_path: Path):
    from windows import open_window

    win = open_window(qtbot, case, tmp_path / "prefs.json")
    yield win
    win.close()


def go_on_anyway(qtbot, win, done=None) -> bool:
    """Answer the identifier sweep's question (asked before a PDF export or a bundle when an
    identifier is still readable) with "Go on anyway". With ``done``, the sweep may also find
    nothing and go on by itself: True when the question was asked."""
    qtbot.waitUntil(lambda: win.redact.find.prompt is not None or bool(done and done()),
                    timeout=60000)
    box = win.redact.find.prompt
    if box is None:
        return False
    next(b for b in box.buttons() if b.text() == "Go on anyway").click()
    return True


def shot(widget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def ids(win) -> dict[str, int]:
    """The open case's item ids by kind ("video", "pdf")."""
    return {m["kind"]: m["id"] for m in win.ctl.media_list()}


def image_number(image) -> int:
    """The frame number drawn into a fixture frame, read back from a QImage."""
    import numpy as np
    from fixtures.videos import read_number
    from PySide6.QtGui import QImage

    img = image.convertToFormat(QImage.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    return read_number(arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy())


def pytest_collection_modifyitems(items: list) -> None:
    # Qt's offscreen platform cannot resize a real window to fit its contents, raise a window
    # or grab the keyboard (a file dialog's path completer does), and says so each time; this
    # is the plugin, not the app. Only those messages are let through; any other warning
    # still fails the test.
    for item in items:
        if "/tests/ui/" in str(item.fspath):
            item.add_marker(pytest.mark.qt_log_ignore(
                r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|"
                r"grabbing the keyboard)$"))
