"""When a document's export is refused because a redacted string is found again elsewhere.

The check says only that a string boxed somewhere in the document can still be read on some
page ("another form of it", e.g. split over a line break, or in capitals). The window finds the
spot itself: the text under each of the document's boxes is looked for on the pages named, in
any spacing, line breaks and case, and every place not under a box is a spot. The reviewer is
told the page, the kind and the length of each string (never the string itself: this message
can be read over a shoulder or pasted into an e-mail), the spots are shown on the page, and
"Find and box it" boxes them all as one undoable edit, then exports again.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

CHECK = "redacted text"
FIND = "Find and box it"
_PAGES = re.compile(r"on page\(s\) ([\d, ]+)")


@dataclass(frozen=True)
class Spot:
    page_no: int
    rects: tuple[tuple[float, float, float, float], ...]
    kind: str
    length: int
    split: bool  # over more than one line


def refused_pages(checks: Iterable[Any]) -> list[int] | None:
    """The pages the failed check names; None when the export failed for another reason."""
    for c in checks:
        if c.name == CHECK and not c.ok:
            m = _PAGES.search(c.detail)
            return [int(p) for p in m.group(1).replace(" ", "").split(",") if p] if m else []
    return None


def kind_of(text: str) -> str:
    from reviewer.pdf.search import PATTERNS
    from reviewer.ui.redaction.text_hits import PATTERN_NAMES

    for key, rx in PATTERNS.items():
        m = rx.search(text)
        if m and len(m.group(0)) >= len(text) // 2:
            return PATTERN_NAMES.get(key, key).lower()
    if re.fullmatch(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", text.replace(" ", "")):
        return "date"
    if re.fullmatch(r"[\d\s/.()+-]+", text):
        return "number"
    return "name or other text"


def flexible(text: str) -> re.Pattern[str]:
    """``text`` in any spacing, line breaks or hyphenation between its characters."""
    chars = [re.escape(c) for c in text if not c.isspace()]
    return re.compile(r"[\s\-]*".join(chars), re.IGNORECASE)


def covered(rect: tuple[float, ...], boxes: list[tuple[int, tuple[float, ...]]], page: int) -> bool:
    x0, y0, x1, y1 = rect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return any(p == page and b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for p, b in boxes)


def find_spots(path: str, boxes: list[tuple[int, tuple[float, ...]]], pages: list[int]) -> list[Spot]:
    """The places on ``pages`` where the text under one of ``boxes`` (page, rect) can still be
    read, not under any box. Runs on a worker: it reads the PDF."""
    from reviewer.pdf.render import page_words
    from reviewer.pdf.search import find_matches

    strings: set[str] = set()
    for page, (x0, y0, x1, y1) in boxes:
        words = [w.text for w in page_words(path, page)
                 if x0 <= (w.x0_pt + w.x1_pt) / 2 <= x1 and y0 <= (w.y0_pt + w.y1_pt) / 2 <= y1]
        text = " ".join(words).strip()
        if len([c for c in text if c.isalnum()]) >= 4:
            strings.add(text)
    spots: list[Spot] = []
    for text in sorted(strings, key=len, reverse=True):
        for m in find_matches(path, flexible(text), pages or None):
            rects = tuple(tuple(r) for r in m.rects)
            if all(covered(r, boxes, m.page_no) for r in rects):
                continue
            if any(s.page_no == m.page_no and set(s.rects) & set(rects) for s in spots):
                continue
            spots.append(Spot(m.page_no, rects, kind_of(text), len(text.replace(" ", "")),
                              len(rects) > 1))
    return spots


def describe(spots: list[Spot]) -> str:
    lines = []
    for s in spots:
        how = ", split over a line break" if s.split else ""
        lines.append(f"Page {s.page_no}: a {s.kind} of {s.length} characters{how}, not under a box")
    return "\n".join(lines)


def offer_find(win: Any, media: dict[str, Any], checks: Iterable[Any],
               export_again: Callable[[], None]) -> bool:
    """Handle a "found again" refusal: find the spots (on a worker), show them, offer to box
    them. False when the export failed for another reason (the caller says so)."""
    from reviewer.ui.workers import run_job

    pages = refused_pages(checks)
    if pages is None:
        return False
    boxes = [(b["page_no"], tuple(b["rect"])) for b in win.ctl.page_redactions(media["id"])]
    path = media["path"]
    run_job(lambda progress: find_spots(path, boxes, pages),
            on_done=lambda spots: show(win, media, spots, pages, export_again),
            on_error=win.show_error)
    win.status(f"{media['name']} was not exported: looking for where the redacted text shows…")
    return True


def show(win: Any, media: dict[str, Any], spots: list[Spot], pages: list[int],
         export_again: Callable[[], None]) -> QMessageBox:
    from reviewer.ui.documents.pages_view import PageRect

    where = ", ".join(map(str, pages)) or "a page"
    text = (f"{media['name']} was not exported: text that is boxed elsewhere in it can still be "
            f"read on page(s) {where}. Nothing was written.")
    box = QMessageBox(QMessageBox.Warning, "Redacted text still readable", text,
                      QMessageBox.NoButton, win)
    if spots:
        box.setInformativeText(describe(spots) + "\n\nThe spots are marked on the page. “Find and "
                               "box it” boxes every one (one step: Ctrl+Z undoes) and exports again.")
        find = box.addButton(FIND, QMessageBox.AcceptRole)
        box.setDefaultButton(find)
        if win.view is not None:  # show the spot
            win.view.open_item(media["id"])
            win.view.hits = [PageRect(s.page_no, *r, kind="hit") for s in spots for r in s.rects]
            win.view.refresh_page_rects()
            first = spots[0]
            win.doc.go_to(first.page_no, (first.rects[0][0], first.rects[0][1]))
    else:
        find = None
        box.setInformativeText("The window could not find the spot itself: look on the page(s) "
                               "named for the text in another form (capitals, an e-mail address) "
                               "and box it, then export again.")
    box.addButton(QMessageBox.Cancel)
    box.setWindowModality(Qt.WindowModal)
    box.setAttribute(Qt.WA_DeleteOnClose)

    def chosen(_result: int) -> None:
        win.refusal_prompt = None
        if find is not None and box.clickedButton() is find:
            reason = win.redact.reason.currentData() or "b6"
            win.ctl.add_page_boxes(media["id"], [(s.page_no, r) for s in spots for r in s.rects],
                                   reason)
            win.status(f"Boxed {len(spots)} spot(s) of {media['name']} (Ctrl+Z undoes); "
                       "exporting again…")
            export_again()
    box.finished.connect(chosen)
    win.refusal_prompt = box
    box.open()
    return box
