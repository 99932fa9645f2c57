"""Independent re-checks of a redacted PDF: reopen what was written and confirm that nothing the
case redacted is left (text, OCR text, pixels under boxes) and nothing that could carry it
survives (annotations, form fields, attachments, scripts, metadata, XMP, outline, revisions).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pymupdf

from reviewer.export.checks import Check
from reviewer.export.pdf_art_check import art_under_boxes
from reviewer.export.pdf_images import image_metadata_check

# a damaged file is reported as failed checks; MuPDF's own messages on stderr would break
# the CLI's one-'error:'-line-per-problem contract
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)
from reviewer.export.expect import PdfExpect

PIXEL_TOL = 8  # rendered fill inside a box (anti-aliasing stays at the edges, shrunk away)
EDGE_PT = 1.0
_JS = re.compile(rb"/(JS|JavaScript|EmbeddedFile|Launch|SubmitForm|ImportData|RichMedia)\b")


def verify_pdf(path: str | Path, expect: PdfExpect) -> list[Check]:
    path = Path(path)
    raw = path.read_bytes()
    try:
        doc = pymupdf.open(str(path))
    except Exception as exc:  # noqa: BLE001
        return [Check("readable", False, f"{path.name} cannot be opened ({exc})")]
    with doc:
        checks = [
            Check("pages", doc.page_count == expect.page_count,
                  f"{doc.page_count} pages" + ("" if doc.page_count == expect.page_count
                                               else f", expected {expect.page_count}")),
            _revisions(raw, doc),
            Check("encryption", not doc.is_encrypted and not doc.needs_pass, "none"),
            _metadata(doc),
            _structure(doc),
            _annotations(doc),
            _scripts(doc),
            _external(doc),
            image_metadata_check(doc),
        ]
        if expect.page_count == doc.page_count:
            from reviewer.export.pdf_text_check import redacted_text_check

            checks.append(_text_under_boxes(doc, expect))
            checks.append(_pixels_under_boxes(doc, expect))
            checks.append(art_under_boxes(doc, expect))
            checks.append(redacted_text_check(path, doc, expect))
            checks.append(_hidden(doc, expect))
        if expect.rasterized:
            text = sum(len(p.get_text("text").strip()) for p in doc)
            fonts = sum(len(p.get_fonts()) for p in doc)
            checks.append(Check("rasterised", text == 0 and fonts == 0,
                                "pages are images only" if text == 0 and fonts == 0
                                else f"{text} characters of text and {fonts} fonts left"))
    return checks


def _hidden(doc: pymupdf.Document, expect: PdfExpect) -> Check:
    """No page of the export carries text a viewer does not show."""
    from reviewer.pdf.hidden import hidden_content

    cache: dict = {}
    bad = [f"page {p.number + 1}: {'; '.join(w)}" for p in doc if (w := hidden_content(p, cache))]
    done = f" ({len(expect.raster_pages)} page(s) rasterised for it)" if expect.raster_pages else ""
    return Check("hidden text", not bad, "nothing drawn out of sight" + done if not bad else "; ".join(bad[:3]) + (
        " (export with --rasterize to draw the pages as pictures)"))


def _revisions(raw: bytes, doc: pymupdf.Document) -> Check:
    eofs = raw.count(b"%%EOF")
    starts = raw.count(b"startxref")
    versions = getattr(doc, "version_count", 1)
    ok = eofs == 1 and starts == 1 and versions == 1
    return Check("one revision", ok, "no incremental updates" if ok else
                 f"{eofs} %%EOF markers, {starts} startxref, {versions} versions")


def _metadata(doc: pymupdf.Document) -> Check:
    left = {k: v for k, v in (doc.metadata or {}).items() if v and k not in ("format", "encryption")}
    xmp = doc.get_xml_metadata()
    meta_objs = [x for x in range(1, doc.xref_length()) if _key(doc, x, "Type") == "/Metadata"
                 or _key(doc, x, "Metadata") != "null"]
    info = _key(doc, -1, "Info")
    ok = not left and not xmp and not meta_objs and info == "null"
    detail = "no document info, no XMP" if ok else (
        f"left: {', '.join(sorted(left))}{' XMP' if xmp or meta_objs else ''}"
        f"{' Info' if info != 'null' else ''}")
    return Check("metadata", ok, detail)


def _structure(doc: pymupdf.Document) -> Check:
    cat = doc.pdf_catalog()
    left = [k for k in ("Outlines", "Names", "PageLabels", "AcroForm", "StructTreeRoot", "Dests",
                        "Collection") if _key(doc, cat, k) != "null"]
    toc = doc.get_toc()
    files = doc.embfile_count()
    thumbs = [i + 1 for i in range(doc.page_count) if _key(doc, doc.page_xref(i), "Thumb") != "null"]
    ok = not left and not toc and not files and not thumbs
    return Check("outline and attachments", ok,
                 "no outline, attachments, page labels, forms or thumbnails" if ok else
                 f"left: {', '.join(left)}{' outline' if toc else ''}"
                 f"{f' {files} attachment(s)' if files else ''}{' thumbnails' if thumbs else ''}")


def _annotations(doc: pymupdf.Document) -> Check:
    found = []
    for page in doc:
        n = len(list(page.annots() or [])) + len(list(page.widgets() or [])) + len(page.get_links())
        if n or _key(doc, page.xref, "Annots") not in ("null", "[]"):
            found.append(page.number + 1)
    return Check("annotations", not found and not doc.is_form_pdf,
                 "no annotations, links or form fields" if not found and not doc.is_form_pdf
                 else f"left on page(s) {found}{' (form)' if doc.is_form_pdf else ''}")


def _scripts(doc: pymupdf.Document) -> Check:
    cat = doc.pdf_catalog()
    hits = [k for k in ("OpenAction", "AA") if _key(doc, cat, k) != "null"]
    for x in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(x, compressed=True).encode("latin-1", "replace")
        except Exception:  # noqa: BLE001, S112 - free or broken object
            continue
        m = _JS.search(obj)
        if m:
            hits.append(f"object {x} {m.group(1).decode()}")
    return Check("scripts", not hits, "no JavaScript, actions or embedded files" if not hits
                 else f"left: {', '.join(hits[:5])}")


def _external(doc: pymupdf.Document) -> Check:
    from reviewer.export.pdf_external import external_refs

    left = external_refs(doc)
    return Check("external files", not left,
                 "no references to other files or addresses (reference XObjects, file "
                 "specifications, external streams, launch/remote/URI actions)" if not left
                 else f"left: {'; '.join(left[:5])}" + (f" and {len(left) - 5} more" if len(left) > 5 else ""))


def _key(doc: pymupdf.Document, xref: int, key: str) -> str:
    try:
        kind, value = doc.xref_get_key(xref, key)
    except Exception:  # noqa: BLE001
        return "null"
    return "null" if kind == "null" else value


def _inside(page: pymupdf.Page, rect: tuple[float, float, float, float]) -> pymupdf.Rect:
    from reviewer.pdf.document import from_display

    r = from_display(page, rect)
    return pymupdf.Rect(r.x0 + EDGE_PT, r.y0 + EDGE_PT, r.x1 - EDGE_PT, r.y1 - EDGE_PT)


def _text_under_boxes(doc: pymupdf.Document, expect: PdfExpect) -> Check:
    """Glyphs still under a box, by the rule the export removes them (reviewer.pdf.chars):
    each failing box is named, with its glyphs, so the reviewer can grow it to their bounds
    (``reviewer export --grow-boxes``)."""
    from reviewer.pdf.chars import page_chars, under_each

    bad = []
    rects = {n: _inside(doc[b.page_no - 1], (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt))
             for n, b in enumerate(expect.boxes, start=1)}
    found: dict[int, list] = {}  # box number: glyphs under it, every box of a page at once
    for page_no in sorted({b.page_no for b in expect.boxes}):
        mine = [n for n, b in enumerate(expect.boxes, start=1) if b.page_no == page_no and not rects[n].is_empty]
        near = [tuple(rects[n]) for n in mine]
        groups = under_each(page_chars(doc[page_no - 1], near=near), near) if mine else []
        found.update(zip(mine, groups))
    for n, b in enumerate(expect.boxes, start=1):
        left = found.get(n)
        if left:
            text = "".join(c.c for c in left)[:12]
            bad.append(f"page {b.page_no}: {len(left)} character(s) under box {n} "
                       f"({b.x0_pt:.1f},{b.y0_pt:.1f},{b.x1_pt:.1f},{b.y1_pt:.1f}): {text!r}")
    detail = (f"no text under {len(expect.boxes)} box(es), hidden text included" if not bad
              else "; ".join(bad[:5]) + " (export --grow-boxes grows each box to the glyphs' bounds; "
              "export --rasterize draws the pages as pictures)")
    return Check("text under boxes", not bad, detail)


def _pixels_under_boxes(doc: pymupdf.Document, expect: PdfExpect) -> Check:
    bad = []
    zoom = 2.0
    by_page: dict[int, list] = {}
    for b in expect.boxes:
        by_page.setdefault(b.page_no, []).append(b)
    for page_no, boxes in by_page.items():
        page = doc[page_no - 1]
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width * 3]
        img = img.reshape(pix.height, pix.width, 3)
        for b in boxes:
            x0, y0 = int(np.ceil((b.x0_pt + EDGE_PT) * zoom)), int(np.ceil((b.y0_pt + EDGE_PT) * zoom))
            x1, y1 = int((b.x1_pt - EDGE_PT) * zoom), int((b.y1_pt - EDGE_PT) * zoom)
            region = img[max(y0, 0):y1, max(x0, 0):x1]
            if region.size and int(region.max()) > PIXEL_TOL:
                bad.append(f"page {page_no} box {b.x0_pt:.0f},{b.y0_pt:.0f}: pixels show through")
    return Check("pixels under boxes", not bad,
                 f"{len(expect.boxes)} box(es) render as solid fill" if not bad else "; ".join(bad[:5]) + (
                     " (something is drawn over the box; export with --rasterize to draw the pages as "
                     "pictures with the boxes burnt in)"))
