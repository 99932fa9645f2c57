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

import unicodedata

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


def _span_boxes(span: dict) -> list[tuple[str, tuple[float, float], tuple[float, float, float, float]]]:
    """Each drawn character of a text-trace span with a box that covers its ink, in plain
    numbers. MuPDF makes a glyph's box from the font program's advance; a TrueType font whose
    own metrics are zero (the PDF's /Widths place the glyphs) gives boxes of no width, so such
    a box reaches to the next glyph's origin (the last one's to half the font size)."""
    chars = span["chars"]
    size = float(span.get("size") or 10)
    dx, dy = span.get("dir", (1, 0))
    small = 0.05 * size
    out = []
    for n, c in enumerate(chars):
        ch = chr(c[0])
        if not ch.strip():
            continue
        x0, y0, x1, y1 = c[3]
        if x1 - x0 < small and unicodedata.category(ch) == "Mn" and y1 - y0 >= small:
            # a mark set with no advance (Arabic vowel marks from XeTeX): its ink hangs over a
            # neighbouring letter, so it is judged on the ink round its origin, half its
            # height either side, not up to the next glyph
            half = (y1 - y0) / 2
            x0, x1 = c[2][0] - half, c[2][0] + half
        elif x1 - x0 < small or y1 - y0 < small:
            ox, oy = c[2]
            nx, ny = chars[n + 1][2] if n + 1 < len(chars) else (ox + dx * size / 2, oy + dy * size / 2)
            if max(x1 - x0, y1 - y0) < small:  # no extent at all: a font size above the baseline
                x0, y0, x1, y1 = ox, oy - size, ox, oy
            if abs(dx) >= abs(dy):
                x0, x1 = min(ox, nx), max(ox, nx)
            else:
                y0, y1 = min(oy, ny), max(oy, ny)
        out.append((ch, c[2], (x0, y0, x1, y1)))
    return out


def span_glyphs(span: dict) -> list[tuple[str, tuple[float, float], pymupdf.Rect]]:
    """_span_boxes with each box a Rect."""
    return [(ch, o, pymupdf.Rect(b)) for ch, o, b in _span_boxes(span)]


