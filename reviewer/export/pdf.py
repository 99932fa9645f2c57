"""The redacted copy of a PDF (PyMuPDF).

Content under every box is removed, not covered: text (hidden OCR text too), image pixels and
the vector art the box touches (``apply_redactions``). Everything else that could carry what
was redacted goes as a whole: annotations and links, form fields, metadata, XMP (document,
pages, images), attachments, JavaScript and automatic actions, the outline, page labels,
thumbnails, the structure tree. Saved as one new revision (garbage-collected, no incremental
update, no encryption), under a temporary name, verified, then renamed into place.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pymupdf

from reviewer.errors import MediaError, ReviewerError, disk_full, full_disk_error
from reviewer.export.checks import Check, check_original
from reviewer.export.expect import PdfExpect, pdf_expect
from reviewer.export.pdf_external import remove_external
from reviewer.export.pdf_spelled import left_line, spelling_fonts
from reviewer.export.publish import finish, remove_partials, temp_name
from reviewer.export.video import ExportResult, check_out, done
from reviewer.pdf.limits import check_pdf_file
from reviewer.progress import Progress

FILL = (0, 0, 0)
RASTER_DPI = 200
# catalog entries that can carry text, scripts, files or structure of the original
CATALOG_DROP = ("Names", "OpenAction", "AA", "Outlines", "PageLabels", "AcroForm", "Metadata",
                "StructTreeRoot", "MarkInfo", "Threads", "SpiderInfo", "PieceInfo", "Perms",
                "Legal", "Collection", "URI", "Dests", "Lang", "OCProperties", "AF")
PAGE_DROP = ("Annots", "AA", "Thumb", "PieceInfo", "Metadata", "B", "StructParents")
ANY_DROP = ("Metadata", "PieceInfo", "AA", "AF")
STRING_DROP = ("ActualText", "Alt", "E")  # as strings in marked-content property dictionaries
# what is needed to draw the pages; anything else in these dictionaries is dropped
CATALOG_KEEP = {"Type", "Pages", "Version", "PageLayout", "PageMode"}
PAGE_KEEP = {"Type", "Parent", "Resources", "MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox",
             "Contents", "Rotate", "Group", "UserUnit"}
PAGES_KEEP = {"Type", "Parent", "Kids", "Count", "Resources", "MediaBox", "CropBox", "Rotate"}


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
    try:
        check_pdf_file(doc, name)  # a file built to hang MuPDF (reviewer.pdf.limits)
    except MediaError:
        doc.close()
        raise
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
            report = Report()
            doc = redact_document(doc, expect, progress.sub(0.0, 0.6), report)
            expect = with_text(expect, report)
            expect = spelling_fonts(doc, expect, report.raster, report.cleaned)
            if stamp:
                from reviewer.export.stamp import stamp_pages

                doc = stamp_pages(doc, stamp)
            if rasterize:
                doc = rasterized(doc, progress.sub(0.6, 0.8))
            scrub(doc)  # after every step that rebuilds pages (they can bring page labels back)
            from reviewer.export.pdf_carriers import clean_outside

            report.outside = clean_outside(doc, expect.redacted or ())  # fonts, dictionaries, pictures
            save_clean(doc, tmp)
            checks: list[Check] = [Check("written", True, "not verified")]
            if verify:
                from reviewer.export.pdf_verify import verify_pdf

                checks = [original] + report_checks(report) + verify_pdf(tmp, expect)
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


@dataclass
class Report:
    """What redaction did beyond the boxes, for the export's report and for verify."""

    redacted: list[str] = field(default_factory=list)  # normalised text taken away by hand-drawn boxes
    hits: list[str] = field(default_factory=list)  # ... by boxes made from text hits
    kept: list[str] = field(default_factory=list)  # normalised visible text of each page
    raster: list[tuple[int, str]] = field(default_factory=list)  # output page, why
    cleaned: list[tuple[int, str]] = field(default_factory=list)  # output page, what went
    properties: int = 0  # text-carrying marked-content properties removed
    outside: list[Check] = field(default_factory=list)  # what went outside the pages' content
    left: list[str] = field(default_factory=list)  # "page N: k glyph(s)" still under a box
    whole: set[str] = field(default_factory=set)  # removed strings boxed whole (redacted.whole_strings)


