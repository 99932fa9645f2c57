"""A scan page's OCR reading is kept in the case once read, and only then."""
from __future__ import annotations

import pymupdf
from fixtures.scans import page_picture, picture_pdf

from reviewer.pdf import ocr, ocr_search
from reviewer.session import page_ocr
from reviewer.session.importer import import_paths
from reviewer.store import CaseStore
from reviewer.store import page_ocr as stored


def _case(tmp_path):
    src = tmp_path / "src" / "scan.pdf"
    src.parent.mkdir()
    doc = pymupdf.open()
    doc.new_page()
    doc.new_page()
    doc.save(src)
    store = CaseStore.create(tmp_path / "case")
    (result,) = import_paths(store, [src])
    return store, result.id, src


def test_kept_once_read_and_not_when_tesseract_failed(tmp_path, monkeypatch):
    store, media_id, src = _case(tmp_path)
    word = ocr.OcrWord("Rodriguez", 10, 20, 90, 40, (1, 1, 1), 96.5)
    answers = [None, [word]]
    calls = []

    def read_page(page):
        calls.append(page.number + 1)
        return answers.pop(0)

    monkeypatch.setattr(ocr_search, "read_page", read_page)
    read = page_ocr.reader(store, media_id)
    with pymupdf.open(src) as doc:
        assert read(doc[1]) is None  # tesseract did not read it: nothing kept
        assert stored.pages_read(store, media_id, ocr_search.READER) == set()
        assert read(doc[1]) == [word]  # read: kept
        assert read(doc[1]) == [word]  # and not read again
    assert calls == [2, 2]
    assert stored.pages_read(store, media_id, ocr_search.READER) == {2}
    store.close()
    with CaseStore.open(tmp_path / "case") as again:  # it survives the case being closed
        assert ocr_search.from_rows(stored.read_words(again, media_id, 2, ocr_search.READER)) == [word]
        assert stored.read_words(again, media_id, 2, "another reader") is None


def test_read_ahead_reads_the_picture_pages_once_on_every_core(tmp_path, monkeypatch):
    import shutil
    import subprocess

    import pytest

    if not shutil.which("tesseract"):
        pytest.skip("needs tesseract")
    src = tmp_path / "src" / "mixed.pdf"
    src.parent.mkdir()
    names = ("Maria Rodriguez", "Jose Martinez", "Ana Sanchez")
    picture_pdf(src, [page_picture([(f"Statement of {name}", 72, 100)]) for name in names])
    with pymupdf.open(src) as doc:  # a first page with its own text layer
        doc.insert_page(0, text="A page with its own text layer", width=612, height=792)
        doc.saveIncr()
    store = CaseStore.create(tmp_path / "case")
    (result,) = import_paths(store, [src])
    pages = []
    real = ocr_search._read
    monkeypatch.setattr(ocr_search, "_read", lambda gray: pages.append(gray.shape) or real(gray))
    assert page_ocr.read_ahead(store, result.id, str(src)) == 3
    assert stored.pages_read(store, result.id, ocr_search.READER) == {2, 3, 4}
    assert len(pages) == 3
    assert page_ocr.read_ahead(store, result.id, str(src)) == 0 and len(pages) == 3  # kept
    # what was kept is what tesseract's own command reads on the page
    for n, name in ((2, "Rodriguez"), (3, "Martinez"), (4, "Sanchez")):
        words = [w[0] for w in stored.read_words(store, result.id, n, ocr_search.READER)]
        assert name in words
        png = src.with_name(f"mixed_{n - 1}.png")
        assert name in subprocess.run(["tesseract", str(png), "-"], capture_output=True, text=True,
                                      check=True).stdout
    store.close()


