"""Vector art a box touches: what of it is drawn again, and only the part away from the box.

MuPDF's redaction removes every path a box touches, whole (a path is one drawing command,
which may hold a whole table's cells, a barcode or a line of letters drawn as outlines).
Drawing such a path again as it was puts what the box was drawn over back under its fill:
a barcode, a dot-matrix stamp or letters a label printer drew as paths are still in the file,
and any reader of the file's paths (or anyone who deletes the fill) sees them. So each
touched path is drawn again cut: rectangles (cells, bars, dots) and straight rules lose the
part under each box exactly; any other outline (a letter, a curve) is drawn again only as
those of its closed parts (subpaths) that no box touches. Nothing of the original geometry
under a box is written.
"""
from __future__ import annotations

from typing import Any

import pymupdf

Rect = pymupdf.Rect


def subtract(r: Rect, boxes: list[Rect]) -> list[Rect]:
    """``r`` less every box: the rectangles that cover what is left."""
    pieces = [Rect(r)]
    for b in boxes:
        out = []
        for p in pieces:
            if not (p.x0 < b.x1 and b.x0 < p.x1 and p.y0 < b.y1 and b.y0 < p.y1):
                out.append(p)
                continue
            if p.y0 < b.y0:
                out.append(Rect(p.x0, p.y0, p.x1, b.y0))
            if b.y1 < p.y1:
                out.append(Rect(p.x0, b.y1, p.x1, p.y1))
            top, bottom = max(p.y0, b.y0), min(p.y1, b.y1)
            if p.x0 < b.x0:
                out.append(Rect(p.x0, top, b.x0, bottom))
            if b.x1 < p.x1:
                out.append(Rect(b.x1, top, p.x1, bottom))
        pieces = [p for p in out if p.width > 1e-3 and p.height > 1e-3]
    return pieces


def _cut_line(a: pymupdf.Point, b: pymupdf.Point, half: float, boxes: list[Rect]) -> list[tuple]:
    """An axis-parallel stroke from a to b (half its width each side) less the boxes."""
    horizontal = abs(a.y - b.y) < 0.01
    lo, hi = sorted((a.x, b.x) if horizontal else (a.y, b.y))
    at = a.y if horizontal else a.x
    spans = [(lo, hi)]
    for box in boxes:
        band0, band1 = (box.y0, box.y1) if horizontal else (box.x0, box.x1)
        if not (band0 < at + half and at - half < band1):
            continue
        c0, c1 = (box.x0, box.x1) if horizontal else (box.y0, box.y1)
        nxt = []
        for s0, s1 in spans:
            if c1 <= s0 or s1 <= c0:
                nxt.append((s0, s1))
                continue
            if s0 < c0:
                nxt.append((s0, c0))
            if c1 < s1:
                nxt.append((c1, s1))
        spans = nxt
    if horizontal:
        return [(pymupdf.Point(s0, at), pymupdf.Point(s1, at)) for s0, s1 in spans if s1 - s0 > 1e-3]
    return [(pymupdf.Point(at, s0), pymupdf.Point(at, s1)) for s0, s1 in spans if s1 - s0 > 1e-3]


def _edges(r: Rect) -> list[tuple]:
    return [(r.tl, r.tr), (r.tr, r.br), (r.br, r.bl), (r.bl, r.tl)]


def _item_rect(item: tuple) -> Rect | None:
    if item[0] == "re":
        return Rect(item[1])
    if item[0] == "qu" and item[1].is_rectangular:
        return Rect(item[1].rect)
    return None


def _axis_line(item: tuple) -> bool:
    return item[0] == "l" and (abs(item[1].x - item[2].x) < 0.01 or abs(item[1].y - item[2].y) < 0.01)


def subpaths(items: list[tuple]) -> list[list[tuple]]:
    """The items of a path split where the pen is lifted (a new subpath starts)."""
    out: list[list[tuple]] = []
    end = None
    for item in items:
        if item[0] in ("re", "qu"):
            out.append([item])
            end = None
            continue
        start = item[1]
        if end is None or abs(start.x - end.x) > 0.01 or abs(start.y - end.y) > 0.01:
            out.append([])
        out[-1].append(item)
        end = item[-1]
    return out


def _bounds(items: list[tuple], half: float) -> Rect:
    xs: list[float] = []
    ys: list[float] = []
    for item in items:
        if item[0] in ("re", "qu"):
            r = Rect(item[1]) if item[0] == "re" else item[1].rect
            xs += [r.x0, r.x1]
            ys += [r.y0, r.y1]
        else:
            xs += [p.x for p in item[1:]]
            ys += [p.y for p in item[1:]]
    return Rect(min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half)


