"""What a page carries that the reviewer cannot see, and the page made only of what is seen.

Text hidden by a clip path, set outside the CropBox or the MediaBox, painted over by a box
or a picture, drawn in the colour behind it (white on white, black on a black box), in an
optional-content layer that is OFF, inside a tiling pattern's cell, or inside a Type3 glyph
program is read by pdfminer, pypdf or pdftotext, but not shown by a viewer and not found by
a search of what is shown. The export takes such glyphs out one by one where it can, else
exports the page as the picture of what it shows, and its report
says which page and why.
"""
from __future__ import annotations

import re

import pymupdf

from reviewer.pdf.chars import BASE_FLAGS
from reviewer.pdf.rawtext import rawdict
from reviewer.pdf.unseen import UNSEEN_DPI, UNSEEN_LEVEL, _invisible, _span_boxes, decide_unseen, seen_by_render

RASTER_DPI = 200
_TEXT_OPS = re.compile(rb"\b(?:Tj|TJ|BT)\b|['\"]\s")
_REF = re.compile(r"(\d+) 0 R")


def _visible_keys(page: pymupdf.Page, flags: int, clip: pymupdf.Rect | None) -> list[tuple[str, int, int]]:
    raw = rawdict(page, flags, clip=clip)
    return [(c["c"], round(c["origin"][0]), round(c["origin"][1])) for b in raw["blocks"] if b.get("type") == 0
            for ln in b["lines"] for s in ln["spans"] for c in s["chars"] if c["c"].strip()]


COVERED_SHARE = 0.9  # a glyph this much under an opaque shape drawn after it is not seen


