"""Where the labels of withheld regions go on a page, so that they overlap neither each other
nor the page's text: inside the region when it has room (a withheld region is the agency's
own blank or black box: no text there), else just above or below it, else in the margin,
always clear of the labels already placed and of the other regions."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF

PAD = 2.0


def _free(tag: QRectF, placed: list[QRectF], others: list[QRectF], page: QRectF) -> bool:
    return (page.contains(tag) and not any(tag.intersects(t) for t in placed)
            and not any(tag.intersects(o) for o in others))


def place_labels(boxes: list[QRectF], sizes: list[QSizeF], page: QRectF,
                 words: list[QRectF] = ()) -> list[QRectF]:
    """A rectangle for each box's label (same order as ``boxes``), clear of the ``words``
    (the page's text) too where the page leaves room."""
    words = list(words)
    order = sorted(range(len(boxes)), key=lambda i: (boxes[i].top(), boxes[i].left()))
    placed: list[QRectF] = []
    out: dict[int, QRectF] = {}
    for i in order:
        box, size = boxes[i], sizes[i]
        w, h = size.width(), size.height()
        others = [b for j, b in enumerate(boxes) if j != i] + [
            wd for wd in words if not box.contains(wd.center())]
        inside = QRectF(box.left() + PAD, box.top() + PAD, w, h)
        candidates = []
        if box.width() >= w + 2 * PAD and box.height() >= h + 2 * PAD:
            candidates.append((inside, [b for b in others if not b.contains(inside)]))
        candidates += [(QRectF(box.left(), box.top() - h - PAD, w, h), others),
                       (QRectF(box.left(), box.bottom() + PAD, w, h), others),
                       (QRectF(page.left() + PAD, box.top(), w, h), others),
                       (QRectF(page.right() - w - PAD, box.top(), w, h), others)]
        chosen = next((c for c, obst in candidates if _free(c, placed, obst, page)), None)
        if chosen is None:
            # a crowded page: step down the margin until clear of the labels placed so far
            chosen = QRectF(page.left() + PAD, box.top(), w, h)
            while any(chosen.intersects(t) for t in placed) and chosen.bottom() < page.bottom():
                chosen.translate(0, h + PAD)
        placed.append(chosen)
        out[i] = chosen
    return [out[i] for i in range(len(boxes))]
