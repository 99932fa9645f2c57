"""Real files made by other people's tools (tests/fixtures/thirdparty/README.md): Arabic with
every vowel mark (XeLaTeX, Amiri), Arabic in presentation forms (XeLaTeX), a LibreOffice form.
A word is found typed without its marks, and the export, read back by pypdf, pdfminer and
pdftotext, has lost that word and kept the others."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from cli.clirun import ok
from export.conftest import apply
from fixtures.readers import xray
from reviewer.export.pdf import export_pdf
from reviewer.pdf.search import find_matches
from reviewer.session.redactions import add_page_boxes

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "thirdparty"
QURAN = HERE / "quran-test.pdf"
EXAM = HERE / "exam_with_sexam_ar-DZ.pdf"
FORM = HERE / "libreoffice-form.pdf"
ALEFS = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627"})


def plain_arabic(text: str) -> str:
    """A reading as someone searching it without vowel marks sees it: NFKC (presentation
    forms to letters), marks and tatweel dropped, alef forms as alef, no blanks."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf") and c != "\u0640")
    return "".join(text.translate(ALEFS).split())


def readings(path: Path) -> dict[str, str]:
    import pypdf
    from pdfminer.high_level import extract_text

    return {
        "pypdf": "".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages),
        "pdfminer": extract_text(str(path)),
        "pdftotext": subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                    check=True).stdout,
    }


def has(text: str, word: str) -> bool:
    # pdfminer gives some Arabic lines in drawing order (right to left as stored)
    return word in text or word in text[::-1]


def export_redacted(path: Path, pattern: str, make_case, tmp_path):
    store, (media,) = make_case(path)
    hits = find_matches(path, pattern)
    assert hits
    apply(store, add_page_boxes(media["id"], [(m.page_no, r) for m in hits for r in m.rects], reason="b6"))
    out = tmp_path / "out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    return out, hits, result


@pytest.mark.parametrize("typed", ["الرحمن", "ٱلرَّحْمَٰنِ", "الرحـــمن", "ﺍﻟﺮﺣﻤﻦ"])
def test_a_word_with_vowel_marks_is_found_typed_any_way(typed):
    # bare, with every mark (in another order than the file's), stretched by tatweel, and in
    # presentation forms: the file writes the word twice, with its marks
    assert len(find_matches(QURAN, typed)) == 2


def compare(src: Path, out: Path, gone: list[str], keep: list[str]) -> None:
    """Each reader that finds a word of ``gone`` in the original finds none of them in the
    export, and finds every word of ``keep`` it found in the original (poppler cannot put
    this file's words together where marks have no advance: it is judged on what it reads)."""
    before, after = readings(src), readings(out)
    saw = [r for r in before if any(has(plain_arabic(before[r]), w) for w in gone)]
    assert len(saw) >= 2, saw
    for reader in before:
        was, now = plain_arabic(before[reader]), plain_arabic(after[reader])
        assert not any(has(now, w) for w in gone), reader
        expected = [w for w in keep if has(was, w)]
        assert expected, reader
        lost = [w for w in expected if not has(now, w)]
        assert not lost, (reader, lost)


def test_marked_word_is_redacted_and_the_rest_stays(make_case, tmp_path):
    out, hits, _ = export_redacted(QURAN, "الرحمن", make_case, tmp_path)
    compare(QURAN, out, ["الرحمن"], ["الرحيم", "الحمد", "العالمين", "مالك", "يوم", "الدين", "نعبد",
                                     "نستعين", "المستقيم", "الصراط", "Transliteration"])


def test_a_whole_arabic_line_exports(make_case, tmp_path):
    out, hits, _ = export_redacted(QURAN, r"بسم\s*الله\s*الرحمن\s*الرحيم", make_case, tmp_path)
    assert len(hits) == 1
    compare(QURAN, out, ["بسم"], ["الحمد", "العالمين", "المستقيم", "Transliteration"])


