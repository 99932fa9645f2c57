"""A simple font's codes put in the order of its glyph names, so its /Differences no longer
spells the first word the producer set in it.

Producers that build their own encoding give codes 1, 2, 3... to glyphs as the text first
uses them: ``/Differences [1 /R /o /d /r /i /g /u /e /z /space /I /n ...]`` spells the first
word of the document, and the /Widths and /ToUnicode in code order spell it again. Here the
codes of the /Differences are given to its glyph names in sorted order, and every string
drawn with the font (pages, form XObjects, patterns, Type3 glyph programs) is re-coded to
match; /Widths and /ToUnicode follow. The glyph drawn for each character is the same glyph
(the font program is reached by name), so the page looks and reads as before; the pages'
text is compared before and after, and on any difference everything is put back.
"""
from __future__ import annotations

import re

import pymupdf

from reviewer.pdf.content_scrub import literal_string_end

_TOKEN = re.compile(rb"\s*(?:(%[^\r\n]*)|(\()|(<<|>>)|(<[0-9A-Fa-f\s]*>)|(\[|\])|(/[^\s/\[\]<>()%{}]*)|"
                    rb"([^\s/\[\]<>()%{}]+))")


def _unescape(body: bytes) -> bytes:
    out, i = bytearray(), 0
    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(body):
        c = body[i]
        if c == 0x5C and i + 1 < len(body):
            d = body[i + 1]
            mo = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
            if mo:
                out.append(int(mo.group(0), 8) & 0xFF)
                i += 1 + len(mo.group(0))
                continue
            if d in (10, 13):  # a line continuation
                i += 2 + (1 if d == 13 and body[i + 2:i + 3] == b"\n" else 0)
                continue
            out.append(esc.get(d, d))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def recode_stream(data: bytes, fonts: set[str], perm: dict[int, int]) -> tuple[bytes, int] | None:
    """``data`` with every string shown while one of ``fonts`` (resource names) is current
    re-coded through ``perm``; how many strings changed. None when the stream cannot be
    followed (an inline image without its end)."""
    out = bytearray()
    i, n = 0, len(data)
    operands: list[tuple[int, int, str]] = []  # (start, end, kind) in ``out``
    current: str | None = None
    stack: list[str | None] = []
    changed = 0

    def recode(raw: bytes) -> bytes:
        return b"<" + bytes(perm.get(b, b) for b in raw).hex().upper().encode() + b">"

    while i < n:
        mo = _TOKEN.match(data, i)
        if not mo or mo.end() == i:
            out += data[i:i + 1]
            i += 1
            continue
        ws_end = mo.start(mo.lastindex)
        out += data[i:ws_end]
        kind = mo.lastindex
        start = len(out)
        if kind == 2:  # literal string
            j = literal_string_end(data, ws_end)
            out += data[ws_end:j]
            operands.append((start, len(out), "str"))
            i = j
            continue
        tok = mo.group(kind)
        i = mo.end()
        if kind == 1:
            out += tok
            continue
        if kind == 4:
            out += tok
            operands.append((start, len(out), "hex"))
            continue
        if kind in (3, 5, 6):
            out += tok
            operands.append((start, len(out), tok.decode("latin-1")))
            continue
        # a number or an operator
        out += tok
        if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", tok) or tok in (b"true", b"false", b"null"):
            operands.append((start, len(out), "num"))
            continue
        op = tok
        if op == b"BI":
            k = re.compile(rb"\sEI(?=[\s]|$)").search(data, i)
            if k is None:
                return None
            out += data[i:k.end()]
            i = k.end()
        elif op == b"Tf":
            names = [o for o in operands if o[2].startswith("/")]
            current = names[-1][2][1:] if names else current
        elif op == b"q":
            stack.append(current)
        elif op == b"Q":
            current = stack.pop() if stack else current
        elif op in (b"Tj", b"TJ", b"'", b'"') and current in fonts:
            strings = [o for o in operands if o[2] in ("str", "hex")]
            if op != b"TJ":
                strings = strings[-1:]
            # rewrite from the last so earlier offsets hold
            for s, e, what in reversed(strings):
                raw = out[s:e]
                body = _unescape(bytes(raw[1:-1])) if what == "str" else bytes.fromhex(
                    re.sub(rb"\s", b"", bytes(raw[1:-1])).decode() + ("0" if len(re.sub(rb"\s", b"", bytes(raw[1:-1]))) % 2 else ""))
                new = recode(body)
                out[s:e] = new
                changed += 1
        operands = []
    return bytes(out), changed


def _diff_map(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    code = 0
    for tok in re.findall(r"/[^\s/\[\]]+|\d+", text):
        if tok.startswith("/"):
            out[code] = tok[1:]
            code += 1
        else:
            code = int(tok)
    return out


def _tounicode(data: bytes) -> dict[int, str] | None:
    """code -> hex UTF-16 of a simple font's ToUnicode CMap; None if it cannot be read."""
    text = data.decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(a, 16)] = b
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for a, b, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            lo, hi = int(a, 16), int(b, 16)
            if rest.startswith("["):
                for k, v in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    out[lo + k] = v
            else:
                base = int(rest[1:-1], 16)
                width = len(rest) - 2
                for k in range(hi - lo + 1):
                    out[lo + k] = f"{base + k:0{width}X}"
    return out or None


def _cmap(mapping: dict[int, str]) -> bytes:
    lines = [f"<{c:02X}> <{u}>" for c, u in sorted(mapping.items())]
    chunks = [lines[k:k + 100] for k in range(0, len(lines), 100)]
    body = "".join(f"{len(ch)} beginbfchar\n" + "\n".join(ch) + "\nendbfchar\n" for ch in chunks)
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n" + body +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()


