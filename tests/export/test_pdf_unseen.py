"""Text that is there but shows nothing: white on white, black words on a black box drawn
before them, words under a picture pasted over them, text at 95% grey. A reviewer cannot
see it to box it, every extractor reads it, and an exhibit would carry it to the other side.
Text at 99% grey shows nothing; at 95% it is faint but read, and stays.
The export takes those glyphs out and nothing a reader sees changes: poppler renders the
export as it renders the original, and what pdftotext, pdfminer and pypdf read is what is
visible. Visible text is kept, a faint watermark too, and a scan's invisible OCR layer and
the text under a picture that fills the page (a scan's own text layer)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from export.test_pdf_hard import _norm, readings
from reviewer.export.pdf import export_pdf
from reviewer.export.pdf_verify import verify_pdf

HIDDEN = {"white": "Rodriguez", "on_black": "Martinez", "under_picture": "Hernandez", "grey99": "Castillo",
          "scan_box": "Valenzuela"}
SHOWN = ["Informant spoke today", "Faint watermark", "Grey stamp seen", "Heading white on navy", "ICE-2023-000201"]


def _unseen_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 90), "Informant spoke today.", fontsize=12)
    page.insert_text((72, 120), f"Informant {HIDDEN['white']} spoke", fontsize=12, color=(1, 1, 1))
    page.draw_rect(pymupdf.Rect(60, 140, 400, 170), color=None, fill=(0, 0, 0))
    page.insert_text((72, 160), f"Informant {HIDDEN['on_black']}", fontsize=12, color=(0, 0, 0))
    page.insert_text((72, 210), f"Witness {HIDDEN['under_picture']}", fontsize=12)
    black = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 32, 32), False)
    black.clear_with(0)
    page.insert_image(pymupdf.Rect(60, 195, 400, 220), pixmap=black)
    page.insert_text((72, 250), f"Officer {HIDDEN['grey99']}", fontsize=12, color=(0.99, 0.99, 0.99))
    page.insert_text((300, 250), "Grey stamp seen", fontsize=12, color=(0.95, 0.95, 0.95))
    page.insert_text((72, 290), "Faint watermark", fontsize=24, color=(0.82, 0.82, 0.82))
    page.draw_rect(pymupdf.Rect(60, 310, 400, 340), color=None, fill=(0.1, 0.1, 0.4))
    page.insert_text((72, 330), "Heading white on navy", fontsize=12, color=(1, 1, 1))
    # page 2: a scan (a picture of the whole page) with its OCR layer, invisible (mode 3)
    # and, as some scanners write it, visible text under the picture
    _scan_page(doc, path.with_name("scan.png"), [("Scanned letter text layer", 100, "under"),
                                                 ("Invisible OCR words", 140, "invisible")])
    doc[-1].insert_text((430, 760), "ICE-2023-000201", fontsize=9)  # a Bates stamp over the scan
    # page 3: a scan read by OCR before the agency drew a box into the picture over the name:
    # the picture shows "Witness", a black box and "signed here"; the layer still has the name
    _scan_page(doc, path.with_name("scan_box.png"),
               [(f"Witness {HIDDEN['scan_box']} signed here", 110, "invisible")], box_word=1)
    doc.save(path)
    return path


def _scan_page(doc: pymupdf.Document, png: Path, lines: list[tuple[str, float, str]],
               box_word: int | None = None) -> None:
    """A 200 dpi scan of ``lines`` (text, baseline in points, how its text layer is written:
    "invisible" over the picture or "under" it), each word of the layer where its ink is, as
    OCR places it; ``box_word``: that word of the first line is blacked out in the picture."""
    from PIL import Image, ImageDraw, ImageFont

    k = 200 / 72
    img = Image.new("L", (int(612 * k), int(792 * k)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=int(12 * k))
    layer = []
    for n, (text, base, how) in enumerate(lines):
        x = 72 * k
        for i, word in enumerate(text.split()):
            top = (base - 10) * k
            draw.text((x, top), word, fill=0, font=font)
            width = draw.textlength(word, font=font)
            if n == 0 and i == box_word:
                draw.rectangle((x - 2, top - 2, x + width + 2, top + 14 * k), fill=0)
            layer.append((x / k, base, word, how))
            x += width + draw.textlength(" ", font=font)
    img.save(png)
    page = doc.new_page(width=612, height=792)
    for x, base, word, how in layer:
        if how == "under":
            page.insert_text((x, base), word, fontsize=12)
    page.insert_image(page.rect, filename=str(png))
    for x, base, word, how in layer:
        if how == "invisible":
            page.insert_text((x, base), word, fontsize=12, render_mode=3)


def _render(path: Path, out: Path) -> list[np.ndarray]:
    subprocess.run(["pdftoppm", "-r", "100", "-gray", str(path), str(out)], check=True)
    from PIL import Image

    return [np.asarray(Image.open(p), dtype=np.int16) for p in sorted(out.parent.glob(out.name + "*.pgm"))]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_unseen_text_is_taken_out_and_nothing_seen_changes(make_case, tmp_path):
    src = _unseen_pdf(tmp_path / "unseen.pdf")
    was = readings(src)
    for name in HIDDEN.values():  # the fixture is honest: readers do read every hidden name
        assert any(_norm(name) in _norm(t) for k, t in was.items() if k in ("pdfminer", "pypdf", "pdftotext"))
    # and the original fails verify's hidden-text check, naming why
    from reviewer.export.expect import PdfExpect

    plain = PdfExpect("unseen.pdf", "0" * 64, (1, 2, 3), ())
    hidden = next(c for c in verify_pdf(src, plain) if c.name == "hidden text")
    assert not hidden.ok and "show nothing" in hidden.detail and hidden.detail.startswith("page 1:")

    store, (media,) = make_case(src)
    out = tmp_path / "out" / "unseen.pdf"
    out.parent.mkdir()
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    lines = {c.name: c.detail for c in result.checks}
    assert "page 1:" in lines["hidden content"] and "not under any box removed" in lines["hidden content"]
    assert "page 3:" in lines["hidden content"] and "no ink under them" in lines["hidden content"]
    assert "rasterised" not in lines["hidden content"]
    now = readings(out)
    for reader in ("pdfminer", "pypdf", "pdfplumber", "pdftotext", "raw bytes", "pikepdf objects"):
        for name in HIDDEN.values():
            assert _norm(name) not in _norm(now[reader]), (reader, name)
    for reader in ("pdfminer", "pdftotext"):
        for words in SHOWN + ["Scanned letter text layer", "Invisible OCR words", "Witness", "signed here"]:
            assert _norm(words) in _norm(now[reader]), (reader, words)
    # what poppler shows is what it showed: the 99% grey line moves pixels by less than the
    # level the export calls unseen (UNSEEN_LEVEL), nothing else moves at all
    from reviewer.pdf.unseen import UNSEEN_LEVEL

    before, after = _render(src, tmp_path / "a"), _render(out, tmp_path / "b")
    assert len(before) == len(after) == 3
    k = 100 / 72
    for n, (a, b) in enumerate(zip(before, after, strict=True)):
        assert a.shape == b.shape
        diff = np.abs(a - b)
        assert int(diff.max()) < UNSEEN_LEVEL
        if n == 0:
            diff[int(236 * k):int(256 * k), int(70 * k):int(220 * k)] = 0  # the 99% grey line
        assert int(diff.max()) <= 2, n


def test_a_page_of_ordinary_text_has_nothing_unseen(tmp_path):
    from reviewer.pdf.hidden import hidden_content
    from reviewer.pdf.unseen import unseen_glyphs

    doc = pymupdf.open()
    page = doc.new_page()
    for i, size in enumerate((4, 7, 9, 11, 14, 24)):
        page.insert_text((72, 80 + 40 * i), f"Text of {size} points, dots. commas, and i's", fontsize=size)
    page.insert_text((72, 400), "Rotated", fontsize=11, rotate=90)
    page.set_rotation(90)
    assert unseen_glyphs(page) == [] and hidden_content(page) == []


def test_the_withheld_scan_names_the_box_drawn_into_the_scan(tmp_path):
    """The box in page 3's picture is found in its pixels, and the layer's words under it make
    it a failed redaction in the scan's notes (the count, never the name)."""
    from reviewer.pdf.withheld import FAILED_NOTE, detect_document

    found = detect_document(str(_unseen_pdf(tmp_path / "unseen.pdf")))
    assert any(r["page"] == 3 and r["how"] == "pixels" for r in found["regions"])
    notes = [n for n in found["notes"] if FAILED_NOTE in n]
    assert [n.split(":")[0] for n in notes] == ["page 1", "page 3"]
    assert not any(name in n for n in notes for name in HIDDEN.values())
