"""Finding personal data (or any regex) in PDF pages, with rectangles to redact.

Regexes run on the page's text as a reader rebuilds it (reviewer.pdf.lines: glyphs ordered
by where they stand, letter-spacing undone), case-insensitively unless asked, across line
breaks, hyphenation at line ends and ligatures; glyphs without /ToUnicode are read through
their font or OCR (reviewer.pdf.glyphs). Each match maps back to one rectangle per line
round the glyphs' own outlines. Invisible OCR
text (render mode 3) over scans is text like any other here: a box drawn over its rectangle
also covers the image pixels beneath, which is what a reviewer means to hide.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from reviewer.errors import ReviewerError
from reviewer.pdf.arabic import ARABIC_ALEFS, arabic_mark, fold_pattern
from reviewer.pdf.chars import INK_PAD_PT, Char, page_chars
from reviewer.pdf.document import Rect4, open_pdf, to_display, union
from reviewer.pdf.glyphs import GlyphReader
from reviewer.pdf.lines import reading_lines
from reviewer.pdf.reader import SCAN_COVERAGE, image_coverage, is_invisible

# Separators inside a number as word processors write them. The page text reaches the patterns
# with every dash folded to "-" and every blank to " " (:func:`reading`), so "-" here also
# means an en dash, U+2011 or a minus sign; a dot is a separator too ("A202.456.789").
_SEP = r"(?:[-.]\s?|\s)?"  # "-", "- ", "-\n", ".", one space or a line break
_A_DIGITS = rf"\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}|\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{3}}"
_DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}"
         r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s\d{1,2},?\s\d{4}"
         r"|\d{1,2}\s(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s\d{4})")
# Before an A-number: not a letter, digit or hyphen ("BA123456789", "2023-A123..." are other
# numbers), except a hyphen after a letter: OCR joins "Ricardo-A193-451-937".
_A_BEFORE = r"(?:(?<![\w-])|(?<=[^\W\d_]-))"
# A form's label and its value can stand a few words apart ("Date of Birth (mm/dd/yyyy):
# 03/04/1985", "DOB of subject: ..."): up to four words without digits between them.
_GAP_WORDS = r"(?:[^\s\d]+[\s:.#-]+){0,4}?"

# A named group ``value`` marks the part to redact when the pattern also needs context words.
PATTERNS: dict[str, re.Pattern[str]] = {
    "ssn": re.compile(
        r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])|(?<![\w-])\d{3} \d{2} \d{4}(?![\w-])"
        r"|(?<![\w.-])\d{3}\.\d{2}\.\d{4}(?![\w-]|\.\d)"
        r"|(?i:\b(?:SSN|SS\#|social\ssecurity(?:\s(?:number|no\.?))?)[\s:#]*)(?P<value>\d{9})(?!\d)"),
    # "A 123-456-789", "A-12 345 678", "A#987654321" (DHS forms write A#), and the number after
    # a label: "A-Number: 234567890", "Alien Registration No. ...", "A-File # ...".
    "a-number": re.compile(
        rf"{_A_BEFORE}A(?:\s?\#\s?|{_SEP})(?:{_A_DIGITS})(?![\d])"
        r"|(?i:\b(?:A-?(?:number|no\.?|file(?:\s(?:number|no\.?))?)"
        r"|alien\s(?:registration\s)?(?:number|no\.?))[\s:#.]*)"
        rf"(?P<value>{_A_DIGITS})(?![\d])"),
    "phone": re.compile(
        r"(?<![\w+])(?:\+?1[-.\s]?)?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?![\w])"),
    "email": re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "dob": re.compile(
        r"(?i:\b(?:DOB|D\.O\.B\.?|date\sof\sbirth|birth\s?date|born(?:\son)?)[\s:.#-]{0,4}"
        rf"{_GAP_WORDS})"
        rf"(?P<value>{_DATE})"),
}
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP


@dataclass(frozen=True)
class Match:
    """One hit: 1-based page, the matched text, and one rectangle per line it spans (one per
    glyph on a slanted line), in PDF points, origin top-left, as the page is displayed."""

    page_no: int
    text: str
    rects: tuple[Rect4, ...]
    hidden: bool = False  # found on invisible text (an OCR layer), boxed where the layer says


@dataclass(frozen=True)
class PageText:
    """A page's text with, for each character, its line, its box (None for joins we added),
    whether it is invisible (OCR text over a scan) and its glyph (None for joins)."""

    text: str
    boxes: tuple[Rect4 | None, ...]
    lines: tuple[int, ...]
    hidden: tuple[bool, ...] = ()
    chars: tuple[Char | None, ...] = ()
    unread: int = 0  # glyphs nothing could read (no /ToUnicode, no cmap, no OCR)
    narrow: frozenset[int] = frozenset()  # spaces we added for a gap a letter wide or less


# Invisible OCR text only approximates the ink beneath it: tesseract's PDF layer stretches
# "word " (with its space) over the word's box, so the letters' boxes fall one character
# short, and sets its lines ~20% high (a descender hangs ~25% below), leaving descenders out. Hidden matches take in their
# trailing space and a margin (clipped before the next word), so a box over them covers
# every pixel of the word.
HIDDEN_PAD_X_PT = 1.0
HIDDEN_PAD_Y_FRACTION = 0.3


def page_text(page: pymupdf.Page, glyphs: GlyphReader | None = None) -> PageText:
    """The page's text in reading order, rebuilt from its glyphs the way a reader does."""
    # text over (or under) a scan is OCR text whatever its render mode ("sandwich" PDFs
    # draw visible text beneath the image): its boxes approximate the ink too
    share, scan_rect = image_coverage(page)
    scan = scan_rect if share >= SCAN_COVERAGE else None
    chars = page_chars(page, scan=scan, glyphs=glyphs or GlyphReader(page.parent))
    out_c: list[str] = []
    out_ch: list[Char | None] = []
    lines: list[int] = []
    narrow: set[int] = set()
    for n, line in enumerate(reading_lines(chars), start=1):
        prev: Char | None = None
        for ch, space in line:
            if space:
                if space == 1:
                    narrow.add(len(out_c))
                out_c.append(" ")
                out_ch.append(None)
                lines.append(n)
            out_c.append(ch.c)
            out_ch.append(ch)
            lines.append(n)
            prev = ch
        if prev is not None:
            out_c.append("\n")
            out_ch.append(None)
            lines.append(n)
    boxes = tuple(ch.box if ch is not None else None for ch in out_ch)
    hidden = tuple(bool(ch and ch.hidden) for ch in out_ch)
    unread = sum(1 for ch in chars if ch.read == "?")
    return PageText("".join(out_c), boxes, tuple(lines), hidden, tuple(out_ch), unread,
                    frozenset(narrow))


