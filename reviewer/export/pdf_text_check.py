"""Is the redacted text itself anywhere in the exported file?

Boxes can be clean while the name survives elsewhere: in a heading in capitals, hyphenated
across a line, in a layer, an /ActualText, an attachment. So the written file is read the
ways others read it — PyMuPDF, pdfminer.six, pypdf, and every decompressed stream and object
with its string literals decoded — each reading normalised (NFKC, case-folded, letters and
digits only), forwards and backwards (pypdf gives glyphs in drawing order), and searched
for every redacted string. The strings are at hand while exporting and with the case
(``verify --case``); the sidecar and a bundle's index keep only how many there were, since a
hash of each, even salted, lets whoever holds the file test guesses (every nine-digit
A-number in about nine minutes on one core). Sidecars of earlier versions, which kept salted
hashes, are still searched with them.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import pymupdf

from reviewer.export.checks import Check
from reviewer.export.expect import PdfExpect
from reviewer.export.pdf_carriers import name_values
from reviewer.export.pdf_fontprog import readable_text
from reviewer.pdf.redacted import normalise, salted

_LIT = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)", re.DOTALL)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]+)>")
CMAPS = "font character maps"
_NUM = re.compile(rb"(?<=[\s\[\]<>/{}()])[-+]?(?:\d+\.?\d*|\.\d+)(?=[\s\[\]<>/{}()])")
_ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(lit: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(lit):
        c = lit[i:i + 1]
        if c == b"\\" and i + 1 < len(lit):
            nxt = lit[i + 1:i + 2]
            m = re.match(rb"[0-7]{1,3}", lit[i + 1:i + 4])
            if m:
                out.append(int(m.group(0), 8) & 0xFF)
                i += 1 + len(m.group(0))
                continue
            out += _ESC.get(nxt, nxt if nxt not in b"\r\n" else b"")
            i += 2
            continue
        out += c
        i += 1
    return bytes(out)


def _decode(b: bytes) -> str:
    if b.startswith(b"\xfe\xff"):
        return b[2:].decode("utf-16-be", "replace")
    return b.decode("latin-1")


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
_HEXTOK = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]")


def _utf16(hexdigits: bytes) -> str:
    raw = bytes.fromhex(hexdigits.decode().replace(" ", "").replace("\n", "").replace("\r", ""))
    return raw.decode("utf-16-be", "replace")


def cmap_text(data: bytes) -> str:
    """What a font's character map says, in code order: the text of each code, code by code
    (bfchar pairs and bfrange runs), as a reader of the map sees which letters come first. Its
    other strings (/Registry (Adobe), /Ordering (UCS)) are CMap syntax, not text."""
    pairs: list[tuple[int, str]] = []
    try:
        for block in _BFCHAR.findall(data):
            toks = [m.group(1) for m in _HEXTOK.finditer(block) if m.group(1) is not None]
            for src, dst in zip(toks[0::2], toks[1::2]):
                pairs.append((int(src.replace(b" ", b"") or b"0", 16), _utf16(dst)))
        for block in _BFRANGE.findall(data):
            toks = [m.group(0) for m in _HEXTOK.finditer(block)]
            i = 0
            while i + 2 < len(toks):
                lo, hi = int(toks[i][1:-1] or b"0", 16), int(toks[i + 1][1:-1] or b"0", 16)
                if toks[i + 2] == b"[":
                    j = i + 3
                    while j < len(toks) and toks[j] != b"]":
                        pairs.append((lo + j - i - 3, _utf16(toks[j][1:-1])))
                        j += 1
                    i = j + 1
                    continue
                first = _utf16(toks[i + 2][1:-1])
                for k in range(min(hi - lo, 0xFFFF) + 1):
                    text = first[:-1] + chr(ord(first[-1]) + k) if first else ""
                    pairs.append((lo + k, text))
                i += 3
    except (ValueError, IndexError):
        return normalise(_strings(data))  # a map this cannot parse is read as plain strings
    return "".join(t for _c, t in sorted(pairs, key=lambda p: p[0]))


_STRING = re.compile(_LIT.pattern + rb"|<([0-9A-Fa-f\s]+)>", re.DOTALL)
# between two strings of a content stream: a TJ adjustment of a word space or more (TeX sets
# its spaces so), or an operator that moves to another place or line, is a gap between words
_GAP = re.compile(rb"(?:^|[\s\]\[])-(?:[2-9]\d\d|\d{4,})(?:\.\d*)?|\b(?:Td|TD|Tm|T\*|BT|ET)\b|['\"]")


def _strings(data: bytes, gaps: bool = False) -> str:
    """Every string literal and hex string in ``data``, decoded, in order; with ``gaps``, a
    blank between two strings the stream sets a word apart (:data:`_GAP`)."""
    parts: list[str] = []
    last = 0
    for m in _STRING.finditer(data):
        try:
            if m.group(1) is not None:
                text = _decode(bytes.fromhex(m.group(1).decode().replace(" ", "").replace("\n", "")
                                             .replace("\r", "").replace("\t", "")))
            else:
                text = _decode(_unescape(m.group(0)[1:-1]))
        except ValueError:
            continue
        if gaps and parts and _GAP.search(data[last:m.start()]):
            parts.append(" ")
        parts.append(text)
        last = m.end()
    return "".join(parts)


def gapped(text: str) -> str:
    """``text`` as the check compares it (NFKC, case-folded, letters and digits only), with
    one blank where the text has a gap between words: a string found across a gap from inside
    a word ("the year" for "they") is not that word (:class:`_Gapped`)."""
    out: list[str] = []
    for c in unicodedata.normalize("NFKC", text).casefold():
        if c.isalnum():
            out.append(c)
        elif c.isspace() and out and out[-1] != " ":
            out.append(" ")
    return "".join(out).strip()


class _Gapped:
    """A gapped reading split once into its letters and where gaps stand before them, so each
    of many strings is looked for without splitting it again."""

    __slots__ = ("_gaps", "plain", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.plain = text.replace(" ", "")
        self._gaps: list[bool] | None = None

    @property
    def gap_before(self) -> list[bool]:
        """gap_before[i]: a gap before letter i (after letter i-1); built the first time a
        whole word is found at all, which on a clean export is never."""
        if self._gaps is None:
            gaps = [False] * (len(self.plain) + 1)
            n = 0
            for c in self.text:
                if c == " ":
                    gaps[n] = True
                else:
                    n += 1
            self._gaps = gaps
        return self._gaps

    def has(self, word: str, whole: bool) -> bool:
        """``word`` anywhere the letters run on ("theyre" holds "they"; "Rodri-\\nguez",
        "R o d r i g u e z" hold "rodriguez"); for a ``whole`` word, not where it runs across a
        gap and starts or ends inside a word: "the year" does not hold "they", since nobody
        reading it sees the word there."""
        start = self.plain.find(word)
        if not whole or start == -1:
            return start != -1
        gaps = self.gap_before
        while start != -1:
            end = start + len(word)
            crosses = any(gaps[start + 1:end])
            inside = (start > 0 and not gaps[start]) or (end < len(self.plain) and not gaps[end])
            if not (crosses and inside):
                return True
            start = self.plain.find(word, start + 1)
        return False


def readings(path: Path, doc: pymupdf.Document,
             wanted: list[str] | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """Normalised text of the file by each reader; and readers that could not read it.
    ``wanted``: the normalised strings the check looks for, which lets pdfminer skip its
    layout analysis where no layout could spell one (reviewer.export.pdf_readers)."""
    from reviewer.export.pdf_readers import pdfminer_reading, pypdf_pages

    out: dict[str, list[str]] = {"PyMuPDF": [gapped(p.get_text("text")) for p in doc]}
    failed: list[str] = []
    try:
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        out["pdfminer"] = [gapped(pdfminer_reading(path, wanted)[0])]
    except Exception as exc:  # noqa: BLE001 - a reader that cannot read the file finds nothing
        failed.append(f"pdfminer ({type(exc).__name__})")
    try:
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        out["pypdf"] = [gapped(t) for t in pypdf_pages(path.read_bytes())]
    except Exception as exc:  # noqa: BLE001
        failed.append(f"pypdf ({type(exc).__name__})")
    raw: list[str] = []
    cmaps: list[str] = []
    for xref in range(1, doc.xref_length()):
        try:
            text = doc.xref_object(xref, compressed=True)
            obj = text.encode("latin-1", "replace")
            raw.append(gapped(_strings(obj, gaps=True)))
            raw.append(normalise(name_values(text)))  # glyph names of a /Differences, a font's own name
            if doc.xref_is_stream(xref) and doc.xref_get_key(xref, "Subtype")[1] != "/Image":
                if any(doc.xref_get_key(xref, k)[0] != "null" for k in ("Length1", "Length2", "Length3")) or \
                        doc.xref_get_key(xref, "Subtype")[1] in ("/OpenType", "/Type1C", "/CIDFontType0C"):
                    raw.append(readable_text(doc, xref))  # its names and notices; the outlines are binary
                    continue
                data = doc.xref_stream(xref) or b""
                if b"begincmap" in data:
                    # a font's character map: its strings, in code order, are the letters in the
                    # order the font first used them (and can spell a word); the rest is CMap
                    # syntax ("/CMapName" is no trace of the word "name")
                    cmaps.append(normalise(cmap_text(data)))
                    continue
                raw.append(gapped(_strings(data, gaps=True)))
                # the stream as it is, without its hex strings (read decoded just above) and
                # without its bare numbers (operands: coordinates and sizes run together once
                # spaces go, and on a 1,845-page production spelled a date of birth backwards)
                raw.append(gapped(_NUM.sub(b" ", _HEX.sub(b"<>", data)).decode("latin-1")))
        except Exception:  # noqa: BLE001, S112 - a free or broken object
            continue
    out["raw streams"] = raw
    out[CMAPS] = cmaps
    return out, failed


def _found_plain(texts: list[str], wanted: list[str], whole: frozenset[str] = frozenset()) -> set[str]:
    """The strings of ``wanted`` in any of the gapped ``texts``, forwards or backwards; those
    of ``whole`` (boxed as whole words) not where letters only run into them across a gap."""
    hit = set()
    for t in texts:
        forward, back = _Gapped(t), _Gapped(t[::-1])
        for w in wanted:
            if w not in hit and (forward.has(w, w in whole) or back.has(w, w in whole)):
                hit.add(w)
    return hit


def _found_hashed(texts: list[str], salt: str, hashes: set[str], lengths: set[int]) -> set[str]:
    hit = set()
    for t in texts:
        t = t.replace(" ", "")
        for s in (t, t[::-1]):
            for n in lengths:
                for i in range(len(s) - n + 1):
                    h = salted(salt, s[i:i + n])
                    if h in hashes:
                        hit.add(h)
    return hit


def kind_and_length(text: str) -> str:
    """``an A-number of 10 characters``: which built-in kind a found string is, else whether it
    is a number or text, and its length."""
    from reviewer.pdf.search import PATTERNS

    names = {"ssn": "a Social Security number", "a-number": "an A-number", "phone": "a phone number",
             "email": "an e-mail address", "dob": "a date of birth"}
    kind = next((names.get(k, k) for k, rx in PATTERNS.items()
                 if (m := rx.search(text)) and len(m.group(0)) >= len(text) // 2), None)
    if kind is None:
        kind = "a number" if re.fullmatch(r"[\d\s/.()+-]+", text) else "a name or other text"
    return f"{kind} of {len(text)} characters"


def cmap_pages(doc: pymupdf.Document, plain: list[str]) -> list[int]:
    """Pages that use a font whose character map spells one of ``plain``: subset fonts number
    their letters in the order the document first sets them, so a map read in code order spells
    the first words set in that font (a LibreOffice form's "First Name" label)."""
    out = []
    spells: dict[int, bool] = {}  # by /ToUnicode object: a font shared by every page is read once
    for page in doc:
        for font in page.get_fonts(full=True):
            try:
                kind, ref = doc.xref_get_key(font[0], "ToUnicode") if font[0] > 0 else ("null", "")
                if kind != "xref":
                    continue
                xref = int(ref.split()[0])
                if xref not in spells:
                    text = normalise(cmap_text(doc.xref_stream(xref) or b""))
                    spells[xref] = not plain or bool(_found_plain([text], plain))
            except Exception:  # noqa: BLE001, S112 - a broken map reads as nothing
                continue
            if spells[xref]:
                out.append(page.number + 1)
                break
    return out


def _advice(doc: pymupdf.Document, where: dict[str, int], plain: list[str]) -> str:
    """What the user can do about a string found again, by where it was found."""
    if "PyMuPDF" in where or "pypdf" in where:
        return (" (another form of it, such as an e-mail address or capitals, or the same words read "
                "in another order; redact it there too, or export with --rasterize to draw the "
                "pages as pictures)")
    if set(where) == {CMAPS}:
        at = cmap_pages(doc, plain)
        on = f" used on page(s) {', '.join(map(str, at[:10]))}" if at else ""
        return (f" (a font{on} lists its letters in the order it first used them, and that order "
                "spells it; export with --rasterize to draw the pages as pictures)")
    # only in the file's objects and streams: no page shows it, so no box can reach it
    return (" (in the file's data outside the page text a reader shows: no box reaches it; export "
            "with --rasterize to draw the pages as pictures)")


def redacted_text_check(path: str | Path, doc: pymupdf.Document, expect: PdfExpect) -> Check:
    path = Path(path)
    plain = list(expect.redacted or ())
    if not plain and not expect.text_hashes and expect.text_strings:
        # the sidecar (or a bundle's index) keeps no trace of the text: nothing to search with
        return Check("redacted text", True, (
            f"{expect.text_strings} redacted string(s) were searched for when the file was exported "
            "and are not searched again here: the file and its record keep neither the text nor a "
            "hash a guess could be tested against; `reviewer verify PATH --case CASE` searches again"))
    if not plain and not expect.text_hashes:
        return Check("redacted text", True, "no redacted text to look for" + (
            f" ({expect.short_strings} too short, {expect.shown_strings} also shown unboxed: not searched)"
            if expect.short_strings or expect.shown_strings else ""))
    texts, failed = readings(path, doc, plain or None)
    where: dict[str, int] = {}
    pages: set[int] = set()
    hashes = {h for _n, h in expect.text_hashes}
    lengths = {n for n, _h in expect.text_hashes}
    for name, t in texts.items():
        if plain:
            n = len(_found_plain(t, plain, expect.whole))
        else:
            n = len(_found_hashed(t, expect.text_salt, hashes, lengths))
        if n:
            where[name] = n
            if name in ("PyMuPDF", "pypdf"):  # one reading a page: say where, so it can be boxed
                pages |= {i + 1 for i, page in enumerate(t)
                          if (_found_plain([page], plain, expect.whole) if plain else
                              _found_hashed([page], expect.text_salt, hashes, lengths))}
    count = len(plain) or len(expect.text_hashes)
    how = "strings" if plain else "salted hashes"
    readers = ", ".join(texts)
    note = f"; could not read with {', '.join(failed)}" if failed else ""
    short = f"; {expect.short_strings} string(s) under 4 letters or digits not searched" if expect.short_strings else ""
    if expect.shown_strings:
        short += (f"; {expect.shown_strings} also shown unboxed on the document's pages (boilerplate, or "
                  "left visible), not searched")
    if where:
        at = f" on page(s) {', '.join(map(str, sorted(pages)[:10]))}" if pages else ""
        if plain and pages:
            # what was found, by kind and length: enough to find it on the page, and never
            # the string itself, since this line is printed and kept in the sidecar
            found = sorted(_found_plain(texts.get("PyMuPDF", []) + texts.get("pypdf", []), plain, expect.whole),
                           key=len)
            at += " (" + "; ".join(kind_and_length(w) for w in found[:5]) + ")" if found else ""
        return Check("redacted text", False, "found again by " + ", ".join(
            f"{k} ({v} of {count})" for k, v in where.items()) + at + _advice(doc, where, plain) + note)
    return Check("redacted text", True, f"none of {count} redacted {how} found by {readers}{note}{short}")