def _font_names(doc: pymupdf.Document, holder: int, font: int) -> set[str]:
    """Resource names under which ``holder`` (a page or a stream with /Resources) reaches ``font``."""
    kind, value = doc.xref_get_key(holder, "Resources/Font")
    if kind == "xref":
        value = doc.xref_object(int(value.split()[0]), compressed=True)
    elif kind != "dict":
        return set()
    return {mo.group(1) for mo in re.finditer(r"/([^\s/<>\[\]()]+)\s+(\d+) 0 R", value) if int(mo.group(2)) == font}


def reencode_font(doc: pymupdf.Document, font: int) -> int:
    """Re-code simple font ``font`` in the order of its glyph names; 1 if done, 0 if not."""
    if doc.xref_get_key(font, "Subtype")[1] not in ("/Type1", "/TrueType", "/MMType1", "/Type3"):
        return 0
    ekind, evalue = doc.xref_get_key(font, "Encoding")
    holder, path = (int(evalue.split()[0]), "Differences") if ekind == "xref" else (font, "Encoding/Differences")
    dkind, dtext = doc.xref_get_key(holder, path)
    if dkind != "array":
        return 0
    old = _diff_map(dtext)
    if not old or max(old) > 255:
        return 0
    codes = sorted(old)
    by_name = sorted(codes, key=lambda c: (old[c], c))
    perm = {c: codes[k] for k, c in enumerate(by_name)}  # old code -> new code
    if all(a == b for a, b in perm.items()):
        return 0
    new_map = {perm[c]: name for c, name in old.items()}
    diffs = "[" + " ".join(f"{c} /{new_map[c]}" for c in sorted(new_map)) + "]"
    return apply_perm(doc, font, perm, keys=[(holder, path, diffs)])


def apply_perm(doc: pymupdf.Document, font: int, perm: dict[int, int], *,
               keys: list[tuple[int, str, str]] = (), streams: dict[int, bytes] | None = None,
               render: bool = False) -> int:
    """Give simple font ``font``'s codes new numbers (``perm``: old code -> new code): every
    string drawn with it re-coded, its /Widths and /ToUnicode moved along, and ``keys``
    ((xref, key, value)) and ``streams`` (xref -> data, such as a font program whose own
    character map follows) set with them. The pages' text is compared before and after (and
    their rendering, with ``render``); on any difference everything is put back. 1 if done."""
    edits: dict[int, bytes] = {}
    holders = [(p.xref, p.get_contents()) for p in doc]
    holders += [(x, [x]) for x in range(1, doc.xref_length())
                if doc.xref_is_stream(x) and doc.xref_get_key(x, "Resources")[0] != "null"]
    for holder_xref, contents in holders:
        names = _font_names(doc, holder_xref, font)
        if not names:
            continue
        for s in contents:
            res = recode_stream(doc.xref_stream(s) or b"", names, perm)
            if res is None:
                return 0
            if res[1]:
                edits[s] = res[0]
    # only pages that use the font can read or look different (its forms and patterns count)
    pages = [p.number for p in doc if any(f[0] == font for f in p.get_fonts(full=True))] or \
        list(range(doc.page_count))  # reached some other way (a pattern, a glyph program): all
    before = [doc[n].get_text("text") for n in pages]
    looks = [_look(doc[n]) for n in pages] if render else []
    extra = dict(streams or {})
    saved = {s: doc.xref_stream(s) for s in [*edits, *extra]}
    saved_keys = []
    for xref, key, value in keys:
        saved_keys.append((xref, key, doc.xref_get_key(xref, key)[1]))
        doc.xref_set_key(xref, key, value)
    wkind, wtext = doc.xref_get_key(font, "Widths")
    first = int(doc.xref_get_key(font, "FirstChar")[1] or 0) if doc.xref_get_key(font, "FirstChar")[0] != "null" else 0
    if wkind == "array":
        widths = wtext.strip("[]").split()
        new_w = list(widths)
        for c, nc in perm.items():
            if 0 <= c - first < len(widths) and 0 <= nc - first < len(widths):
                new_w[nc - first] = widths[c - first]
        saved_keys.append((font, "Widths", wtext))
        doc.xref_set_key(font, "Widths", "[" + " ".join(new_w) + "]")
    tkind, tvalue = doc.xref_get_key(font, "ToUnicode")
    if tkind == "xref":
        tx = int(tvalue.split()[0])
        cmap = _tounicode(doc.xref_stream(tx) or b"")
        if cmap is None:
            _restore(doc, saved_keys, {})
            return 0
        saved[tx] = doc.xref_stream(tx)
        doc.update_stream(tx, _cmap({perm.get(c, c): u for c, u in cmap.items()}))
    for s, data in [*extra.items(), *edits.items()]:
        doc.update_stream(s, data)
    pymupdf.TOOLS.store_shrink(100)  # MuPDF keeps fonts loaded with their old encoding
    if [doc[n].get_text("text") for n in pages] != before or \
            (render and [_look(doc[n]) for n in pages] != looks):
        _restore(doc, saved_keys, saved)
        pymupdf.TOOLS.store_shrink(100)
        return 0
    return 1


def _look(page: pymupdf.Page) -> bytes:
    return page.get_pixmap(dpi=72, colorspace=pymupdf.csGRAY, alpha=False, annots=False).samples


def _restore(doc: pymupdf.Document, keys: list[tuple[int, str, str]], streams: dict[int, bytes]) -> None:
    for xref, key, value in keys:
        doc.xref_set_key(xref, key, value)
    for xref, data in streams.items():
        doc.update_stream(xref, data)