def test_presentation_forms_line_exports(make_case, tmp_path):
    out, hits, _ = export_redacted(EXAM, "تسيير\\s*واقتصاد", make_case, tmp_path)
    compare(EXAM, out, ["تسيير", "واقتصاد"], ["الرياضيات", "ساعتان", "الشعبة", "ثالثة"])


def test_libreoffice_form_keeps_its_text(make_case, tmp_path):
    # its subset fonts number their letters in the order the form first sets them, so the
    # label font's /ToUnicode spells "First Name": the font is renumbered, and the page stays
    # text that every reader reads, without the word
    assert any("firstname" in m.casefold().replace(" ", "") for m in _font_maps(FORM))
    out, hits, result = export_redacted(FORM, "Name", make_case, tmp_path)
    assert len(hits) == 2
    hidden = next(c for c in result.checks if c.name == "hidden content")
    assert "rasterised" not in hidden.detail and "renumbered" in hidden.detail
    before, after = readings(FORM), readings(out)
    import pdfplumber

    with pdfplumber.open(str(out)) as pdf:
        after["pdfplumber"] = "".join(p.extract_text() or "" for p in pdf.pages)
    for reader, text in after.items():
        assert "name" not in text.casefold(), reader
    for reader, text in before.items():
        # (field values such as "Alice" are widgets, which every export drops)
        words = [w for w in ("Example", "First", "Last", "Birthday", "Gender", "Female", "Nationality",
                             "privacy") if w in text]
        assert len(words) >= 6, (reader, words)
        assert [w for w in words if w not in after[reader]] == [], reader
    assert "First" in after["pdfplumber"] and "Birthday" in after["pdfplumber"]
    assert xray(out) == {}
    # the fonts' own maps, read as fontTools and a CMap reader see them, spell nothing boxed
    for code_order in _font_maps(out):
        assert "name" not in code_order.casefold() and "eman" not in code_order.casefold()
    page = pymupdf.open(str(out))[0]
    assert page.get_fonts() and "First" in page.get_text()
    title = page.get_pixmap(dpi=72, clip=pymupdf.Rect(167, 70, 282, 101), colorspace=pymupdf.csGRAY)
    assert min(title.samples) < 100  # the form is still drawn


def _font_maps(path: Path) -> list[str]:
    """Each embedded TrueType font's letters in code order (its /ToUnicode, read by pypdf) and
    in glyph order (fontTools: the program's cmap from each code to its glyph, the glyph read
    as the text /ToUnicode gives its code)."""
    import pypdf
    from fontTools.ttLib import TTFont

    out = []
    reader = pypdf.PdfReader(str(path))
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if "/ToUnicode" not in font:
                continue
            data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            pairs = [p for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S)
                     for p in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", block)]
            assert "bfrange" not in data  # LibreOffice writes single codes; a range would be missed
            out.append("".join(bytes.fromhex(u).decode("utf-16-be") for _c, u in sorted(pairs)))
            desc = font.get("/FontDescriptor")
            if desc is not None and "/FontFile2" in desc.get_object():
                tt = TTFont(io.BytesIO(desc.get_object()["/FontFile2"].get_object().get_data()))
                table = tt["cmap"].getcmap(1, 0) or tt["cmap"].getcmap(3, 0)
                by_glyph = {}
                text = dict((int(c, 16), bytes.fromhex(u).decode("utf-16-be")) for c, u in pairs)
                for code, glyph in table.cmap.items():
                    by_glyph[glyph] = text.get(code & 0xFF, "")
                out.append("".join(by_glyph.get(g, "") for g in tt.getGlyphOrder()))
    return out


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext")
def test_cli_redacts_typed_with_marks(tmp_path):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, QURAN)
    assert ok("redact", "text", case, "--pattern", "ٱلرَّحْمَٰنِ").lines == ["2"]
    out = tmp_path / "out.pdf"
    ok("export", case, QURAN.name, "--out", out)
    assert ok("verify", out, "--case", case).code == 0
