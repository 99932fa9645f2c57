"""Two things the PDF export says or does about what it could not take out glyph by glyph.

- Fonts whose character map spells a redacted string (:func:`spelling_fonts`): a subset
  font numbers its letters in the order the document first sets them, so its /ToUnicode read
  in code order spells the first words set in it (a LibreOffice form's label font spells
  "First Name"). The font is given new codes in the order of its letters
  (reviewer.export.pdf_renumber); the pages using a font that cannot be renumbered are drawn
  as pictures instead, and the report says why (decision 0019).
- Glyphs still under a box after removal (:func:`left_line`), named by page and box as verify
  numbers the boxes.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pymupdf

from reviewer.export.expect import PdfExpect


def spelling_fonts(doc: pymupdf.Document, expect: PdfExpect, raster: list[tuple[int, str]],
                   cleaned: list[tuple[int, str]] | None = None) -> PdfExpect:
    """Fonts whose character map spells a redacted string are renumbered; pages using one that
    cannot be are drawn as pictures; the report says which (``cleaned``, ``raster``)."""
    from reviewer.export.pdf_renumber import renumber_fonts
    from reviewer.export.pdf_text_check import _found_plain, cmap_pages, cmap_text
    from reviewer.pdf.hidden import rasterise_page
    from reviewer.pdf.redacted import normalise

    plain = list(expect.redacted)
    pages = cmap_pages(doc, plain) if expect.redacted else []
    if not pages:
        return expect
    # resources a page inherits from the page tree (LibreOffice writes them there) go down to
    # the pages, so the font leaves the file with the last page that used it
    for i in range(doc.page_count):
        xref = doc.page_xref(i)
        if doc.xref_get_key(xref, "Resources")[0] == "null":
            inherited = doc[i].get_contents() is not None and _inherited(doc, xref, "Resources")
            if inherited:
                doc.xref_set_key(xref, "Resources", inherited)
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Type")[1] == "/Pages":
            doc.xref_set_key(xref, "Resources", "null")
    if renumber_fonts(doc, lambda data: bool(_found_plain([normalise(cmap_text(data))], plain))):
        left = cmap_pages(doc, plain)
        if cleaned is not None:
            cleaned += [(n, "a font's letters renumbered in the order of the text they stand for (its "
                            "character map, read in code order, spelled a redacted string)")
                        for n in pages if n not in left]
        pages = left
    for n in pages:
        rasterise_page(doc, n - 1)
        raster.append((n, "a font of the page lists its letters in the order it first used them, "
                                 "which spells a redacted string"))
    return replace(expect, raster_pages=tuple(raster))


def _inherited(doc: pymupdf.Document, xref: int, key: str) -> str | None:
    """``key`` as the page tree above page ``xref`` gives it (a reference or a dictionary)."""
    for _ in range(64):
        parent = doc.xref_get_key(xref, "Parent")
        if parent[0] != "xref":
            return None
        xref = int(parent[1].split()[0])
        kind, value = doc.xref_get_key(xref, key)
        if kind != "null":
            return value
    return None


def left_line(page_no: int, left: Any, boxes: list, rects: list, expect: PdfExpect) -> str:
    """``page 3: 2 glyph(s) under box 5 (x0,y0,x1,y1)``: where glyphs a box should have taken
    are still drawn, numbered as verify numbers the boxes."""
    from reviewer.pdf.chars import Char, under_each

    chars = [c for c in left if isinstance(c, Char)]
    groups = under_each(chars, rects) if chars else [[] for _ in rects]
    named = [b for b, g in zip(boxes, groups) if g] or boxes[:1]
    where = ", ".join(f"box {expect.boxes.index(b) + 1} ({b.x0_pt:.1f},{b.y0_pt:.1f},{b.x1_pt:.1f},{b.y1_pt:.1f})"
                      for b in named[:3])
    return f"page {page_no}: {len(left)} glyph(s) under {where}"
