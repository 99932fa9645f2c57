"""Opening PDFs safely and the coordinate rules every PDF module shares.

MuPDF reports text and drawings in the *unrotated* page space; the contract (CLI.md) speaks
of PDF points, origin top-left, as the page is displayed. ``to_display`` is the one place
that conversion happens.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pymupdf

from reviewer.errors import MediaError

Rect4 = tuple[float, float, float, float]

# How far from the end a complete file's last %%EOF may sit (some writers add padding).
_EOF_WINDOW = 4096

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


def open_pdf(path: str | Path, *, check_tail: bool = True) -> pymupdf.Document:
    """Open a PDF for reading or raise :class:`MediaError` ("NAME: why", one line)."""
    p = Path(path)
    name = p.name
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - _EOF_WINDOW))
            tail = fh.read()
    except OSError as exc:
        raise MediaError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise MediaError(f"{name}: the file is empty")
    if b"%PDF-" not in head:
        raise MediaError(f"{name}: not a PDF (no %PDF header)")
    if check_tail and b"%%EOF" not in tail:
        raise MediaError(f"{name}: the PDF is truncated (its end is missing); ask for a complete copy")
    try:
        doc = pymupdf.open(str(p), filetype="pdf")
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several types for damaged files
        raise MediaError(f"{name}: the PDF is damaged and cannot be opened ({_short(exc)})") from None
    if doc.needs_pass:
        doc.close()
        raise MediaError(f"{name}: the PDF is password-protected; ask the agency for an unlocked copy")
    if doc.page_count == 0:
        doc.close()
        raise MediaError(f"{name}: the PDF has no pages")
    return doc


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:120] + "…") if len(text) > 120 else (text or type(exc).__name__)


def to_display(page: pymupdf.Page, rect: Iterable[float]) -> Rect4:
    """An unrotated-space rectangle as (x0, y0, x1, y1) on the page as displayed."""
    r = pymupdf.Rect(rect) * page.rotation_matrix
    r.normalize()
    return (float(r.x0), float(r.y0), float(r.x1), float(r.y1))


def from_display(page: pymupdf.Page, rect: Iterable[float]) -> pymupdf.Rect:
    """A displayed-page rectangle back in the unrotated space MuPDF draws in."""
    r = pymupdf.Rect(rect) * page.derotation_matrix
    r.normalize()
    return r


def union(rects: Iterable[Rect4]) -> Rect4:
    rs = list(rects)
    return (min(r[0] for r in rs), min(r[1] for r in rs), max(r[2] for r in rs), max(r[3] for r in rs))