def _pad_hidden(r: Rect4, right_limit: float | None) -> Rect4:
    dy = max(1.0, HIDDEN_PAD_Y_FRACTION * (r[3] - r[1]))
    x1 = r[2] + HIDDEN_PAD_X_PT
    if right_limit is not None:
        x1 = max(r[2], min(x1, right_limit))
    return (r[0] - HIDDEN_PAD_X_PT, r[1] - dy, x1, r[3] + dy)


def compile_pattern(pattern: str | re.Pattern[str], case_sensitive: bool = False) -> re.Pattern[str]:
    """A named pattern (``ssn``, ``a-number``, ``phone``, ``email``, ``dob``) or a regex.
    Case is ignored unless ``case_sensitive``, as a reader's search does ("RODRIGUEZ" in a
    heading is the same name as "Rodriguez")."""
    if isinstance(pattern, str) and pattern in PATTERNS:
        pattern = PATTERNS[pattern]
    if isinstance(pattern, re.Pattern):
        if fold_pattern(pattern.pattern) != pattern.pattern:
            pattern = re.compile(fold_pattern(pattern.pattern), pattern.flags)
        if case_sensitive or pattern.flags & re.IGNORECASE:
            return pattern
        return re.compile(pattern.pattern, pattern.flags | re.IGNORECASE)
    try:
        return re.compile(fold_pattern(pattern), 0 if case_sensitive else re.IGNORECASE)
    except re.error as exc:
        raise ReviewerError(f"pattern {pattern!r}: not a valid regular expression ({exc})") from None


def _span(m: re.Match[str]) -> tuple[int, int]:
    if "value" in m.re.groupindex and m.group("value") is not None:
        return m.span("value")
    return m.span()


_HYPHENS = "-\u2010\u2011\u00ad"
# Every dash a word processor or a font's ToUnicode writes for a hyphen (Word's AutoFormat
# turns "A203-456-789" into an en dash; U+2011 keeps a number on one line), read as "-".
DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043")
def fold_char(c: str) -> str:
    """One character as a reader's search sees it: "" for an invisible joiner, " " for any
    blank, "-" for any dash, "" for an Arabic vowel mark or tatweel, alef for its hamza and
    wasla forms, else its compatibility form (ligatures unfolded, full-width digits and Arabic
    presentation forms made plain: NFKC)."""
    if c in DASHES:
        return "-"
    if c.isspace():
        return " "
    if is_invisible(c):  # zero-width joiners and the like (reviewer.pdf.reader)
        return ""
    plain = unicodedata.normalize("NFKC", c) or c
    if ("\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufeff") and any("\u0600" <= u <= "\u08ff" for u in plain):
        # an isolated mark's presentation form is a space and the mark: nothing, not a blank
        plain = "".join(ARABIC_ALEFS.get(u, u) for u in plain if not arabic_mark(u))
        return plain.strip() if plain.strip() or not c.isspace() else plain
    return plain


