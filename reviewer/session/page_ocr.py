"""OCR of pages that are only pictures, read once per case and kept (reviewer.store.page_ocr).

A production of scans has no text layer: every search of it, and the identifier sweep
before each export, would otherwise run tesseract on every page again (about two seconds a
page here). :func:`reader` gives the search (reviewer.pdf.search) a reader that looks in the
case first and keeps what tesseract read; a page tesseract could not read is not kept, so
the next search tries again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.store.db import CaseStore


def reader(store: CaseStore, media_id: int) -> Callable[[Any], list | None]:
    """A reader of one document's pages (PyMuPDF pages) that keeps what it read in ``store``
    (the calling thread's own connection)."""
    from reviewer.pdf import ocr_search
    from reviewer.store import page_ocr

    def read(page: Any) -> list | None:
        n = page.number + 1
        rows = page_ocr.read_words(store, media_id, n, ocr_search.READER)
        if rows is not None:
            return ocr_search.from_rows(rows)
        words = ocr_search.read_page(page)
        if words is not None:
            page_ocr.save_words(store, media_id, n, ocr_search.READER, ocr_search.to_rows(words))
        return words

    return read
