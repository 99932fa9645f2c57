"""A font set through a graphics state (an ExtGState's /Font entry, ``/GS1 gs``) turned into
an ordinary font resource set by ``Tf``, before the export touches the pages.

The PDF standard lets ``gs`` set the font and size as ``Tf`` does. MuPDF's content filter,
which rewrites every page a box is applied to, writes such a font out as ``/ExtGState 11 Tf``,
a font the resources do not have: every later string of that font draws nothing, and the
export's render check finds the words gone. And the re-coding of a /Differences that spells
a redacted string (reviewer.export.pdf_reencode) follows ``Tf`` only. So each such graphics
state loses its /Font, the font joins the same resources' /Font under a new name, and a
``/GSFont1 11 Tf`` follows each ``/GS1 gs`` in the content: the same text state, the same
drawing, reached the ordinary way.
"""
from __future__ import annotations

import re

import pymupdf

from reviewer.export.pdf_reencode import _TOKEN
from reviewer.pdf.content_scrub import literal_string_end

_NAME_REF = re.compile(r"/([^\s/<>\[\]()]+)\s*(?=<<|\d+\s+\d+\s+R)")


def _after_gs(data: bytes, extra: dict[str, bytes]) -> bytes | None:
    """``data`` with ``extra[name]`` written after each ``/name gs``; None when it cannot be
    followed (an inline image without its end)."""
    out = bytearray()
    i, n = 0, len(data)
    last_name: str | None = None
    while i < n:
        mo = _TOKEN.match(data, i)
        if not mo or mo.end() == i:
            out += data[i:i + 1]
            i += 1
            continue
        start = mo.start(mo.lastindex)
        out += data[i:start]
        if mo.lastindex == 2:  # a literal string
            j = literal_string_end(data, start)
            out += data[start:j]
            i, last_name = j, None
            continue
        tok = mo.group(mo.lastindex)
        i = mo.end()
        out += tok
        if mo.lastindex == 6:
            last_name = tok[1:].decode("latin-1")
            continue
        if mo.lastindex == 7:
            if tok == b"BI":
                k = re.compile(rb"\sEI(?=\s|$)").search(data, i)
                if k is None:
                    return None
                out += data[i:k.end()]
                i = k.end()
            elif tok == b"gs" and last_name in extra:
                out += b" " + extra[last_name]
        last_name = None
    return bytes(out)


def _set(doc: pymupdf.Document, xref: int, path: str, value: str) -> None:
    """``xref_set_key`` along a path that may pass through indirect objects."""
    keys = path.split("/")
    walked: list[str] = []
    for key in keys[:-1]:
        walked.append(key)
        kind, val = doc.xref_get_key(xref, "/".join(walked))
        if kind == "xref":
            xref, walked = int(val.split()[0]), []
    doc.xref_set_key(xref, "/".join([*walked, keys[-1]]), value)


def plain_gs_fonts(doc: pymupdf.Document) -> int:
    """Every graphics state with a /Font made an ordinary font resource (see the module's
    docstring); how many graphics states were changed."""
    from reviewer.export.pdf_spelled import _inherited

    for page in doc:
        if doc.xref_get_key(page.xref, "Resources")[0] == "null":
            # resources inherited from the page tree (LibreOffice writes them there) are
            # given to the page itself, so its fonts can be added where its content finds them
            inherited = _inherited(doc, page.xref, "Resources")
            if inherited and "ExtGState" in (doc.xref_object(int(inherited.split()[0]), compressed=True)
                                             if inherited.endswith("R") else inherited):
                doc.xref_set_key(page.xref, "Resources", inherited)
    holders = [(p.xref, p.get_contents()) for p in doc]
    holders += [(x, [x]) for x in range(1, doc.xref_length())
                if doc.xref_is_stream(x) and doc.xref_get_key(x, "Resources")[0] != "null"]
    emptied: set[tuple[int, str]] = set()  # (object holding the graphics state, its key path)
    changed = 0
    for holder, streams in holders:
        kind, text = doc.xref_get_key(holder, "Resources/ExtGState")
        if kind == "xref":
            text = doc.xref_object(int(text.split()[0]), compressed=True)
        elif kind != "dict":
            continue
        extra: dict[str, bytes] = {}
        for name in dict.fromkeys(_NAME_REF.findall(text)):
            fkind, font = doc.xref_get_key(holder, f"Resources/ExtGState/{name}/Font")
            if fkind != "array":
                continue
            mo = re.fullmatch(r"\[\s*(\d+\s+0\s+R|<<.*>>)\s*([-+\d.]+)\s*\]", font.strip(), re.S)
            if not mo:
                continue
            ref = mo.group(1)
            if ref.startswith("<<"):
                xref = doc.get_new_xref()
                doc.update_object(xref, ref)
                ref = f"{xref} 0 R"
            res_font = f"GSFont{len(extra) + 1}"
            while doc.xref_get_key(holder, f"Resources/Font/{res_font}")[0] != "null":
                res_font += "x"
            if doc.xref_get_key(holder, "Resources/Font")[0] == "null":
                _set(doc, holder, "Resources/Font", "<<>>")
            _set(doc, holder, f"Resources/Font/{res_font}", ref)
            extra[name] = f"/{res_font} {mo.group(2)} Tf".encode()
        if not extra:
            continue
        edits = {}
        for s in streams:
            new = _after_gs(doc.xref_stream(s) or b"", extra)
            if new is None:
                break
            edits[s] = new
        else:
            for s, data in edits.items():
                doc.update_stream(s, data)
            emptied.update((holder, name) for name in extra)
    for holder, name in emptied:
        _set(doc, holder, f"Resources/ExtGState/{name}/Font", "null")
        changed += 1
    return changed
