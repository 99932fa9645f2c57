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


def read_ahead(store: CaseStore, media_id: int, path: str, pages: Any = None,
               progress: Any = None) -> int:
    """Read by OCR, on every core, the pages of the document at ``path`` (``pages``: an
    iterable of page numbers, None for all) that look like pictures with no text layer and
    that the case has no reading of yet, and keep each reading as it comes. ``progress``
    (reviewer.progress.Progress) says which page and can cancel; what was read stays.
    Returns how many pages were read."""
    from reviewer.pdf import ocr_search
    from reviewer.pdf.document import open_pdf
    from reviewer.store import page_ocr

    doc = open_pdf(path, check_tail=False)
    try:
        numbers = list(pages) if pages is not None else list(range(1, doc.page_count + 1))
        have = page_ocr.pages_read(store, media_id, ocr_search.READER)
        todo = [n for n in ocr_search.picture_pages(doc, [n for n in numbers if n not in have])]
        read = 0
        for i, (n, words) in enumerate(ocr_search.read_pages(doc, todo)):
            if progress is not None:
                progress.update(None, f"reading scanned pages by OCR: {i + 1} of {len(todo)}")
            if words is not None:
                page_ocr.save_words(store, media_id, n, ocr_search.READER, ocr_search.to_rows(words))
                read += 1
        return read
    finally:
        doc.close()