def test_read_ahead_cancelled_keeps_what_it_read(tmp_path, monkeypatch):
    import pytest

    from reviewer.progress import Cancelled, Progress

    src = tmp_path / "src" / "scan.pdf"
    src.parent.mkdir()
    picture_pdf(src, [None] * 6)
    store = CaseStore.create(tmp_path / "case")
    (result,) = import_paths(store, [src])
    monkeypatch.setattr(ocr_search, "_read", lambda gray: [ocr.OcrWord("x", 1, 1, 2, 2, (1, 1, 1), 90.0)])
    seen = []

    def on(fraction, message):
        seen.append(message)
        if len(seen) == 2:
            progress.cancel()

    progress = Progress(on)
    with pytest.raises(Cancelled):
        page_ocr.read_ahead(store, result.id, str(src), progress=progress)
    kept = stored.pages_read(store, result.id, ocr_search.READER)
    assert 1 <= len(kept) < 6
    assert page_ocr.read_ahead(store, result.id, str(src)) == 6 - len(kept)  # the rest, later
    store.close()


def test_what_ocr_read_is_found_by_search_once(tmp_path):
    """A scan's words, once read, are in the page text `reviewer search` (the case's full-text
    index) reads, added once however often the page is read."""
    import json
    import subprocess
    import sys

    from reviewer.store import media as media_store

    store, media_id, _src = _case(tmp_path)
    rows = [["Statement", 10, 10, 90, 30, [1, 1, 1], 95.0], ["of", 95, 10, 110, 30, [1, 1, 1], 95.0],
            ["Valenzuela", 115, 10, 220, 30, [1, 1, 1], 93.0], ["Signed", 10, 40, 80, 60, [1, 1, 2], 90.0]]
    stored.save_words(store, media_id, 2, "r", rows)
    stored.save_words(store, media_id, 2, "r", rows)
    text = next(p for p in media_store.pages_of(store, media_id) if p["page_no"] == 2)["text"]
    assert text.count("Statement of Valenzuela") == 1 and "Statement of Valenzuela\nSigned" in text
    store.close()
    run = subprocess.run([sys.executable, "-m", "reviewer", "search", str(tmp_path / "case"), "Valenzuela",
                          "--json"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    hits = json.loads(run.stdout)
    assert [(h.get("page") or h.get("page_no")) for h in hits] == [2], hits


def test_a_page_that_cannot_be_drawn_is_not_read_and_the_rest_are(tmp_path, monkeypatch):
    from reviewer.pdf import ocr_search as search

    src = tmp_path / "src" / "scan.pdf"
    src.parent.mkdir()
    picture_pdf(src, [None] * 3)
    real = search._picture

    def picture(page):
        if page.number == 1:
            raise RuntimeError("format error: broken content stream")
        return real(page)

    monkeypatch.setattr(search, "_picture", picture)
    monkeypatch.setattr(search, "_read", lambda gray: [ocr.OcrWord("x", 1, 1, 2, 2, (1, 1, 1), 90.0)])
    with pymupdf.open(src) as opened:
        got = dict(search.read_pages(opened, [1, 2, 3]))
    assert got[2] is None and got[1] and got[3]


def test_scanned_pages_get_the_bates_numbers_ocr_reads_in_sequence(tmp_path):
    """An image-only production, Bates stamped in the pixels: once read, each page cites by
    its Bates number; a stamp that breaks the sequence (a misread, or a stray number) is left
    out, and that page still cites by page number."""
    import shutil

    import pytest

    from reviewer.store.exhibits import page_bates

    if not shutil.which("tesseract"):
        pytest.skip("needs tesseract")
    stamps = ["ICE-2023-000301", "ICE-2023-000302", "ICE-2023-000777", "ICE-2023-000304"]
    src = tmp_path / "src" / "scans.pdf"
    src.parent.mkdir()
    picture_pdf(src, [page_picture([(f"Record of interview, part {i + 1}", 72, 100), (stamp, 440, 760)],
                                   size_pt=10) for i, stamp in enumerate(stamps)])
    store = CaseStore.create(tmp_path / "case")
    (result,) = import_paths(store, [src])
    assert [page_bates(store, result.id, n) for n in range(1, 5)] == [None] * 4
    assert page_ocr.read_ahead(store, result.id, str(src)) == 4
    assert [page_bates(store, result.id, n) for n in range(1, 5)] == \
        ["ICE-2023-000301", "ICE-2023-000302", None, "ICE-2023-000304"]
    store.close()
