"""A subset font whose character map spells a redacted string, given new codes in the order of
its letters, so the page keeps its text instead of going out as a picture.

Subset fonts number their letters in the order the document first sets them: LibreOffice's
label font on a form has codes 1, 2, 3... for F, i, r, s, t, space, N, a, m, e, and its
/ToUnicode read in code order spells "First Name". Here the codes are given to the letters in
the order of the text each stands for (space, capitals, small letters...), and every string
drawn with the font is re-coded to match (reviewer.export.pdf_reencode.apply_perm), with the
/Widths and /ToUnicode. Where the font reaches its glyphs by name (a /Differences) the names
move; where it reaches them through its own character map (a symbolic TrueType font without
an /Encoding, as LibreOffice writes them) fontTools rewrites the program's (1,0) and (3,0)
cmap subtables so each new code leads to the glyph the old one did. The glyph outlines and
their numbers do not change. The pages' text and rendering are compared before and after;
on any difference the font is left as it was (and the page is drawn as a picture).
"""
from __future__ import annotations

import io
import logging

import pymupdf

from reviewer.export.pdf_reencode import _tounicode, apply_perm, reencode_font

# fontTools warns on stderr about what subset fonts leave out (timestamps, checksums)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def _program(doc: pymupdf.Document, font: int) -> int | None:
    kind, value = doc.xref_get_key(font, "FontDescriptor/FontFile2")
    return int(value.split()[0]) if kind == "xref" else None


def renumber_truetype(doc: pymupdf.Document, font: int) -> int:
    """Give TrueType font ``font`` codes in the order of the text they stand for; 1 if done."""
    if doc.xref_get_key(font, "Subtype")[1] != "/TrueType" or doc.xref_get_key(font, "Encoding")[0] != "null":
        return 0  # with an /Encoding, codes reach glyphs through names and Unicode, not the cmap
    program, tkind, tvalue = _program(doc, font), *doc.xref_get_key(font, "ToUnicode")
    if program is None or tkind != "xref":
        return 0
    text = _tounicode(doc.xref_stream(int(tvalue.split()[0])) or b"")
    if not text or max(text) > 255:
        return 0
    codes = sorted(text)
    order = sorted(codes, key=lambda c: (bytes.fromhex(text[c] or "").decode("utf-16-be", "replace"), c))
    perm = {c: codes[k] for k, c in enumerate(order)}  # old code -> new code
    if all(a == b for a, b in perm.items()):
        return 0
    try:
        from fontTools.ttLib import TTFont

        tt = TTFont(io.BytesIO(doc.xref_stream(program) or b""), recalcBBoxes=False, recalcTimestamp=False)
        by_code = [t for t in tt["cmap"].tables if (t.platformID, t.platEncID) in ((1, 0), (3, 0))]
        if not by_code:
            return 0
        for table in by_code:
            high = 0xF000 if table.platformID == 3 and any(k >= 0xF000 for k in table.cmap) else 0
            table.cmap = {(perm.get(k - high, k - high) + high if 0 <= k - high <= 255 else k): g
                          for k, g in table.cmap.items()}
        _glyphs_in_code_order(tt, by_code[0].cmap)
        out = io.BytesIO()
        tt.save(out)
    except Exception:  # noqa: BLE001 - a program fontTools cannot rewrite: left as it is
        return 0
    data = out.getvalue()
    keys = [(program, "Length1", str(len(data)))] if doc.xref_get_key(program, "Length1")[0] != "null" else []
    return apply_perm(doc, font, perm, keys=keys, streams={program: data}, render=True)


def _glyphs_in_code_order(tt, cmap: dict[int, str]) -> None:  # noqa: ANN001 - a fontTools TTFont
    """The glyphs numbered in the order of the codes that reach them, so that the glyph order
    (first use, in a subset) no longer spells the text either; outlines, advances and
    composites follow their glyphs by name."""
    old = tt.getGlyphOrder()
    for tag in tt.keys():
        if tag != "GlyphOrder":
            tt[tag].ensureDecompiled() if hasattr(tt[tag], "ensureDecompiled") else None
    first = [g for _c, g in sorted(cmap.items()) if g in old]
    new = old[:1] + list(dict.fromkeys(g for g in first if g != old[0]))
    new += [g for g in old if g not in set(new)]
    tt.setGlyphOrder(new)
    if "glyf" in tt:
        tt["glyf"].glyphOrder = new


def renumber_fonts(doc: pymupdf.Document, spells) -> int:  # noqa: ANN001 - (ToUnicode data) -> bool
    """Renumber every simple font whose /ToUnicode ``spells`` a redacted string; how many."""
    done = 0
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type")[1] != "/Font":
                continue
            kind, ref = doc.xref_get_key(xref, "ToUnicode")
            if kind != "xref" or not spells(doc.xref_stream(int(ref.split()[0])) or b""):
                continue
        except Exception:  # noqa: BLE001, S112 - a broken object
            continue
        if doc.xref_get_key(xref, "Encoding/Differences")[0] == "array" or \
                doc.xref_get_key(xref, "Encoding")[0] == "xref":
            done += reencode_font(doc, xref)
        else:
            done += renumber_truetype(doc, xref)
    return done
