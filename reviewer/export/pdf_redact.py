"""Applying a page's boxes: remove exactly the glyphs under them, and the pixels and vector
art beneath, and no more.

MuPDF removes every glyph whose (slightly shrunk) font box meets a redaction rectangle. With
tight line spacing the font boxes of the lines above and below reach into a box round a hit,
and whole neighbouring words went. So text goes in its own pass, one tiny rectangle at the
centre of each glyph that is under a box by ``reviewer.pdf.chars.is_under`` (the rule verify
checks), and the boxes themselves then remove pixels and vector art with text left alone.
Vector art a box only touches is removed whole by MuPDF; what of it lies away from the boxes
is drawn again beneath everything, cut at each box (reviewer.export.pdf_art), so a light
table background or a border stays while nothing drawn under a box is written again.

MuPDF's text extraction and its redaction disagree on where a glyph of vertical writing
(Identity-V, wmode 1) stands: redaction looks for it one advance earlier along the column,
so a dot at the extracted centre took the glyph above instead and left the one meant.
Where MuPDF places such a glyph for redaction is measured once on a one-glyph probe
(:func:`vertical_shift`), not assumed, so a MuPDF that agrees with itself needs no change here.

PyMuPDF draws (Shape, and the fill ``apply_redactions`` paints) on a page with /Rotate and a
CropBox away from the MediaBox origin without the CropBox offset, so a black box landed off
the word it covers (MuPDF's own removal is in the right place). Everything drawn here is drawn
with the page turned upright for the moment, where the offset is applied.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Iterator

import pymupdf

from reviewer.pdf.chars import BASE_FLAGS, Char, page_chars, under_any
from reviewer.pdf.document import Rect4
from reviewer.pdf.rawtext import rawdict

FILL = (0, 0, 0)
DOT_PT = 0.05


@dataclass(frozen=True)
class Removed:
    chars: tuple[Char, ...]  # the glyphs taken out, as they were in the original
    before: tuple[Char, ...]  # every glyph of the page before (for reading order)
    left: tuple[Char, ...]  # glyphs under a box still there after both tries (should be none)


def _dot(x: float, y: float) -> pymupdf.Rect:
    return pymupdf.Rect(x - DOT_PT, y - DOT_PT, x + DOT_PT, y + DOT_PT)


def _remove_text(page: pymupdf.Page, rects: list[pymupdf.Rect]) -> None:
    """Take out the glyphs under ``rects`` (unrotated page space) with ONE redaction annotation
    holding a quad for each: PyMuPDF's add_redact_annot looks through every annotation of the
    page for each one it adds, so a rectangle a glyph made 290 glyphs of a page cost ~1 s
    (bench/production.py). MuPDF removes what lies under any quad of a redaction. The page is
    upright meanwhile, so quads and rectangles are in the same space the glyphs were read in."""
    if not rects:
        return
    m = pymupdf.mupdf
    with upright(page):
        annot = m.pdf_create_annot(m.pdf_page_from_fz_page(page.this), m.PDF_ANNOT_REDACT)
        # their union, as Rect's ``|`` makes it (invalid rectangles left out), in plain numbers:
        # Rect arithmetic for every glyph of a page was half of this function's time
        valid = [(r.x0, r.y0, r.x1, r.y1) for r in rects if r.x0 <= r.x1 and r.y0 <= r.y1]
        whole = pymupdf.Rect(min(v[0] for v in valid), min(v[1] for v in valid),
                             max(v[2] for v in valid), max(v[3] for v in valid)) if valid else pymupdf.Rect(rects[0])
        m.pdf_set_annot_rect(annot, m.FzRect(whole.x0, whole.y0, whole.x1, whole.y1))
        for r in rects:
            m.pdf_add_annot_quad_point(annot, m.fz_quad_from_rect(m.FzRect(r.x0, r.y0, r.x1, r.y1)))
        m.pdf_update_annot(annot)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)


def _target(ch: Char) -> pymupdf.Rect:
    """Where MuPDF's redaction finds ``ch``: its extracted centre, moved along the column for
    vertical writing by what :func:`vertical_shift` measured."""
    x, y = ch.box_centre
    if ch.vertical:
        k = vertical_shift()
        extent = abs((ch.box[2] - ch.box[0]) * ch.dir[0]) + abs((ch.box[3] - ch.box[1]) * ch.dir[1])
        x, y = x + k * extent * ch.dir[0], y + k * extent * ch.dir[1]
    return _dot(x, y)


@cache
def vertical_shift() -> float:
    """How far (in glyph advances along the writing direction) MuPDF's redaction places a
    glyph of vertical writing from where its text extraction does: 0 when they agree. Read off a
    page with one column of three glyphs set in an Identity-V CJK font (MuPDF's own): the
    middle one must go, and only it."""
    doc = pymupdf.open()
    try:
        page = doc.new_page(width=200, height=200)
        try:
            cjk = pymupdf.Font("cjk").buffer
        except Exception:  # noqa: BLE001 - a MuPDF built without its CJK font: nothing to measure
            return 0.0  # (verify still finds a glyph left under a box)
        page.insert_font(fontname="V0", fontbuffer=cjk)
        page.insert_text((100, 40), "\u4e00\u4e8c\u4e09", fontname="V0", fontsize=20)
        for xref in range(1, doc.xref_length()):
            if doc.xref_get_key(xref, "Subtype")[1] == "/Type0":
                doc.xref_set_key(xref, "Encoding", "/Identity-V")
        data = doc.tobytes()
    finally:
        doc.close()
    for k in (0.0, -1.0, 1.0):
        probe = pymupdf.open("pdf", data)
        try:
            page = probe[0]
            chars = [c for c in page_chars(page) if c.c.strip()]
            if len(chars) != 3 or not chars[1].vertical:
                return 0.0  # this MuPDF does not set the probe vertically: nothing to correct
            mid = chars[1]
            extent = abs((mid.box[2] - mid.box[0]) * mid.dir[0]) + abs((mid.box[3] - mid.box[1]) * mid.dir[1])
            x, y = mid.box_centre
            _remove_text(page, [_dot(x + k * extent * mid.dir[0], y + k * extent * mid.dir[1])])
            if "".join(c.c for c in page_chars(page) if c.c.strip()) == chars[0].c + chars[2].c:
                return k
        finally:
            probe.close()
    return 0.0


def _key(ch: Char) -> tuple[int, int]:
    # by place only: a glyph read through its font has another text than MuPDF gives it
    return (round(ch.origin[0] * 4), round(ch.origin[1] * 4))


def _places(page: pymupdf.Page) -> set[tuple[int, int]]:
    """:func:`_key` of every glyph page_chars reads on the page now, from the one reading of
    it that gives the glyphs and their origins (page_chars reads the page twice more, for
    each glyph's ink, which the places do not need)."""
    raw = rawdict(page, BASE_FLAGS)
    return {(round(c["origin"][0] * 4), round(c["origin"][1] * 4))
            for b in raw["blocks"] if b.get("type") == 0
            for ln in b["lines"] for sp in ln["spans"] for c in sp["chars"] if c["c"].strip()}


@contextmanager
def upright(page: pymupdf.Page) -> Iterator[pymupdf.Page]:
    """``page`` with /Rotate 0 while drawing on it in unrotated coordinates, then as it was."""
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)
    try:
        yield page
    finally:
        if rotation:
            page.set_rotation(rotation)


def _fill(page: pymupdf.Page, rects: list[pymupdf.Rect]) -> None:
    """The boxes' black fill, as apply_redactions paints it (filled and stroked, 1 pt)."""
    with upright(page):
        shape = page.new_shape()
        for r in rects:
            shape.draw_rect(r)
            shape.finish(fill=FILL, color=FILL)
        shape.commit()


def redact_page(page: pymupdf.Page, rects: list[Rect4], before: list[Char] | None = None) -> Removed:
    """Apply the boxes ``rects`` (unrotated page space) to ``page``; ``before``: its glyphs
    as page_chars reads them now (read through their fonts where they have no text)."""
    before = before if before is not None else page_chars(page)
    targets = under_any(before, rects)
    if targets:
        _remove_text(page, [_target(ch) for ch in targets])
        # a glyph whose font box is odd (a mark hung far from its origin) can escape the dot:
        # take it out by its own box, shrunk, then check again
        after = _places(page)
        stay = [ch for ch in targets if _key(ch) in after]
        if stay:
            _remove_text(page, [_target(ch) if ch.vertical else pymupdf.Rect(ch.box) + _shrink(ch.box)
                                for ch in stay])
            after = _places(page)
        marks: tuple = ()
        if any(_no_advance(ch) for ch in targets):
            target_ids = {id(ch) for ch in targets}
            boxes = [pymupdf.Rect(r) for r in rects]
            _remove_marks(page, boxes, [ch for ch in before if id(ch) not in target_ids])
            after = _places(page)
            marks = tuple(_Mark(x, y) for x, y, _h in _marks_under(page, boxes))
        left = tuple(ch for ch in targets if _key(ch) in after and not _no_advance(ch)) + marks
    else:
        left = ()
    box_rects = [pymupdf.Rect(r) for r in rects]
    touched = [d for d in page.get_drawings() if any(pymupdf.Rect(d["rect"]).intersects(b) for b in box_rects)]
    for b in box_rects:
        page.add_redact_annot(b, fill=False, cross_out=False)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                          graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                          text=pymupdf.PDF_REDACT_TEXT_NONE)
    if touched:
        from reviewer.export.pdf_art import draw_cut, kept_items

        kept = kept_items(page.get_drawings())  # read as ``touched`` was, before turning upright
        with upright(page):
            draw_cut(page, touched, box_rects, kept)
    _fill(page, box_rects)
    return Removed(tuple(targets), tuple(before), left)


