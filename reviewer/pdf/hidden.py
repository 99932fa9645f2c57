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

RASTER_DPI = 200
_TEXT_OPS = re.compile(rb"\b(?:Tj|TJ|BT)\b|['\"]\s")
_REF = re.compile(r"(\d+) 0 R")


def _visible_keys(page: pymupdf.Page, flags: int, clip: pymupdf.Rect | None) -> list[tuple[str, int, int]]:
    raw = rawdict(page, flags, clip=clip)
    return [(c["c"], round(c["origin"][0]), round(c["origin"][1])) for b in raw["blocks"] if b.get("type") == 0
            for ln in b["lines"] for s in ln["spans"] for c in s["chars"] if c["c"].strip()]


def _invisible(span: dict) -> bool:
    """Text that is not drawn: render mode 3, or a fill opacity of 0 (some OCR tools write
    their layer that way). An opacity of 0.0 is falsy: it must not read as "unset"."""
    opacity = span.get("opacity")
    return span.get("type") == 3 or (opacity is not None and opacity <= 0)


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


UNSEEN_DPI = 96
# a glyph that moves no pixel of the page by more than this many grey levels shows nothing:
# white on white, black on a black box, under a picture or a later box. At 96 dpi, 24 pt
# text at 95% grey moves 13, at 90% 26, at 82% (a faint watermark) 46
# (tests/export/test_pdf_unseen.py)
UNSEEN_LEVEL = 16
SCAN_SHARE = 0.9  # text under a picture this much of the page is the scan's own text layer


INK_LEVEL = 24  # a text layer's glyph over a part of the page this flat has nothing to read


def unseen_glyphs(page: pymupdf.Page) -> list[tuple[str, int, int, pymupdf.Rect, str]]:
    """Glyphs that stand for nothing a reader sees. The page is rendered as it is and again
    with all its text taken out:
    - a glyph set to be painted whose box differs by less than UNSEEN_LEVEL between the two
      is not seen, whatever hides it (its colour is the colour behind it, a picture or box
      drawn later covers it, it is clipped away): kind ``"painted"``;
    - a glyph of a text layer (invisible OCR text, or text under a picture that fills the
      page) stands for the ink under it; where the page without its text is flat in the
      glyph's box (less than INK_LEVEL from darkest to lightest), there is no ink: the scan
      shows a box there, or blank paper, and the layer still holds what was under it (OCR
      run before the box was drawn into the scan): kind ``"layer"``.
    Each: (character, origin x, origin y rounded, as the rawdict keys above, its box in page
    coordinates, kind). Empty when the page cannot be told apart safely (the copy kept some
    of its text)."""
    import numpy as np

    # pictures that fill the page, with their place in the drawing order (the bbox log and
    # the text trace count the same drawing calls)
    page_rect = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    scans = [(seq, pymupdf.Rect(r)) for seq, (kind, r) in enumerate(page.get_bboxlog())
             if kind == "fill-image" and abs(pymupdf.Rect(r) & page_rect) >= SCAN_SHARE * abs(page_rect)]
    trace = []
    for span in page.get_texttrace():
        invisible = _invisible(span)
        seq = span.get("seqno", 0)
        for c in span["chars"]:
            if not chr(c[0]).strip():
                continue
            box = pymupdf.Rect(c[3])
            if box.width < 0.05 * box.height:
                # a mark set with no advance (Arabic vowel marks, XeTeX): its ink hangs over the
                # letter before it, so a box with no width holds none of it; judge the mark on
                # the ink round its origin, half its height either side
                box = pymupdf.Rect(box.x0 - box.height / 2, box.y0, box.x1 + box.height / 2, box.y1)
            # invisible text, or text a scan is drawn over: the scan's text layer
            layer = invisible or any(n > seq and r.contains(box) for n, r in scans)
            trace.append((chr(c[0]), c[2], box, "layer" if layer else "painted"))
    if not trace:
        return []
    zoom = pymupdf.Matrix(UNSEEN_DPI / 72, UNSEEN_DPI / 72)

    def grey(p: pymupdf.Page) -> np.ndarray:
        pix = p.get_pixmap(matrix=zoom, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width].astype(np.int16)

    shown = grey(page) if any(t[3] == "painted" for t in trace) else None
    copy = pymupdf.open()
    try:
        copy.insert_pdf(page.parent, from_page=page.number, to_page=page.number, annots=False)
        bare = copy[0]
        bare.add_redact_annot(pymupdf.Rect(-1e5, -1e5, 1e5, 1e5), fill=False, cross_out=False)
        bare.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)
        if bare.get_text("text", flags=BASE_FLAGS & ~pymupdf.TEXT_MEDIABOX_CLIP,
                         clip=pymupdf.INFINITE_RECT()).strip():
            return []  # some text the redaction could not take: cannot tell what shows
        without = grey(bare)
    finally:
        copy.close()
    if shown is not None and without.shape != shown.shape:
        return []
    diff = np.abs(shown - without) if shown is not None else None
    to_pixels = page.rotation_matrix * zoom
    h, w = without.shape
    out = []
    for ch, origin, box, kind in trace:
        r = box * to_pixels
        r.normalize()
        x0, y0 = max(0, int(r.x0)), max(0, int(r.y0))
        x1, y1 = min(w, max(x0 + 1, int(np.ceil(r.x1)))), min(h, max(y0 + 1, int(np.ceil(r.y1))))
        if x0 >= x1 or y0 >= y1:
            seen = False  # off the page
        elif kind == "painted":
            seen = int(diff[y0:y1, x0:x1].max()) >= UNSEEN_LEVEL
        else:
            under = without[y0:y1, x0:x1]
            seen = int(under.max()) - int(under.min()) >= INK_LEVEL
        if not seen:
            out.append((ch, round(origin[0]), round(origin[1]), box, kind))
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
    covered = covered_glyphs(page)
    if covered:
        why.append(f"{len(covered)} character(s) painted over by an opaque box")
    counted = set(outside) | (set(inside) - set(shown))
    unseen = [g for g in unseen_glyphs(page) if g[:3] not in counted
              and not any(abs(g[3] & b) >= COVERED_SHARE * abs(g[3]) for b in covered)]
    painted = sum(g[4] == "painted" for g in unseen)
    if painted:
        why.append(f"{painted} character(s) that show nothing (drawn in the colour behind them, "
                   "or under a picture or a box drawn after them)")
    if len(unseen) > painted:
        why.append(f"{len(unseen) - painted} character(s) of a text layer that show nothing: no ink "
                   "under them in the picture (a box drawn into the scan after it was read)")
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
    return why


def remove_unseen_text(page: pymupdf.Page) -> int:
    """Take out the glyphs set outside the visible page, hidden by a clip path, painted
    over by an opaque box or showing nothing at all (unseen_glyphs), one dot at each glyph's
    centre (as the export removes redacted glyphs). How many were found."""
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
    for box in covered_glyphs(page) + [g[3] for g in unseen_glyphs(page)]:
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        dots.append(pymupdf.Rect(cx - 0.05, cy - 0.05, cx + 0.05, cy + 0.05))
    for r in dots:
        page.add_redact_annot(r, fill=False, cross_out=False)
    if dots:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)
    return len(dots)


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
