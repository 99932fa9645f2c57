"""Marked-content properties that carry text of their own, taken out of content streams.

``/Span <</ActualText (Rodriguez)>> BDC ... EMC`` tells extractors (and MuPDF's own search)
what the glyphs inside say; redaction removes the glyphs but leaves the property, so the name
is found again. /ActualText, /Alt and /E string values go from every
marked-content dictionary; everything else in the stream is copied byte for byte.
"""
from __future__ import annotations

import re

DROP = (b"ActualText", b"Alt", b"E")
_QUICK = re.compile(rb"/(?:ActualText|Alt|E)\b")
_DELIM = b"()<>[]{}/%"
_WS = b" \t\r\n\f\x00"


def literal_string_end(data: bytes, i: int) -> int:
    """Index after the literal string that starts at ``data[i] == '('`` (nested balanced
    parentheses and backslash escapes included; the end of ``data`` if it never closes)."""
    depth, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash escapes the next byte
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _token_end(data: bytes, i: int) -> int:
    n = len(data)
    while i < n and data[i] not in _WS and data[i] not in _DELIM:
        i += 1
    return i


def scrub_marked_content(data: bytes) -> tuple[bytes, int]:
    """The stream without text-carrying marked-content properties, and how many went."""
    if not _QUICK.search(data):
        return data, 0
    out = bytearray()
    i, n, depth, dropped = 0, len(data), 0, 0
    while i < n:
        c = data[i]
        if c == 0x25:  # comment
            j = data.find(b"\n", i)
            j = n if j < 0 else j
            out += data[i:j]
            i = j
        elif c == 0x28:
            j = literal_string_end(data, i)
            out += data[i:j]
            i = j
        elif data.startswith(b"<<", i):
            depth += 1
            out += b"<<"
            i += 2
        elif data.startswith(b">>", i):
            depth = max(0, depth - 1)
            out += b">>"
            i += 2
        elif c == 0x3C:  # hex string
            j = data.find(b">", i)
            j = n if j < 0 else j + 1
            out += data[i:j]
            i = j
        elif c == 0x2F:
            j = _token_end(data, i + 1)
            name = data[i + 1:j]
            if depth and name in DROP:
                k = j
                while k < n and data[k] in _WS:
                    k += 1
                if k < n and data[k] == 0x28:
                    i = literal_string_end(data, k)
                    dropped += 1
                    continue
                if k < n and data[k] == 0x3C and not data.startswith(b"<<", k):
                    e = data.find(b">", k)
                    i = n if e < 0 else e + 1
                    dropped += 1
                    continue
            out += data[i:j]
            i = j
        elif data.startswith(b"ID", i) and (i == 0 or data[i - 1] in _WS) and i + 2 < n and data[i + 2] in _WS:
            # inline image data is binary: copy it whole, up to its EI
            m = re.compile(rb"[\s]EI(?=[\s]|$)").search(data, i + 3)
            j = n if m is None else m.end()
            out += data[i:j]
            i = j
        else:
            j = _token_end(data, i) if c not in _WS and c not in _DELIM else i + 1
            out += data[i:j]
            i = j
    return bytes(out), dropped
