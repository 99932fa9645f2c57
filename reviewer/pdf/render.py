"""Page pixels and words for the UI's worker threads.

MuPDF documents are not thread-safe, so each thread keeps its own open documents (a small
per-thread cache); nothing here is shared between threads.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import pymupdf

from reviewer.errors import ReviewerError
from reviewer.pdf.bates import Word
from reviewer.pdf.document import open_pdf
from reviewer.pdf.reader import page_words as _page_words

MAX_OPEN_PER_THREAD = 4
MAX_PIXELS = 60_000_000  # a runaway zoom must not allocate gigabytes

_local = threading.local()

RenderedPage = tuple[int, int, int, bytes]  # width, height, stride, RGB bytes


def _document(path: str | Path) -> pymupdf.Document:
    cache: OrderedDict = getattr(_local, "docs", None) or OrderedDict()
    _local.docs = cache
    key = os.path.abspath(str(path))
    mtime = os.stat(key).st_mtime_ns
    hit = cache.get(key)
    if hit is not None and hit[0] == mtime:
        cache.move_to_end(key)
        return hit[1]
    if hit is not None:
        hit[1].close()
    doc = open_pdf(key, check_tail=False)
    cache[key] = (mtime, doc)
    while len(cache) > MAX_OPEN_PER_THREAD:
        _k, (_m, old) = cache.popitem(last=False)
        old.close()
    return doc


def close_thread_documents() -> None:
    """Close this thread's documents (call when a worker thread ends)."""
    cache = getattr(_local, "docs", None)
    if cache:
        for _m, doc in cache.values():
            doc.close()
        cache.clear()


def _page(path: str | Path, page_no: int) -> pymupdf.Page:
    doc = _document(path)
    if not 1 <= page_no <= doc.page_count:
        raise ReviewerError(f"{Path(path).name}: no page {page_no} (it has {doc.page_count})")
    return doc[page_no - 1]


def render_page(path: str | Path, page_no: int, zoom: float) -> RenderedPage:
    """Page ``page_no`` (1-based) as displayed (rotation applied) at ``zoom`` x 72 dpi:
    (width, height, stride, RGB bytes)."""
    page = _page(path, page_no)
    r = page.rect
    if zoom <= 0 or r.width * r.height * zoom * zoom > MAX_PIXELS:
        raise ReviewerError(f"{Path(path).name}: zoom {zoom} is out of range for page {page_no}")
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    return pix.width, pix.height, pix.stride, bytes(pix.samples)


def thumbnail(path: str | Path, page_no: int, max_px: int = 160) -> RenderedPage:
    """A thumbnail whose longer side is ``max_px`` pixels."""
    page = _page(path, page_no)
    zoom = max_px / max(page.rect.width, page.rect.height, 1.0)
    return render_page(path, page_no, zoom)


def page_words(path: str | Path, page_no: int) -> list[Word]:
    """Words in reading order with rectangles as displayed (PDF points, top-left), hidden
    OCR text included, for text selection and click-to-redact."""
    return _page_words(_page(path, page_no))


def page_size(path: str | Path, page_no: int) -> tuple[float, float]:
    """(width, height) in points, as displayed."""
    r = _page(path, page_no).rect
    return float(r.width), float(r.height)
