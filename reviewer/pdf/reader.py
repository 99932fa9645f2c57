"""Reading a PDF for import: page count, page text for full-text search, page sizes, the
OCR layer over scans, and the Bates number of each page.

Runs in the sandbox child (reviewer/session/importer.py): the result must be picklable,
and every problem is a :class:`MediaError` with one line "NAME: why".
"""
from __future__ import annotations

import unicodedata

from pathlib import Path
from typing import Any

import pymupdf

from reviewer.errors import MediaError
from reviewer.pdf.bates import Word, find_bates
from reviewer.pdf.document import open_pdf, to_display
from reviewer.pdf.limits import check_pdf_file

# A page is a scan when one image covers at least this share of it.
SCAN_COVERAGE = 0.5


def page_words(page: pymupdf.Page) -> list[Word]:
    """Words as displayed (rotation applied), hidden OCR text included."""
    out = []
    for x0, y0, x1, y1, text, block, line, _n in page.get_text("words"):
        d = to_display(page, (x0, y0, x1, y1))
        out.append(Word(text, d[0], d[1], d[2], d[3], (block, line)))
    return out


def image_coverage(page: pymupdf.Page) -> tuple[float, pymupdf.Rect | None]:
    """The share of the page the largest image covers, and that image's rectangle."""
    area = abs(page.rect) or 1.0
    best, best_rect = 0.0, None
    for info in page.get_image_info():
        r = pymupdf.Rect(info["bbox"]) & pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
        share = abs(r) / area
        if share > best:
            best, best_rect = share, r
    return min(best, 1.0), best_rect


def is_scan(page: pymupdf.Page) -> bool:
    return image_coverage(page)[0] >= SCAN_COVERAGE


def has_ocr_layer(page: pymupdf.Page, coverage: tuple[float, pymupdf.Rect | None] | None = None) -> bool:
    """A scan with text over it (invisible OCR text, or text drawn over the image)."""
    share, rect = coverage or image_coverage(page)
    if share < SCAN_COVERAGE or rect is None:
        return False
    for span in page.get_texttrace():
        if not span.get("chars"):
            continue
        if span.get("type") == 3 or pymupdf.Rect(span["bbox"]).intersects(rect):
            if any(chr(c[0]).strip() for c in span["chars"]):
                return True
    return False


def is_invisible(c: str) -> bool:
    """A character a reader skips: a format character (zero-width space and joiners, U+2060,
    BOM, soft hyphen: Unicode category Cf) or the combining grapheme joiner U+034F. Inside a
    word it would split it for full-text search ("Ma\u200bria" is not "Maria")."""
    return c == "\u034f" or unicodedata.category(c) == "Cf"


def read_page(page: pymupdf.Page) -> dict[str, Any]:
    text = "".join(c for c in page.get_text("text") if not is_invisible(c))
    words = page_words(page)
    width, height = float(page.rect.width), float(page.rect.height)
    coverage = image_coverage(page)
    return {
        "page_no": page.number + 1,
        "text": text,
        "bates": find_bates(words, width, height, rotated=page.rotation % 360 != 0),
        "width_pt": round(width, 3),
        "height_pt": round(height, 3),
        "ocr_layer": has_ocr_layer(page, coverage),
        "rotation": page.rotation,
        "scan": coverage[0] >= SCAN_COVERAGE,
        # what OCR must read before a search sees every word (reviewer.pdf.pictures)
        "ocr_wanted": _ocr_wanted(page, text),
    }


def _ocr_wanted(page: pymupdf.Page, text: str) -> int:
    from reviewer.pdf.pictures import ocr_wanted

    return ocr_wanted(page, text)


def read_for_import(path: str) -> dict[str, Any]:
    """``{"page_count", "pages": [{page_no, text, bates, width_pt, height_pt, ocr_layer,
    ocr_wanted}], "info"}``."""
    name = Path(path).name
    pymupdf.TOOLS.reset_mupdf_warnings()
    doc = open_pdf(path)
    try:
        check_pdf_file(doc, name)
        pages = []
        for i in range(doc.page_count):
            try:
                pages.append(read_page(doc[i]))
            except MediaError:
                raise
            except Exception as exc:  # noqa: BLE001 - a page MuPDF cannot read means a damaged file
                raise MediaError(f"{name}: page {i + 1} is damaged and cannot be read ({exc})") from None
        meta = {k: v for k, v in (doc.metadata or {}).items() if v and k not in ("format", "encryption")}
        info = {
            "pdf_version": (doc.metadata or {}).get("format", ""),
            "metadata": meta,
            "encrypted": bool(doc.is_encrypted or (doc.metadata or {}).get("encryption")),  # owner password only
            "repaired": bool(getattr(doc, "is_repaired", False)),
            "scanned_pages": sum(1 for p in pages if p["scan"]),
            "ocr_pages": sum(1 for p in pages if p["ocr_layer"]),
            "bates_first": next((p["bates"] for p in pages if p["bates"]), None),
            "bates_last": next((p["bates"] for p in reversed(pages) if p["bates"]), None),
            "has_forms": bool(doc.is_form_pdf),
            "attachments": doc.embfile_count(),
            "outline_entries": len(doc.get_toc(simple=True)),
            # sloppy but readable files are common in productions: kept, with what MuPDF said
            "warnings": [w for w in pymupdf.TOOLS.mupdf_warnings().splitlines() if w.strip()][:10],
        }
        return {"page_count": doc.page_count, "pages": pages, "info": info}
    finally:
        doc.close()
