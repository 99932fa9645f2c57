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


def _rotated_page_with_picture(path, rect, lines) -> None:
    """A landscape page stored portrait with /Rotate 90 (as scanners and "rotate page" write
    it): typed lines and a picture of text, both upright as the page is shown; ``rect`` is
    where the picture shows, in the shown page's points."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.set_rotation(90)
    shown_to_stored = page.derotation_matrix
    page.insert_text(pymupdf.Point(72, 72) * shown_to_stored, "DETENTION LOG, transfer record", fontsize=14,
                     rotate=90)
    page.insert_text(pymupdf.Point(72, 100) * shown_to_stored, "Officer notes follow the screenshot below.",
                     fontsize=12, rotate=90)
    r = pymupdf.Rect(rect)
    w, h = int(r.width * 200 / 72), int(r.height * 200 / 72)
    img = Image.new("L", (w, h), 242)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, w - 1, h - 1), outline=120, width=2)
    font = ImageFont.load_default(size=26)
    for i, text in enumerate(lines):
        draw.text((14, 10 + i * 39), text, fill=20, font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    page.insert_image(r * shown_to_stored, stream=buf.getvalue(), rotate=90)
    doc.save(path)
    doc.close()


def test_a_picture_of_text_on_a_rotated_page_is_read_and_boxed_where_it_shows(tmp_path):
    rect = (300, 300, 600, 380)
    lines = ["Screenshot from case system", "Detainee Kwabena Asantewaa", "A-Number A207-318-429"]
    pdf = tmp_path / "rotated.pdf"
    _rotated_page_with_picture(pdf, rect, lines)
    with pymupdf.open(pdf) as doc:
        assert doc[0].rotation == 90 and doc[0].rect.width > doc[0].rect.height
    seen = _picture_text(pdf, 1, rect, tmp_path / "orig.png")
    assert "Asantewaa" in seen and "Screenshot" in seen, seen  # upright as shown: tesseract reads it

    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, pdf)
    ok("people", case, "--add", "Kwabena Asantewaa")
    r = ok("redact", "text", case, "--pattern", "a-number", "--pattern", "people")
    assert int(r.out.strip()) >= 2
    out = tmp_path / "out.pdf"
    r = run("export", case, "1", "--out", out)
    assert r.code == 0, r.err
    seen = _picture_text(out, 1, rect, tmp_path / "export.png")
    assert not [s for s in SECRETS if s in seen], seen
    assert "Screenshot" in seen, seen  # the line above the boxes is still there
    # the boxes lie on the picture's second and third lines as the page shows them: dark
    # there, in the shown page's coordinates, and not over the first line
    with pymupdf.open(out) as doc:
        page = doc[0]
        assert page.rotation == 90
        pix = page.get_pixmap(dpi=72, colorspace=pymupdf.csGRAY, clip=pymupdf.Rect(rect))
        dark = [sum(v < 60 for v in pix.samples[y * pix.stride:y * pix.stride + pix.width]) for y in range(pix.height)]
    middle = [int((10 + i * 39 + 13) * 72 / 200) for i in range(3)]  # each line's middle, in points
    assert dark[middle[1]] > 40 and dark[middle[2]] > 40, dark  # a box across each
    assert dark[middle[0]] < 20, dark
    kept = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "DETENTION LOG" in kept and "Officer notes" in kept