def _sig(item: tuple) -> tuple:
    """An item by its kind and points, to tell which MuPDF kept."""
    if item[0] == "re":
        pts = [Rect(item[1]).tl, Rect(item[1]).br]
    elif item[0] == "qu":
        pts = [item[1].ul, item[1].ur, item[1].ll, item[1].lr]
    else:
        pts = list(item[1:])
    return (item[0],) + tuple((round(p.x, 2), round(p.y, 2)) for p in pts)


def kept_items(drawings: list[dict]) -> set[tuple]:
    return {_sig(i) for d in drawings for i in d.get("items") or []}


def cut(d: dict[str, Any], boxes: list[Rect], kept: set[tuple] | None = None) -> dict[str, Any] | None:
    """What of drawing ``d`` to draw again so that all of it away from ``boxes`` shows and
    nothing under them: items to draw with its style (``fill_items`` filled, ``stroke_items``
    stroked), or None for nothing. ``kept``: items (``_sig``) the page still draws after
    MuPDF's removal, not drawn twice. A subpath no box touches is drawn again whole; a
    rectangle or straight rule a box touches, less the boxes; any other subpath a box
    touches (a letter, a curve) not at all."""
    kind = d.get("type") or ""
    fills, strokes = "f" in kind, "s" in kind
    half = (d.get("width") or 0) / 2 if strokes else 0
    kept = kept or set()
    fill_items: list[tuple] = []
    stroke_items: list[tuple] = []
    for sub in subpaths(d.get("items") or []):
        if all(_sig(i) in kept for i in sub):
            continue
        if not any(_bounds(sub, half).intersects(b) for b in boxes):
            fill_items += sub if fills else []
            stroke_items += sub if strokes else []
            continue
        for item in sub:
            r = _item_rect(item)
            if r is not None:
                if fills:
                    fill_items += [("re", p) for p in subtract(r, boxes)]
                if strokes:
                    for a, b in _edges(r):
                        stroke_items += [("l", p, q) for p, q in _cut_line(a, b, half, boxes)]
            elif _axis_line(item) and strokes:
                stroke_items += [("l", p, q) for p, q in _cut_line(item[1], item[2], half, boxes)]
            # any other segment of a touched subpath goes with it
    if not fill_items and not stroke_items:
        return None
    return {"fill_items": fill_items, "stroke_items": stroke_items}


def add_path(shape: Any, items: list[tuple]) -> None:
    """Add the path items of a get_drawings dict (``re``, ``qu``, ``c``, ``l``) to ``shape``."""
    for item in items:
        if item[0] == "re":
            shape.draw_rect(item[1])
        elif item[0] == "qu":
            shape.draw_quad(item[1])
        elif item[0] == "c":
            shape.draw_bezier(item[1], item[2], item[3], item[4])
        else:
            shape.draw_line(item[1], item[2])


def draw_cut(page: pymupdf.Page, drawings: list[dict], boxes: list[Rect], kept: set[tuple]) -> int:
    """After MuPDF's removal: draw again, beneath the page's content, what of ``drawings``
    (as they were before it) lies away from ``boxes`` and is gone (``kept``: kept_items of
    the page after it; all in the page coordinates get_drawings gives, the page upright
    while drawing); how many drawings were touched up."""
    n = 0
    for d in drawings:
        parts = cut(d, boxes, kept)
        if parts is None:
            continue
        style = dict(width=d.get("width") or 0, fill_opacity=d.get("fill_opacity") or 1,
                     stroke_opacity=d.get("stroke_opacity") or 1, even_odd=bool(d.get("even_odd")),
                     lineCap=max(d.get("lineCap") or (0,)) if isinstance(d.get("lineCap"), tuple) else 0,
                     dashes=d.get("dashes") or None)
        if parts["fill_items"] and d.get("fill") is not None:
            shape = page.new_shape()
            add_path(shape, parts["fill_items"])
            shape.finish(fill=d.get("fill"), color=None, **style)
            shape.commit(overlay=False)
        if parts["stroke_items"] and d.get("color") is not None:
            shape = page.new_shape()
            add_path(shape, parts["stroke_items"])
            if any(_item_rect(i) is not None for i in d.get("items") or []):
                style["lineCap"] = 2  # a rectangle's edges drawn apart: square ends fill its corners
            shape.finish(fill=None, color=d.get("color"), closePath=False, **style)
            shape.commit(overlay=False)
        n += 1
    return n
