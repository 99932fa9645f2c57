"""`redact text` matches the way a reader finds text (docs/CLI.md), `--case-sensitive` opts
out, `export --grow-boxes` grows hand-drawn boxes to whole glyphs; the export's report says
what it did beyond the boxes."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from fixtures.hard_pdfs import make_hard_pdfs, make_no_cmap_pdf

from cli.clirun import ok, run


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    return {h.case: h for h in make_hard_pdfs(tmp_path_factory.mktemp("hard-cli"))}


def _case(tmp_path, path):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, path)
    return case


def test_case_is_ignored_unless_asked(hard, tmp_path):
    h = hard["capitals"]
    case = _case(tmp_path, h.path)
    assert ok("redact", "text", case, "--pattern", "Rodriguez", "--case-sensitive").lines == ["1"]
    assert ok("redact", "text", case, "--pattern", "Rodriguez").lines == ["2"]  # + RODRIGUEZ


def test_hyphenated_name_found_and_exported_clean(hard, tmp_path):
    h = hard["hyphenated"]
    case = _case(tmp_path, h.path)
    assert ok("redact", "text", case, "--pattern", "rodriguez").lines == ["1"]
    out = tmp_path / "out.pdf"
    r = ok("export", case, h.path.name, "--out", out)
    assert any(line.startswith("ok   redacted text: none of 1 redacted strings") for line in r.lines), r.out
    if shutil.which("pdftotext"):
        import subprocess

        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Rodri" not in text and "guez" not in text and "Informant Maria" in text
    assert ok("verify", out).code == 0
    assert ok("verify", out, "--case", case).code == 0


def test_hidden_text_is_reported_in_the_export(hard, tmp_path):
    h = hard["outside_cropbox"]
    case = _case(tmp_path, h.path)
    r = ok("export", case, h.path.name, "--out", tmp_path / "out.pdf")
    line = next(x for x in r.lines if "hidden content" in x)
    assert "page 1" in line and "outside the visible page" in line


def test_grow_boxes_covers_whole_letters(hard, tmp_path):
    h = hard["letter_spaced"]
    case = _case(tmp_path, h.path)
    # a hand-drawn box that cuts through the first letters of the name
    ok("redact", "page", case, h.path.name, "--page", "1", "--rect", "132,97,160,100")
    r = ok("export", case, h.path.name, "--out", tmp_path / "a.pdf", "--grow-boxes")
    assert r.lines[0] == "grew 1 box(es) to the glyphs they touch"
    (rect,) = [json.loads(v) for (v,) in sqlite3.connect(case / "case.db").execute(
        "SELECT rect FROM redactions WHERE kind = 'page'")]
    assert rect[0] < 132 and rect[1] < 96 and rect[3] > 101  # whole glyphs, top to bottom


def test_glyphs_without_any_text_mapping_are_read_by_ocr(tmp_path):
    """A subset font with no /ToUnicode and no cmap: only OCR reads it (PP-OCR when its model
    is installed, else tesseract)."""
    from reviewer.cli.redact_cmds import line_reader
    from reviewer.pdf import ocr

    if line_reader() is None and not ocr.available():
        pytest.skip("neither PP-OCR nor tesseract is installed")
    path = make_no_cmap_pdf(tmp_path / "nocmap.pdf")
    case = _case(tmp_path, path)
    r = run("redact", "text", case, "--pattern", "Rodriguez")
    assert r.code == 0 and r.lines == ["1"], r.err
