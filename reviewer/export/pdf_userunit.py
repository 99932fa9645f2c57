"""Pages with a /UserUnit other than 1, rewritten at unit 1 before anything is redacted.

/UserUnit 2 says one unit of the page is 2/72 inch. MuPDF scales such a page when it reads
it, so glyphs, hits and boxes are all in the scaled space; but what PyMuPDF draws on the page
(the boxes' black fill) goes into the content stream unscaled, twice the size and away from
the word. The "painted over" test then saw the neighbouring words under the misplaced fill and
took them out as unseen. The page is therefore made plain first: its content drawn through a
matrix of the unit, its boxes multiplied by it, /UserUnit removed. It shows exactly as before
(same size in inches, same picture), and every later step works in one space.
"""
from __future__ import annotations

import pymupdf

BOXES = ("MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox")


def user_unit(doc: pymupdf.Document, xref: int) -> float:
    kind, value = doc.xref_get_key(xref, "UserUnit")
    if kind in ("int", "real"):
        try:
            unit = float(value)
        except ValueError:
            return 1.0
        return unit if unit > 0 else 1.0
    return 1.0


def _box(doc: pymupdf.Document, xref: int, key: str) -> list[float] | None:
    """``key`` of the page or inherited from the page tree (MediaBox and CropBox inherit)."""
    seen = 0
    while xref and seen < 64:
        kind, value = doc.xref_get_key(xref, key)
        if kind == "array":
            try:
                return [float(v) for v in value.strip("[] ").split()]
            except ValueError:
                return None
        if kind == "xref":
            obj = doc.xref_object(int(value.split()[0]), compressed=True).strip("[] ")
            try:
                return [float(v) for v in obj.split()]
            except ValueError:
                return None
        if key not in ("MediaBox", "CropBox"):
            return None
        parent = doc.xref_get_key(xref, "Parent")
        xref = int(parent[1].split()[0]) if parent[0] == "xref" else 0
        seen += 1
    return None


def plain_units(doc: pymupdf.Document) -> list[int]:
    """Rewrite every page whose /UserUnit is not 1 at unit 1 (see above); the 1-based
    numbers of the pages rewritten."""
    done = []
    for i in range(doc.page_count):
        xref = doc.page_xref(i)
        unit = user_unit(doc, xref)
        if doc.xref_get_key(xref, "UserUnit")[0] == "null":
            continue
        if abs(unit - 1.0) > 1e-9:
            for key in BOXES:
                box = _box(doc, xref, key)
                if box and len(box) == 4:
                    doc.xref_set_key(xref, key, "[" + " ".join(f"{v * unit:g}" for v in box) + "]")
            parts = []
            for text in (f"q {unit:g} 0 0 {unit:g} 0 0 cm\n", "\nQ\n"):
                new = doc.get_new_xref()
                doc.update_object(new, "<<>>")
                doc.update_stream(new, text.encode())
                parts.append(new)
            contents = doc[i].get_contents()
            refs = " ".join(f"{x} 0 R" for x in [parts[0], *contents, parts[1]])
            doc.xref_set_key(xref, "Contents", f"[{refs}]")
            done.append(i + 1)
        doc.xref_set_key(xref, "UserUnit", "null")
    return done
