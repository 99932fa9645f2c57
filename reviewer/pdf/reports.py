"""PDF reports for the citation bundle: HTML laid out into pages by PyMuPDF's Story.

The same HTML the bundle ships as a web page becomes its PDF, so the two never disagree.
Saved byte-reproducibly: no dates, no producer, and a fixed /ID derived from the content
(MuPDF would otherwise write a random one), so bundling twice gives the same file.
PyMuPDF cannot write PDF/A (no output intents, no XMP conformance claims, no font
embedding control for the base-14 fonts): these are plain PDF.
"""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pymupdf

PAGE = "letter"
MARGIN_PT = 54
CSS = """
body { font-family: sans-serif; font-size: 10pt; }
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 10pt; }
td, th { font-size: 9pt; padding: 2pt; vertical-align: top; border: 1px solid #888; }
th { background-color: #ddd; text-align: left; }
.mono { font-family: monospace; font-size: 7pt; }
"""


def html_to_pdf(html: str, out_path: str | Path, images: dict[str, bytes] | None = None) -> int:
    """Lay ``html`` out on letter pages and write it to ``out_path``; returns the page count.

    ``images`` maps each ``<img src=...>`` name in the HTML to its bytes."""
    archive = pymupdf.Archive()
    digest = hashlib.sha256(html.encode("utf-8"))
    for name, data in sorted((images or {}).items()):
        archive.add(data, name)
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    story = pymupdf.Story(html, user_css=CSS, archive=archive)
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    mediabox = pymupdf.paper_rect(PAGE)
    where = mediabox + (MARGIN_PT, MARGIN_PT, -MARGIN_PT, -MARGIN_PT)
    more = True
    while more:
        device = writer.begin_page(mediabox)
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", buf.getvalue())
    try:
        doc.set_metadata({})
        ident = digest.hexdigest()[:32].upper()
        doc.xref_set_key(-1, "ID", f"[<{ident}><{ident}>]")
        data = doc.tobytes(garbage=4, deflate=True, no_new_id=True)
        pages = doc.page_count
    finally:
        doc.close()
    out_path = Path(out_path)
    tmp = out_path.with_name(out_path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, out_path)
    return pages


def page_count(path: str | Path) -> int:
    """Pages of a PDF; raises ValueError when it cannot be opened as one."""
    try:
        with pymupdf.open(str(path), filetype="pdf") as doc:
            if doc.needs_pass:
                raise ValueError("the PDF is encrypted")
            return doc.page_count
    except (RuntimeError, pymupdf.FileDataError) as exc:
        raise ValueError(f"not a readable PDF ({exc})") from None


def page_text(path: str | Path) -> str:
    """All the text of a PDF (for checks that something is or is not in a report)."""
    with pymupdf.open(str(path), filetype="pdf") as doc:
        flags = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES  # "ffi", not one glyph
        return "\n".join(p.get_text(flags=flags) for p in doc)


def render_png(path: str | Path, page_no: int, zoom: float = 1.5,
               clip: tuple[float, float, float, float] | None = None) -> bytes:
    """Page ``page_no`` (1-based, as displayed) as PNG, optionally only ``clip`` (points,
    top-left origin). Opens the file afresh: it is a temporary export, never cached."""
    with pymupdf.open(str(path), filetype="pdf") as doc:
        page = doc[page_no - 1]
        area = page.rect if clip is None else (pymupdf.Rect(*clip) & page.rect)
        if area.is_empty:
            area = page.rect
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=area,
                              colorspace=pymupdf.csRGB, alpha=False)
        return pix.tobytes("png")
