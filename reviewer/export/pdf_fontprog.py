"""The readable text inside an embedded font program: found, and taken out where it spells
what was redacted.

A font made for a person (a signature or handwriting font) or named by its maker after a
client carries that name inside the font program itself: a TrueType or OpenType font in its
``name`` table (family, full and PostScript names, notices), a Type 1 font in the clear-text
part before its encrypted glyphs (/FullName, /FamilyName, /Notice, /FontName). Readers that
walk a PDF's streams (pikepdf, a hex editor) show it. The glyph outlines themselves are
binary and are not searched: random bytes would match short strings by chance.

Where such a section spells a redacted string, an sfnt font gets an empty ``name`` table
(renderers do not need it; MuPDF draws the same glyphs) and a Type 1 font gets empty notices
and a neutral /FontName.
"""
from __future__ import annotations

import re
import struct

import pymupdf

from reviewer.pdf.redacted import normalise

_TYPE1_STRINGS = re.compile(rb"/(Notice|FullName|FamilyName|Copyright|Weight)\s*\((?:\\.|[^\\)])*\)")
_TYPE1_NAME = re.compile(rb"/FontName\s*/[^\s/\[\]<>(){}%]+")
EMPTY_NAME = b"\x00\x00\x00\x00\x00\x06"  # format 0, no records, strings at offset 6


def _tables(data: bytes) -> dict[bytes, tuple[int, int]] | None:
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return None
    n = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(n):
        rec = data[12 + 16 * i:28 + 16 * i]
        if len(rec) < 16:
            return None
        tag, _sum, off, length = struct.unpack(">4sIII", rec)
        if off + length > len(data):
            return None
        out[tag] = (off, length)
    return out


def _checksum(table: bytes) -> int:
    padded = table + b"\x00" * (-len(table) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _rebuild(data: bytes, tables: dict[bytes, tuple[int, int]], replace: dict[bytes, bytes]) -> bytes:
    n = len(tables)
    body = bytearray()
    records = []
    offset = 12 + 16 * n
    for tag in sorted(tables):
        off, length = tables[tag]
        table = replace.get(tag, data[off:off + length])
        records.append(struct.pack(">4sIII", tag, _checksum(table), offset + len(body), len(table)))
        body += table + b"\x00" * (-len(table) % 4)
    return data[:12] + b"".join(records) + bytes(body)


def _kind(doc: pymupdf.Document, xref: int) -> str | None:
    if doc.xref_get_key(xref, "Length2")[0] != "null":
        return "type1"
    if doc.xref_get_key(xref, "Length1")[0] != "null" or doc.xref_get_key(xref, "Subtype")[1] == "/OpenType":
        return "sfnt"
    return None


def font_programs(doc: pymupdf.Document) -> list[int]:
    out = []
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type")[1] != "/FontDescriptor":
                continue
            for key in ("FontFile", "FontFile2", "FontFile3"):
                kind, value = doc.xref_get_key(xref, key)
                if kind == "xref":
                    out.append(int(value.split()[0]))
        except Exception:  # noqa: BLE001, S112 - a broken object
            continue
    return out


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
    tables = _tables(data)
    if not tables or b"name" not in tables:
        return ""
    off, length = tables[b"name"]
    raw = data[off:off + length]
    return normalise(raw.decode("latin-1")) + " " + normalise(raw.replace(b"\x00", b"").decode("latin-1"))


def scrub_font_programs(doc: pymupdf.Document, wanted: list[str]) -> int:
    """Empty the readable parts of every font program that spells one of ``wanted``
    (normalised strings); how many programs were changed."""
    changed = 0
    for xref in font_programs(doc):
        text = readable_text(doc, xref)
        if not any(w in text or w in text[::-1] for w in wanted):
            continue
        data = doc.xref_stream(xref) or b""
        if _kind(doc, xref) == "type1":
            clear = int(doc.xref_get_key(xref, "Length1")[1] or 0) or len(data)
            head = _TYPE1_STRINGS.sub(lambda mo: b"/" + mo.group(1) + b" ()", data[:clear])
            head = _TYPE1_NAME.sub(b"/FontName /Font", head)
            doc.update_stream(xref, head + data[clear:])
            doc.xref_set_key(xref, "Length1", str(len(head)))
        else:
            tables = _tables(data)
            if not tables or b"name" not in tables:
                continue
            doc.update_stream(xref, _rebuild(data, tables, {b"name": EMPTY_NAME}))
            if doc.xref_get_key(xref, "Length1")[0] != "null":
                doc.xref_set_key(xref, "Length1", str(len(_rebuild(data, tables, {b"name": EMPTY_NAME}))))
        changed += 1
    return changed
