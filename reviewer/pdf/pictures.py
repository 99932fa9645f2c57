"""Pictures of text on pages that have a text layer: a pasted screenshot, a scanned signature
block, a photo of an ID card. Their words are in pixels no text reader sees, so a page whose
text layer is searched would otherwise hide a name in them without a word.

Which pictures are read: every image drawn on a page with a text layer that shows at least
:data:`MIN_PT` points and holds at least :data:`MIN_PX` pixels (room for one line of small
print), except the page-size picture of a scan under its own OCR layer: that layer is the
scan's reading, and is checked against the picture's ink (reviewer.pdf.layer_check). A page
that is only a picture is read whole instead (reviewer.pdf.ocr_search).

Each picture is cut from the page as displayed at the OCR resolution and read by tesseract
alone, with a white margin; its words are given in pixels of the whole page at that
resolution, so a hit is boxed the way a scan page's hit is (reviewer.pdf.ocr_search).
"""
from __future__ import annotations

import pymupdf

from reviewer.pdf.document import Rect4, to_display
from reviewer.pdf.reader import SCAN_COVERAGE, has_ocr_layer, image_coverage

OCR_DPI = 200  # as reviewer.pdf.ocr_search, whose boxes these words share
MIN_PT = (36.0, 12.0)  # width, height on the page
MIN_PX = (48, 12)  # width, height of the image itself
MARGIN_PX = 12
# names what read_pictures gives, for a stored reading (reviewer.store.page_ocr)
READER = f"tesseract psm3 {OCR_DPI}dpi pictures"

# what a page asks of OCR (column pages.ocr_wanted)
WHOLE_PAGE = 1
PICTURES = 2


def text_pictures(page: pymupdf.Page) -> list[Rect4]:
    """The displayed rectangles of the pictures on ``page`` that can hold text and that no
    text layer reads (see the module's docstring). Call only for a page with a text layer."""
    area = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    scan_share, scan_rect = image_coverage(page)
    layered = scan_share >= SCAN_COVERAGE and has_ocr_layer(page, (scan_share, scan_rect))
    out: list[Rect4] = []
    for info in page.get_image_info():
        r = pymupdf.Rect(info["bbox"]) & area
        if r.is_empty or r.width < MIN_PT[0] and r.height < MIN_PT[0] or min(r.width, r.height) < MIN_PT[1]:
            continue
        if int(info.get("width", 0)) < MIN_PX[0] and int(info.get("height", 0)) < MIN_PX[0] or \
                min(int(info.get("width", 0)), int(info.get("height", 0))) < MIN_PX[1]:
            continue
        if layered and scan_rect is not None and abs(r & scan_rect) >= 0.9 * abs(scan_rect):
            continue
        d = to_display(page, (r.x0, r.y0, r.x1, r.y1))
        if d not in out:
            out.append(d)
    return out


def ocr_wanted(page: pymupdf.Page, text: str) -> int:
    """What OCR must read on ``page`` (its plain text ``text``) before a search can see all
    its words: WHOLE_PAGE, PICTURES, or 0."""
    from reviewer.pdf.search import no_text_layer

    if no_text_layer(page, text):
        return WHOLE_PAGE
    return PICTURES if text_pictures(page) else 0


def crops(page: pymupdf.Page, rects: list[Rect4] | None = None) -> list[tuple[object, tuple[int, int]]]:
    """(grey picture with a white margin, pixel offset of its top-left in the whole page) for
    each text picture of ``page`` (or each of ``rects``), as displayed, at OCR_DPI."""
    import numpy as np

    rects = text_pictures(page) if rects is None else rects
    if not rects:
        return []
    pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    k = OCR_DPI / 72.0
    out = []
    for x0, y0, x1, y1 in rects:
        a, b = max(0, int(x0 * k)), max(0, int(y0 * k))
        c, d = min(pix.width, int(x1 * k + 1)), min(pix.height, int(y1 * k + 1))
        if c - a < 4 or d - b < 4:
            continue
        cut = np.pad(gray[b:d, a:c], MARGIN_PX, constant_values=255)
        out.append((np.ascontiguousarray(cut), (a - MARGIN_PX, b - MARGIN_PX)))
    return out


def read_crops(cuts: list[tuple[object, tuple[int, int]]]) -> list | None:
    """The words tesseract reads in each cut, in pixels of the whole page; each picture's
    lines kept apart from the others'. None when tesseract did not run on one of them."""
    from reviewer.pdf import ocr

    words: list[ocr.OcrWord] = []
    for i, (gray, (dx, dy)) in enumerate(cuts):
        got = ocr.read_words(gray, psm=3)
        if got is None:
            return None
        for w in got:
            if w.text.strip():
                key = ((i + 1) * 1000 + w.line_key[0], w.line_key[1], w.line_key[2])
                words.append(ocr.OcrWord(w.text, w.x0_px + dx, w.y0_px + dy, w.x1_px + dx,
                                         w.y1_px + dy, key, w.conf))
    return words


def read_pictures(page: pymupdf.Page) -> list | None:
    """The words tesseract reads in the text pictures of ``page`` ([] when it has none)."""
    return read_crops(crops(page))


def pictures_note(name: str, pages: list[int], ocr: bool) -> str:
    """What the CLI warns and the window says about pages holding pictures of text."""
    from reviewer.pdf.search import page_list

    shown = page_list(pages)
    if ocr:
        return (f"{name}: page(s) {shown} hold pictures that can show text (a pasted screenshot, a "
                "signature, an ID card); they were searched by OCR, which can miss words (check them by eye)")
    return (f"{name}: page(s) {shown} hold pictures that can show text (a pasted screenshot, a "
            "signature, an ID card); OCR is not installed, so they were not searched (box them by hand)")
