"""Search and redact over a scan that is only a picture (no text layer), as most
productions are: the window reads the page with tesseract, finds the name in its pixels,
boxes it, says the page was read by OCR (which can miss a word), and keeps the reading in
the case so the next search, and the sweep before an export, do not read it again. Without
tesseract, "Nothing found" never stands alone: the panel says the page was not searched.

What the page and the export say is read with poppler (pdftotext, pdftoppm) and tesseract's
own command, not the project's code."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

NEEDS = pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm")),
                           reason="needs tesseract and poppler-utils")


def _image_only_scan(path: Path) -> Path:
    """A copier's page at 200 dpi: the name is in the pixels, there is no text at all."""
    from fixtures.scans import copier_scan

    return copier_scan(path)


@pytest.fixture
def scan_window(qtbot, case: Path, tmp_path: Path):
    from windows import open_window

    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore

    scan = _image_only_scan(tmp_path / "copier_scan.pdf")
    with CaseStore.open(case) as store:
        import_paths(store, [scan])
    win = open_window(qtbot, case, tmp_path / "prefs.json")
    yield win
    win.close()


def _find(qtbot, win, pattern: str) -> str:
    win.actions["search_redact"].trigger()
    panel = win.redact.find.panel
    panel.pattern.setCurrentText(pattern)
    panel.find_button.click()
    qtbot.waitUntil(lambda: panel.find_button.isEnabled() and panel.summary.text() != ""
                    and not panel.summary.text().startswith("Searching"), timeout=120000)
    return panel.summary.text()


def _scan_row(win) -> dict:
    return next(m for m in win.ctl.media_list() if m["name"] == "copier_scan.pdf")


@NEEDS
def test_a_name_in_a_picture_is_found_by_ocr_marked_and_gone_after_export(qtbot, scan_window, tmp_path,
                                                                          monkeypatch):
    from conftest import shot

    from reviewer.pdf import ocr

    win = scan_window
    scan = _scan_row(win)
    # an independent reader agrees there is no text to search on the scan
    assert not subprocess.run(["pdftotext", scan["path"], "-"], capture_output=True, text=True,
                              check=True).stdout.strip()
    reads: list[int] = []
    real = ocr.read_words
    monkeypatch.setattr(ocr, "read_words", lambda *a, **k: reads.append(1) or real(*a, **k))
    text = _find(qtbot, win, "Rodriguez")
    panel = win.redact.find.panel
    hits = [h for h in panel.matches if h.doc == "copier_scan.pdf"]
    assert [(h.page_no, h.text) for h in hits] == [(1, "Rodriguez")], text
    assert hits[0].before.endswith("Maria")  # its words around it, from the OCR reading
    assert "copier_scan.pdf: page(s) 1 have no text layer; they were searched by OCR" in text
    assert reads == [1]
    shot(win, "window-find-ocr-scan")
    panel.mark_button.click()  # every hit ticked: the case's production has the name too
    assert panel.summary.text().startswith("Added ")
    # searched again (and swept before the export): the case keeps the reading
    _find(qtbot, win, "Rodriguez")
    assert [h.covered for h in panel.matches if h.doc == "copier_scan.pdf"] == [True]
    assert reads == [1]
    win.view.open_item(scan["id"])
    out = tmp_path / "exports" / "scan-redacted.pdf"  # never beside the originals
    out.parent.mkdir()
    win.redact.export_current(str(out))
    qtbot.waitUntil(lambda: getattr(win, "last_export", None) is not None
                    or win.redact.find.prompt is not None, timeout=120000)
    assert win.redact.find.prompt is None and out.is_file()
    assert reads == [1]
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-singlefile", str(out), str(tmp_path / "page")],
                   check=True)
    read = subprocess.run(["tesseract", str(tmp_path / "page.pgm"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Rodriguez" not in read and "odrig" not in read
    assert "neighbour line stays" in read and "Statement of Maria" in read


def test_without_tesseract_the_panel_says_the_page_was_not_searched(qtbot, scan_window, monkeypatch):
    from reviewer.pdf import ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name, *a, **k: None if name == "tesseract"
                        else shutil.which(name, *a, **k))
    text = _find(qtbot, scan_window, "Rodriguez")
    assert "copier_scan.pdf: page(s) 1 have no text layer; text on them was not searched" in text
    # the production PDF of the case has a text layer: it is not named
    assert "production.pdf" not in text
