"""References out of a PDF: removed from the redacted copy, and looked for by verify.

A PDF can point at other files and addresses from many places besides links: a reference
XObject (a form whose ``/Ref`` names a page of another PDF, by path or URL), an image whose
data lives in an external file (a stream's ``/F``), OPI proxies, file specifications
(``/Type /Filespec``, ``/FS /URL``), embedded and related files (``/EF``, ``/RF``), and actions
that open, fetch or send something (``/Launch``, ``/GoToR``, ``/GoToE``, ``/URI``,
``/ImportData``, ``/SubmitForm``). A viewer that follows one tells whoever answers that the
copy was opened, and where; a related file can carry the original itself. None of them is
needed to draw the pages, so the export removes every one, and verify fails on any left,
naming the object and what it is.
"""
from __future__ import annotations

import re

import pymupdf

# keys that hold a reference out of the document, wherever they appear in a dictionary
OUT_KEYS = ("OPI", "EF", "RF", "URI", "FS")
# a stream's data kept in another file
STREAM_OUT_KEYS = ("F", "FFilter", "FDecodeParms")
OUT_ACTIONS = ("Launch", "GoToR", "GoToE", "URI", "ImportData", "SubmitForm", "Thread", "JavaScript")
_FOUND = re.compile(
    r"/(OPI|EF|RF|FS|URI)\b(?!\s*null)|/Type\s*/(Filespec|EmbeddedFile)\b"
    r"|/S\s*/(" + "|".join(OUT_ACTIONS) + r")\b")


def _get(doc: pymupdf.Document, xref: int, key: str) -> tuple[str, str]:
    try:
        return doc.xref_get_key(xref, key)
    except Exception:  # noqa: BLE001 - a broken object reads as absent
        return "null", "null"


def _objects(doc: pymupdf.Document):
    for xref in range(1, doc.xref_length()):
        try:
            is_stream = doc.xref_is_stream(xref)
            source = doc.xref_object(xref, compressed=True)
        except Exception:  # noqa: BLE001, S112 - a free or broken object
            continue
        yield xref, is_stream, source


def _has(doc: pymupdf.Document, xref: int):
    """A test for "this object's dictionary has this key", from its keys read once (asking
    MuPDF for each of ten keys of every object was most of this module's time); when its keys
    cannot be listed, every key is asked for."""
    try:
        keys = set(doc.xref_get_keys(xref))
    except Exception:  # noqa: BLE001 - a broken object: ask key by key, as before
        return lambda key: True
    return keys.__contains__


def remove_external(doc: pymupdf.Document) -> int:
    """Remove every reference out of the document; returns how many were removed."""
    removed = 0
    for xref, is_stream, source in _objects(doc):
        if not source.lstrip().startswith("<<"):
            continue
        has = _has(doc, xref)
        kind = _get(doc, xref, "Type")[1] if has("Type") else "null"
        action = (_get(doc, xref, "S")[1] if has("S") else "null").lstrip("/")
        if not is_stream and (kind == "/Filespec" or action in OUT_ACTIONS):
            # the object itself points out: an empty dictionary in its place
            doc.update_object(xref, "<<>>")
            removed += 1
            continue
        keys = OUT_KEYS + (STREAM_OUT_KEYS if is_stream else ())
        if is_stream and has("Subtype") and _get(doc, xref, "Subtype")[1] == "/Form":
            # a reference XObject: the form's own content stays as the proxy drawn in its place;
            # only a form's /Ref is this (a resource may be *named* Ref elsewhere)
            keys += ("Ref",)
        for key in keys:
            if has(key) and _get(doc, xref, key)[0] != "null":
                doc.xref_set_key(xref, key, "null")
                removed += 1
        if is_stream and kind == "/EmbeddedFile":
            doc.update_stream(xref, b"")
            removed += 1
    return removed


def external_refs(doc: pymupdf.Document) -> list[str]:
    """Each reference out of the document still there: ``object N /Ref (http://...)``."""
    found: list[str] = []
    for xref, is_stream, source in _objects(doc):
        for m in _FOUND.finditer(source):
            what = next(g for g in m.groups() if g)
            target = _target(source[m.end():])
            found.append(f"object {xref} /{what}{f' ({target})' if target else ''}")
        if is_stream and _get(doc, xref, "Subtype")[1] == "/Form" and _get(doc, xref, "Ref")[0] != "null":
            found.append(f"object {xref} /Ref reference XObject ({_target(_get(doc, xref, 'Ref')[1])})")
        if is_stream:
            for key in STREAM_OUT_KEYS:
                kind, value = _get(doc, xref, key)
                if kind != "null":
                    found.append(f"object {xref} stream data in another file /{key} {value[:60]}")
    return found


def _target(rest: str) -> str:
    """The first string after a key (a file name or URL), to name what it points at."""
    m = re.search(r"\(([^)]{1,80})", rest[:400])
    return m.group(1) if m else ""