def reading(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character (:func:`fold_char`), runs of blanks as one
    space, with each character's index in ``text`` (so a hit maps back to its glyphs)."""
    return _variants(text)[0]


def _variants(text: str, narrow: frozenset[int] = frozenset()) -> list[tuple[str, list[int]]]:
    """The page text as a reader's search sees it, each with a map back to ``text``: each
    character folded (:func:`fold_char`: dashes, blanks, invisible joiners, ligatures), blanks
    and line breaks as one space; once more with words hyphenated at a line end joined; and
    once more without the narrow gaps we read as spaces (letters placed one by one:
    pdftotext prints "Ro d r i g u e z")."""
    out = []
    for join in (False, True, None):
        chars: list[str] = []
        where: list[int] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if join and c in _HYPHENS and i > 0 and text[i - 1].isalnum():
                j = i + 1
                while j < n and text[j] in " \t":
                    j += 1
                if j < n and text[j] == "\n":
                    while j < n and text[j].isspace():
                        j += 1
                    i = j
                    continue
            if join is None and i in narrow:
                i += 1
                continue
            f = fold_char(c)
            if f == " ":
                if not chars or chars[-1] != " ":
                    chars.append(" ")
                    where.append(i)
            else:
                for u in f:
                    chars.append(u)
                    where.append(i)
            i += 1
        out.append(("".join(chars), where))
    return out


def _spans(regex: re.Pattern[str], text: str, narrow: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Matches over every variant, as spans of ``text``; overlapping ones joined."""
    found: list[tuple[int, int]] = []
    for vtext, where in _variants(text, narrow) if narrow else _variants(text)[:2]:
        for m in regex.finditer(vtext):
            a, b = _span(m)
            if a < b:
                end = where[b - 1] + 1
                while end < len(text) and arabic_mark(text[end]):
                    end += 1  # the last letter's own vowel marks go with it
                found.append((where[a], end))
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _slanted(ch: Char) -> bool:
    dx, dy = abs(ch.dir[0]), abs(ch.dir[1])
    return min(dx, dy) > 0.02


def _pad(r: Rect4, d: float = INK_PAD_PT) -> Rect4:
    return (r[0] - d, r[1] - d, r[2] + d, r[3] + d)


def matches_on_page(page: pymupdf.Page, regex: re.Pattern[str], pt: PageText | None = None) -> list[Match]:
    pt = pt or page_text(page)
    out: list[Match] = []
    for a, b in _spans(regex, pt.text, pt.narrow):
        per_line: dict[object, list[Rect4]] = {}
        hidden_lines: set[object] = set()
        limit_x: dict[object, float] = {}
        for i in range(a, b):
            ch = pt.chars[i] if pt.chars else None
            box = pt.boxes[i]
            if box is None or not pt.text[i].strip():
                continue
            if ch is not None and not ch.hidden:
                # the glyph's own outline, not its font box: with tight line spacing the font
                # boxes of the lines above and below overlap the hit; on a
                # slanted line one box a glyph, not one upright box round the whole line
                key: object = (pt.lines[i], i) if _slanted(ch) else pt.lines[i]
                per_line.setdefault(key, []).append(_pad(ch.ink))
                continue
            key = pt.lines[i]
            per_line.setdefault(key, []).append(box)
            hidden_lines.add(key)
            # the word's own trailing space is part of its OCR box
            nxt = i + 1
            if (nxt < len(pt.text) and (nxt >= b or not pt.text[nxt].strip()) and pt.text[nxt] == " "
                    and pt.boxes[nxt] is not None and pt.hidden[nxt] and pt.lines[nxt] == pt.lines[i]):
                per_line[key].append(pt.boxes[nxt])  # type: ignore[arg-type]
                after = pt.boxes[nxt + 1] if nxt + 1 < len(pt.boxes) else None
                if after is not None and pt.lines[nxt + 1] == pt.lines[i]:
                    limit_x[key] = after[0] - 0.5
        if not per_line:
            continue
        rects = tuple(to_display(page, _pad_hidden(union(v), limit_x.get(k)) if k in hidden_lines else union(v))
                      for k, v in per_line.items())
        out.append(Match(page.number + 1, pt.text[a:b], rects, hidden=bool(hidden_lines)))
    return out


# A scan whose only text is a stamp (a Bates number) has no text layer to search either.
STAMP_LETTERS = 20


def no_text_layer(page: pymupdf.Page, pt: PageText | str) -> bool:
    """An image with no text (or only a stamp's worth over a scan): a name in its pixels
    is not in any text a search reads, so "0 matches" must not be taken for "none there".
    ``pt``: the page's text as the search reads it, or any plain reading of it."""
    letters = sum(1 for c in (pt if isinstance(pt, str) else pt.text) if c.isalnum())
    share = image_coverage(page)[0]
    return share > 0 and (letters == 0 or (share >= SCAN_COVERAGE and letters < STAMP_LETTERS))


def page_list(pages: Sequence[int]) -> str:
    """Page numbers as a warning names them: the first ten, then how many more."""
    more = f" and {len(pages) - 10} more" if len(pages) > 10 else ""
    return ", ".join(str(n) for n in pages[:10]) + more


def no_text_note(name: str, pages: Sequence[int], ocr: bool = False) -> str:
    """What the CLI warns and the window says about pages :func:`no_text_layer` found
    (``ocr``: they were read by OCR, which can miss a word, rather than not searched)."""
    shown = page_list(pages)
    if ocr:
        return (f"{name}: page(s) {shown} have no text layer; they were searched by OCR, which can "
                "miss words (check them by eye or box them by hand)")
    return (f"{name}: page(s) {shown} have no text layer; text on them was not searched "
            "(OCR them first or box them by hand)")


def misaligned_note(name: str, pages: Sequence[int], ocr: bool) -> str:
    """What to say about the pages whose OCR layer does not lie over the picture's ink."""
    shown = page_list(pages)
    what = ("those hits were read again by OCR and boxed where the picture shows them" if ocr
            else "OCR is not installed to read them again: check those pages by eye")
    return (f"{name}: page(s) {shown}: the text layer does not lie over the picture (a hit fell on "
            f"blank paper); {what}")


OcrReader = Callable[[pymupdf.Page], "list | None"]


def find_in_document(doc: pymupdf.Document, pattern: str | re.Pattern[str],
                     pages: Iterable[int] | None = None, *, case_sensitive: bool = False,
                     unread: list[int] | None = None, read_line: Callable[[Any], str] | None = None,
                     no_text: list[int] | None = None, ocr: bool = False,
                     ocr_reader: OcrReader | None = None,
                     on_page: Callable[[int, int], None] | None = None,
                     misaligned: list[int] | None = None) -> list[Match]:
    """``unread``, when given, collects the pages holding glyphs nothing could read;
    ``no_text`` the pages that are pictures with no text layer (:func:`no_text_layer`),
    which ``ocr`` reads with tesseract when it is installed (reviewer.pdf.ocr_search), through
    ``ocr_reader`` when given (one that keeps what it read: reviewer.session.page_ocr);
    ``read_line`` reads glyphs that have no text mapping (see reviewer.pdf.glyphs);
    ``on_page(i, n)`` is called before the i-th of n pages is searched (progress, cancel);
    ``misaligned`` collects the pages whose text layer put a hit where the picture has no ink
    (reviewer.pdf.layer_check): with ``ocr`` those pages' hits are taken from OCR instead."""
    from reviewer.pdf.sweep import sweep

    return [m for _k, m in sweep(doc, [pattern], pages, case_sensitive=case_sensitive, unread=unread,
                                 read_line=read_line, no_text=no_text, ocr=ocr, ocr_reader=ocr_reader,
                                 on_page=on_page, misaligned=misaligned)]


def find_matches(path: str | Path, pattern: str | re.Pattern[str],
                 pages: Iterable[int] | None = None, *, case_sensitive: bool = False,
                 unread: list[int] | None = None, read_line: Callable[[Any], str] | None = None,
                 no_text: list[int] | None = None, ocr: bool = False,
                 ocr_reader: OcrReader | None = None,
                 on_page: Callable[[int, int], None] | None = None,
                 misaligned: list[int] | None = None) -> list[Match]:
    """Every match of ``pattern`` in the PDF at ``path`` (pages 1-based; None = all)."""
    doc = open_pdf(path, check_tail=False)
    try:
        return find_in_document(doc, pattern, pages, case_sensitive=case_sensitive, unread=unread,
                                read_line=read_line, no_text=no_text, ocr=ocr,
                                ocr_reader=ocr_reader, on_page=on_page, misaligned=misaligned)
    finally:
        doc.close()
