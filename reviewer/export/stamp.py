"""Exhibit stamps ("Ex. 3") in a page margin, never over content.

The stamp goes into the first free corner of the page as displayed; when every corner holds
content, the page grows a strip at the bottom and the stamp goes there.
"""
from __future__ import annotations

import pymupdf

FONT_SIZE = 11.0
PAD = 4.0
MARGIN = 12.0
STRIP = 28.0


def _content_rects(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """Everything drawn on the page, in displayed coordinates."""
    rects = [pymupdf.Rect(b[:4]) for b in page.get_text("blocks")]
    rects += [pymupdf.Rect(i["bbox"]) for i in page.get_image_info()]
    rects += [pymupdf.Rect(d["rect"]) for d in page.get_drawings()]
    m = page.rotation_matrix
    out = []
    for r in rects:
        d = r * m
        d.normalize()
        if not d.is_empty and not d.is_infinite:
            out.append(d)
    return out


def _draw(page: pymupdf.Page, box: pymupdf.Rect, text: str) -> None:
    """Draw the stamp at ``box`` (displayed coordinates) upright on the displayed page."""
    from reviewer.export.pdf_redact import upright

    r = box * page.derotation_matrix
    r.normalize()
    with upright(page):  # PyMuPDF drops the CropBox offset when drawing on a rotated page
        page.draw_rect(r, color=(0, 0, 0), fill=(1, 1, 1), width=0.8)
    inner = pymupdf.Rect(r.x0 + 1, r.y0 + 1, r.x1 - 1, r.y1 - 1)
    page.insert_textbox(inner, text, fontsize=FONT_SIZE, fontname="helv", align=1,
                        rotate=page.rotation % 360)


def stamp_pages(doc: pymupdf.Document, text: str) -> pymupdf.Document:
    """Stamp every page of ``doc`` with ``text``; returns the (possibly rebuilt) document."""
    w = pymupdf.get_text_length(text, fontname="helv", fontsize=FONT_SIZE) + 2 * PAD + 4
    h = FONT_SIZE + 2 * PAD + 2
    for i in range(doc.page_count):
        page = doc[i]
        W, H = page.rect.width, page.rect.height
        content = _content_rects(page)
        corners = [pymupdf.Rect(W - MARGIN - w, H - MARGIN - h, W - MARGIN, H - MARGIN),
                   pymupdf.Rect(MARGIN, H - MARGIN - h, MARGIN + w, H - MARGIN),
                   pymupdf.Rect(W - MARGIN - w, MARGIN, W - MARGIN, MARGIN + h),
                   pymupdf.Rect(MARGIN, MARGIN, MARGIN + w, MARGIN + h)]
        free = next((c for c in corners if not any(c.intersects(r) for r in content)), None)
        if free is not None:
            _draw(page, free, text)
            continue
        # no free corner: the page as displayed gets a blank strip below it
        src = pymupdf.open()
        src.insert_pdf(doc, from_page=i, to_page=i)
        new = doc.new_page(pno=i, width=W, height=H + STRIP)
        new.show_pdf_page(pymupdf.Rect(0, 0, W, H), src, 0)
        src.close()
        doc.delete_page(i + 1)
        _draw(doc[i], pymupdf.Rect(W - MARGIN - w, H + (STRIP - h) / 2, W - MARGIN,
                                   H + (STRIP + h) / 2), text)
    return doc
