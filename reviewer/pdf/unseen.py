"""Which glyphs show nothing, decided from the rendered page.

A glyph is unseen when the page rendered as it is and the page rendered without any text
differ by less than UNSEEN_LEVEL grey levels everywhere in the glyph's box: white on white,
black on a black box, under a picture or a box drawn after it, clipped away. What drew it
does not matter, so a soft mask that paints a page-size black rectangle into its mask, a
light grey watermark or a font whose glyph boxes MuPDF reports zero-width are judged by
what they put on the page, not by what the drawing list or the font's metrics suggest
(docs/decisions/0018-unseen-from-the-rendered-page.md).

Rendering the page without its text is the costly part (a copy of the page, a redaction of
all its text, a second render), so it is done only when a glyph needs it: a glyph in a dark
colour, drawn fully opaque in fill mode, with nothing but text drawn anywhere over or under
its box, has white paper behind it, and the page as it is shows whether it put ink there (a
font whose glyphs are blank does not). Most typed pages of a production end there.
"""
from __future__ import annotations

from typing import Any

import pymupdf

from reviewer.pdf.chars import BASE_FLAGS

UNSEEN_DPI = 96
# a glyph that moves no pixel of the page by this many grey levels (of 255) or more shows
# nothing a reader can see. At 96 dpi text at 99% grey moves 3, at 98% 6, at 95% (a DRAFT
# watermark) 13, at 92% (a light footer) 19-21, whatever its size
# (tests/export/test_pdf_seen.py)
UNSEEN_LEVEL = 5
SCAN_SHARE = 0.9  # text under a picture this much of the page is the scan's own text layer
INK_LEVEL = 24  # a text layer's glyph over a part of the page this flat has nothing to read
# a glyph colour this close to white (luminance, 0-1) may vanish on white paper: render it
NEAR_WHITE = 0.75
# what the bbox log lists that cannot hide a glyph by itself: text, and clip paths (a glyph a
# clip path hides is found by comparing the text with and without clipping, in hidden.py)
NOT_COVER = ("fill-text", "stroke-text", "ignore-text", "clip-path", "clip-stroke-path")
Glyph = tuple[str, int, int, pymupdf.Rect, str]


def _invisible(span: dict) -> bool:
    """Text that is not drawn: render mode 3, or a fill opacity of 0 (some OCR tools write
    their layer that way). An opacity of 0.0 is falsy: it must not read as "unset"."""
    opacity = span.get("opacity")
    return span.get("type") == 3 or (opacity is not None and opacity <= 0)


def _luminance(colour: Any) -> float:
    c = tuple(colour or ())
    if len(c) == 1:
        return float(c[0])
    if len(c) == 3:
        return 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2]
    if len(c) == 4:
        return 1.0 - min(1.0, 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2] + c[3])
    return 1.0  # unknown colour space: render it


def span_glyphs(span: dict) -> list[tuple[str, tuple[float, float], pymupdf.Rect]]:
    """Each drawn character of a text-trace span with a box that covers its ink. MuPDF makes a
    glyph's box from the font program's advance; a TrueType font whose own metrics are zero
    (the PDF's /Widths place the glyphs) gives boxes of no width, so such a box reaches to the
    next glyph's origin (the last one's to half the font size)."""
    chars = span["chars"]
    size = float(span.get("size") or 10)
    dx, dy = span.get("dir", (1, 0))
    out = []
    for n, c in enumerate(chars):
        ch = chr(c[0])
        if not ch.strip():
            continue
        box = pymupdf.Rect(c[3])
        if min(box.width, box.height) < 0.05 * size:
            ox, oy = c[2]
            if n + 1 < len(chars):
                nx, ny = chars[n + 1][2]
            else:
                nx, ny = ox + dx * size / 2, oy + dy * size / 2
            # across the line: from the box as given, else a font size above the baseline
            across = box if max(box.width, box.height) >= 0.05 * size else pymupdf.Rect(ox, oy - size, ox, oy)
            # (plain numbers: a Rect union drops a rectangle of no area)
            if abs(dx) >= abs(dy):
                box = pymupdf.Rect(min(ox, nx), across.y0, max(ox, nx), across.y1)
            else:
                box = pymupdf.Rect(across.x0, min(oy, ny), across.x1, max(oy, ny))
        out.append((ch, c[2], box))
    return out


CORE = 0.25  # of a glyph's advance on each side, left out when looking for its ink


def _core(box: pymupdf.Rect, span: dict) -> pymupdf.Rect:
    """The middle of a glyph's box along the line: its neighbours' anti-aliased edges reach
    into the sides of its box, and would make a blank glyph between two letters look drawn."""
    dx, dy = span.get("dir", (1, 0))
    if abs(dx) >= abs(dy):
        cut = box.width * CORE
        return pymupdf.Rect(box.x0 + cut, box.y0, box.x1 - cut, box.y1)
    cut = box.height * CORE
    return pymupdf.Rect(box.x0, box.y0 + cut, box.x1, box.y1 - cut)


