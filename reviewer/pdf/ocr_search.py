"""Searching a page that is only a picture (no text layer) by reading it with tesseract.

Used by `redact text` for the pages :func:`reviewer.pdf.search.no_text_layer` finds; the
caller still warns about those pages, because OCR can miss a word and a reviewer must look.
Each hit is boxed by whole OCR words (a partial match boxes its whole word), grown by a
margin, since tesseract's word boxes sit tight on the ink.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pymupdf

from reviewer.pdf import ocr
from reviewer.pdf.document import Rect4

OCR_DPI = 200
PAD_PT = 2.0


def available() -> bool:
    return ocr.available()


# names what read_page gives, for a stored reading (reviewer.store.page_ocr)
READER = f"tesseract psm3 {OCR_DPI}dpi"


def _picture(page: pymupdf.Page) -> np.ndarray:
    """The page as displayed (rotation applied), grey, at OCR_DPI."""
    pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    return np.ascontiguousarray(gray)


def _read(gray: np.ndarray) -> list[ocr.OcrWord] | None:
    words = ocr.read_words(gray, psm=3)
    return None if words is None else [w for w in words if w.text.strip()]


def read_page(page: pymupdf.Page) -> list[ocr.OcrWord] | None:
    """The words tesseract reads on the page as displayed (rotation applied, so pixel boxes
    are displayed points * OCR_DPI / 72), or None when it did not run."""
    return _read(_picture(page))


def read_pages(doc: pymupdf.Document, numbers: list[int],
               workers: int | None = None, *, prepare: Callable[[pymupdf.Page], Any] | None = None,
               read: Callable[[Any], list | None] | None = None,
               ) -> Iterator[tuple[int, list[ocr.OcrWord] | None]]:
    """(page number, read_page of it) for each of ``numbers`` (1-based), in the order they
    finish: MuPDF renders the pages one after another on this thread (a document is not
    shared between threads), and as many tesseract processes as there are cores read them,
    each on one thread (ocr.ocr_env). At most ``workers`` pictures wait in memory.
    ``prepare(page)`` and ``read(prepared)`` replace the whole page's picture and its reading
    (reviewer.pdf.pictures reads the pictures on a page instead)."""
    import os
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    workers = workers or max(1, os.cpu_count() or 1)
    todo = list(numbers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: dict = {}
        try:
            while todo or running:
                while todo and len(running) < workers:
                    n = todo.pop(0)
                    try:
                        gray = (prepare or _picture)(doc[n - 1])
                    except Exception:  # noqa: BLE001 - a page MuPDF cannot draw is not read
                        yield n, None
                        continue
                    running[pool.submit(read or _read, gray)] = n
                if not running:
                    continue
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for f in done:
                    yield running.pop(f), f.result()
        finally:
            for f in running:
                f.cancel()


def picture_pages(doc: pymupdf.Document, numbers: Iterable[int]) -> list[int]:
    """Of ``numbers``, the pages that look like pictures with no text layer: the search's own
    test (reviewer.pdf.search.no_text_layer) on PyMuPDF's plain text. The search decides
    again on its own reading; this only picks the pages worth reading ahead."""
    from reviewer.pdf.search import no_text_layer

    return [n for n in numbers if no_text_layer(doc[n - 1], doc[n - 1].get_text("text"))]


def to_rows(words: list[ocr.OcrWord]) -> list[list]:
    return [[w.text, w.x0_px, w.y0_px, w.x1_px, w.y1_px, list(w.line_key), w.conf] for w in words]


def from_rows(rows: list[list]) -> list[ocr.OcrWord]:
    return [ocr.OcrWord(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]),
                        (int(r[5][0]), int(r[5][1]), int(r[5][2])), float(r[6])) for r in rows]


def ocr_matches(page: pymupdf.Page, regex: re.Pattern[str],
                words: list[ocr.OcrWord] | None = None) -> list:
    """Matches of ``regex`` in what tesseract reads on ``page`` (see reviewer.pdf.search);
    ``words``: a reading of the page made earlier (read_page), else it is read now."""
    from reviewer.pdf.search import Match, _spans

    if words is None:
        words = read_page(page) or []
    text_parts: list[str] = []
    owner: list[int | None] = []  # for each character of the text, the word it belongs to
    line = None
    for i, w in enumerate(words):
        if text_parts:
            sep = " " if w.line_key == line else "\n"
            text_parts.append(sep)
            owner.append(None)
        text_parts.extend(w.text)
        owner.extend([i] * len(w.text))
        line = w.line_key
    text = "".join(text_parts)
    scale = 72.0 / OCR_DPI
    W, H = page.rect.width, page.rect.height
    out = []
    for a, b in _spans(regex, text):
        hit = sorted({owner[k] for k in range(a, b) if owner[k] is not None})
        if not hit:
            continue
        per_line: dict[tuple[int, int, int], list[Rect4]] = {}
        for k in hit:
            w = words[k]
            per_line.setdefault(w.line_key, []).append(
                (max(0.0, w.x0_px * scale - PAD_PT), max(0.0, w.y0_px * scale - PAD_PT),
                 min(W, w.x1_px * scale + PAD_PT), min(H, w.y1_px * scale + PAD_PT)))
        rects = tuple((min(r[0] for r in rs), min(r[1] for r in rs), max(r[2] for r in rs), max(r[3] for r in rs))
                      for rs in per_line.values())
        out.append(Match(page.number + 1, text[a:b], rects))
    return out