def redact_document(doc: pymupdf.Document, expect: PdfExpect, progress: Progress,
                    report: Report | None = None) -> pymupdf.Document:
    """Keep only the expected pages, drop every annotation, apply every box, rasterise the
    pages that carry text nobody sees, take marked-content strings out; the caller then
    scrubs the rest (:func:`scrub`) once the pages are final."""
    from reviewer.export.pdf_redact import redact_page
    from reviewer.pdf.chars import page_chars
    from reviewer.pdf.document import from_display
    from reviewer.pdf.glyphs import GlyphReader
    from reviewer.pdf.hidden import hidden_content, hidden_findings, rasterise_page, remove_unseen_text
    from reviewer.pdf.lines import reading_lines
    from reviewer.pdf.redacted import kept_text, removed_strings, whole_strings

    report = report if report is not None else Report()
    from reviewer.export.pdf_userunit import plain_units

    wanted = [p - 1 for p in expect.pages]
    if wanted != list(range(doc.page_count)):
        doc.select(wanted)
    plain_units(doc)  # /UserUnit: one space for MuPDF's reading and PyMuPDF's drawing
    from reviewer.export.pdf_gsfont import plain_gs_fonts

    plain_gs_fonts(doc)  # a font set by a graphics state: set by Tf, which MuPDF's filter keeps
    # before any page is loaded: annotations, links and widgets go with their /Annots arrays
    for i in range(doc.page_count):
        xref = doc.page_xref(i)
        for key in PAGE_DROP:
            _drop(doc, xref, key)
    by_page: dict[int, list[Any]] = {}
    for b in expect.boxes:
        by_page.setdefault(b.page_no, []).append(b)
    glyphs = GlyphReader(doc, ocr=False)
    reach: dict = {}
    first = _first_index(expect.boxes)
    for i in range(doc.page_count):
        progress.update(i / max(1, doc.page_count), f"Redacting page {i + 1}")
        page = doc[i]
        for annot in list(page.annots() or []):
            page.delete_annot(annot)
        for widget in list(page.widgets() or []):
            page.delete_widget(widget)
        for link in page.get_links():
            page.delete_link(link)
        hidden, out_of_sight = hidden_findings(page, reach)
        boxes = by_page.get(i + 1, [])
        if boxes:
            rects = [tuple(from_display(page, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt))) for b in boxes]
            before = glyphs.fix(page, page_chars(page))
            done = redact_page(page, rects, before)  # type: ignore[arg-type]
            by_hit = {n for n, b in enumerate(boxes) if first[b] in expect.text_boxes}
            hand, hit = _split(done.chars, rects, by_hit)
            lines = reading_lines(done.before)  # once for the three readings below
            report.redacted += removed_strings(done.before, hand, lines)
            report.hits += removed_strings(done.before, hit, lines)
            report.whole |= whole_strings(done.before, done.chars, lines)
            report.kept.append(kept_text(done.before, done.chars, lines))
            type3 = {f[3] for f in page.get_fonts() if f[2] == "Type3" and f[3]}
            if any(c.font.startswith("Type3") or c.font in type3 for c in done.chars):
                # the glyph's own program (its drawing) would stay in the font's resources
                hidden.append("a Type3 glyph under a box, whose glyph program the font keeps")
            if done.left and not hidden:  # a page rasterised below loses them anyway
                report.left.append(left_line(i + 1, done.left, boxes, rects, expect))
        else:
            report.kept.append(kept_text(page_chars(page)))
        if not list(page.annots() or []) and not list(page.widgets() or []):
            _drop(doc, page.xref, "Annots")  # the emptied array of the applied redactions
        if hidden and any("outside" in w or "clip path" in w or "painted over" in w or "show nothing" in w
                          for w in hidden):
            # glyphs out of sight can go one by one; rasterise only what is still hidden after
            gone = remove_unseen_text(page, out_of_sight)
            still = hidden_content(page)
            if not still:
                report.cleaned.append((i + 1, f"{gone} glyph(s) not under any box removed as out of sight "
                                              f"({'; '.join(hidden)})"))
            hidden = still
        if hidden:
            page = None  # MuPDF rebuilds the page: no reference to the old one may stay
            rasterise_page(doc, i)
            report.raster.append((i + 1, "; ".join(hidden)))
    report.properties += scrub_content(doc)
    # the rest (catalog, page keys, external references) is scrubbed once by the caller, after
    # the pages are final: scrubbing here too walked every object of the file twice
    return doc


