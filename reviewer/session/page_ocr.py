"""OCR of pages that are only pictures, and of pictures of text on other pages, read once per
case and kept (reviewer.store.page_ocr).

A production of scans has no text layer: every search of it, and the identifier sweep
before each export, would otherwise run tesseract on every page again (0.2 to 0.4 s a page
here, bench/ocr.py). :func:`read_ahead` reads a document's scanned pages on every core;
:func:`reader` gives the search (reviewer.pdf.search) a reader that looks in the case first
for any page left; a page tesseract could not read is not kept, so the next search tries
again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.store.db import CaseStore


def reader(store: CaseStore, media_id: int, pictures: bool = False) -> Callable[[Any], list | None]:
    """A reader of one document's pages (PyMuPDF pages) that keeps what it read in ``store``
    (the calling thread's own connection). ``pictures``: it reads the pictures of text on a
    page with a text layer (reviewer.pdf.pictures) instead of the whole page."""
    from reviewer.pdf import ocr_search, pictures as pics
    from reviewer.store import page_ocr

    name = pics.READER if pictures else ocr_search.READER
    read_now = pics.read_pictures if pictures else ocr_search.read_page

    def read(page: Any) -> list | None:
        n = page.number + 1
        rows = page_ocr.read_words(store, media_id, n, name)
        if rows is not None:
            return ocr_search.from_rows(rows)
        words = read_now(page)
        if words is not None:
            page_ocr.save_words(store, media_id, n, name, ocr_search.to_rows(words))
        return words

    return read


def waiting(store: CaseStore) -> dict[int, int]:
    """For each document, how many pages wait for OCR (only pictures, or holding pictures of
    text) before a search sees all their words."""
    from reviewer.pdf import ocr_search, pictures
    from reviewer.store import page_ocr

    return page_ocr.waiting(store, {pictures.WHOLE_PAGE: ocr_search.READER,
                                    pictures.PICTURES: pictures.READER})


def read_ahead(store: CaseStore, media_id: int, path: str, pages: Any = None,
               progress: Any = None) -> int:
    """Read by OCR, on every core, the pages of the document at ``path`` (``pages``: an
    iterable of page numbers, None for all) that the case has no reading of yet: whole pages
    that look like pictures with no text layer, and the pictures of text on the others
    (reviewer.pdf.pictures). Each reading is kept, in its own transaction, as soon as it is
    made, so a cancel or a kill loses only the pages being read. ``progress``
    (reviewer.progress.Progress) says which page and can cancel. Returns how many pages
    were read."""
    from reviewer.pdf import ocr_search, pictures
    from reviewer.pdf.document import open_pdf
    from reviewer.store import page_ocr

    doc = open_pdf(path, check_tail=False)
    try:
        numbers = list(pages) if pages is not None else list(range(1, doc.page_count + 1))
        have = page_ocr.pages_read(store, media_id, ocr_search.READER)
        have_pics = page_ocr.pages_read(store, media_id, pictures.READER)
        whole: list[int] = []
        pics: list[int] = []
        for n in numbers:
            if n in have and n in have_pics:
                continue
            page = doc[n - 1]
            wanted = pictures.ocr_wanted(page, page.get_text("text"))
            if wanted == pictures.WHOLE_PAGE and n not in have:
                whole.append(n)
            elif wanted == pictures.PICTURES and n not in have_pics:
                pics.append(n)
        # documents imported before import recorded this learn it here (the waiting count)
        page_ocr.mark_wanted(store, media_id, {**{n: pictures.WHOLE_PAGE for n in whole},
                                               **{n: pictures.PICTURES for n in pics}})
        total = len(whole) + len(pics)
        read = 0
        try:
            runs = [(whole, ocr_search.READER, {}),
                    (pics, pictures.READER, {"prepare": pictures.crops, "read": pictures.read_crops})]
            for todo, name, how in runs:
                for n, words in ocr_search.read_pages(doc, todo, **how):
                    if words is not None:
                        page_ocr.save_words(store, media_id, n, name, ocr_search.to_rows(words))
                        read += 1
                    if progress is not None:
                        progress.update(read / max(1, total), f"reading pages by OCR: {read} of {total}")
        finally:
            if read:
                fill_bates(store, media_id)
        return read
    finally:
        doc.close()


def fill_bates(store: CaseStore, media_id: int) -> int:
    """Give the pages with no Bates number in their text the one OCR read in their margin,
    where it agrees with the production's sequence: another page's number (from its text, or
    read the same way) with the same prefix and width lies exactly as many pages away as
    their numbers differ. A misread digit breaks the sequence and is left out: a pin cite to
    a wrong page is worse than one by page number. Returns how many pages got one."""
    import re

    from reviewer.pdf.bates import Word, find_bates
    from reviewer.pdf.ocr_search import OCR_DPI, READER
    from reviewer.store import media as media_store
    from reviewer.store import page_ocr

    k = 72.0 / OCR_DPI
    pages = media_store.pages_of(store, media_id)
    known = {int(p["page_no"]): str(p["bates"]) for p in pages if p["bates"]}
    read: dict[int, str] = {}
    for p in pages:
        if p["bates"]:
            continue
        rows = page_ocr.read_words(store, media_id, int(p["page_no"]), READER)
        if not rows or not p["width_pt"] or not p["height_pt"]:
            continue
        words = [Word(str(r[0]), r[1] * k, r[2] * k, r[3] * k, r[4] * k, (int(r[5][0]) * 1000 + int(r[5][1]), int(r[5][2])))
                 for r in rows]
        found = find_bates(words, float(p["width_pt"]), float(p["height_pt"]))
        if found:
            read[int(p["page_no"])] = found

    def parts(bates: str) -> tuple[str, int, int] | None:
        m = re.fullmatch(r"(.*?)(\d+)", bates)
        return (m.group(1), int(m.group(2)), len(m.group(2))) if m else None

    every = {n: parts(b) for n, b in {**known, **read}.items()}
    good = []
    for n, b in read.items():
        mine = every[n]
        if mine is None:
            continue
        if any(m != n and other is not None and other[0] == mine[0] and other[2] == mine[2]
               and other[1] - mine[1] == m - n for m, other in every.items()):
            good.append((b, n))
    if good:
        with store.write() as tx:
            for b, n in good:
                tx.execute("UPDATE pages SET bates = ? WHERE media_id = ? AND page_no = ? AND coalesce(bates, '') = ''",
                           (b, media_id, n))
    return len(good)