def _no_advance(ch: Char) -> bool:  # noqa: D103 - a box with no width along the line
    w, h = ch.box[2] - ch.box[0], ch.box[3] - ch.box[1]
    return min(w, h) < 0.05 * max(w, h, 0.01)


# Where, in font sizes back and forth along the line from where MuPDF draws it, the ink of a
# mark with no advance is looked for when a dot at its place does not take it.
MARK_STEPS = (0.0, 0.15, -0.15, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3)


@dataclass(frozen=True)
class _Mark:
    """A mark with no advance still drawn under a box (reported as a glyph left)."""

    x: float
    y: float


def _marks_under(page: pymupdf.Page, boxes: list[pymupdf.Rect]) -> list[tuple[float, float, float]]:
    """Where marks with no advance are drawn under ``boxes``, by MuPDF's trace of the page's
    drawing (its text extraction puts such a mark at a neighbour's origin, not where it is
    drawn: an Arabic word's last vowel mark was read at the next word's first letter)."""
    out = []
    for span in page.get_texttrace():
        for c in span["chars"]:
            x0, y0, x1, y1 = c[3]
            if not (0 < c[0] <= 0x10FFFF) or not chr(c[0]).strip() or (x1 - x0) >= 0.05 * max(y1 - y0, 0.01):
                continue
            x, y = (x0 + x1) / 2, (y0 + y1) / 2
            if any(b.contains(pymupdf.Point(x, y)) for b in boxes):
                out.append((x, y, y1 - y0))  # where, and the mark's height
    return out


def _remove_marks(page: pymupdf.Page, boxes: list[pymupdf.Rect], others: list[Char]) -> None:
    """Vowel marks set with no advance (Arabic harakat from XeTeX): MuPDF's text extraction
    gives them a box of no width at a neighbour's origin, where no dot meets them, while its
    redaction finds them by their ink where they are drawn. Each mark drawn under a box is
    taken by a dot where the drawing puts it, or a little along the line, never where a glyph
    that stays has its box."""
    keep = [pymupdf.Rect(ch.box) for ch in others if ch.c.strip() and not _no_advance(ch)]
    for x, y, size in _marks_under(page, boxes):
        for f in MARK_STEPS:
            p = pymupdf.Point(x - f * size, y)
            if any(r.contains(p) for r in keep) or not any(b.contains(p) for b in boxes):
                continue
            _remove_text(page, [_dot(p.x, p.y)])
            if (x, y, size) not in _marks_under(page, boxes):
                break


def _shrink(box: Rect4) -> tuple[float, float, float, float]:
    dx, dy = 0.3 * (box[2] - box[0]), 0.3 * (box[3] - box[1])
    return (dx, dy, -dx, -dy)
