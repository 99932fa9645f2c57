"""The redacted copy of a PDF (PyMuPDF).

Content under every box is removed, not covered: text (hidden OCR text too), image pixels and
the vector art the box touches (``apply_redactions``). Everything else that could carry what
was redacted goes as a whole: annotations and links, form fields, metadata, XMP (document,
pages, images), attachments, JavaScript and automatic actions, the outline, page labels,
thumbnails, the structure tree. Saved as one new revision (garbage-collected, no incremental
update, no encryption), under a temporary name, verified, then renamed into place.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf

from reviewer.errors import MediaError, ReviewerError
from reviewer.export.checks import Check, check_original
from reviewer.export.expect import PdfExpect, pdf_expect
from reviewer.export.publish import finish, remove_partials, temp_name
from reviewer.export.video import ExportResult, check_out, done
from reviewer.progress import Progress

FILL = (0, 0, 0)
RASTER_DPI = 200
# catalog entries that can carry text, scripts, files or structure of the original
CATALOG_DROP = ("Names", "OpenAction", "AA", "Outlines", "PageLabels", "AcroForm", "Metadata",
                "StructTreeRoot", "MarkInfo", "Threads", "SpiderInfo", "PieceInfo", "Perms",
                "Legal", "Collection", "URI", "Dests", "Lang")
PAGE_DROP = ("Annots", "AA", "Thumb", "PieceInfo", "Metadata", "B", "StructParents")
ANY_DROP = ("Metadata", "PieceInfo", "AA")


def open_pdf(path: str | Path, name: str) -> pymupdf.Document:
    try:
        doc = pymupdf.open(str(path))
    except Exception as exc:  # noqa: BLE001 - MuPDF raises plain RuntimeErrors
        raise MediaError(f"{name}: cannot be opened as a PDF ({' '.join(str(exc).split())[:120]})") from None
    if doc.needs_pass or doc.is_encrypted:
        doc.close()
        raise MediaError(f"{name}: the PDF is encrypted")
    if doc.page_count == 0:
        doc.close()
        raise MediaError(f"{name}: the PDF has no pages")
    return doc


def export_pdf(store: Any, media_row: dict, out_path: str | Path, *, pages: tuple[int, int] | None = None,
               rasterize: bool = False, stamp: str | None = None, progress: Progress | None = None,
               verify: bool = True, sidecar: bool = True, publish: bool = True) -> ExportResult:
    """Write the redacted copy of ``media_row`` (or of its pages p..q, 1-based inclusive);
    ``publish=False`` leaves it staged, as :func:`reviewer.export.video.export_video` does."""
    out = Path(out_path)
    check_out(store, out)
    remove_partials(out)  # leftovers of an export that was killed
    name = media_row["name"]
    count = int(media_row.get("page_count") or 0)
    if not count:  # an item imported before page counts were stored
        doc = open_pdf(media_row["path"], name)
        count = doc.page_count
        doc.close()
    if pages is not None:
        p, q = int(pages[0]), int(pages[1])
        if not 1 <= p <= q <= count:
            raise ReviewerError(f"{name}: pages {p}:{q} are outside 1..{count}")
        pages = (p, q)
    expect = pdf_expect(store, dict(media_row, page_count=count), pages, rasterized=rasterize,
                        stamped=bool(stamp))
    return export_pdf_file(media_row, expect, out, rasterize=rasterize, stamp=stamp,
                           progress=progress, verify=verify, sidecar=sidecar, publish=publish)


def export_pdf_file(source: dict, expect: PdfExpect, out: Path, *, rasterize: bool = False,
                    stamp: str | None = None, progress: Progress | None = None,
                    verify: bool = True, sidecar: bool = True,
                    publish: bool = True) -> ExportResult:
    """The export without the case: ``source`` (``name``, ``path``, ``sha256``) and what the
    case expects. Batch workers (reviewer.batch) run this part where case.db is out of
    reach (``publish=False``: the coordinator renames the staged file); the original's hash
    is checked here, before it is read."""
    progress = progress or Progress()
    name = source["name"]
    original = check_original(source)
    doc = open_pdf(source["path"], name)
    try:
        if max(expect.pages, default=0) > doc.page_count:
            raise ReviewerError(f"{name}: the case expects {max(expect.pages)} pages; the file "
                                f"has {doc.page_count}")
        tmp = temp_name(out)
        staged = False
        try:
            doc = redact_document(doc, expect, progress.sub(0.0, 0.6))
            if stamp:
                from reviewer.export.stamp import stamp_pages

                doc = stamp_pages(doc, stamp)
            if rasterize:
                doc = rasterized(doc, progress.sub(0.6, 0.8))
            scrub(doc)  # again: rebuilding pages can bring page labels back
            save_clean(doc, tmp)
            checks: list[Check] = [Check("written", True, "not verified")]
            if verify:
                from reviewer.export.pdf_verify import verify_pdf

                checks = [original] + verify_pdf(tmp, expect)
            side = finish(tmp, out, expect, checks, name, sidecar, publish=publish, progress=progress)
            staged = not publish
        finally:
            if not staged:
                tmp.unlink(missing_ok=True)
    finally:
        doc.close()
    if not publish:
        return ExportResult(tmp, "pdf", expect.page_count, side, tuple(checks))
    done(progress, out)
    return ExportResult(out, "pdf", expect.page_count, side, tuple(checks))


def redact_document(doc: pymupdf.Document, expect: PdfExpect, progress: Progress) -> pymupdf.Document:
    """Keep only the expected pages, drop every annotation, apply every box, scrub the rest."""
    from reviewer.pdf.document import from_display

    wanted = [p - 1 for p in expect.pages]
    if wanted != list(range(doc.page_count)):
        doc.select(wanted)
    # before any page is loaded: annotations, links and widgets go with their /Annots arrays
    for i in range(doc.page_count):
        xref = doc.page_xref(i)
        for key in PAGE_DROP:
            _drop(doc, xref, key)
    by_page: dict[int, list[Any]] = {}
    for b in expect.boxes:
        by_page.setdefault(b.page_no, []).append(b)
    for i in range(doc.page_count):
        progress.update(i / max(1, doc.page_count), f"Redacting page {i + 1}")
        page = doc[i]
        for annot in list(page.annots() or []):
            page.delete_annot(annot)
        for widget in list(page.widgets() or []):
            page.delete_widget(widget)
        for link in page.get_links():
            page.delete_link(link)
        boxes = by_page.get(i + 1, [])
        for b in boxes:
            r = from_display(page, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt))
            page.add_redact_annot(r, fill=FILL, cross_out=False)
        if boxes:
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                                  graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                                  text=pymupdf.PDF_REDACT_TEXT_REMOVE)
        if not list(page.annots() or []) and not list(page.widgets() or []):
            _drop(doc, page.xref, "Annots")  # the emptied array of the applied redactions
    scrub(doc)
    return doc


def _drop(doc: pymupdf.Document, xref: int, key: str) -> None:
    try:
        if doc.xref_get_key(xref, key)[0] != "null":
            doc.xref_set_key(xref, key, "null")
    except Exception:  # noqa: BLE001, S110 - not a dictionary
        pass


def scrub(doc: pymupdf.Document) -> None:
    """Remove everything outside the page content that could carry the redacted text."""
    for name in list(doc.embfile_names()):
        doc.embfile_del(name)
    doc.set_toc([])
    doc.set_metadata({})
    doc.del_xml_metadata()
    cat = doc.pdf_catalog()
    for key in CATALOG_DROP:
        _drop(doc, cat, key)
    for xref in range(1, doc.xref_length()):
        try:
            if not doc.xref_is_stream(xref) and not doc.xref_object(xref, compressed=True).startswith("<<"):
                continue
        except Exception:  # noqa: BLE001, S112 - a broken or free object
            continue
        for key in ANY_DROP:
            _drop(doc, xref, key)
    trailer_info = doc.xref_get_key(-1, "Info")
    if trailer_info[0] != "null":
        doc.xref_set_key(-1, "Info", "null")
    # fonts are left whole: re-subsetting them (subset_fonts) has broken fonts in real files,
    # and a glyph set says which letters a document uses, not what it said


def rasterized(doc: pymupdf.Document, progress: Progress) -> pymupdf.Document:
    """A new PDF made only of page images (as displayed), no text or vector content at all."""
    out = pymupdf.open()
    for i, page in enumerate(doc):
        progress.update(i / max(1, doc.page_count), f"Rasterising page {i + 1}")
        pix = page.get_pixmap(dpi=RASTER_DPI, colorspace=pymupdf.csRGB, alpha=False, annots=False)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, pixmap=pix)
    doc.close()
    return out


def save_clean(doc: pymupdf.Document, path: Path) -> None:
    try:
        doc.save(str(path), garbage=4, deflate=True, clean=True, incremental=False,
                 encryption=pymupdf.PDF_ENCRYPT_NONE, no_new_id=False)
    except Exception as exc:  # noqa: BLE001
        # ``path`` is the hidden temporary name: the user chose the folder, so name that
        raise ReviewerError(f"{path.parent}: the export could not be written to the output folder "
                            f"({' '.join(str(exc).split())[:120]})") from None
