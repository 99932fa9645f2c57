"""No more than the hit: the export takes out only text that shows nothing on the rendered
page. Text a reader sees stays, however the page draws it: before a soft mask whose own
drawing is a page-size black rectangle, at 95% and 92% grey, in a TrueType font whose glyph
boxes MuPDF reports zero-width. What truly shows nothing still goes (white on white, under an
opaque picture, render mode 3 on a page that is no scan), and the report counts, page by page,
the glyphs removed that were under no box, saying what was checked. Read back by pdftotext,
pdfplumber, pdfminer and pypdf."""
from __future__ import annotations

import re
import shutil

import pytest
from fixtures.seen_pdfs import HIDDEN, HIDDEN_LINES, SEEN, make_seen_pdf

from export.conftest import apply
from export.test_pdf_hard import _norm, readings
from reviewer.export.pdf import export_pdf
from reviewer.pdf.search import find_matches
from reviewer.session.redactions import add_page_boxes


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_only_text_that_shows_nothing_is_taken_out_and_the_report_counts_it(make_case, tmp_path):
    src = make_seen_pdf(tmp_path / "seen.pdf")
    was = readings(src)
    for words in SEEN + list(HIDDEN.values()):  # the fixture is honest: readers read all of it
        assert _norm(words) in _norm(was["pdftotext"]), words
    store, (media,) = make_case(src)
    # one box, over a visible word: its glyph goes as a redaction, not as out of sight
    hit = find_matches(src, "Memorandum")
    apply(store, add_page_boxes(media["id"], [(m.page_no, r) for m in hit for r in m.rects], reason="b6"))
    out = tmp_path / "out" / "seen.pdf"
    out.parent.mkdir()
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    now = readings(out)
    for reader in ("pdftotext", "pdfplumber", "pdfminer", "pypdf"):
        for words in SEEN:
            assert _norm(words) in _norm(now[reader]), (reader, words)
        assert "memorandum" not in _norm(now[reader]), reader
        for reader_all in ("pdftotext", "pdfplumber chars", "pdfminer", "pypdf", "raw bytes"):
            for name in HIDDEN.values():
                assert _norm(name) not in _norm(now[reader_all]), (reader_all, name)
    # the report: page 4 only, with the count of glyphs taken out under no box and what was
    # checked; nothing on the pages whose text is all seen, and no page made a picture
    detail = {c.name: c.detail for c in result.checks}["hidden content"]
    assert "rasterised" not in detail
    pages = re.findall(r"page (\d+): (\d+) glyph\(s\) not under any box removed", detail)
    hidden_glyphs = sum(len(line.replace(" ", "")) for line in HIDDEN_LINES)
    assert pages == [("4", str(hidden_glyphs))], detail
    assert "rendered at 96 dpi with and without its text" in detail


def test_what_the_drawing_list_says_is_checked_on_the_rendered_page(tmp_path):
    """Each of the three cases alone: nothing unseen on pages 1-3, page 4's names on page 4."""
    import pymupdf

    from reviewer.pdf.hidden import hidden_content
    from reviewer.pdf.unseen import unseen_glyphs

    with pymupdf.open(str(make_seen_pdf(tmp_path / "seen.pdf"))) as doc:
        for n in range(3):
            assert hidden_content(doc[n]) == [] and unseen_glyphs(doc[n]) == [], n
        gone = "".join(g[0] for g in unseen_glyphs(doc[3]))
        assert gone == "".join(HIDDEN_LINES).replace(" ", ""), gone
