"""The readable text inside an embedded font program: found, and taken out where it spells
what was redacted.

A font made for a person (a signature or handwriting font) or named by its maker after a
client carries that name inside the font program itself:

- a TrueType or OpenType font in its ``name`` table (family, full and PostScript names,
  notices);
- a CFF font (FontFile3 /Type1C or /CIDFontType0C, or the ``CFF`` table of an OpenType font)
  in its Name INDEX (/FontName), its Top DICT strings (/FullName, /FamilyName, /Notice,
  /Copyright, /Weight), its FDArray's font names and its charset: the glyph names in glyph
  order, which in a subset made as the text was set spell the first words set in the font,
  as a /Differences does (pdf_reencode);
- a Type 1 font in the clear-text part before its encrypted glyphs (/FullName, /FamilyName,
  /Notice, /FontName).

Readers that walk a PDF's streams (pikepdf, a hex editor, fontTools) show it. The glyph
outlines themselves are binary and are not searched: random bytes would match short strings
by chance. A charset is read as the characters its glyph names stand for (Adobe's glyph
list): glyph names such as "sterling" or "grave" are not the surnames they look like.

Where such a part spells a redacted string, an sfnt font gets an empty ``name`` table
(renderers do not need it; MuPDF draws the same glyphs), a CFF font loses its name strings
and, when a simple font reaches its glyphs by name, has its glyphs put in the order of their
names, and a Type 1 font gets empty notices and a neutral /FontName. fontTools (MIT) reads
and writes the sfnt and CFF structures.
"""
from __future__ import annotations

import io
import logging
import re
import types

import pymupdf

from reviewer.pdf.redacted import normalise

# fontTools warns on stderr about what subset fonts leave out (timestamps, checksums)
logging.getLogger("fontTools").setLevel(logging.ERROR)

_TYPE1_STRINGS = re.compile(rb"/(Notice|FullName|FamilyName|Copyright|Weight)\s*\((?:\\.|[^\\)])*\)")
_TYPE1_NAME = re.compile(rb"/FontName\s*/[^\s/\[\]<>(){}%]+")
# Top DICT and Font DICT keys whose values are words, not drawing
_CFF_WORDS = ("version", "Notice", "Copyright", "FullName", "FamilyName", "Weight", "BaseFontName", "PostScript",
              "FontName", "CIDFontName")
_NO_BBOX = types.SimpleNamespace(recalcBBoxes=False)  # what fontTools' CFF compile asks of a font


def _kind(doc: pymupdf.Document, xref: int) -> str | None:
    sub = doc.xref_get_key(xref, "Subtype")[1]
    if sub in ("/Type1C", "/CIDFontType0C"):
        return "cff"
    if doc.xref_get_key(xref, "Length2")[0] != "null":
        return "type1"
    if doc.xref_get_key(xref, "Length1")[0] != "null" or sub == "/OpenType":
        return "sfnt"
    return None


def font_programs(doc: pymupdf.Document) -> list[int]:
    return list(_programs(doc))


def _programs(doc: pymupdf.Document) -> dict[int, dict[int, str]]:
    """Font program xref -> the fonts that use it: font xref -> its /Subtype (/Type1...)."""
    out: dict[int, dict[int, str]] = {}
    program_of: dict[int, int] = {}  # font descriptor -> its program
    fonts: list[tuple[int, str, int]] = []  # (font, subtype, descriptor)
    for xref in range(1, doc.xref_length()):
        try:
            kind = doc.xref_get_key(xref, "Type")[1]
            if kind == "/FontDescriptor":
                for key in ("FontFile", "FontFile2", "FontFile3"):
                    t, value = doc.xref_get_key(xref, key)
                    if t == "xref":
                        program_of[xref] = int(value.split()[0])
                        out.setdefault(program_of[xref], {})
            elif kind == "/Font":
                t, value = doc.xref_get_key(xref, "FontDescriptor")
                if t == "xref":
                    fonts.append((xref, doc.xref_get_key(xref, "Subtype")[1], int(value.split()[0])))
        except Exception:  # noqa: BLE001, S112 - a broken object
            continue
    for font, subtype, desc in fonts:
        if desc in program_of:
            out[program_of[desc]][font] = subtype
    return out


def _cff_text(cff) -> str:  # noqa: ANN001 - a fontTools CFFFontSet
    """A CFF font set's words: font names, every custom string (notices, names, custom glyph
    names) and each font's charset read as the characters its glyph names stand for."""
    from fontTools.agl import toUnicode

    parts = list(cff.fontNames)
    strings = getattr(cff, "strings", None)
    parts += list(getattr(strings, "strings", []) or [])
    for name in cff.fontNames:
        top = cff[name]
        if not hasattr(top, "ROS"):  # a CID font's charset lists CIDs, not names
            parts.append("".join(toUnicode(g) for g in top.charset))
    return " ".join(normalise(p) for p in parts)


def _load_cff(data: bytes):  # noqa: ANN202
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    return cff


def _load_sfnt(data: bytes):  # noqa: ANN202
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)


