"""A refusal says where the string was found (the page, the box) and what the user can do
about it, by where it was found: on the page (box it, or draw the pages as pictures), in a
font's character map, or in the file's data outside the page text."""
from __future__ import annotations

import pymupdf

from reviewer.export.expect import PdfExpect
from reviewer.export.pdf import Report, report_checks, scrub
from reviewer.export.pdf_text_check import redacted_text_check
from reviewer.pdf.chars import page_chars


def _expect(*strings: str) -> PdfExpect:
    return PdfExpect("doc.pdf", "0" * 64, pages=(1,), boxes=(), redacted=strings, text_strings=len(strings))


def _check(path, *strings):
    doc = pymupdf.open(str(path))
    try:
        return redacted_text_check(path, doc, _expect(*strings))
    finally:
        doc.close()


def test_found_on_a_page_names_it_and_says_what_to_do(tmp_path):
    doc = pymupdf.open()
    doc.new_page()
    doc.new_page().insert_text((72, 100), "Witness Alvarez, again", fontsize=11)
    doc.save(tmp_path / "a.pdf")
    c = _check(tmp_path / "a.pdf", "alvarez")
    assert not c.ok
    assert "on page(s) 2" in c.detail and "a name or other text of 7 characters" in c.detail
    assert "redact it there too" in c.detail and "--rasterize" in c.detail
    assert "alvarez" not in c.detail.casefold()  # never the string itself


def test_found_in_a_fonts_character_map(tmp_path):
    from pathlib import Path

    form = Path(__file__).resolve().parents[1] / "fixtures" / "thirdparty" / "libreoffice-form.pdf"
    doc = pymupdf.open(str(form))
    page = doc[0]
    for r in page.search_for("Name"):  # the page's text goes; its font's map still spells it
        page.add_redact_annot(r)
    page.apply_redactions()
    for w in list(page.widgets() or []):  # the fields' own names go, as the export takes them
        page.delete_widget(w)
    scrub(doc)
    doc.save(tmp_path / "form.pdf", garbage=4)
    c = _check(tmp_path / "form.pdf", "name")
    assert not c.ok
    assert c.detail.startswith("found again by font character maps")
    assert "a font used on page(s) 1" in c.detail and "--rasterize" in c.detail


def test_found_outside_the_page_text(tmp_path):
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), "Nothing here", fontsize=11)
    orphan = doc.get_new_xref()
    doc.update_object(orphan, "<< /Private (Ricardo Alvarez) >>")
    doc.save(tmp_path / "b.pdf")
    c = _check(tmp_path / "b.pdf", "alvarez")
    assert not c.ok and c.detail.startswith("found again by raw streams")
    assert "outside the page text" in c.detail and "--rasterize" in c.detail


def test_glyphs_left_name_page_box_and_remedy(tmp_path):
    from reviewer.annotate.geometry import PageBox
    from reviewer.export.pdf_spelled import left_line

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Alvarez", fontsize=11)
    chars = [c for c in page_chars(page) if c.c.strip()]
    box = PageBox(1, 0, 1, 70.0, 88.0, 120.0, 104.0, "b6")
    expect = PdfExpect("doc.pdf", "0" * 64, pages=(1,), boxes=(box,))
    report = Report(left=[left_line(1, chars[:2], [box], [(70, 88, 120, 104)], expect)])
    (line,) = [c for c in report_checks(report) if c.name == "glyphs removed"]
    assert not line.ok
    assert line.detail.startswith("page 1: 2 glyph(s) under box 1 (70.0,88.0,120.0,104.0)")
    assert "--rasterize" in line.detail