CORE = 0.25  # of a glyph's advance on each side, left out when looking for its ink
PAPER, PAINTED, LAYER = 0, 1, 2


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
    when the page cannot be told apart safely (the copy without text kept some of it).
    Glyph by glyph in plain numbers and numpy: PyMuPDF's Rect arithmetic on every glyph of a
    page cost more than the renders."""
    import cv2
    import numpy as np

    log = page.get_bboxlog()
    pw, ph = page.cropbox.width, page.cropbox.height
    page_area = pw * ph
    # pictures that fill the page, with their place in the drawing order (the bbox log and
    # the text trace count the same drawing calls)
    scans = []
    for seq, (kind, r) in enumerate(log):
        if kind == "fill-image":
            ix = max(0.0, min(r[2], pw) - max(r[0], 0.0)) * max(0.0, min(r[3], ph) - max(r[1], 0.0))
            if ix >= SCAN_SHARE * page_area:
                scans.append((seq, r))
    drawn = np.array([r for kind, r in log if kind not in NOT_COVER], dtype=float).reshape(-1, 4)
    chars: list[str] = []
    origins: list[tuple[float, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    flags: list[tuple[bool, bool, bool]] = []  # along x, text layer, plain dark ink
    for span in page.get_texttrace():
        invisible = _invisible(span)
        seq = span.get("seqno", 0)
        plain = (span.get("type") == 0 and (span.get("opacity") is None or span["opacity"] >= 0.999)
                 and _luminance(span.get("color")) <= NEAR_WHITE)
        dx, dy = span.get("dir", (1, 0))
        later = [r for n, r in scans if n > seq]
        for ch, origin, b in _span_boxes(span):
            # invisible text, or text a scan is drawn over: the scan's text layer
            layer = invisible or any(r[0] <= b[0] and r[1] <= b[1] and b[2] <= r[2] and b[3] <= r[3] for r in later)
            chars.append(ch)
            origins.append(origin)
            boxes.append(b)
            flags.append((abs(dx) >= abs(dy), layer, plain))
    if not chars:
        return []
    box = np.array(boxes, dtype=float)
    along_x, layer, plain = (np.array(f, dtype=bool) for f in zip(*flags, strict=True))
    touched = ((box[:, None, 0] < drawn[None, :, 2]) & (drawn[None, :, 0] < box[:, None, 2]) &
               (box[:, None, 1] < drawn[None, :, 3]) & (drawn[None, :, 1] < box[:, None, 3])).any(axis=1)
    # dark ink with nothing but text drawn over or under it has white paper behind it
    kind = np.where(layer, LAYER, np.where(plain & ~touched, PAPER, PAINTED))
    # a painted glyph's ink is looked for in the middle of its box along the line: its
    # neighbours' anti-aliased edges reach into the sides, and would make a blank glyph
    # between two letters look drawn
    core = box.copy()
    cut_x = np.where(along_x & (kind != LAYER), (box[:, 2] - box[:, 0]) * CORE, 0.0)
    cut_y = np.where(~along_x & (kind != LAYER), (box[:, 3] - box[:, 1]) * CORE, 0.0)
    core[:, 0] += cut_x
    core[:, 2] -= cut_x
    core[:, 1] += cut_y
    core[:, 3] -= cut_y
    zoom = pymupdf.Matrix(UNSEEN_DPI / 72, UNSEEN_DPI / 72)

    def grey(p: pymupdf.Page) -> np.ndarray:
        pix = p.get_pixmap(matrix=zoom, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
        return np.ascontiguousarray(np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width])

    shown = grey(page) if (kind != LAYER).any() else None
    if (kind == PAPER).all():
        # the page without its text is blank paper wherever these glyphs are: no second render
        without = np.full_like(shown, 255)
    else:
        copy = pymupdf.open()
        try:
            copy.insert_pdf(page.parent, from_page=page.number, to_page=page.number, annots=False)
            bare = copy[0]
            bare.add_redact_annot(pymupdf.Rect(-1e5, -1e5, 1e5, 1e5), fill=False, cross_out=False)
            bare.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                                  graphics=pymupdf.PDF_REDACT_LINE_ART_NONE, text=pymupdf.PDF_REDACT_TEXT_REMOVE)
            if bare.get_text("text", flags=BASE_FLAGS & ~pymupdf.TEXT_MEDIABOX_CLIP,
                             clip=pymupdf.INFINITE_RECT()).strip():
                return None  # some text the redaction could not take: cannot tell what shows
            without = grey(bare)
        finally:
            copy.close()
        if shown is not None and without.shape != shown.shape:
            return None
    # each glyph's core in pixels (the page's rotation and the zoom)
    m = page.rotation_matrix * zoom
    xs = np.stack([core[:, 0], core[:, 2], core[:, 0], core[:, 2]], axis=1)
    ys = np.stack([core[:, 1], core[:, 1], core[:, 3], core[:, 3]], axis=1)
    px, py = m.a * xs + m.c * ys + m.e, m.b * xs + m.d * ys + m.f
    h, w = without.shape
    x0 = np.maximum(0, np.trunc(px.min(axis=1))).astype(int)
    y0 = np.maximum(0, np.trunc(py.min(axis=1))).astype(int)
    x1 = np.minimum(w, np.maximum(x0 + 1, np.ceil(px.max(axis=1)))).astype(int)
    y1 = np.minimum(h, np.maximum(y0 + 1, np.ceil(py.max(axis=1)))).astype(int)
    off = (x0 >= x1) | (y0 >= y1)  # off the page: shows nothing
    seen = np.zeros(len(chars), dtype=bool)
    if shown is not None:
        # pixels the text moves by UNSEEN_LEVEL or more, counted in each box at once
        # (OpenCV's difference and summed-area table: numpy's two cumsums over the whole page
        # were most of this test's time on a production page)
        moved = (cv2.absdiff(shown, without) >= UNSEEN_LEVEL).astype(np.uint8)
        total = cv2.integral(moved, sdepth=cv2.CV_32S)
        cx0, cy0, cx1, cy1 = (np.clip(v, 0, n) for v, n in ((x0, w), (y0, h), (x1, w), (y1, h)))
        count = total[cy1, cx1] - total[cy0, cx1] - total[cy1, cx0] + total[cy0, cx0]
        seen = (kind != LAYER) & (count > 0)
    for i in np.flatnonzero((kind == LAYER) & ~off):
        under = without[y0[i]:y1[i], x0[i]:x1[i]]
        seen[i] = int(under.max()) - int(under.min()) >= INK_LEVEL
    seen &= ~off
    return [(chars[i], round(origins[i][0]), round(origins[i][1]), pymupdf.Rect(boxes[i]),
             "layer" if kind[i] == LAYER else "painted") for i in np.flatnonzero(~seen)]
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