def decide_unseen(page: pymupdf.Page) -> list[Glyph] | None:
    """Glyphs that stand for nothing a reader sees:
    - a glyph set to be painted whose box differs by less than UNSEEN_LEVEL between the page
      and the page without its text: kind ``"painted"``;
    - a glyph of a text layer (invisible OCR text, or text under a picture that fills the
      page) stands for the ink under it; where the page without its text is flat in the
      glyph's box (less than INK_LEVEL from darkest to lightest), there is no ink: the scan
      shows a box there, or blank paper, and the layer still holds what was under it: kind
      ``"layer"``.
    Each: (character, origin x, origin y rounded, its box in page coordinates, kind). None
    when the page cannot be told apart safely (the copy without text kept some of it)."""
    import numpy as np

    log = page.get_bboxlog()
    page_rect = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    # pictures that fill the page, with their place in the drawing order (the bbox log and
    # the text trace count the same drawing calls)
    scans = [(seq, pymupdf.Rect(r)) for seq, (kind, r) in enumerate(log)
             if kind == "fill-image" and abs(pymupdf.Rect(r) & page_rect) >= SCAN_SHARE * abs(page_rect)]
    drawn = [pymupdf.Rect(r) for kind, r in log if kind not in NOT_COVER]
    trace = []
    for span in page.get_texttrace():
        invisible = _invisible(span)
        seq = span.get("seqno", 0)
        plain = (span.get("type") == 0 and (span.get("opacity") is None or span["opacity"] >= 0.999)
                 and _luminance(span.get("color")) <= NEAR_WHITE)
        for ch, origin, box in span_glyphs(span):
            # invisible text, or text a scan is drawn over: the scan's text layer
            layer = invisible or any(n > seq and r.contains(box) for n, r in scans)
            # dark ink with nothing but text drawn over or under it: white paper behind it
            paper = not layer and plain and not any(r.intersects(box) for r in drawn)
            trace.append((ch, origin, box, _core(box, span) if not layer else box,
                          "layer" if layer else "paper" if paper else "painted"))
    if not trace:
        return []
    zoom = pymupdf.Matrix(UNSEEN_DPI / 72, UNSEEN_DPI / 72)

    def grey(p: pymupdf.Page) -> np.ndarray:
        pix = p.get_pixmap(matrix=zoom, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width].astype(np.int16)

    shown = grey(page) if any(t[4] != "layer" for t in trace) else None
    if all(t[4] == "paper" for t in trace):
        # the page without its text is blank paper wherever these glyphs are: no second render
        return _judge(page, trace, zoom, shown, np.full_like(shown, 255))
    copy = pymupdf.open()
    try:
        copy.insert_pdf(page.parent, from_page=page.number, to_page=page.number, annots=False)
        bare = copy[0]
        bare.add_redact_annot(pymupdf.Rect(-1e5, -1e5, 1e5, 1e5), fill=False, cross_out=False)
        bare.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)
        if bare.get_text("text", flags=BASE_FLAGS & ~pymupdf.TEXT_MEDIABOX_CLIP,
                         clip=pymupdf.INFINITE_RECT()).strip():
            return None  # some text the redaction could not take: cannot tell what shows
        without = grey(bare)
    finally:
        copy.close()
    if shown is not None and without.shape != shown.shape:
        return None
    return _judge(page, trace, zoom, shown, without)


def _judge(page: pymupdf.Page, trace: list, zoom: pymupdf.Matrix, shown: Any, without: Any) -> list[Glyph]:
    import numpy as np

    diff = np.abs(shown - without) if shown is not None else None
    to_pixels = page.rotation_matrix * zoom
    h, w = without.shape
    out = []
    for ch, origin, box, core, kind in trace:
        r = core * to_pixels
        r.normalize()
        x0, y0 = max(0, int(r.x0)), max(0, int(r.y0))
        x1, y1 = min(w, max(x0 + 1, int(np.ceil(r.x1)))), min(h, max(y0 + 1, int(np.ceil(r.y1))))
        if x0 >= x1 or y0 >= y1:
            seen = False  # off the page
        elif kind != "layer":
            seen = int(diff[y0:y1, x0:x1].max()) >= UNSEEN_LEVEL
        else:
            under = without[y0:y1, x0:x1]
            seen = int(under.max()) - int(under.min()) >= INK_LEVEL
        if not seen:
            out.append((ch, round(origin[0]), round(origin[1]), box, "layer" if kind == "layer" else "painted"))
    return out


def unseen_glyphs(page: pymupdf.Page) -> list[Glyph]:
    """decide_unseen, empty when the page cannot be told apart safely."""
    return decide_unseen(page) or []


def seen_by_render(covered: list[pymupdf.Rect], unseen: list[Glyph] | None) -> list[pymupdf.Rect]:
    """Of glyphs a drawing list says are painted over, those the rendered page confirms show
    nothing (all of them when the page could not be rendered apart: then the drawing list is
    all there is to go by)."""
    if unseen is None:
        return covered
    painted = [g[3] for g in unseen if g[4] == "painted"]
    out = []
    for box in covered:
        centre = pymupdf.Point((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        if any(centre in b for b in painted):
            out.append(box)
    return out