def _first_index(boxes: tuple) -> dict:
    """Each box's index in ``boxes`` (the first, for equal boxes, as ``tuple.index`` gives):
    looking each up by ``index`` cost a scan of every box of the document per box."""
    first: dict = {}
    for n, b in enumerate(boxes):
        first.setdefault(b, n)
    return first


def _drop(doc: pymupdf.Document, xref: int, key: str) -> None:
    try:
        if doc.xref_get_key(xref, key)[0] != "null":
            doc.xref_set_key(xref, key, "null")
    except Exception:  # noqa: BLE001, S110 - not a dictionary
        pass


def _keys(doc: pymupdf.Document, xref: int) -> list[str]:
    try:
        return list(doc.xref_get_keys(xref))
    except Exception:  # noqa: BLE001 - not a dictionary
        return []


def scrub_content(doc: pymupdf.Document) -> int:
    """Marked-content properties that carry text (/ActualText, /Alt, /E) out of every
    content stream: pages, form XObjects, patterns, Type3 glyph programs."""
    from reviewer.pdf.content_scrub import scrub_marked_content

    dropped = 0
    for xref in range(1, doc.xref_length()):
        try:
            if not doc.xref_is_stream(xref):
                continue
            kind = doc.xref_get_key(xref, "Subtype")[1]
            if kind in ("/Image", "/XML") or any(doc.xref_get_key(xref, k)[0] != "null"
                                                 for k in ("Length1", "Length2")):
                continue
            data = doc.xref_stream(xref)
        except Exception:  # noqa: BLE001, S112 - a broken or free object
            continue
        if not data:
            continue
        new, n = scrub_marked_content(data)
        if n:
            doc.update_stream(xref, new)
            dropped += n
    return dropped


def scrub(doc: pymupdf.Document) -> None:
    """Remove everything outside the page content that could carry the redacted text: the
    catalog, the page tree and the pages keep only the keys that draw the pages (private keys
    go), associated files (/AF) go wherever they hang, and so do marked-content strings."""
    for name in list(doc.embfile_names()):
        doc.embfile_del(name)
    doc.set_toc([])
    doc.set_metadata({})
    doc.del_xml_metadata()
    cat = doc.pdf_catalog()
    for key in CATALOG_DROP:
        _drop(doc, cat, key)
    for key in _keys(doc, cat):
        if key not in CATALOG_KEEP:
            _drop(doc, cat, key)
    for xref in range(1, doc.xref_length()):
        try:
            if not doc.xref_is_stream(xref) and not doc.xref_object(xref, compressed=True).startswith("<<"):
                continue
        except Exception:  # noqa: BLE001, S112 - a broken or free object
            continue
        keys = set(_keys(doc, xref))  # once: asking for each key of every object cost more than the rest
        kind = doc.xref_get_key(xref, "Type")[1] if "Type" in keys else ""
        if kind == "/OCG":  # /OCProperties is gone; a layer's name can still say who it is about
            doc.xref_set_key(xref, "Name", "(layer)")
        if kind in ("/Page", "/Pages"):
            for key in keys:
                if key not in (PAGE_KEEP if kind == "/Page" else PAGES_KEEP):
                    _drop(doc, xref, key)
        for key in ANY_DROP:
            if key in keys:
                _drop(doc, xref, key)
        for key in STRING_DROP:
            if key in keys and doc.xref_get_key(xref, key)[0] == "string":
                _drop(doc, xref, key)
    trailer_info = doc.xref_get_key(-1, "Info")
    if trailer_info[0] != "null":
        doc.xref_set_key(-1, "Info", "null")
    remove_external(doc)  # reference XObjects, file specs, actions that open or fetch
    # fonts are left whole: re-subsetting them (subset_fonts) has broken fonts in real files,
    # and a glyph set says which letters a document uses, not what it said; a font name or
    # /Differences that spells what was redacted is changed (reviewer.export.pdf_carriers)


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


def _split(chars: Any, rects: list, by_hit: set[int]) -> tuple[list, list]:
    """The removed glyphs under hand-drawn boxes, and those under boxes made from hits."""
    from reviewer.pdf.chars import under_each

    groups = under_each(chars, rects)
    hit_ids = {id(c) for n, g in enumerate(groups) if n in by_hit for c in g}
    hand_ids = {id(c) for n, g in enumerate(groups) if n not in by_hit for c in g}
    return [c for c in chars if id(c) in hand_ids], [c for c in chars if id(c) in hit_ids]


