"""Shared thresholds and rectangle helpers for withheld-region detection."""
from __future__ import annotations

from dataclasses import dataclass, field

Rect4 = tuple[float, float, float, float]

MIN_DIM_PT = 5.0        # both sides at least this: thinner is a rule, not a box
MIN_AREA_PT2 = 60.0     # smaller is a bullet or a glyph
MIN_LONG_SIDE_PT = 12.0  # a small square is a ticked checkbox or a bullet, not a withholding
MAX_PAGE_SHARE = 0.6    # a panel over most of the page is a background, not a withholding
MIN_FILL_RATIO = 0.9    # vector paths: drawn area / bounding box (circles, seals fail)
BESIDE_GAP_X_PT = 48.0  # a label to the left or right of a box, on the same line
BESIDE_GAP_Y_PT = 18.0  # a label just above or below a box


@dataclass
class Candidate:
    rect: Rect4
    kind: str  # "dark", "grey", "bordered"
    how: str  # "vector", "annotation" or "pixels"
    codes: list[str] = field(default_factory=list)
    labels_from: str = "none"  # "text", "ocr", "none"
    tentative: bool = False  # an empty frame: a withholding only if a label sits beside it

    def add_codes(self, codes: tuple[str, ...] | list[str], source: str) -> None:
        for c in codes:
            if c not in self.codes:
                self.codes.append(c)
        if codes and self.labels_from == "none":
            self.labels_from = source


def area(r: Rect4) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def intersection(a: Rect4, b: Rect4) -> float:
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def iou(a: Rect4, b: Rect4) -> float:
    i = intersection(a, b)
    u = area(a) + area(b) - i
    return i / u if u > 0 else 0.0


def center_in(inner: Rect4, outer: Rect4, pad: float = 0.5) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] - pad <= cx <= outer[2] + pad and outer[1] - pad <= cy <= outer[3] + pad


def box_shaped(r: Rect4, page_area: float) -> bool:
    w, h = r[2] - r[0], r[3] - r[1]
    return (w >= MIN_DIM_PT and h >= MIN_DIM_PT and max(w, h) >= MIN_LONG_SIDE_PT
            and MIN_AREA_PT2 <= w * h <= MAX_PAGE_SHARE * page_area)


def beside_gap(label: Rect4, box: Rect4) -> float | None:
    """How far ``label`` sits beside ``box`` (same line, or just above/below), or None."""
    lh, bh = label[3] - label[1], box[3] - box[1]
    v_overlap = min(label[3], box[3]) - max(label[1], box[1])
    if v_overlap >= 0.5 * min(lh, bh):
        gap = max(box[0] - label[2], label[0] - box[2])
        if -2.0 <= gap <= BESIDE_GAP_X_PT:
            return max(gap, 0.0)
    h_overlap = min(label[2], box[2]) - max(label[0], box[0])
    if h_overlap > 0:
        gap = max(box[1] - label[3], label[1] - box[3])
        if -2.0 <= gap <= BESIDE_GAP_Y_PT:
            return max(gap, 0.0) + 0.5  # a same-line label wins a tie
    return None


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per region: duplicates merge; a border around a filled box goes."""
    order = sorted(cands, key=lambda c: ({"dark": 0, "grey": 1, "bordered": 2}[c.kind], -area(c.rect)))
    kept: list[Candidate] = []
    for c in order:
        dup = False
        for k in kept:
            if iou(c.rect, k.rect) >= 0.8:
                dup = True
            elif c.kind == "bordered" and intersection(c.rect, k.rect) >= 0.9 * area(k.rect):
                dup = True  # a border drawn round a filled box: the filled box is the region
            if dup:
                k.add_codes(c.codes, c.labels_from)
                break
        if not dup:
            kept.append(c)
    return kept
