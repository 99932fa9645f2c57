"""A picture of text on a typed page (a pasted screenshot, a scanned signature block, a photo
of an ID card) is read by OCR: the sweep finds the identifiers and names in it, and the
export's boxes black them out, as tesseract reading the rendered export shows."""
from __future__ import annotations

import shutil
import subprocess

import pymupdf
import pytest
from fixtures.production_scale import make_production
from fixtures.scans import paste_picture

from tests.cli.clirun import ok, run

pytestmark = pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")

# (page, rect in points, lines): what the pictures show; each has a control word that stays
PICTURES = [
    (2, (300, 540, 585, 610), ["Screenshot from case system", "Detainee Kwabena Asantewaa",
                               "A-Number A207-318-429"]),
    (4, (60, 600, 300, 660), ["Signed: Ingrid Vasquez-Holm", "Witness statement"]),
]
SECRETS = ["Asantewaa", "Kwabena", "207", "318", "429", "Ingrid", "Vasquez"]
CONTROLS = ["Screenshot", "Witness"]


def _tesseract(png) -> str:
    return subprocess.run(["tesseract", str(png), "-", "--psm", "3"], capture_output=True,
                          text=True, check=True).stdout


def _picture_text(pdf, page_no, rect, out_png) -> str:
    with pymupdf.open(pdf) as doc:
        pix = doc[page_no - 1].get_pixmap(dpi=200, clip=pymupdf.Rect(rect) + (-6, -6, 6, 6))
        pix.save(out_png)
    return _tesseract(out_png)


def test_pictures_of_text_on_typed_pages_are_read_boxed_and_exported_black(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    make_production(src / "raw.pdf", pages=5, seed=21)
    doc = pymupdf.open(src / "raw.pdf")
    for page_no, rect, lines in PICTURES:
        # the pictures sit on typed pages, between their lines
        page = doc[page_no - 1]
        assert page.get_text().strip()
        # the typed lines make room for the picture, as a word processor's flow does
        page.add_redact_annot(pymupdf.Rect(0, rect[1] - 4, page.rect.width, rect[3] + 4))
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE)
        paste_picture(page, rect, lines)
    doc.save(src / "prod.pdf")
    doc.close()
    pdf = src / "prod.pdf"
    # what a reader that is not ours sees in the original: the secrets, in pixels only
    for page_no, rect, _lines in PICTURES:
        seen = _picture_text(pdf, page_no, rect, tmp_path / f"orig_{page_no}.png")
        assert any(s in seen for s in SECRETS), seen
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert not any(s in text for s in ("Asantewaa", "Vasquez"))

    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, pdf)
    ok("people", case, "--add", "Kwabena Asantewaa", "--add", "Ingrid Vasquez-Holm")
    r = ok("redact", "text", case, "--pattern", "a-number", "--pattern", "people")
    assert int(r.out.strip()) >= 3
    assert "hold pictures that can show text" in r.err and "page(s) 2, 4 " in r.err
    # the readings are kept: search finds the words of the pictures
    hits = ok("search", case, "Asantewaa", "--json").out
    assert '"page": 2' in hits

    out = tmp_path / "out.pdf"
    r = run("export", case, "1", "--out", out)
    assert r.code == 0, r.err
    for page_no, rect, _lines in PICTURES:
        seen = _picture_text(out, page_no, rect, tmp_path / f"export_{page_no}.png")
        assert not [s for s in SECRETS if s in seen], seen
        assert any(c in seen for c in CONTROLS), seen  # the rest of the picture is still there
    # and no more than the hits: the typed pages keep their words
    kept = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "MEMORANDUM" in kept or "DETENTION" in kept or "RECORD" in kept or "From:" in kept
