"""A scan page's OCR reading is kept in the case once read, and only then."""
from __future__ import annotations

import pymupdf

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
