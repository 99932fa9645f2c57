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
    """A page's text with, for each character, its line and box (None for joins we added)."""

    text: str
    boxes: tuple[Rect4 | None, ...]
    lines: tuple[int, ...]


def page_text(page: pymupdf.Page) -> PageText:
    chars: list[str] = []
    boxes: list[Rect4 | None] = []
    lines: list[int] = []
    line_id = 0
    raw = page.get_text("rawdict", flags=TEXT_FLAGS)
    for block in raw["blocks"]:
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            line_id += 1
            last_x1: float | None = None
            for span in line["spans"]:
                size = float(span.get("size") or 10.0)
                for ch in span["chars"]:
                    x0 = ch["bbox"][0]
                    # MuPDF leaves out spaces between spans set apart by position only
                    if last_x1 is not None and x0 - last_x1 > 0.2 * size and chars and chars[-1] != " ":
                        chars.append(" ")
                        boxes.append(None)
                        lines.append(line_id)
                    chars.append(ch["c"])
                    boxes.append(tuple(ch["bbox"]))  # type: ignore[arg-type]
                    lines.append(line_id)
                    last_x1 = ch["bbox"][2]
            chars.append("\n")
            boxes.append(None)
            lines.append(line_id)
    return PageText("".join(chars), tuple(boxes), tuple(lines))


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
        for i in range(a, b):
            box = pt.boxes[i]
            if box is not None and pt.text[i].strip():
                per_line.setdefault(pt.lines[i], []).append(box)
        if not per_line:
            continue
        rects = tuple(to_display(page, union(v)) for _k, v in sorted(per_line.items()))
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
