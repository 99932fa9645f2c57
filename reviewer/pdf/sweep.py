"""Reading every page of a document once for the work that needs its text: the names finder's
proposals (reviewer.names.finder) read the same text a search does."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from reviewer.pdf.document import open_pdf
from reviewer.pdf.glyphs import GlyphReader
from reviewer.pdf.search import page_text, reading


def page_readings(path: str | Path, on_page: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, str]]:
    """(page number, the page's text as a search reads it: folded, blanks as one space) for
    every page of the PDF at ``path``."""
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
