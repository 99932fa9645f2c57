"""MuPDF's "rawdict" reading of a page, also where PyMuPDF's own fails.

PyMuPDF turns each glyph's character with ``chr()`` in compiled code. On some real files
(XeTeX output of the Qur'an with its vowel marks) MuPDF hands it a value that is no character
at all for a few marks, the whole reading fails with a SystemError, and the page could be
neither searched nor exported. The same structured text is then walked here glyph by glyph
through MuPDF's own objects, with such a value read as U+FFFD (unread: the glyph reader and
the caller treat it as a glyph nothing could read).
"""
from __future__ import annotations

from typing import Any

import pymupdf

UNKNOWN = "\ufffd"


def rawdict(page: pymupdf.Page, flags: int, clip: Any = None) -> dict:
    try:
        return page.get_text("rawdict", flags=flags, clip=clip)
    except (SystemError, ValueError, OverflowError):
        return walk(page, flags, clip)


def _rect(r: Any) -> tuple[float, float, float, float]:
    return (float(r.x0), float(r.y0), float(r.x1), float(r.y1))


def _union(a: tuple | None, b: tuple) -> tuple:
    return b if a is None else (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def walk(page: pymupdf.Page, flags: int, clip: Any = None) -> dict:
    """The rawdict keys the readers of this package use (blocks, their type and bbox; lines,
    dir, wmode, bbox; spans, font, size, color, alpha, bbox, origin; chars, c, bbox, origin),
    one span a run of glyphs of one font, size and colour, as PyMuPDF groups them."""
    m = pymupdf.mupdf
    tp = page.get_textpage(clip=clip, flags=flags)
    bounds = m.FzRect(tp.this.m_internal.mediabox)
    blocks: list[dict] = []
    for block in tp.this:
        if block.m_internal.type != m.FZ_STEXT_BLOCK_TEXT:
            blocks.append({"type": int(block.m_internal.type), "bbox": _rect(block.m_internal.bbox)})
            continue
        lines = []
        for line in block:
            spans: list[dict] = []
            key = None
            for ch in line:
                r = pymupdf.JM_char_bbox(line, ch)
                box = _rect(r)
                if not m.fz_is_infinite_rect(bounds) and not (
                        box[0] <= bounds.x1 and bounds.x0 <= box[2] and box[1] <= bounds.y1 and bounds.y0 <= box[3]):
                    continue
                font = pymupdf.JM_font_name(m.FzFont(m.ll_fz_keep_font(ch.m_internal.font)))
                argb = int(ch.m_internal.argb)
                k = (round(float(ch.m_internal.size), 3), font, argb)
                if k != key:
                    spans.append({"size": float(ch.m_internal.size), "font": font, "flags": 0,
                                  "color": argb & 0xFFFFFF, "alpha": argb >> 24 & 0xFF, "bbox": None,
                                  "origin": (float(ch.m_internal.origin.x), float(ch.m_internal.origin.y)),
                                  "chars": []})
                    key = k
                c = int(ch.m_internal.c)
                spans[-1]["chars"].append({
                    "c": chr(c) if 0 <= c <= 0x10FFFF else UNKNOWN, "bbox": box,
                    "origin": (float(ch.m_internal.origin.x), float(ch.m_internal.origin.y))})
                spans[-1]["bbox"] = _union(spans[-1]["bbox"], box)
            spans = [s for s in spans if s["chars"]]
            if not spans:
                continue
            bbox = None
            for s in spans:
                bbox = _union(bbox, s["bbox"])
            lines.append({"dir": (float(line.m_internal.dir.x), float(line.m_internal.dir.y)),
                          "wmode": int(line.m_internal.wmode), "bbox": bbox, "spans": spans})
        if lines:
            bbox = None
            for ln in lines:
                bbox = _union(bbox, ln["bbox"])
            blocks.append({"type": 0, "bbox": bbox, "lines": lines})
    return {"width": page.rect.width, "height": page.rect.height, "blocks": blocks}
