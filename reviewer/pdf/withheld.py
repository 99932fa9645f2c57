"""Requester side: find the regions the producing agency withheld in a document.

A withheld region is a solid filled box (black, grey, or white with a border) together with
the exemption codes printed in it or beside it. Rules, table borders and cells, shaded
headers, logos and round shapes are not withholdings: a box must have area and both sides
beyond a minimum, be nearly all box (fill ratio), hold no image, and a grey or bordered box
must hold nothing but a label. Vector boxes come from the page's drawings; on scans the
boxes are found in the pixels, and labels printed only in pixels are read with tesseract.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf

from reviewer.pdf import ocr
from reviewer.pdf.bates import find_bates
from reviewer.pdf.document import open_pdf, to_display
from reviewer.pdf.exemptions import Label, codes_in, label_only, labels_in_lines
from reviewer.pdf.reader import SCAN_COVERAGE, image_coverage, page_words
from reviewer.pdf.withheld_geometry import (
    MIN_FILL_RATIO,
    Candidate,
    area,
    beside_gap,
    box_shaped,
    center_in,
    dedupe,
    intersection,
    iou,
)
from reviewer.progress import Progress


def _shoelace(points: list[pymupdf.Point]) -> float:
    s = 0.0
    for a, b in zip(points, points[1:] + points[:1]):
        s += a.x * b.y - b.x * a.y
    return abs(s) / 2


def _path_rects(d: dict[str, Any]) -> list[tuple[pymupdf.Rect, float]]:
    """The boxes a drawing path makes, each with its fill ratio."""
    items = d.get("items") or []
    if items and all(it[0] == "re" for it in items):
        return [(pymupdf.Rect(it[1]), 1.0) for it in items]
    if items and all(it[0] == "qu" for it in items):
        out = []
        for it in items:
            q = it[1]
            r = q.rect
            out.append((r, _shoelace([q.ul, q.ur, q.lr, q.ll]) / (abs(r) or 1.0)))
        return out
    pts: list[pymupdf.Point] = []
    for it in items:
        for p in it[1:]:
            if isinstance(p, pymupdf.Point) and (not pts or p != pts[-1]):
                pts.append(p)
    r = pymupdf.Rect(d["rect"])
    return [(r, _shoelace(pts) / (abs(r) or 1.0) if len(pts) >= 3 else 0.0)]


def _neutral(color: Any) -> tuple[bool, float]:
    """(is grey-scale, luminance) of a PDF colour tuple."""
    c = tuple(color or ())
    if len(c) == 1:
        return True, float(c[0])
    if len(c) == 4:  # CMYK
        k = c[3]
        c = tuple((1 - x) * (1 - k) for x in c[:3])
    if len(c) != 3:
        return False, 1.0
    return max(c) - min(c) <= 0.1, sum(c) / 3


def light_spans(page: pymupdf.Page) -> list[tuple[str, tuple]]:
    """Visible light-coloured text (white on a dark panel), as displayed."""
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                rgb = span.get("color", 0)
                lum = (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255)) / 765
                if lum > 0.5 and span.get("alpha", 255) != 0 and span["text"].strip():
                    out.append((span["text"], to_display(page, span["bbox"])))
    return out


def vector_candidates(page: pymupdf.Page, words_text: list[tuple[str, tuple]]) -> list[Candidate]:
    page_area = abs(page.rect)
    images = []
    for info in page.get_image_info():
        r = to_display(page, info["bbox"])
        if area(r) < SCAN_COVERAGE * page_area:
            images.append(r)  # a scan under boxes is not a logo
    out: list[Candidate] = []
    light: list[tuple[str, tuple]] | None = None
    for d in page.get_drawings():
        fill, stroke = d.get("fill"), d.get("color")
        opacity = d.get("fill_opacity")
        for rect, ratio in _path_rects(d):
            r = to_display(page, rect)
            if ratio < MIN_FILL_RATIO or not box_shaped(r, page_area):
                continue
            kind = None
            if fill is not None and (opacity is None or opacity >= 0.9):
                neutral, lum = _neutral(fill)
                if not neutral:
                    continue  # coloured panels are design, not withholding
                kind = "dark" if lum <= 0.3 else "grey" if lum <= 0.9 else None
            if kind is None and stroke is not None and d.get("type") in ("s", "fs") and (d.get("width") or 0) > 0:
                kind = "bordered"
            if kind is None:
                continue
            if any(intersection(im, r) >= 0.5 * area(im) or intersection(im, r) >= 0.3 * area(r) for im in images):
                continue  # holds a logo or picture
            inside = " ".join(w for w, wr in words_text if center_in(wr, r))
            if kind != "dark" and inside.strip() and not label_only(inside):
                continue  # a table cell or shaded heading with ordinary text
            if kind == "dark" and inside.strip() and not label_only(inside):
                # light words on a dark panel are a banner or a heading; dark words under a
                # dark box are text the agency covered but did not remove: still withheld
                light = light_spans(page) if light is None else light
                shown = " ".join(t for t, tr in light if center_in(tr, r))
                if shown.strip() and not label_only(shown):
                    continue
            # an empty frame is a form box or layout unless a label sits beside it
            c = Candidate(r, kind, "vector", tentative=kind == "bordered" and not inside.strip())
            c.add_codes(codes_in(inside), "text")
            out.append(c)
    return out


_BOX_ANNOTS = {pymupdf.PDF_ANNOT_SQUARE, pymupdf.PDF_ANNOT_REDACT, pymupdf.PDF_ANNOT_FREE_TEXT}


def annotation_candidates(page: pymupdf.Page, words_text: list[tuple[str, tuple]]) -> list[Candidate]:
    """Boxes drawn as annotations (a filled square, an unapplied redaction, a filled
    callout): they look withheld on screen though no drawing operator made them."""
    page_area = abs(page.rect)
    out: list[Candidate] = []
    for annot in page.annots() or []:
        if annot.type[0] not in _BOX_ANNOTS:
            continue
        fill = (annot.colors or {}).get("fill") or None
        if not fill:
            continue
        neutral, lum = _neutral(fill)
        if not neutral or lum > 0.9:
            continue
        r = to_display(page, annot.rect)
        if not box_shaped(r, page_area):
            continue
        c = Candidate(r, "dark" if lum <= 0.3 else "grey", "annotation")
        overlay = ""
        if annot.type[0] == pymupdf.PDF_ANNOT_REDACT:
            kind, val = page.parent.xref_get_key(annot.xref, "OverlayText")
            overlay = val if kind == "string" else ""
        label = " ".join([overlay, annot.info.get("content", "")] +
                         [w for w, wr in words_text if center_in(wr, r)])
        c.add_codes(codes_in(label), "text")
        out.append(c)
    return out


def assign_beside(cands: list[Candidate], labels: list[Label], source: str) -> None:
    """Give each label outside every box to the nearest box it sits beside; then a label
    left over in a margin goes to the nearest unlabelled box on its line."""
    left: list[Label] = []
    for lab in labels:
        if any(center_in(lab.rect, c.rect) for c in cands):
            continue
        best, best_gap = None, None
        for c in cands:
            g = beside_gap(lab.rect, c.rect)
            if g is not None and (best_gap is None or g < best_gap):
                best, best_gap = c, g
        if best is not None:
            best.add_codes(lab.codes, source)
        else:
            left.append(lab)
    for lab in left:
        cy = (lab.rect[1] + lab.rect[3]) / 2
        same_line = [c for c in cands if not c.codes and not c.tentative and c.rect[1] <= cy <= c.rect[3]]
        if same_line:
            nearest = min(same_line, key=lambda c: min(abs(c.rect[0] - lab.rect[2]), abs(lab.rect[0] - c.rect[2])))
            nearest.add_codes(lab.codes, source)


def _lines(words) -> list[list[tuple[str, tuple]]]:
    lines: dict[tuple, list[tuple[str, tuple]]] = {}
    for w in words:
        lines.setdefault(w.line_key, []).append((w.text, (w.x0_pt, w.y0_pt, w.x1_pt, w.y1_pt)))
    return [sorted(v, key=lambda t: t[1][0]) for v in lines.values()]


def detect_page(page: pymupdf.Page, use_ocr: bool = True) -> tuple[list[Candidate], str | None, list[str]]:
    """(regions, Bates, notes) for one page."""
    from reviewer.pdf import withheld_scan

    words = page_words(page)
    words_text = [(w.text, (w.x0_pt, w.y0_pt, w.x1_pt, w.y1_pt)) for w in words]
    width, height = float(page.rect.width), float(page.rect.height)
    bates = find_bates(words, width, height, rotated=page.rotation % 360 != 0)
    notes: list[str] = []
    cands = dedupe(vector_candidates(page, words_text) + annotation_candidates(page, words_text))
    if image_coverage(page)[0] >= SCAN_COVERAGE:
        scan = withheld_scan.scan_page(page, cands, use_ocr=use_ocr)
        for c in scan.candidates:  # an OCR layer may already hold the label printed in the box
            c.add_codes(codes_in(" ".join(w for w, wr in words_text if center_in(wr, c.rect))), "text")
        cands += scan.candidates
        notes += scan.notes
        if bates is None and scan.words:
            bates = find_bates(scan.words, width, height, rotated=page.rotation % 360 != 0)
        assign_beside(cands, scan.labels, "ocr")
    assign_beside(cands, labels_in_lines(_lines(words)), "text")
    cands = [c for c in cands if not (c.tentative and not c.codes)]
    cands.sort(key=lambda c: (round(c.rect[1], 1), c.rect[0]))
    for c in cands:
        n = text_under(c.rect, words_text)
        if n:
            x0, y0, x1, y1 = c.rect
            notes.append(f"{n} letter(s) or digit(s) {FAILED_NOTE} at "
                         f"{x0:.0f},{y0:.0f},{x1:.0f},{y1:.0f}: the agency covered them but did not "
                         "remove them (anyone can copy them out; an export of this page takes them out)")
    return cands, bates, notes


def text_under(rect: tuple, words_text: list[tuple[str, tuple]]) -> int:
    """How many letters and digits of text (visible or an OCR layer) sit under a withheld
    box, its exemption labels left out: a failed redaction, as x-ray reports it."""
    from reviewer.pdf.exemptions import CODE_RE, FILLER

    inside = " ".join(w for w, wr in words_text if center_in(wr, rect))
    if not inside.strip():
        return 0
    rest = [w.strip(".,;:()[]").lower() for w in CODE_RE.sub(" ", inside).split()]
    return sum(sum(ch.isalnum() for ch in w) for w in rest if w and w not in FILLER)


# what a scan note says of a withheld box with text under it (the window lists those notes)
FAILED_NOTE = "still in the file under the withheld box"

REPEAT_TOL_PT = 3.0
REPEAT_SHARE = 0.5  # a block on at least half the pages (and on 3 or more) is the letterhead's


def drop_repeated(regions: list[dict[str, Any]], page_count: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Leave out blocks with no exemption code that stand at the same place on most pages: a
    seal or a logo in the letterhead is not a withholding."""
    groups: list[list[dict[str, Any]]] = []
    for r in regions:
        if r["codes"]:
            continue
        for g in groups:
            if all(abs(a - b) <= REPEAT_TOL_PT for a, b in zip(g[0]["rect"], r["rect"])):
                g.append(r)
                break
        else:
            groups.append([r])
    drop: set[int] = set()
    notes: list[str] = []
    for g in groups:
        pages = {r["page"] for r in g}
        if len(pages) >= 3 and len(pages) >= REPEAT_SHARE * page_count:
            drop |= {id(r) for r in g}
            x0, y0, x1, y1 = g[0]["rect"]
            notes.append(f"a block at {x0:.0f},{y0:.0f},{x1:.0f},{y1:.0f} on {len(pages)} of {page_count} pages "
                         "(a seal or logo in the letterhead) is not listed as withheld")
    return [r for r in regions if id(r) not in drop], notes


