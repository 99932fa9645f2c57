"""The Case list says, for each document, how many of its pages wait to be read by OCR (pages
that are only a picture: a search does not see their words yet), and stops saying it once
they are read."""
from __future__ import annotations

import shutil

import pytest


def _case_with_scans(case, tmp_path):
    """The UI case plus a production where about half the pages are pictures with no text."""
    from fixtures.production_scale import make_production

    from reviewer.session.importer import Imported, import_paths
    from reviewer.session.page_ocr import waiting
    from reviewer.store import CaseStore

    path = tmp_path / "src" / "scanned.pdf"
    path.parent.mkdir()
    truth = make_production(path, pages=8, seed=5, pictures=0.5)
    with CaseStore.open(case) as store:
        (done,) = import_paths(store, [path])
        assert isinstance(done, Imported), done
        counts = waiting(store)
    pictures = sum(1 for how in truth.scanned.values() if how == "picture")
    assert counts.get(done.id) == pictures >= 2, (counts, truth.scanned)
    return done.id, pictures, counts


def _line(win, media_id: int) -> tuple[str, str]:
    item = win.items._items[media_id]
    return item.text(), item.toolTip()


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")
def test_the_case_list_counts_the_pages_waiting_for_ocr(qtbot, case, tmp_path):
    from conftest import shot
    from windows import open_window

    scanned, pictures, counts = _case_with_scans(case, tmp_path)
    win = open_window(qtbot, case, tmp_path / "prefs.json")
    try:
        text, tip = _line(win, scanned)
        # on the page-count line, under the name, and explained in the tooltip
        assert text.splitlines()[1] == f"8 pages · {pictures} wait for OCR", text
        assert f"{pictures} of its pages wait to be read by OCR" in tip, tip
        assert "Read waiting pages by OCR" in tip
        # the typed production has nothing waiting, and a video never says so
        others = [m["id"] for m in win.ctl.media_list() if m["id"] != scanned]
        assert len(others) == 2
        for other in others:
            assert counts.get(other, 0) == 0
            assert "for OCR" not in _line(win, other)[0] and "OCR" not in _line(win, other)[1]
        # the whole line fits the list (the Case list is in the tabs at this size)
        win.docks["items"].raise_()
        qtbot.wait(50)
        lst = win.items.list
        room = lst.viewport().width() - lst.iconSize().width() - 16
        fm = lst.fontMetrics()
        assert all(fm.horizontalAdvance(line) <= room for line in text.splitlines()), (room, text)
        shot(win, "case-list-pages-wait-for-ocr")
        # read them (File ▸ Read waiting pages by OCR): the count goes from the list
        reading = win.ocr_reading
        reading.action.trigger()
        qtbot.waitUntil(lambda: reading.job is None, timeout=240000)
        assert reading.waiting == 0
        text, tip = _line(win, scanned)
        assert text.splitlines()[1] == "8 pages" and "OCR" not in tip, (text, tip)
    finally:
        win.close()


def test_one_page_waiting_is_said_in_the_singular(qtbot):
    from reviewer.ui.case.items_panel import ItemsPanel, ItemSummary

    panel = ItemsPanel()
    qtbot.addWidget(panel)
    panel.set_items([ItemSummary(3, "pdf", "scan.pdf", "4 pages\nABC-1 – ABC-4"),
                     ItemSummary(4, "video", "clip.mp4", "00:00:02 · 60 frames\n320×240")])
    before = panel.wanted_width
    panel.set_ocr_waiting({3: 1})
    assert panel._items[3].text() == "scan.pdf\n4 pages · 1 waits for OCR\nABC-1 – ABC-4"
    assert panel._items[4].text() == "clip.mp4\n00:00:02 · 60 frames\n320×240"
    assert panel.wanted_width >= before
    # a new list of items (after an import) keeps the counts until they are counted again
    panel.set_items([ItemSummary(3, "pdf", "scan.pdf", "4 pages")])
    assert panel._items[3].text() == "scan.pdf\n4 pages · 1 waits for OCR"
    panel.set_ocr_waiting({})
    assert panel._items[3].text() == "scan.pdf\n4 pages"