def covered_glyphs(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """Boxes of glyphs painted over by an opaque filled rectangle drawn after them: the
    classic bad redaction (a black box over text that is still there), which x-ray reports
    and every extractor reads. Images are not counted: OCR text under its scan is the scan's
    own text layer."""
    shapes = []
    for d in page.get_drawings():
        fill = d.get("fill")
        # black, white or grey only: a coloured box drawn over text is far more often a
        # highlighter laid on with a multiply blend (text still seen) than a cover-up
        neutral = fill is not None and len(fill) in (1, 3, 4) and (
            len(fill) == 1 or (len(fill) == 3 and max(fill) - min(fill) <= 0.1)
            or (len(fill) == 4 and max(fill[:3]) - min(fill[:3]) <= 0.1))
        if ("f" in (d.get("type") or "") and neutral and (d.get("fill_opacity") or 1) >= 0.999
                and d.get("items") and all(it[0] == "re" or (it[0] == "qu" and it[1].is_rectangular)
                                           for it in d["items"])):
            for it in d["items"]:
                shapes.append((d.get("seqno", 0), pymupdf.Rect(it[1].rect if it[0] == "qu" else it[1])))
    if not shapes:
        return []
    out = []
    for span in page.get_texttrace():
        if _invisible(span):
            continue  # invisible text is not painted over; it is not drawn at all
        seq = span.get("seqno", 0)
        # plain tuples: PyMuPDF's Rect arithmetic made this check most of verify's time on
        # an exported page (every glyph against every black box drawn after it)
        later = [(r.x0, r.y0, r.x1, r.y1) for n, r in shapes if n > seq]
        if not later:
            continue
        for c in span["chars"]:
            x0, y0, x1, y1 = c[3]
            area = (x1 - x0) * (y1 - y0)
            if x1 <= x0 or y1 <= y0 or not chr(c[0]).strip():
                continue
            for a, b, e, f in later:
                if a < x1 and x0 < e and b < y1 and y0 < f and \
                        (min(x1, e) - max(x0, a)) * (min(y1, f) - max(y0, b)) >= COVERED_SHARE * area:
                    out.append(pymupdf.Rect(c[3]))
                    break
    return out


def _off_ocgs(doc: pymupdf.Document) -> set[int]:
    """Layers a viewer starts with switched off: the default configuration's /OFF array, or
    every layer not in /ON when /BaseState is /OFF (MuPDF's get_ocgs misses the first)."""
    cat = doc.pdf_catalog()
    off = {int(m.group(1)) for m in _REF.finditer(doc.xref_get_key(cat, "OCProperties/D/OFF")[1])}
    if doc.xref_get_key(cat, "OCProperties/D/BaseState")[1] == "/OFF":
        on = {int(m.group(1)) for m in _REF.finditer(doc.xref_get_key(cat, "OCProperties/D/ON")[1])}
        every = {int(m.group(1)) for m in _REF.finditer(doc.xref_get_key(cat, "OCProperties/OCGs")[1])}
        off |= every - on
    try:
        off |= {x for x, info in (doc.get_ocgs() or {}).items() if not info.get("on", True)}
    except Exception:  # noqa: BLE001, S110 - a broken /OCProperties: the arrays above still count
        pass
    return off


def _refs(doc: pymupdf.Document, xref: int, depth: int = 0, seen: set[int] | None = None) -> set[int]:
    """Objects reachable from ``xref`` through a page's resources (bounded)."""
    seen = seen if seen is not None else set()
    if xref in seen or depth > 6 or len(seen) > 2000:
        return seen
    seen.add(xref)
    try:
        text = doc.xref_object(xref, compressed=True)
    except Exception:  # noqa: BLE001
        return seen
    for m in _REF.finditer(text):
        x = int(m.group(1))
        if 0 < x < doc.xref_length() and doc.xref_get_key(x, "Type")[1] not in ("/Page", "/Pages"):
            _refs(doc, x, depth + 1, seen)
    return seen


def _reach(doc: pymupdf.Document, page: pymupdf.Page, cache: dict | None) -> set[int]:
    """Objects the page's resources reach (pages of a document mostly share one dictionary)."""
    if not doc.is_pdf:
        return set()
    kind, value = doc.xref_get_key(page.xref, "Resources")
    if cache is None or kind != "xref":
        return _refs(doc, page.xref)
    if value not in cache:
        cache[value] = _refs(doc, int(value.split()[0]))
    return cache[value]


def hidden_content(page: pymupdf.Page, cache: dict | None = None) -> list[str]:
    """Why this page carries text nobody sees (empty: it carries none). ``cache``: a dict
    kept across the pages of one document."""
    return hidden_findings(page, cache)[0]


def hidden_findings(page: pymupdf.Page, cache: dict | None = None) -> tuple[list[str], list[pymupdf.Rect]]:
    """hidden_content, and the boxes of the glyphs that are painted over or show nothing (for
    remove_unseen_text, so the page is rendered once)."""
    doc = page.parent
    why: list[str] = []
    everything = _visible_keys(page, BASE_FLAGS & ~pymupdf.TEXT_MEDIABOX_CLIP, pymupdf.INFINITE_RECT())
    # text coordinates are unrotated, from the CropBox's top-left corner
    w, h = page.cropbox.width, page.cropbox.height
    outside = [k for k in everything if not (-1 <= k[1] <= w + 1 and -1 <= k[2] <= h + 1)]
    if outside:
        why.append(f"{len(outside)} character(s) outside the visible page (CropBox or MediaBox)")
    shown = _visible_keys(page, BASE_FLAGS | pymupdf.TEXT_CLIP, None)
    inside = [k for k in everything if k not in outside]
    if len(shown) < len(inside):
        why.append(f"{len(inside) - len(shown)} character(s) hidden by a clip path or cut off at the page edge")
    decided = decide_unseen(page)
    # a box the drawing list puts over a glyph hides it only if the rendered page agrees: a
    # soft mask's own drawing, for one, is listed as a page-size fill and hides nothing
    covered = seen_by_render(covered_glyphs(page), decided)
    if covered:
        why.append(f"{len(covered)} character(s) painted over by an opaque box drawn after them "
                   "(and unchanged on the page rendered without text)")
    counted = set(outside) | (set(inside) - set(shown))
    unseen = [g for g in decided or [] if g[:3] not in counted
              and not any(abs(g[3] & b) >= COVERED_SHARE * abs(g[3]) for b in covered)]
    painted = sum(g[4] == "painted" for g in unseen)
    if painted:
        why.append(f"{painted} character(s) that show nothing: rendered at {UNSEEN_DPI} dpi with and "
                   f"without its text, the page differs by less than {UNSEEN_LEVEL} grey levels of 255 "
                   "in their boxes (the colour behind them, or under a picture or a box drawn after them)")
    if len(unseen) > painted:
        why.append(f"{len(unseen) - painted} character(s) of a text layer that show nothing: no ink "
                   "under them on the page rendered without its text (invisible text over blank paper, or a box "
                   "drawn into a scan after it was read)")
    reach = _reach(doc, page, cache)
    off = _off_ocgs(doc)
    if off & reach:
        why.append("content in an optional-content layer that is switched off")
    for x in sorted(reach):
        kind = doc.xref_get_key(x, "PatternType")
        if kind[1] == "1" and doc.xref_is_stream(x) and _TEXT_OPS.search(doc.xref_stream(x) or b""):
            why.append("text inside a tiling pattern")
            break
    for x in sorted(reach):
        if doc.xref_get_key(x, "Subtype")[1] != "/Type3":
            continue
        procs = doc.xref_get_key(x, "CharProcs")
        if procs[0] == "xref":
            procs = ("dict", doc.xref_object(int(procs[1].split()[0]), compressed=True))
        if any(_TEXT_OPS.search(doc.xref_stream(int(m.group(1))) or b"")
               for m in _REF.finditer(procs[1]) if doc.xref_is_stream(int(m.group(1)))):
            why.append("text inside a Type3 glyph program")
            break
    return why, covered + [g[3] for g in decided or []]


def remove_unseen_text(page: pymupdf.Page, boxes: list[pymupdf.Rect] | None = None) -> int:
    """Take out the glyphs set outside the visible page, hidden by a clip path, painted
    over by an opaque box or showing nothing at all (``boxes``, from hidden_findings; found
    again when not given), one dot at each glyph's centre (as the export removes redacted
    glyphs). How many glyphs went."""
    everything = rawdict(page, BASE_FLAGS & ~pymupdf.TEXT_MEDIABOX_CLIP,
                               clip=pymupdf.INFINITE_RECT())
    shown = set(_visible_keys(page, BASE_FLAGS | pymupdf.TEXT_CLIP, None))
    w, h = page.cropbox.width, page.cropbox.height
    dots = []
    for b in everything["blocks"]:
        for ln in b.get("lines", []):
            for sp in ln["spans"]:
                for c in sp["chars"]:
                    key = (c["c"], round(c["origin"][0]), round(c["origin"][1]))
                    if not c["c"].strip() or (key in shown and -1 <= key[1] <= w + 1 and -1 <= key[2] <= h + 1):
                        continue
                    x0, y0, x1, y1 = c["bbox"]
                    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                    dots.append(pymupdf.Rect(cx - 0.05, cy - 0.05, cx + 0.05, cy + 0.05))
    if boxes is None:
        boxes = hidden_findings(page)[1]
    else:  # found before the page's boxes were applied: only the glyphs still there
        now = [g for span in page.get_texttrace() for _c, _o, g in _span_boxes(span)]
        boxes = [b for b in boxes if any(g[0] <= (b.x0 + b.x1) / 2 <= g[2] and g[1] <= (b.y0 + b.y1) / 2 <= g[3]
                                         for g in now)]
    for box in boxes:
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        dots.append(pymupdf.Rect(cx - 0.05, cy - 0.05, cx + 0.05, cy + 0.05))
    if not dots:
        return 0
    # what went, counted on the page: one glyph can be out of sight several ways
    before = _glyph_count(page)
    for r in dots:
        page.add_redact_annot(r, fill=False, cross_out=False)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                          text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    return before - _glyph_count(page)


def _glyph_count(page: pymupdf.Page) -> int:
    return sum(1 for span in page.get_texttrace() for c in span["chars"] if chr(c[0]).strip())


def rasterise_page(doc: pymupdf.Document, index: int, dpi: int = RASTER_DPI) -> None:
    """Replace page ``index`` by the picture of what it shows (as displayed), nothing else."""
    page = doc[index]
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False, annots=False)
    w, h = page.rect.width, page.rect.height
    xref = page.xref
    del page
    doc.xref_set_key(xref, "Rotate", "0")
    doc.xref_set_key(xref, "MediaBox", f"[0 0 {w:g} {h:g}]")
    for key in ("CropBox", "BleedBox", "TrimBox", "ArtBox", "Group"):
        doc.xref_set_key(xref, key, "null")
    res = doc.get_new_xref()
    doc.update_object(res, "<<>>")
    doc.xref_set_key(xref, "Resources", f"{res} 0 R")
    stream = doc.get_new_xref()
    doc.update_object(stream, "<<>>")
    doc.update_stream(stream, b" ")
    doc.xref_set_key(xref, "Contents", f"{stream} 0 R")
    fresh = doc[index]
    fresh.insert_image(fresh.rect, pixmap=pix)
