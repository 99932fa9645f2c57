"""Searching a page that is only a picture (no text layer) by reading it with tesseract.

Used by `redact text` for the pages :func:`reviewer.pdf.search.no_text_layer` finds; the
caller still warns about those pages, because OCR can miss a word and a reviewer must look.
Each hit is boxed by whole OCR words (a partial match boxes its whole word), grown by a
margin, since tesseract's word boxes sit tight on the ink.
"""
from __future__ import annotations

import re

import numpy as np
import pymupdf

from reviewer.pdf import ocr
from reviewer.pdf.document import Rect4

OCR_DPI = 200
PAD_PT = 2.0


def available() -> bool:
    return ocr.available()


def _words(page: pymupdf.Page) -> list[ocr.OcrWord]:
    # the page as displayed (rotation applied), so pixel boxes are displayed points * scale
    pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    return [w for w in ocr.ocr_words(np.ascontiguousarray(gray), psm=3) if w.text.strip()]


def ocr_matches(page: pymupdf.Page, regex: re.Pattern[str]) -> list:
    """Matches of ``regex`` in what tesseract reads on ``page`` (see reviewer.pdf.search)."""
    from reviewer.pdf.search import Match, _spans

    words = _words(page)
    text_parts: list[str] = []
    owner: list[int | None] = []  # for each character of the text, the word it belongs to
    line = None
    for i, w in enumerate(words):
        if text_parts:
            sep = " " if w.line_key == line else "\n"
            text_parts.append(sep)
            owner.append(None)
        text_parts.extend(w.text)
        owner.extend([i] * len(w.text))
        line = w.line_key
    text = "".join(text_parts)
    scale = 72.0 / OCR_DPI
    W, H = page.rect.width, page.rect.height
    out = []
    for a, b in _spans(regex, text):
        hit = sorted({owner[k] for k in range(a, b) if owner[k] is not None})
        if not hit:
            continue
        per_line: dict[tuple[int, int, int], list[Rect4]] = {}
        for k in hit:
            w = words[k]
            per_line.setdefault(w.line_key, []).append(
                (max(0.0, w.x0_px * scale - PAD_PT), max(0.0, w.y0_px * scale - PAD_PT),
                 min(W, w.x1_px * scale + PAD_PT), min(H, w.y1_px * scale + PAD_PT)))
        rects = tuple((min(r[0] for r in rs), min(r[1] for r in rs), max(r[2] for r in rs), max(r[3] for r in rs))
                      for rs in per_line.values())
        out.append(Match(page.number + 1, text[a:b], rects))
    return out
