"""Withheld regions that exist only as pixels: boxes burned into a scan, and their labels.

The page is rendered as displayed (rotation applied), so pixel boxes convert to the
contract's coordinates by scaling alone. Labels inside dark boxes are white on black:
each box is cropped, inverted and read on its own; labels beside boxes are read from the
page with every box painted out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
import pymupdf

from reviewer.pdf import ocr
from reviewer.pdf.bates import Word
from reviewer.pdf.exemptions import Label, codes_in, label_only, labels_in_lines
from reviewer.pdf.withheld_geometry import Candidate, box_shaped, iou

SCAN_DPI = 200
DARK_MAX = 90            # grey level at or below which a pixel is ink
GREY_RANGE = (110, 225)  # shaded boxes
DARK_FILL = 0.8          # ink share of a dark box's bounding box (white labels leave holes)
GREY_FILL = 0.85
RAW_GREY_SHARE = 0.6     # grey pixels in a grey box before gaps are closed
PIXEL_MIN_DIM_PT = 8.0   # scans are noisy: boxes in pixels must be a little larger
FRAME_INK_MAX = 0.15     # a bordered box's inside is mostly blank (a label at most)
EDGE_PT = 3.0            # boxes touching the page edge are shadows or photo bars


@dataclass
class ScanResult:
    candidates: list[Candidate] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def render_gray(page: pymupdf.Page, dpi: int = SCAN_DPI) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    arr = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    return arr[:, : pix.width].copy()


def _components(mask: np.ndarray, min_fill: float, scale: float, page_area: float, kind: str,
                raw: np.ndarray | None = None) -> list[Candidate]:
    """Box-shaped components of ``mask``; with ``raw`` (the mask before closing), most of the
    box must be that colour before closing too (text edges close into blobs, boxes do not)."""
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, count = (int(v) for v in stats[i])
        if w * h == 0 or count / (w * h) < min_fill:
            continue
        if min(w, h) * scale < PIXEL_MIN_DIM_PT:
            continue
        if raw is not None and raw[y:y + h, x:x + w].mean() < RAW_GREY_SHARE:
            continue
        r = (x * scale, y * scale, (x + w) * scale, (y + h) * scale)
        if box_shaped(r, page_area):
            out.append(Candidate(r, kind, "pixels"))
    return out


def _frames(dark: np.ndarray, scale: float, page_area: float) -> list[Candidate]:
    """Rectangular outlines with an almost empty inside: white boxes with a border. Whether
    one is a withholding depends on what is printed in it (read later)."""
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _count = (int(v) for v in stats[i])
        r = (x * scale, y * scale, (x + w) * scale, (y + h) * scale)
        if min(w, h) * scale < PIXEL_MIN_DIM_PT or not box_shaped(r, page_area) or min(w, h) < 12:
            continue
        sub = dark[y:y + h, x:x + w]
        edges = [sub[:3, :].any(axis=0).mean(), sub[-3:, :].any(axis=0).mean(),
                 sub[:, :3].any(axis=1).mean(), sub[:, -3:].any(axis=1).mean()]
        if min(edges) < 0.95:
            continue
        inner = sub[5:-5, 5:-5]
        if inner.size and inner.mean() <= FRAME_INK_MAX:
            out.append(Candidate(r, "bordered", "pixels"))
    return out


def pixel_candidates(gray: np.ndarray, scale: float, page_area: float) -> list[Candidate]:
    dark = gray <= DARK_MAX
    cands = _components(dark, DARK_FILL, scale, page_area, "dark")
    cands += _frames(dark, scale, page_area)
    raw = (gray >= GREY_RANGE[0]) & (gray <= GREY_RANGE[1])
    # close small gaps (text in the grey box) so the shading is one component
    grey = cv2.morphologyEx(raw.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) > 0
    cands += _components(grey, GREY_FILL, scale, page_area, "grey", raw=raw)
    # scanner shadows along the edges and a photo's letterbox bars touch the page edge;
    # an agency's box sits inside the page
    w_pt, h_pt = gray.shape[1] * scale, gray.shape[0] * scale
    return [c for c in cands if c.rect[0] > EDGE_PT and c.rect[1] > EDGE_PT
            and c.rect[2] < w_pt - EDGE_PT and c.rect[3] < h_pt - EDGE_PT]


def _px(rect: tuple, scale: float, shape: tuple[int, int], pad: int = 0) -> tuple[int, int, int, int]:
    h, w = shape
    x0 = max(0, int(rect[0] / scale) + pad)
    y0 = max(0, int(rect[1] / scale) + pad)
    x1 = min(w, int(np.ceil(rect[2] / scale)) - pad)
    y1 = min(h, int(np.ceil(rect[3] / scale)) - pad)
    return x0, y0, x1, y1


def read_inside(gray: np.ndarray, cand: Candidate, scale: float) -> list[str]:
    """Codes printed inside a box."""
    return codes_in(read_inside_text(gray, cand, scale))


def read_inside_text(gray: np.ndarray, cand: Candidate, scale: float) -> str:
    """What is printed inside a box (white on black is inverted first)."""
    x0, y0, x1, y1 = _px(cand.rect, scale, gray.shape, pad=3 if cand.kind != "bordered" else 6)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return ""
    crop = gray[y0:y1, x0:x1]
    if cand.kind == "dark":
        crop = 255 - crop
    else:  # shading becomes white so only the ink remains
        crop = np.where(crop <= DARK_MAX + 20, 0, 255).astype(np.uint8)
    if crop.min() > 128:
        return ""  # nothing printed
    crop = cv2.copyMakeBorder(crop, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
    return ocr.ocr_text(crop, psm=6)


def scan_page(page: pymupdf.Page, vector: list[Candidate], use_ocr: bool = True) -> ScanResult:
    """Boxes in the page image that no vector box already explains, with OCR'd labels."""
    res = ScanResult()
    gray = render_gray(page)
    scale = 72.0 / SCAN_DPI
    page_area = abs(page.rect)
    for c in pixel_candidates(gray, scale, page_area):
        if any(iou(c.rect, v.rect) >= 0.5 for v in vector):
            continue  # a vector box drawn over the scan, already found
        res.candidates.append(c)
    if not res.candidates:
        return res
    if not use_ocr:
        # without OCR a frame cannot be told from a form box or a table cell: leave frames out
        res.candidates = [c for c in res.candidates if c.kind != "bordered"]
        if not ocr.available():
            res.notes.append("labels in the page image not read: tesseract is not installed")
        return res
    kept = []
    for c in res.candidates:
        if c.kind == "dark":
            c.add_codes(read_inside(gray, c, scale), "ocr")
            kept.append(c)
            continue
        text = read_inside_text(gray, c, scale)
        if c.kind == "bordered" and not label_only(text):
            continue  # a frame round ordinary text, or an empty form box
        if c.kind == "grey" and text.strip() and not label_only(text):
            continue  # a shaded heading
        c.add_codes(codes_in(text), "ocr")
        kept.append(c)
    res.candidates = kept
    if not kept:
        return res
    # labels beside boxes: read the page with the boxes painted out
    masked = gray.copy()
    for c in res.candidates:
        x0, y0, x1, y1 = _px(c.rect, scale, gray.shape, pad=-2)
        masked[y0:y1, x0:x1] = 255
    words = ocr.ocr_words(masked, psm=11)
    lines: dict[tuple, list[tuple[str, tuple]]] = {}
    for w in words:
        r = (w.x0_px * scale, w.y0_px * scale, w.x1_px * scale, w.y1_px * scale)
        lines.setdefault(w.line_key, []).append((w.text, r))
        res.words.append(Word(w.text, *r, (w.line_key[0] * 1000 + w.line_key[1], w.line_key[2])))
    res.labels = labels_in_lines([sorted(v, key=lambda t: t[1][0]) for v in lines.values()])
    return res
