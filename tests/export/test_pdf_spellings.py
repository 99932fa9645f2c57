"""Identifiers and names spelled the ways word processors, fonts and OCR layers write them
(dashes of every kind, dots, no-break and thin spaces, zero-width characters inside names, an
OCR line joining a name to its A-number, a label several words from its value) are found by
the built-in patterns, boxed glyph for glyph, and gone from the export for pdftotext and
pdfplumber, while every word around them stays."""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from fixtures.spellings import KEEP, NAME_PATTERN, NAMES, SECRETS, make_spellings_pdf

from export.conftest import apply
from reviewer.export.pdf import export_pdf
from reviewer.pdf.ocr import OcrWord
from reviewer.pdf.search import compile_pattern, find_matches
from reviewer.session.redactions import add_page_boxes

KINDS = ("a-number", "ssn", "phone", "dob")


@pytest.fixture(scope="module")
def memo(tmp_path_factory):
    return make_spellings_pdf(tmp_path_factory.mktemp("spellings") / "memo.pdf")


def _plain(text: str) -> str:
    """A reading reduced to letters and digits, the way someone scanning it for a number does."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).casefold())


def _readers(path) -> dict[str, str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        plumber = "\n".join(p.extract_text() or "" for p in pdf.pages)
    poppler = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                             text=True, check=True).stdout
    return {"pdfplumber": plumber, "pdftotext": poppler}


@pytest.mark.parametrize("kind", KINDS)
def test_every_spelling_is_found_and_nothing_else(memo, kind):
    got = sorted(m.text for m in find_matches(memo, kind))
    assert got == sorted(written for k, written, _ in SECRETS if k == kind)


def test_names_with_invisible_characters_inside_are_found(memo):
    assert [m.text for m in find_matches(memo, NAME_PATTERN)] == NAMES


def test_readers_see_the_plain_identifiers_in_the_original(memo):
    for name, text in _readers(memo).items():
        plain = _plain(text)
        for _kind, _written, value in SECRETS:
            assert _plain(value) in plain, (name, value)


def test_export_leaves_no_spelling_and_keeps_the_words_around(memo, make_case, tmp_path):
    store, (media,) = make_case(memo)
    boxes = [(m.page_no, r) for k in (*KINDS, NAME_PATTERN) for m in find_matches(memo, k) for r in m.rects]
    apply(store, add_page_boxes(media["id"], boxes, reason="b6"))
    out = tmp_path / "out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    for reader, text in _readers(out).items():
        plain = _plain(text)
        left = [v for _k, _w, v in SECRETS if _plain(v)[-6:] in plain]
        left += [n for n in NAMES if _plain(n) in plain]
        assert not left, (reader, left)
        # nothing else was boxed: every neighbour is read as before, "Ricardo" before the
        # joined A-number included
        lost = [w for w in KEEP if w not in text]
        assert not lost, (reader, lost)


@pytest.mark.parametrize("dash", ["\ufe63", "\uff0d", "\u2013", "\u2011", "\u2212"])
def test_ocr_words_are_folded_the_same_way(tmp_path, dash):
    """An OCR reading (tesseract writes what the glyph looks like) with small and full-width
    hyphen-minus, en dash, and a zero-width space inside a name."""
    import pymupdf

    from reviewer.pdf.ocr_search import ocr_matches

    doc = pymupdf.open()
    page = doc.new_page()
    words = [OcrWord("File", 100, 100, 160, 130, (1, 1, 1), 90.0),
             OcrWord(f"A203{dash}456{dash}789", 170, 100, 400, 130, (1, 1, 1), 90.0),
             OcrWord("Ricardo" + dash + f"A193{dash}451{dash}937", 100, 140, 500, 170, (1, 1, 2), 90.0),
             OcrWord("Ma\u200bria", 100, 180, 200, 210, (1, 1, 3), 90.0)]
    hits = ocr_matches(page, compile_pattern("a-number"), words)
    assert [h.text.replace(dash, "-") for h in hits] == ["A203-456-789", "A193-451-937"]
    assert [h.text for h in ocr_matches(page, compile_pattern(NAME_PATTERN), words)] == ["Ma\u200bria"]


def test_redact_text_marks_several_patterns_in_one_pass(memo, tmp_path):
    """`redact text --pattern A --pattern B ...` marks what separate runs mark, once."""
    from cli.clirun import ok

    one, each = tmp_path / "one", tmp_path / "each"
    for case in (one, each):
        ok("new", case)
        ok("import", case, memo, "-q")
    args = sum((["--pattern", k] for k in (*KINDS, NAME_PATTERN)), [])
    assert int(ok("redact", "text", one, *args).out) == len(SECRETS) + len(NAMES)
    assert sum(int(ok("redact", "text", each, "--pattern", k).out) for k in (*KINDS, NAME_PATTERN)) \
        == len(SECRETS) + len(NAMES)
    assert int(ok("redact", "text", one, *args).out) == len(SECRETS) + len(NAMES)  # marks nothing twice
    import sqlite3

    counts = [sqlite3.connect(c / "case.db").execute("SELECT count(*) FROM redactions").fetchone()[0]
              for c in (one, each)]
    assert counts[0] == counts[1] > 0