def _sfnt_text(font) -> str:  # noqa: ANN001 - a fontTools TTFont
    out = []
    if "name" in font.reader.keys():
        try:
            out += [normalise(rec.toUnicode()) for rec in font["name"].names]
        except Exception:  # noqa: BLE001 - a name table fontTools cannot parse is read as bytes
            raw = font.reader["name"]
            out += [normalise(raw.decode("latin-1")), normalise(raw.replace(b"\x00", b"").decode("latin-1"))]
    if "CFF " in font.reader.keys():
        out.append(_cff_text(font["CFF "].cff))
    return " ".join(out)


def readable_text(doc: pymupdf.Document, xref: int) -> str:
    """The text-bearing part of font program ``xref``, normalised as verify searches."""
    try:
        data = doc.xref_stream(xref) or b""
    except Exception:  # noqa: BLE001 - an undecodable stream shows no text either
        return ""
    kind = _kind(doc, xref)
    if kind == "type1":
        clear = int(doc.xref_get_key(xref, "Length1")[1] or 0) or len(data)
        return normalise(data[:clear].decode("latin-1"))
    try:
        if kind == "cff":
            return _cff_text(_load_cff(data))
        if kind == "sfnt" or data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
            return _sfnt_text(_load_sfnt(data))
    except Exception:  # noqa: BLE001, S110 - not a font fontTools can read: read as a stream
        pass
    return ""


def _scrub_cff(cff, reorder: bool) -> None:  # noqa: ANN001
    """Take the words out of a CFF font set; ``reorder``: also put its glyphs in the order of
    their names (only where the PDF reaches glyphs by name, never by number)."""
    cff.fontNames = [f"Font{i + 1}" for i in range(len(cff.fontNames))]
    for top in cff.topDictIndex:
        dicts = [top] + list(getattr(top, "FDArray", None) or [])
        for d in dicts:
            for key in _CFF_WORDS:
                d.rawDict.pop(key, None)
                if key in d.__dict__:
                    delattr(d, key)
        if getattr(top, "FDArray", None) is not None:
            for i, fd in enumerate(top.FDArray):
                fd.FontName = f"Font{i + 1}"
        if reorder and not hasattr(top, "ROS") and not hasattr(top, "FDSelect"):
            # fontTools reads the glyphs and the built-in encoding on first use, through the
            # charset: read them through the old one before it changes
            _ = top.CharStrings, top.Encoding
            top.charset = top.charset[:1] + sorted(top.charset[1:])


def _cff_bytes(cff) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    cff.compile(out, _NO_BBOX)
    return out.getvalue()


def _look(page: pymupdf.Page) -> bytes:
    return page.get_pixmap(dpi=72, colorspace=pymupdf.csGRAY, alpha=False, annots=False).samples


def scrub_font_programs(doc: pymupdf.Document, wanted: list[str]) -> int:
    """Empty the readable parts of every font program that spells one of ``wanted``
    (normalised strings); how many programs were changed."""
    changed = 0
    for xref, users in _programs(doc).items():
        text = readable_text(doc, xref)
        if not any(w in text or w in text[::-1] for w in wanted):
            continue
        data = doc.xref_stream(xref) or b""
        kind = _kind(doc, xref)
        # glyphs may change places only where every font using the program is a simple font
        # (codes reach glyphs through names); a CIDFont reaches them by number
        by_name = bool(users) and set(users.values()) <= {"/Type1", "/MMType1"}
        try:
            if kind == "type1":
                clear = int(doc.xref_get_key(xref, "Length1")[1] or 0) or len(data)
                head = _TYPE1_STRINGS.sub(lambda mo: b"/" + mo.group(1) + b" ()", data[:clear])
                head = _TYPE1_NAME.sub(b"/FontName /Font", head)
                doc.update_stream(xref, head + data[clear:])
                doc.xref_set_key(xref, "Length1", str(len(head)))
            elif kind == "cff":
                cff = _load_cff(data)
                _scrub_cff(cff, by_name)
                # glyphs that changed places must draw as before: the pages using the font
                # are rendered before and after, and the program put back on any difference
                pages = [p.number for p in doc if by_name and any(f[0] in users for f in p.get_fonts(full=True))]
                looks = [_look(doc[n]) for n in pages]
                doc.update_stream(xref, _cff_bytes(cff))
                pymupdf.TOOLS.store_shrink(100)  # MuPDF keeps the font it loaded
                if [_look(doc[n]) for n in pages] != looks:
                    doc.update_stream(xref, data)
                    pymupdf.TOOLS.store_shrink(100)
                    _scrub_cff(cff := _load_cff(data), False)
                    doc.update_stream(xref, _cff_bytes(cff))
            else:
                font = _load_sfnt(data)
                if "name" in font.reader.keys():
                    font["name"].names = []
                if "CFF " in font.reader.keys():
                    _scrub_cff(font["CFF "].cff, False)  # an OpenType font maps codes to glyph numbers
                buf = io.BytesIO()
                font.save(buf)
                doc.update_stream(xref, buf.getvalue())
                if doc.xref_get_key(xref, "Length1")[0] != "null":
                    doc.xref_set_key(xref, "Length1", str(len(buf.getvalue())))
        except Exception:  # noqa: BLE001, S112 - left as it is: verify reads it and refuses
            continue
        changed += 1
    return changed
