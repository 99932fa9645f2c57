"""The redacted-text check's cheaper readings find what the full readings find.

pdfminer reads a file first without its layout analysis and falls back to the layout reading
only where some order of the page's text runs could spell a string searched for; pypdf parses
each font once for the whole file. Both are checked here against the separate, full reading
(pdfminer's ``extract_text`` with its layout analysis, pypdf page by page as it comes) on the
adversarial material of these tests: names split by a hyphen and a line break, over two
lines, set right to left, second half first, letter-spaced, in capitals, without a
/ToUnicode, in a ligature, in a form XObject, slanted, clipped, outside the page, in a layer;
a /UserUnit page, a scaled form, vertical CJK writing, two columns; real Arabic files and a
LibreOffice form; generated production pages; and a two-column page whose content stream
runs across both columns line by line, where only the layout order joins a hyphenated name.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures import odd_pdfs
from fixtures.hard_pdfs import CASE_NAMES, HELV, _bt, make_hard_pdfs, one_page_pdf

from reviewer.export import pdf_readers
from reviewer.export.pdf_text_check import _found_plain, gapped
from reviewer.pdf.redacted import normalise

THIRDPARTY = Path(__file__).resolve().parents[1] / "fixtures" / "thirdparty"


def pypdf_alone(data: bytes) -> list[str]:
    """pypdf's text of each page as pypdf reads a file on its own."""
    import io

    import pypdf

    return [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def interleaved_columns(path: Path) -> Path:
    """Two columns written across the page line by line (as some report generators and
    table writers do): the left column's "Rodri-" and "guez" are not next to each other in
    the content stream; only a reading that puts the column's lines together joins them."""
    left = ["Informant Maria Rodri-", "guez spoke to the officer", "about the stop near the"]
    right = ["Counsel asked whether", "the year of the record", "was known to them then"]
    content = "".join(_bt(72, 700 - 14 * i, a) + _bt(330, 700 - 14 * i, b)
                      for i, (a, b) in enumerate(zip(left, right)))
    return one_page_pdf(path, content, HELV)


@pytest.fixture(scope="module")
def material(tmp_path_factory) -> list[tuple[Path, list[str]]]:
    """(file, the strings a reviewer would have redacted from it)."""
    from fixtures.production_scale import make_production

    folder = tmp_path_factory.mktemp("readers")
    out = [(h.path, [h.secret]) for h in make_hard_pdfs(folder / "hard")]
    assert len(out) == len(CASE_NAMES)
    for make in (odd_pdfs.user_unit, odd_pdfs.scaled_form, odd_pdfs.vertical, odd_pdfs.columns):
        odd = make(folder / f"{make.__name__}.pdf")
        out.append((odd.path, [odd.secret]))
    out += [(THIRDPARTY / "quran-test.pdf", []), (THIRDPARTY / "exam_with_sexam_ar-DZ.pdf", []),
            (THIRDPARTY / "libreoffice-form.pdf", ["First Name"])]
    truth = make_production(folder / "production.pdf", pages=6, seed=7, scans=0.3)
    out.append((truth.path, sorted({p.text for p in truth.planted})[::4]))
    out.append((interleaved_columns(folder / "interleaved.pdf"), ["Rodriguez"]))
    return out


def _across_lines(layout: str) -> list[str]:
    """Strings the layout reading holds across each of its line breaks (the end of one line
    and the start of the next, as letters and digits), 4 to 12 long: the places a split
    name is found only in the layout's order."""
    out = set()
    lines = [normalise(line) for line in re.split(r"[\n\f]", layout)]
    lines = [line for line in lines if line]
    for a, b in zip(lines, lines[1:]):
        for left in (1, 2, 3, 5, 8):
            for right in (1, 2, 3, 5, 8):
                s = a[-left:] + b[:right]
                if 4 <= len(s) <= 12:
                    out.add(s)
    return sorted(out)


def test_every_string_the_layout_reading_finds_could_be_spelled_from_the_runs(material):
    """The soundness of skipping the layout analysis: whatever the layout reading finds (the
    names, and every string across each of its line breaks), some order of the runs spells,
    so the layout reading is used whenever it could find something."""
    checked = 0
    for path, secrets in material:
        layout = pdf_readers.pdfminer_layout_text(path)
        runs = pdf_readers.file_runs(path)
        wanted = sorted({normalise(s) for s in secrets} | set(_across_lines(layout)))
        found = _found_plain([gapped(layout)], [w for w in wanted if w])
        missing = found - pdf_readers.could_spell(runs, found)
        assert not missing, f"{path.name}: the layout reading finds {sorted(missing)[:5]}, the runs cannot spell them"
        checked += len(found)
    assert checked > 5000  # the material holds many line breaks, not a handful


def test_the_reading_for_the_check_finds_what_the_layout_reading_finds(material):
    """String by string (the redacted names, and decoys no page holds), the check's pdfminer
    reading finds exactly what the layout reading finds, whole words as the check treats them."""
    decoys = ["zyxwvut", "qqqzzz", "987654321"]
    for path, secrets in material:
        layout = gapped(pdf_readers.pdfminer_layout_text(path))
        for wanted in ([w for w in {normalise(s) for s in secrets} if len(w) >= 4] + decoys, decoys):
            text, _layout = pdf_readers.pdfminer_reading(path, wanted)
            for whole in (frozenset(), frozenset(wanted)):
                assert _found_plain([gapped(text)], wanted, whole) == _found_plain([layout], wanted, whole), path.name


def test_a_name_joined_only_by_the_layout_order_is_found(material):
    """The interleaved page: read in the content stream's order the hyphenated name is not
    there; the check's reading sees that an order of the runs could spell it, reads with the
    layout analysis and finds it, as pdfminer's own extract_text does."""
    path = next(p for p, _s in material if p.name == "interleaved.pdf")
    stream_order = normalise(" ".join(pdf_readers.file_runs(path)))
    assert "rodriguez" not in stream_order and "rodri" in stream_order
    assert "rodriguez" in normalise(pdf_readers.pdfminer_layout_text(path))
    text, layout = pdf_readers.pdfminer_reading(path, ["rodriguez"])
    assert layout and _found_plain([gapped(text)], ["rodriguez"], frozenset({"rodriguez"}))
    # and a file where nothing could spell it is read without the analysis
    text, layout = pdf_readers.pdfminer_reading(path, ["zyxwvut"])
    assert not layout and "Counsel" in text


def test_the_check_refuses_an_export_with_the_name_split_across_interleaved_columns(tmp_path):
    """End to end: the redacted-text check on a file whose only trace of the name is the
    layout-joined split finds it (pdfminer among the readers that do)."""
    import pymupdf

    from reviewer.export.expect import PdfExpect
    from reviewer.export.pdf_text_check import redacted_text_check

    path = interleaved_columns(tmp_path / "interleaved.pdf")
    expect = PdfExpect("interleaved.pdf", "", pages=(1,), boxes=(), redacted=("rodriguez",))
    with pymupdf.open(str(path)) as doc:
        check = redacted_text_check(path, doc, expect)
    assert not check.ok and "pdfminer" in check.detail


def test_pypdf_with_each_font_parsed_once_reads_the_same(material):
    for path, _secrets in material:
        data = path.read_bytes()
        assert pdf_readers.pypdf_pages(data) == pypdf_alone(data), path.name


def test_pypdf_parses_a_shared_font_once(material):
    """The production file's pages share one font: parsed once for all of them, where pypdf
    alone parses it on every page."""
    from unittest import mock

    from pypdf.generic._font import Font

    path = next(p for p, _s in material if p.name == "production.pdf")
    with mock.patch.object(Font, "from_font_resource", wraps=Font.from_font_resource) as parse:
        pypdf_alone(path.read_bytes())
        alone = parse.call_count
        parse.reset_mock()
        pdf_readers.pypdf_pages(path.read_bytes())
        once = parse.call_count
    assert alone >= 6 and once < alone


def test_glyphs_read_only_near_the_boxes_are_the_glyphs_under_them(material):
    """Verify reads a page's glyphs only where its boxes are (page_chars ``near``): under
    every box it finds the same glyphs as the reading of the whole page, on boxes made from
    each name's hits and on boxes a little off them (the ink of neighbours reaching in)."""
    import pymupdf

    from reviewer.pdf.chars import page_chars, under_each
    from reviewer.pdf.search import find_matches

    compared = 0
    for path, secrets in material:
        hits = [m for s in secrets if len(s) > 3 for m in find_matches(path, s)]
        with pymupdf.open(str(path)) as doc:
            for page_no in sorted({m.page_no for m in hits}):
                page = doc[page_no - 1]
                rects = [tuple(r) for m in hits if m.page_no == page_no for r in m.rects]
                rects += [(r[0] + 3, r[1] - 2, r[2] + 3, r[3] - 2) for r in rects]
                from reviewer.pdf.document import from_display

                rects = [tuple(from_display(page, r)) for r in rects]
                assert under_each(page_chars(page, near=rects), rects) == under_each(page_chars(page), rects)
                compared += sum(len(g) for g in under_each(page_chars(page), rects))
    assert compared > 200
