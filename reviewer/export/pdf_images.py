"""Pictures kept in an export lose their own metadata; the check that none is left.

A JPEG is stored whole in a PDF, so its EXIF (a description, the photographer, the author
of a Windows file), its XMP packet and its comments were copied into every export of a
page that shows it. Each kept JPEG is rewritten without them (reviewer.pdf.jpeg_meta: the
entropy-coded data is copied byte for byte, so the picture is unchanged). Other pictures
are stored by PyMuPDF as pixels (a PNG's text chunks do not survive its decoding); a JPEG
2000 picture can carry XML and comment boxes of its own and is decoded to pixels and stored
again without them.
"""
from __future__ import annotations

import zlib

import pymupdf

from reviewer.export.checks import Check
from reviewer.pdf.jpeg_meta import metadata_segments, strip_metadata


def _filters(doc: pymupdf.Document, xref: int) -> list[str]:
    kind, value = doc.xref_get_key(xref, "Filter")
    if kind == "name":
        return [value.lstrip("/")]
    if kind == "array":
        return [v.lstrip("/") for v in value.strip("[]").split() if v.startswith("/")]
    return []


def _jpeg_bytes(doc: pymupdf.Document, xref: int) -> bytes | None:
    """The JPEG a /DCTDecode stream holds (under Flate layers, if any); None otherwise."""
    filters = _filters(doc, xref)
    if not filters or filters[-1] not in ("DCTDecode", "DCT"):
        return None
    data = doc.xref_stream_raw(xref) or b""
    for f in filters[:-1]:
        if f not in ("FlateDecode", "Fl") or doc.xref_get_key(xref, "DecodeParms")[0] != "null":
            return None
        try:
            data = zlib.decompress(data)
        except zlib.error:
            return None
    return data


def _images(doc: pymupdf.Document) -> list[int]:
    out = []
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_is_stream(xref) and doc.xref_get_key(xref, "Subtype")[1] == "/Image":
                out.append(xref)
        except Exception:  # noqa: BLE001, S112 - a free or broken object
            continue
    return out


def strip_image_metadata(doc: pymupdf.Document) -> int:
    """Rewrite every JPEG (and JPEG 2000) picture of ``doc`` without its metadata; how many
    pictures were rewritten."""
    changed = 0
    for xref in _images(doc):
        filters = _filters(doc, xref)
        if filters and filters[-1] == "JPXDecode":
            changed += _to_pixels(doc, xref)
            continue
        data = _jpeg_bytes(doc, xref)
        if data is None or not metadata_segments(data):
            continue
        clean = strip_metadata(data)
        if clean is None:  # a JPEG MuPDF decodes but its segments do not parse: keep its pixels
            changed += _to_pixels(doc, xref)
            continue
        doc.update_stream(xref, clean, compress=False)
        doc.xref_set_key(xref, "Filter", "/DCTDecode")
        doc.xref_set_key(xref, "DecodeParms", "null")
        doc.xref_set_key(xref, "Length", str(len(clean)))
        changed += 1
    return changed


def _to_pixels(doc: pymupdf.Document, xref: int) -> int:
    """A picture stored again as its decoded pixels (lossless, Flate): a JPEG 2000 picture,
    whose boxes can hold XML and comments, or a JPEG whose segments do not parse."""
    try:
        pix = pymupdf.Pixmap(doc, xref)
    except Exception:  # noqa: BLE001 - undecodable: the check below refuses it
        return 0
    if pix.alpha:
        pix = pymupdf.Pixmap(pix, 0)
    if pix.n - pix.alpha not in (1, 3, 4):
        return 0
    space = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}[pix.n]
    doc.update_stream(xref, _rows(pix), compress=True)
    for key, value in (("Width", str(pix.width)), ("Height", str(pix.height)), ("ColorSpace", space),
                       ("BitsPerComponent", "8"), ("Decode", "null"), ("SMaskInData", "null"),
                       ("Filter", "/FlateDecode"), ("DecodeParms", "null")):
        doc.xref_set_key(xref, key, value)
    return 1


def _rows(pix: pymupdf.Pixmap) -> bytes:
    row = pix.width * pix.n
    return b"".join(pix.samples[y * pix.stride:y * pix.stride + row] for y in range(pix.height))


def image_metadata_check(doc: pymupdf.Document) -> Check:
    """No picture of the written file carries metadata of its own: every JPEG is parsed and
    must hold only what decoding needs (an Adobe colour segment and an ICC profile allowed);
    a JPEG 2000 picture is refused whole."""
    bad = []
    count = 0
    for xref in _images(doc):
        filters = _filters(doc, xref)
        if filters and filters[-1] == "JPXDecode":
            bad.append(f"object {xref}: a JPEG 2000 picture")
            continue
        if filters and filters[-1] in ("DCTDecode", "DCT"):
            count += 1
            data = _jpeg_bytes(doc, xref)
            found = metadata_segments(data) if data is not None else ["unreadable filters"]
            if found:
                bad.append(f"object {xref}: {', '.join(sorted(set(found)))}")
    if bad:
        return Check("picture metadata", False, "left in pictures: " + "; ".join(bad[:5]))
    return Check("picture metadata", True, f"{count} JPEG picture(s) parsed: no EXIF, XMP, comments "
                                           "or other application segments")