def detect_document(path: str, use_ocr: bool = True, progress: Progress | None = None) -> dict[str, Any]:
    """Every withheld region of the PDF: ``{"regions": [...], "notes": [...], "page_count": n,
    "ocr": "tesseract" | "unavailable" | "off"}``. Picklable, so it can run in the sandbox."""
    doc = open_pdf(path, check_tail=False)
    have_ocr = use_ocr and ocr.available()
    regions: list[dict[str, Any]] = []
    notes: list[str] = []
    try:
        for i in range(doc.page_count):
            if progress is not None:
                progress.update(i / doc.page_count, f"Looking for withheld regions: page {i + 1}")
            cands, bates, page_notes = detect_page(doc[i], use_ocr=have_ocr)
            notes += [f"page {i + 1}: {n}" for n in page_notes]
            for c in cands:
                regions.append({"page": i + 1, "bates": bates, "rect": [round(v, 2) for v in c.rect],
                                "codes": list(c.codes), "kind": c.kind, "how": c.how,
                                "labels_from": c.labels_from})
        regions, repeated = drop_repeated(regions, doc.page_count)
        notes += repeated
        if use_ocr and not have_ocr and any(r["how"] == "pixels" for r in regions):
            notes.insert(0, "tesseract is not installed: exemption labels printed only in the "
                            "images of scanned pages were not read (install tesseract-ocr)")
        return {"regions": regions, "notes": notes, "page_count": doc.page_count,
                "ocr": "tesseract" if have_ocr else ("unavailable" if use_ocr else "off"),
                "name": Path(path).name}
    finally:
        doc.close()


__all__ = ["Candidate", "assign_beside", "detect_document", "detect_page", "iou", "vector_candidates"]
