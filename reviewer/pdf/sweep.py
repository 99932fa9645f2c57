"""One pass over a document for every pattern at once: each page's text is rebuilt once
(reviewer.pdf.search.page_text: the rawdict reads, glyph fixes and reading order are most of
a search's time), a picture page is read by OCR once, a text layer's alignment is checked
once, and every pattern (the built-in kinds, the case's own, the case's people) runs over it.
Five patterns searched one after another rebuilt every page five times."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pymupdf

from reviewer.errors import ReviewerError
from reviewer.pdf.document import open_pdf
from reviewer.pdf.glyphs import GlyphReader
from reviewer.pdf.search import (
    Match,
    OcrReader,
    compile_pattern,
    matches_on_page,
    no_text_layer,
    page_text,
    reading,
)


def sweep(doc: pymupdf.Document, patterns: Sequence[str | re.Pattern[str]],
          pages: Iterable[int] | None = None, *, case_sensitive: bool = False,
          unread: list[int] | None = None, read_line: Callable[[Any], str] | None = None,
          no_text: list[int] | None = None, ocr: bool = False, ocr_reader: OcrReader | None = None,
          on_page: Callable[[int, int], None] | None = None,
          misaligned: list[int] | None = None, picture_reader: OcrReader | None = None,
          pictures: list[int] | None = None) -> list[tuple[int, Match]]:
    """(index of the pattern in ``patterns``, hit) for every hit of every pattern, page by
    page; the keywords are those of reviewer.pdf.search.find_in_document. With ``ocr``, the
    pictures of text on pages with a text layer (reviewer.pdf.pictures) are read too, through
    ``picture_reader`` when given (one that keeps what it read); ``pictures`` collects the
    pages where such pictures were found."""
    regexes = [compile_pattern(p, case_sensitive) for p in patterns]
    numbers: Sequence[int] = list(pages) if pages is not None else range(1, doc.page_count + 1)
    glyphs = GlyphReader(doc, read_line=read_line)
    out: list[tuple[int, Match]] = []
    for i, n in enumerate(numbers):
        if on_page is not None:
            on_page(i, len(numbers))
        if not 1 <= n <= doc.page_count:
            raise ReviewerError(f"page {n}: the document has {doc.page_count} pages")
        page = doc[n - 1]
        pt = page_text(page, glyphs)
        if pt.unread and unread is not None:
            unread.append(n)
        words: list | None = None

        def read() -> list:
            nonlocal words
            if words is None:
                from reviewer.pdf.ocr_search import read_page

                words = (ocr_reader(page) if ocr_reader is not None else read_page(page)) or []
            return words

        if (no_text is not None or ocr) and no_text_layer(page, pt):
            if no_text is not None:
                no_text.append(n)
            if ocr:
                from reviewer.pdf.ocr_search import ocr_matches

                out.extend((k, m) for k, rx in enumerate(regexes) for m in ocr_matches(page, rx, read()))
        elif ocr or pictures is not None:
            from reviewer.pdf import pictures as pics

            if pics.text_pictures(page):
                if pictures is not None:
                    pictures.append(n)
                if ocr:
                    from reviewer.pdf.ocr_search import ocr_matches

                    seen = (picture_reader or pics.read_pictures)(page) or []
                    out.extend((k, m) for k, rx in enumerate(regexes) for m in ocr_matches(page, rx, seen))
        found = [(k, m) for k, rx in enumerate(regexes) for m in matches_on_page(page, rx, pt)]
        if any(m.hidden for _k, m in found):
            from reviewer.pdf.layer_check import off_ink

            astray = {id(m) for m in off_ink(page, [m for _k, m in found])}
            if astray:
                if misaligned is not None:
                    misaligned.append(n)
                if ocr:
                    from reviewer.pdf.ocr_search import ocr_matches

                    kept = []
                    for k, rx in enumerate(regexes):
                        mine = [m for kk, m in found if kk == k]
                        stray = [m for m in mine if id(m) in astray]
                        again = ocr_matches(page, rx, read()) if stray else []
                        # boxes where the picture shows the words; the layer's stray boxes
                        # stay only when OCR found fewer (a box too many beats a name left)
                        kept += [(k, m) for m in mine if id(m) not in astray or len(again) < len(stray)]
                        kept += [(k, m) for m in again]
                    found = kept
        out.extend(found)
    return out


def sweep_file(path: str | Path, patterns: Sequence[str | re.Pattern[str]], **kw: Any) -> list[tuple[int, Match]]:
    """:func:`sweep` over the PDF at ``path``."""
    doc = open_pdf(path, check_tail=False)
    try:
        return sweep(doc, patterns, **kw)
    finally:
        doc.close()


def page_readings(path: str | Path, on_page: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, str]]:
    """(page number, the page's text as a search reads it: folded, blanks as one space) for
    every page of the PDF at ``path`` (the names finder reads these)."""
    doc = open_pdf(path, check_tail=False)
    try:
        glyphs = GlyphReader(doc)
        for i in range(doc.page_count):
            if on_page is not None:
                on_page(i, doc.page_count)
            text = page_text(doc[i], glyphs).text
            # line breaks kept: a name does not run from one line of a form into the next
            yield i + 1, "\n".join(reading(line)[0] for line in text.split("\n"))
    finally:
        doc.close()
