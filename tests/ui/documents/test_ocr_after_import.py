"""After an import, the pages a search cannot see yet (pictures with no text layer) are read
by OCR in the background: the status line says how many wait, shows the reading's progress
and cancels it; what was read is kept and searchable, and the rest waits for the next run."""
from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")


def _production(tmp_path, pictures: float, pages: int, seed: int):
    from fixtures.production_scale import make_production

    path = tmp_path / "src" / f"prod{seed}.pdf"
    path.parent.mkdir(exist_ok=True)
    truth = make_production(path, pages=pages, seed=seed, pictures=pictures)
    return path, truth


def _import(qtbot, win, path):
    from reviewer.ui.case import case_jobs

    before = len(win.ctl.media_list())
    case_jobs.import_paths(win, [str(path)])
    qtbot.waitUntil(lambda: len(win.ctl.media_list()) > before, timeout=120000)
    return next(m for m in win.ctl.media_list() if m["name"] == path.name)


def _waiting_for(win, media_id) -> int:
    from reviewer.session.page_ocr import waiting

    return waiting(win.ctl.store).get(media_id, 0)


def test_import_starts_a_background_reading_that_makes_pictures_searchable(qtbot, window, tmp_path):
    from conftest import shot

    from reviewer.store import media as media_store

    win = window
    reading = win.ocr_reading
    path, truth = _production(tmp_path, 0.3, 10, 7)
    pictures = sorted(n for n, how in truth.scanned.items() if how == "picture")
    assert pictures
    doc = _import(qtbot, win, path)
    # the reading runs without a modal dialog: the status line shows it and can cancel it
    qtbot.waitUntil(lambda: reading.job is not None or _waiting_for(win, doc["id"]) == 0, timeout=30000)
    if reading.job is not None:
        assert reading.bar.isVisible() and reading.cancel_button.isVisible()
        assert "waiting to be read by OCR" in reading.label.text()
        shot(win, "ocr_reading_in_background")
    qtbot.waitUntil(lambda: reading.job is None, timeout=240000)
    assert _waiting_for(win, doc["id"]) == 0
    assert not reading.bar.isVisible() and "page(s) read by OCR" in win.statusBar().currentMessage()
    name = next(p for p in truth.planted if p.kind == "name" and p.page_no in pictures
                and any(w.isascii() and w.isalpha() and len(w) >= 5 for w in p.text.split()))
    word = next(w for w in name.text.split() if w.isascii() and w.isalpha() and len(w) >= 5)
    hits = media_store.search_pages(win.ctl.store, word)
    assert (doc["id"], name.page_no) in {(h["media_id"], h["page_no"]) for h in hits}


def test_cancel_keeps_the_pages_read_and_the_count_says_what_waits(qtbot, window, tmp_path):
    win = window
    reading = win.ocr_reading
    path, truth = _production(tmp_path, 0.9, 14, 3)
    total = sum(1 for how in truth.scanned.values() if how == "picture")
    assert total >= 8
    doc = _import(qtbot, win, path)
    qtbot.waitUntil(lambda: reading.job is not None, timeout=30000)
    qtbot.waitUntil(lambda: reading.bar.value() > 0, timeout=120000)
    qtbot.mouseClick(reading.cancel_button, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.LeftButton)
    qtbot.waitUntil(lambda: reading.job is None, timeout=120000)
    left = _waiting_for(win, doc["id"])
    assert 0 < left < total
    assert "Reading cancelled" in win.statusBar().currentMessage()
    assert reading.label.text().startswith(f"{reading.waiting} page(s) waiting")
    assert reading.action.isEnabled()
    # File ▸ Read waiting pages by OCR reads the rest, and only the rest
    reading.action.trigger()
    qtbot.waitUntil(lambda: reading.job is None and _waiting_for(win, doc["id"]) == 0, timeout=240000)
    assert f"{left} page(s) read by OCR" in win.statusBar().currentMessage()
    assert reading.label.text() == "" or "waiting" in reading.label.text()
