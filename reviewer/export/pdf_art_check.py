"""What lies under each box, drawn without the box's fill.

The pixels check sees a box as black whatever is beneath it: a barcode, a dot-matrix stamp
or letters drawn as outlines can sit under the fill, covered but written in the file. Here
every path MuPDF reads on the page (through form XObjects too) that reaches into a box is
drawn alone, in black on white, and the part of the picture inside the box must stay white.
A filled rectangle over the whole of a box (its fill, a page's ground) is flat there and is not drawn.
"""
from __future__ import annotations

import numpy as np
import pymupdf

from reviewer.export.checks import Check
from reviewer.export.pdf_art import add_path
from reviewer.export.expect import PdfExpect

ZOOM = 2.0
EDGE_PT = 1.0  # as the pixels check: anti-aliasing of the fill's own edge stays out
INK = 250  # a pixel darker than this (of 255) is ink


def _plain(r: pymupdf.Rect) -> tuple[float, float, float, float] | None:
    """``r`` in plain numbers, None where ``Rect.intersects`` counts it as meeting nothing
    (empty or infinite)."""
    x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
    if x0 >= x1 or y0 >= y1 or (x0 == y0 == pymupdf.FZ_MIN_INF_RECT and x1 == y1 == pymupdf.FZ_MAX_INF_RECT):
        return None
    return x0, y0, x1, y1


def _meet(p: tuple | None, q: tuple | None) -> bool:
    """``Rect.intersects`` of two :func:`_plain` rectangles (it builds a Rect for each test:
    every drawing of a page against every box made it most of this check's time)."""
    return p is not None and q is not None and p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def _cover(d: dict, inner: pymupdf.Rect) -> bool:
    """``d`` fills a rectangle over the whole of ``inner``: whatever its colour (a box's black
    fill, a page-size white ground, a soft mask's), it is one flat area there, no shape."""
    items = d.get("items") or []
    if "f" not in (d.get("type") or "") or (d.get("even_odd") and len(items) > 1):
        return False
    rects = [pymupdf.Rect(i[1]) if i[0] == "re" else i[1].rect for i in items
             if i[0] == "re" or (i[0] == "qu" and i[1].is_rectangular)]
    return any(r.contains(inner) for r in rects)


def _draw(page: pymupdf.Page, d: dict) -> None:
    shape = page.new_shape()
    add_path(shape, d.get("items") or [])
    kind = d.get("type") or ""
    shape.finish(fill=(0, 0, 0) if "f" in kind else None, color=(0, 0, 0) if "s" in kind else None,
                 width=max(d.get("width") or 0, 0.5), even_odd=bool(d.get("even_odd")),
                 closePath=bool(d.get("closePath")))
    shape.commit()


def art_under_boxes(doc: pymupdf.Document, expect: PdfExpect) -> Check:
    from reviewer.pdf.document import from_display

    bad = []
    by_page: dict[int, list] = {}
    for n, b in enumerate(expect.boxes, start=1):
        by_page.setdefault(b.page_no, []).append((n, b))
    for page_no, boxes in sorted(by_page.items()):
        if not 1 <= page_no <= doc.page_count:
            continue
        page = doc[page_no - 1]
        inner = []
        for n, b in boxes:
            r = from_display(page, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt))
            r = pymupdf.Rect(r.x0 + EDGE_PT, r.y0 + EDGE_PT, r.x1 - EDGE_PT, r.y1 - EDGE_PT)
            if not r.is_empty:
                inner.append((n, b, r))
        if not inner:
            continue
        under = []
        plains = [(r, _plain(r)) for _n, _b, r in inner]
        for d in page.get_drawings():
            p = _plain(pymupdf.Rect(d["rect"]))
            met = [r for r, q in plains if _meet(p, q)]
            if met and not any(_cover(d, r) for r in met):
                under.append(d)
        if not under:
            continue
        with pymupdf.open() as alone:
            blank = alone.new_page(width=page.cropbox.width, height=page.cropbox.height)
            for d in under:
                _draw(blank, d)
            pix = blank.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), colorspace=pymupdf.csGRAY, alpha=False)
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
        for n, b, r in inner:
            x0, y0 = max(0, int(np.ceil(r.x0 * ZOOM))), max(0, int(np.ceil(r.y0 * ZOOM)))
            x1, y1 = min(pix.width, int(r.x1 * ZOOM)), min(pix.height, int(r.y1 * ZOOM))
            region = img[y0:y1, x0:x1]
            if region.size and int(region.min()) < INK:
                share = float((region < INK).mean())
                bad.append(f"page {page_no}: vector art under box {n} ({b.x0_pt:.1f},{b.y0_pt:.1f},"
                           f"{b.x1_pt:.1f},{b.y1_pt:.1f}), {share:.0%} of it when drawn without the fill")
    if bad:
        return Check("vector art under boxes", False, "; ".join(bad[:5]))
    return Check("vector art under boxes", True, f"every path that reaches into {len(expect.boxes)} box(es) drawn "
                                                 "without the boxes' fill: nothing under any box")
