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

import io
import logging
import re
from pathlib import Path

import pymupdf

from reviewer.export.checks import Check
from reviewer.export.expect import PdfExpect
from reviewer.pdf.redacted import normalise, salted

_LIT = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)", re.DOTALL)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]+)>")
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


def _strings(data: bytes) -> str:
    """Every string literal and hex string in ``data``, decoded, in order."""
    parts = [_decode(_unescape(m.group(0)[1:-1])) for m in _LIT.finditer(data)]
    for m in _HEX.finditer(data):
        try:
            parts.append(_decode(bytes.fromhex(m.group(1).decode().replace(" ", "").replace("\n", ""))))
        except ValueError:
            continue
    return "".join(parts)


def readings(path: Path, doc: pymupdf.Document) -> tuple[dict[str, list[str]], list[str]]:
    """Normalised text of the file by each reader; and readers that could not read it."""
    out: dict[str, list[str]] = {"PyMuPDF": [normalise(p.get_text("text")) for p in doc]}
    failed: list[str] = []
    try:
        from pdfminer.high_level import extract_text

        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        out["pdfminer"] = [normalise(extract_text(str(path)))]
    except Exception as exc:  # noqa: BLE001 - a reader that cannot read the file finds nothing
        failed.append(f"pdfminer ({type(exc).__name__})")
    try:
        import pypdf

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
        out["pypdf"] = [normalise(p.extract_text() or "") for p in reader.pages]
    except Exception as exc:  # noqa: BLE001
        failed.append(f"pypdf ({type(exc).__name__})")
    raw: list[str] = []
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True).encode("latin-1", "replace")
            raw.append(normalise(_strings(obj)))
            if doc.xref_is_stream(xref) and doc.xref_get_key(xref, "Subtype")[1] != "/Image":
                if any(doc.xref_get_key(xref, k)[0] != "null" for k in ("Length1", "Length2", "Length3")):
                    continue  # a font program: glyph outlines, not text
                data = doc.xref_stream(xref) or b""
                raw.append(normalise(_strings(data)))
                # the stream as it is, without its hex strings (read decoded just above) and
                # without its bare numbers (operands: coordinates and sizes run together once
                # spaces go, and on a 1,845-page production spelled a date of birth backwards)
                raw.append(normalise(_NUM.sub(b" ", _HEX.sub(b"<>", data)).decode("latin-1")))
        except Exception:  # noqa: BLE001, S112 - a free or broken object
            continue
    out["raw streams"] = raw
    return out, failed


def _found_plain(texts: list[str], wanted: list[str]) -> set[str]:
    hit = set()
    for t in texts:
        back = t[::-1]
        for w in wanted:
            if w in t or w in back:
                hit.add(w)
    return hit


def _found_hashed(texts: list[str], salt: str, hashes: set[str], lengths: set[int]) -> set[str]:
    hit = set()
    for t in texts:
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
    texts, failed = readings(path, doc)
    where: dict[str, int] = {}
    pages: set[int] = set()
    hashes = {h for _n, h in expect.text_hashes}
    lengths = {n for n, _h in expect.text_hashes}
    for name, t in texts.items():
        if plain:
            n = len(_found_plain(t, plain))
        else:
            n = len(_found_hashed(t, expect.text_salt, hashes, lengths))
        if n:
            where[name] = n
            if name == "PyMuPDF":  # one reading a page: say where, so it can be boxed
                pages |= {i + 1 for i, page in enumerate(t)
                          if (_found_plain([page], plain) if plain else
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
            found = sorted(_found_plain(texts.get("PyMuPDF", []), plain), key=len)
            at += " (" + "; ".join(kind_and_length(w) for w in found[:5]) + ")" if found else ""
        return Check("redacted text", False, "found again by " + ", ".join(
            f"{k} ({v} of {count})" for k, v in where.items()) + at +
            " (another form of it, such as an e-mail address or capitals; redact it there too)" + note)
    return Check("redacted text", True, f"none of {count} redacted {how} found by {readers}{note}{short}")
