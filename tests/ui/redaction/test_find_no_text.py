"""Search and redact over a scan that is only a picture (no text layer): "Nothing found" must
not stand alone; the panel says which pages were not searched, as `redact text` warns."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def _image_only_scan(path: Path) -> Path:
    """A copier's page: the name is in the pixels, there is no text at all."""
    import pymupdf
    from PIL import Image, ImageDraw

    img = Image.new("L", (1224, 1584), 255)
    ImageDraw.Draw(img).text((144, 200), "Statement of Maria Rodriguez", fill=0)
    png = path.with_suffix(".png")
    img.save(png)
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, filename=str(png))
    doc.save(path)
    return path


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


def test_nothing_found_on_a_picture_says_the_page_was_not_searched(qtbot, scan_window):
    win = scan_window
    # an independent reader agrees there is no text to search on the scan
    scan = next(m for m in win.ctl.media_list() if m["name"] == "copier_scan.pdf")
    assert not subprocess.run(["pdftotext", scan["path"], "-"], capture_output=True, text=True,
                              check=True).stdout.strip()
    win.actions["search_redact"].trigger()
    panel = win.redact.find.panel
    panel.pattern.setCurrentText("Rodriguez")
    panel.find_button.click()
    qtbot.waitUntil(lambda: panel.find_button.isEnabled() and not panel.summary.text().startswith("Searching"),
                    timeout=60000)
    text = panel.summary.text()
    assert "copier_scan.pdf: page(s) 1 have no text layer; text on them was not searched" in text
    # the production PDF of the case has a text layer: it is not named
    assert "production.pdf" not in text
