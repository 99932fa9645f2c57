"""Stated limits on what a PDF may ask of MuPDF, checked before any page is read.

A few kilobytes can make MuPDF work for hours: form XObjects that each draw the next one
several times (forty levels of four is 4^40 drawings: ``get_text`` never returns), an
XObject that draws itself, or a page tree that claims a billion pages. Such a file is
refused with one line naming it, before the import reads a page or the export redacts one.
The sandbox's time and memory limits (reviewer.sandbox) remain behind this as a backstop
for what this structural look cannot see.

The limits are far above what productions hold: FOIA releases run to a few thousand pages,
and a scanner or word processor nests form XObjects two or three deep.
"""
from __future__ import annotations

import re
from typing import Any

import pymupdf

from reviewer.errors import MediaError

MAX_PAGES = 20_000
MAX_DEPTH = 24  # form XObjects inside form XObjects
MAX_DRAWS = 200_000  # form XObject drawings one page expands to, nesting counted
MAX_CONTENT_BYTES = 64 << 20  # of a form XObject's content, read to count what it draws

_REF = re.compile(r"/([^\s/<>\[\]()%{}]+)\s+(\d+)\s+0\s+R")
_DO = re.compile(rb"/([^\s/<>\[\]()%{}]+)\s*Do\b")


def check_pdf(doc: pymupdf.Document, name: str) -> None:
    """Refuse ``doc`` when it asks for more than the stated limits."""
    if doc.page_count > MAX_PAGES:
        raise MediaError(f"{name}: the PDF claims {doc.page_count:,} pages, more than the "
                         f"{MAX_PAGES:,} this program opens; refused")
    memo: dict[int, int] = {}
    for n in range(doc.page_count):
        page = doc.load_page(n)
        refs = _xobjects(doc, page.xref, inherit=True)
        if not refs:
            continue
        content = b"".join(_stream(doc, x) for x in page.get_contents())
        draws = _expand(doc, content, refs, memo, (), name)
        if draws > MAX_DRAWS:
            raise MediaError(f"{name}: page {n + 1} draws form XObjects inside each other more "
                             f"than {MAX_DRAWS:,} times; a file built to hang the reader, refused")


def _stream(doc: pymupdf.Document, xref: int) -> bytes:
    try:
        raw = doc.xref_get_key(xref, "Length")
        if raw[0] == "int" and int(raw[1]) > MAX_CONTENT_BYTES:
            return b""  # too big to scan here; the sandbox's limits apply to it
        return doc.xref_stream(xref) or b""
    except Exception:  # noqa: BLE001 - a damaged stream: MuPDF's own reading reports it
        return b""


def _xobjects(doc: pymupdf.Document, xref: int, inherit: bool = False) -> dict[str, int]:
    """Name -> xref of the XObjects in ``xref``'s resources (a page's inherited from its
    parents when it has none)."""
    for _ in range(32 if inherit else 1):
        kind, value = doc.xref_get_key(xref, "Resources/XObject")
        if kind != "null":
            if kind == "xref":
                value = doc.xref_object(int(value.split()[0]), compressed=True)
            return {m.group(1): int(m.group(2)) for m in _REF.finditer(value)}
        if doc.xref_get_key(xref, "Resources")[0] != "null" or not inherit:
            return {}
        kind, parent = doc.xref_get_key(xref, "Parent")
        if kind != "xref":
            return {}
        xref = int(parent.split()[0])
    return {}


def _expand(doc: pymupdf.Document, content: bytes, refs: dict[str, int], memo: dict[int, int],
            stack: tuple[int, ...], name: str) -> int:
    """How many form XObject drawings ``content`` makes, counting what each one draws."""
    total = 0
    for used in _DO.finditer(content):
        xref = refs.get(used.group(1).decode("latin-1"))
        if xref is None:
            continue
        total += 1 + _form_draws(doc, xref, refs, memo, stack, name)
        if total > MAX_DRAWS:
            return total
    return total


def _form_draws(doc: pymupdf.Document, xref: int, outer: dict[str, int], memo: dict[int, int],
                stack: tuple[int, ...], name: str) -> int:
    if xref in memo:
        return memo[xref]
    if xref in stack:
        raise MediaError(f"{name}: a form XObject of the PDF draws itself (object {xref}); a file "
                         "built to hang the reader, refused")
    if len(stack) >= MAX_DEPTH:
        raise MediaError(f"{name}: the PDF nests form XObjects more than {MAX_DEPTH} deep; a file "
                         "built to hang the reader, refused")
    if doc.xref_get_key(xref, "Subtype")[1] != "/Form":
        memo[xref] = 0
        return 0
    # a form without resources of its own uses those of whoever draws it (old writers)
    refs = _xobjects(doc, xref) if doc.xref_get_key(xref, "Resources")[0] != "null" else outer
    n = _expand(doc, _stream(doc, xref), refs, memo, stack + (xref,), name) if refs else 0
    memo[xref] = n
    return n


def check_pdf_file(doc: Any, name: str) -> None:
    """:func:`check_pdf`, with anything MuPDF raises on a damaged file as one line."""
    try:
        check_pdf(doc, name)
    except MediaError:
        raise
    except Exception as exc:  # noqa: BLE001 - MuPDF raises plain RuntimeErrors
        raise MediaError(f"{name}: the PDF is damaged and cannot be read "
                         f"({' '.join(str(exc).split())[:120]})") from None