def with_text(expect: PdfExpect, report: Report) -> PdfExpect:
    """The expectation with the text the boxes took away (kept in memory for the checks; the
    sidecar gets only the count)."""
    from reviewer.pdf.redacted import searchable, split_shown

    strings, short = searchable(report.redacted)
    strings, shown = split_shown(strings, report.kept)
    hits, short_hits = searchable(report.hits)
    strings, short = sorted(set(strings) | set(hits)), short + short_hits
    return replace(expect, redacted=tuple(strings), text_strings=len(strings), shown_strings=len(shown),
                   short_strings=short, raster_pages=tuple(report.raster),
                   whole=frozenset(report.whole & set(strings)))


def with_original_text(expect: PdfExpect, original: str | Path) -> PdfExpect:
    """The expectation with the text its boxes cover in the original (verify with the case)."""
    from reviewer.pdf.chars import page_chars, under_any
    from reviewer.pdf.document import from_display
    from reviewer.pdf.glyphs import GlyphReader
    from reviewer.pdf.redacted import kept_text, removed_strings, searchable, split_shown, whole_strings

    doc = open_pdf(original, Path(original).name)
    whole: set[str] = set()
    try:
        glyphs = GlyphReader(doc, ocr=False)
        first = _first_index(expect.boxes)
        found: list[str] = []
        found_hits: list[str] = []
        kept: list[str] = []
        for out_no, src_no in enumerate(expect.pages, start=1):
            if not 1 <= src_no <= doc.page_count:
                continue
            page = doc[src_no - 1]
            boxes = [b for b in expect.boxes if b.page_no == out_no]
            rects = [tuple(from_display(page, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt))) for b in boxes]
            chars = glyphs.fix(page, page_chars(page)) if boxes else page_chars(page)
            gone = under_any(chars, rects)  # type: ignore[arg-type]
            by_hit = {n for n, b in enumerate(boxes) if first[b] in expect.text_boxes}
            hand, hit = _split(gone, rects, by_hit)  # type: ignore[arg-type]
            found += removed_strings(chars, hand)
            found_hits += removed_strings(chars, hit)
            whole |= whole_strings(chars, gone)
            kept.append(kept_text(chars, gone))
    finally:
        doc.close()
    strings, short = searchable(found)
    strings, shown = split_shown(strings, kept)
    hits, short_hits = searchable(found_hits)
    strings, short = sorted(set(strings) | set(hits)), short + short_hits
    return replace(expect, redacted=tuple(strings), short_strings=short, shown_strings=len(shown),
                   whole=frozenset(whole & set(strings)))


def report_checks(report: Report) -> list[Check]:
    """What the export did besides the boxes, as report lines."""
    out = []
    if report.raster or report.cleaned:
        out.append(Check("hidden content", True, "; ".join(
            [f"page {p}: {what}" for p, what in report.cleaned] +
            [f"page {p} rasterised ({why})" for p, why in report.raster])))
    else:
        out.append(Check("hidden content", True, "no text hidden from view (clip, crop, layers, patterns)"))
    if report.properties:
        out.append(Check("marked content", True, f"{report.properties} /ActualText, /Alt or /E string(s) removed"))
    out += report.outside
    if report.left:
        out.append(Check("glyphs removed", False, "; ".join(report.left) + (
            ": MuPDF did not take them out of the page; export with --rasterize to draw the pages "
            "as pictures")))
    return out


def save_clean(doc: pymupdf.Document, path: Path) -> None:
    try:
        doc.save(str(path), garbage=4, deflate=True, clean=True, incremental=False,
                 encryption=pymupdf.PDF_ENCRYPT_NONE, no_new_id=False)
    except Exception as exc:  # noqa: BLE001
        # ``path`` is the hidden temporary name: the user chose the folder, so name that.
        # MuPDF reports a full disk only in its message ("cannot fwrite: No space left...")
        text = " ".join(str(exc).split())
        if "No space left" in text or "Disk quota" in text or disk_full(path.parent):
            raise full_disk_error(path.parent, "the export was not written to the output folder") from None
        raise ReviewerError(f"{path.parent}: the export could not be written to the output folder "
                            f"({text[:120]})") from None
