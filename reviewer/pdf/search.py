"""Finding personal data (or any regex) in PDF pages, with rectangles to redact.

Regexes run on the page's real text, rebuilt from MuPDF's characters with each character's
box, so a match that spans words or lines maps back to one rectangle per line. Invisible OCR
text (render mode 3) over scans is text like any other here: a box drawn over its rectangle
also covers the image pixels beneath, which is what a reviewer means to hide.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pymupdf

from reviewer.errors import ReviewerError
from reviewer.pdf.document import Rect4, open_pdf, to_display, union
from reviewer.pdf.reader import SCAN_COVERAGE, image_coverage

_SEP = r"(?:-\s?|\s)?"  # "-", "- ", "-\n", one space or a line break
_DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}"
         r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s\d{1,2},?\s\d{4}"
         r"|\d{1,2}\s(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s\d{4})")

# A named group ``value`` marks the part to redact when the pattern also needs context words.
PATTERNS: dict[str, re.Pattern[str]] = {
    "ssn": re.compile(
        r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])|(?<![\w-])\d{3} \d{2} \d{4}(?![\w-])"
        r"|(?i:\b(?:SSN|SS\#|social\ssecurity(?:\s(?:number|no\.?))?)[\s:#]*)(?P<value>\d{9})(?!\d)"),
    "a-number": re.compile(
        rf"(?<![\w-])A{_SEP}(?:\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}|\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{3}})(?![\d])"),
    "phone": re.compile(
        r"(?<![\w+])(?:\+?1[-.\s]?)?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?![\w])"),
    "email": re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "dob": re.compile(
        r"(?i:\b(?:DOB|D\.O\.B\.?|date\sof\sbirth|birth\s?date|born(?:\son)?)[\s:.#-]{0,4})"
        rf"(?P<value>{_DATE})"),
}
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP


@dataclass(frozen=True)
class Match:
    """One hit: 1-based page, the matched text, and one rectangle per line it spans, in PDF
    points, origin top-left, as the page is displayed."""

    page_no: int
    text: str
    rects: tuple[Rect4, ...]


@dataclass(frozen=True)
class PageText:
    """A page's text with, for each character, its line, its box (None for joins we added)
    and whether it is invisible (OCR text over a scan)."""

    text: str
    boxes: tuple[Rect4 | None, ...]
    lines: tuple[int, ...]
    hidden: tuple[bool, ...] = ()


# Invisible OCR text only approximates the ink beneath it: tesseract's PDF layer stretches
# "word " (with its space) over the word's box, so the letters' boxes fall one character
# short, and sets its lines ~20% high (a descender hangs ~25% below), leaving descenders out. Hidden matches take in their
# trailing space and a margin (clipped before the next word), so a box over them covers
# every pixel of the word.
HIDDEN_PAD_X_PT = 1.0
HIDDEN_PAD_Y_FRACTION = 0.3


def page_text(page: pymupdf.Page) -> PageText:
    chars: list[str] = []
    boxes: list[Rect4 | None] = []
    lines: list[int] = []
    hidden: list[bool] = []
    line_id = 0
    # text over (or under) a scan is OCR text whatever its render mode ("sandwich" PDFs
    # draw visible text beneath the image): its boxes approximate the ink too
    share, scan_rect = image_coverage(page)
    scan = scan_rect if share >= SCAN_COVERAGE else None
    raw = page.get_text("rawdict", flags=TEXT_FLAGS)
    for block in raw["blocks"]:
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            line_id += 1
            last_x1: float | None = None
            for span in line["spans"]:
                size = float(span.get("size") or 10.0)
                invisible = span.get("alpha", 255) == 0 or (
                    scan is not None and pymupdf.Rect(span["bbox"]).intersects(scan))
                for ch in span["chars"]:
                    x0 = ch["bbox"][0]
                    # MuPDF leaves out spaces between spans set apart by position only
                    if last_x1 is not None and x0 - last_x1 > 0.2 * size and chars and chars[-1] != " ":
                        chars.append(" ")
                        boxes.append(None)
                        lines.append(line_id)
                        hidden.append(False)
                    chars.append(ch["c"])
                    boxes.append(tuple(ch["bbox"]))  # type: ignore[arg-type]
                    lines.append(line_id)
                    hidden.append(invisible)
                    last_x1 = ch["bbox"][2]
            chars.append("\n")
            boxes.append(None)
            lines.append(line_id)
            hidden.append(False)
    return PageText("".join(chars), tuple(boxes), tuple(lines), tuple(hidden))


def _pad_hidden(r: Rect4, right_limit: float | None) -> Rect4:
    dy = max(1.0, HIDDEN_PAD_Y_FRACTION * (r[3] - r[1]))
    x1 = r[2] + HIDDEN_PAD_X_PT
    if right_limit is not None:
        x1 = max(r[2], min(x1, right_limit))
    return (r[0] - HIDDEN_PAD_X_PT, r[1] - dy, x1, r[3] + dy)


def compile_pattern(pattern: str | re.Pattern[str]) -> re.Pattern[str]:
    """A named pattern (``ssn``, ``a-number``, ``phone``, ``email``, ``dob``) or a regex."""
    if isinstance(pattern, re.Pattern):
        return pattern
    if pattern in PATTERNS:
        return PATTERNS[pattern]
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ReviewerError(f"pattern {pattern!r}: not a valid regular expression ({exc})") from None


def _span(m: re.Match[str]) -> tuple[int, int]:
    if "value" in m.re.groupindex and m.group("value") is not None:
        return m.span("value")
    return m.span()


def matches_on_page(page: pymupdf.Page, regex: re.Pattern[str], pt: PageText | None = None) -> list[Match]:
    pt = pt or page_text(page)
    out: list[Match] = []
    for m in regex.finditer(pt.text):
        a, b = _span(m)
        if a == b:
            continue
        per_line: dict[int, list[Rect4]] = {}
        hidden_lines: set[int] = set()
        limit_x: dict[int, float] = {}
        for i in range(a, b):
            box = pt.boxes[i]
            if box is not None and pt.text[i].strip():
                per_line.setdefault(pt.lines[i], []).append(box)
                if pt.hidden[i]:
                    hidden_lines.add(pt.lines[i])
                    # the word's own trailing space is part of its OCR box
                    nxt = i + 1
                    if (nxt < len(pt.text) and (nxt >= b or not pt.text[nxt].strip()) and pt.text[nxt] == " "
                            and pt.boxes[nxt] is not None and pt.hidden[nxt] and pt.lines[nxt] == pt.lines[i]):
                        per_line[pt.lines[i]].append(pt.boxes[nxt])  # type: ignore[arg-type]
                        after = pt.boxes[nxt + 1] if nxt + 1 < len(pt.boxes) else None
                        if after is not None and pt.lines[nxt + 1] == pt.lines[i]:
                            limit_x[pt.lines[i]] = after[0] - 0.5
        if not per_line:
            continue
        rects = tuple(to_display(page, _pad_hidden(union(v), limit_x.get(k)) if k in hidden_lines else union(v))
                      for k, v in sorted(per_line.items()))
        out.append(Match(page.number + 1, pt.text[a:b], rects))
    return out


def find_in_document(doc: pymupdf.Document, pattern: str | re.Pattern[str],
                     pages: Iterable[int] | None = None) -> list[Match]:
    regex = compile_pattern(pattern)
    numbers: Sequence[int] = list(pages) if pages is not None else range(1, doc.page_count + 1)
    out: list[Match] = []
    for n in numbers:
        if not 1 <= n <= doc.page_count:
            raise ReviewerError(f"page {n}: the document has {doc.page_count} pages")
        out.extend(matches_on_page(doc[n - 1], regex))
    return out


def find_matches(path: str | Path, pattern: str | re.Pattern[str],
                 pages: Iterable[int] | None = None) -> list[Match]:
    """Every match of ``pattern`` in the PDF at ``path`` (pages 1-based; None = all)."""
    doc = open_pdf(path, check_tail=False)
    try:
        return find_in_document(doc, pattern, pages)
    finally:
        doc.close()
