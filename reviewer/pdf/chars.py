"""The characters of a page as a reader sees them: each glyph with MuPDF's box (font ascender
to descender), its ink (the glyph's own outline), origin, direction and whether it is
invisible, plus the one rule that says whether a glyph is *under* a redaction box.

Search, export and verify all use this module, so a box made from a hit covers exactly what
the export removes and what verify checks. Coordinates are MuPDF's
unrotated page space unless a name says ``display``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pymupdf

from reviewer.pdf.document import Rect4
from reviewer.pdf.glyphs import GlyphReader
from reviewer.pdf.rawtext import rawdict

BASE_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_INHIBIT_SPACES
# A glyph is under a box when the box holds its ink's centre, or covers this share of its ink.
UNDER_SHARE = 0.4
# Ink boxes of a hit are padded this much so anti-aliased edges are covered too.
INK_PAD_PT = 0.6


@dataclass(frozen=True)
class Char:
    c: str
    box: Rect4  # MuPDF's glyph box (what its redaction tests against, shrunk)
    ink: Rect4  # the glyph's outline bounds; a blank glyph gets its box
    origin: tuple[float, float]
    size: float
    dir: tuple[float, float]
    hidden: bool  # invisible (OCR) text, or text over a scan
    line: int  # MuPDF's line number on the page
    font: str = ""
    read: str = ""  # how the character was read: "" (the PDF's text), "font", "ocr", "?"
    vertical: bool = False  # set in vertical writing (a CJK font's Identity-V, wmode 1)

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.ink[0] + self.ink[2]) / 2, (self.ink[1] + self.ink[3]) / 2)

    @property
    def box_centre(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


def _area(r: Rect4) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def _inter(a: Rect4, b: Rect4) -> Rect4:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def is_under(ch: Char, rect: Rect4) -> bool:
    """True when ``rect`` (unrotated page space) hides this glyph: it holds the centre of its
    ink, or at least UNDER_SHARE of the ink. A neighbour whose descender grazes the box is not
    under it; a letter half covered is."""
    if not ch.c.strip():
        return False
    x, y = ch.centre
    if rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]:
        return True
    ink = _area(ch.ink)
    if ink <= 0:
        return False
    return _area(_inter(ch.ink, rect)) >= UNDER_SHARE * ink


def touches(ch: Char, rect: Rect4) -> bool:
    """Any of the glyph's ink inside ``rect`` (for growing a box to whole glyphs). MuPDF gives a
    glyph of vertical writing no ink of its own, only its em box, and em boxes of a column abut:
    a hit's box, padded by INK_PAD_PT, would reach into the glyphs above and below, so such a
    box counts as touched only past that pad."""
    if ch.vertical and ch.ink == ch.box:
        d = 1.5 * INK_PAD_PT
        ink = (ch.ink[0] + d, ch.ink[1] + d, ch.ink[2] - d, ch.ink[3] - d)
        return bool(ch.c.strip()) and _area(_inter(ink, rect)) > 0
    return bool(ch.c.strip()) and _area(_inter(ch.ink, rect)) > 0


def page_chars(page: pymupdf.Page, *, scan: pymupdf.Rect | None = None, clip: bool = False,
               glyphs: GlyphReader | None = None, near: Sequence[Rect4] | None = None) -> list[Char]:
    """Every glyph MuPDF draws on the page (inside the MediaBox), in MuPDF's order.

    ``scan``: the rectangle of a page-sized image; text over it counts as OCR text.
    ``clip``: leave out text that a clip path hides (MuPDF's TEXT_CLIP).
    ``glyphs``: reads glyphs whose font has no usable /ToUnicode (see glyphs.py).
    ``near``: only the glyphs whose ink meets one of these rectangles, the only ones
    :func:`is_under` can find under them (a check of a few boxes on a full page need not
    build every glyph of it)."""
    flags = BASE_FLAGS | (pymupdf.TEXT_CLIP if clip else 0)
    bands = _bands(near) if near is not None else None
    rough = rawdict(page, flags)
    fine = rawdict(page, flags | pymupdf.TEXT_ACCURATE_BBOXES)
    # the ink of each glyph, found by what and where it is (never by position in the lists:
    # the two extractions need not group glyphs into the same lines and blocks)
    inks: dict[tuple[str, float, float], list[Rect4]] = {}
    for b in fine["blocks"]:
        for ln in b.get("lines", []):
            for sp in ln["spans"]:
                for c in sp["chars"]:
                    key = (c["c"], round(c["origin"][0], 2), round(c["origin"][1], 2))
                    inks.setdefault(key, []).append(tuple(map(float, c["bbox"])))  # type: ignore[arg-type]
    out: list[Char] = []
    line_id = 0
    for b in rough["blocks"]:
        if b.get("type") != 0:
            continue
        for ln in b["lines"]:
            line_id += 1
            direction = tuple(ln.get("dir", (1.0, 0.0)))
            vertical = bool(ln.get("wmode"))
            for sp in ln["spans"]:
                size = float(sp.get("size") or 10.0)
                font = sp.get("font", "")
                invisible = sp.get("alpha", 255) == 0 or (
                    scan is not None and pymupdf.Rect(sp["bbox"]).intersects(scan))
                for c in sp["chars"]:
                    box = tuple(map(float, c["bbox"]))
                    found = inks.get((c["c"], round(c["origin"][0], 2), round(c["origin"][1], 2)))
                    ink = found.pop(0) if found else box
                    if _area(ink) <= 0 or not (ink[0] >= box[0] - size and ink[2] <= box[2] + size):
                        ink = box
                    if bands is not None and not _meets(ink, bands):
                        continue
                    out.append(Char(c["c"], box, ink, tuple(c["origin"]), size, direction,  # type: ignore[arg-type]
                                    invisible, line_id, font, vertical=vertical))
    if glyphs is not None:
        out = glyphs.fix(page, out)
    return out


def _meets(ink: Rect4, bands: dict[int, list[Rect4]]) -> bool:
    """``ink`` (corners in either order) and one of the rectangles indexed in ``bands``
    (:func:`_bands`) share a point, edges included: true of every glyph :func:`is_under` a
    rectangle (its ink's centre is inside, or a share of its ink)."""
    x0, x1 = min(ink[0], ink[2]), max(ink[0], ink[2])
    y0, y1 = min(ink[1], ink[3]), max(ink[1], ink[3])
    for k in range(_band(y0), _band(y1) + 1):
        for r in bands.get(k, ()):
            if x0 <= r[2] and r[0] <= x1 and y0 <= r[3] and r[1] <= y1:
                return True
    return False


def _bands(rects: Sequence[Rect4]) -> dict[int, list[Rect4]]:
    """Each band of the page (:data:`ROW_PT` tall) and the rectangles that reach into it."""
    bands: dict[int, list[Rect4]] = {}
    for r in rects:
        for k in range(_band(min(r[1], r[3])), _band(max(r[1], r[3])) + 1):
            bands.setdefault(k, []).append(r)
    return bands


def under(chars: Iterable[Char], rect: Rect4) -> list[Char]:
    return [ch for ch in chars if is_under(ch, rect)]


ROW_PT = 12.0  # boxes are indexed by bands this tall, so a glyph is tested against its neighbours only
_FAR = 20000.0  # coordinates beyond this (text set far off the page) share the outermost band


def _band(y: float) -> int:
    return int(max(-_FAR, min(_FAR, y)) // ROW_PT)


def under_each(chars: Iterable[Char], rects: Sequence[Rect4]) -> list[list[Char]]:
    """For each of ``rects``, the glyphs under it (:func:`is_under`), in ``chars`` order.
    Each glyph is tested only against the boxes its ink meets (found through bands of the
    page), not against every box of the page: a production page with 300 glyphs and 30
    boxes made 9,000 tests where a few dozen decide."""
    bands: dict[int, list[int]] = {}
    for i, r in enumerate(rects):
        for k in range(_band(r[1]), _band(r[3]) + 1):
            bands.setdefault(k, []).append(i)
    out: list[list[Char]] = [[] for _ in rects]
    for ch in chars:
        x0, y0, x1, y1 = ch.ink
        seen: set[int] = set()
        for k in range(_band(y0), _band(y1) + 1):
            for i in bands.get(k, ()):
                if i in seen:
                    continue
                seen.add(i)
                r = rects[i]
                if r[0] <= x1 and x0 <= r[2] and r[1] <= y1 and y0 <= r[3] and is_under(ch, r):
                    out[i].append(ch)
    return out


def under_any(chars: Sequence[Char], rects: Sequence[Rect4]) -> list[Char]:
    """The glyphs under any of ``rects``, in ``chars`` order."""
    hit = {id(ch) for group in under_each(chars, rects) for ch in group}
    return [ch for ch in chars if id(ch) in hit]


def grown_boxes(path: str, boxes: Iterable[tuple[int, Rect4]]) -> list[Rect4]:
    """Each (page_no, displayed rect) grown to the whole ink of every glyph it touches, so no
    letter is left half under a box. Same order as ``boxes``."""
    from reviewer.pdf.document import from_display, open_pdf, to_display

    doc = open_pdf(path, check_tail=False)
    out: list[Rect4] = []
    cache: dict[int, list[Char]] = {}
    try:
        for page_no, rect in boxes:
            page = doc[page_no - 1]
            chars = cache.setdefault(page_no, page_chars(page))
            r = tuple(from_display(page, rect))
            grown = list(r)
            for ch in chars:
                if touches(ch, r):  # type: ignore[arg-type]
                    ink = (ch.ink[0] - INK_PAD_PT, ch.ink[1] - INK_PAD_PT, ch.ink[2] + INK_PAD_PT, ch.ink[3] + INK_PAD_PT)
                    grown = [min(grown[0], ink[0]), min(grown[1], ink[1]), max(grown[2], ink[2]), max(grown[3], ink[3])]
            out.append(to_display(page, grown))
    finally:
        doc.close()
    return out
