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

PyMuPDF draws (Shape, and the fill ``apply_redactions`` paints) on a page with /Rotate and a
CropBox away from the MediaBox origin without the CropBox offset, so a black box landed off
the word it covers (MuPDF's own removal is in the right place). Everything drawn here is drawn
with the page turned upright for the moment, where the offset is applied.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import pymupdf

from reviewer.pdf.chars import Char, page_chars, under_any
from reviewer.pdf.document import Rect4

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
        whole = pymupdf.Rect(rects[0])
        for r in rects[1:]:
            whole |= r
        m.pdf_set_annot_rect(annot, m.FzRect(whole.x0, whole.y0, whole.x1, whole.y1))
        for r in rects:
            m.pdf_add_annot_quad_point(annot, m.fz_quad_from_rect(m.FzRect(r.x0, r.y0, r.x1, r.y1)))
        m.pdf_update_annot(annot)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)


def _key(ch: Char) -> tuple[int, int]:
    # by place only: a glyph read through its font has another text than MuPDF gives it
    return (round(ch.origin[0] * 4), round(ch.origin[1] * 4))


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
        _remove_text(page, [_dot(*ch.box_centre) for ch in targets])
        # a glyph whose font box is odd (a mark hung far from its origin) can escape the dot:
        # take it out by its own box, shrunk, then check again
        after = {_key(ch) for ch in page_chars(page) if ch.c.strip()}
        stay = [ch for ch in targets if _key(ch) in after]
        if stay:
            _remove_text(page, [pymupdf.Rect(ch.box) + _shrink(ch.box) for ch in stay])
            after = {_key(ch) for ch in page_chars(page) if ch.c.strip()}
        left = tuple(ch for ch in targets if _key(ch) in after)
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


def _shrink(box: Rect4) -> tuple[float, float, float, float]:
    dx, dy = 0.3 * (box[2] - box[0]), 0.3 * (box[3] - box[1])
    return (dx, dy, -dx, -dy)
