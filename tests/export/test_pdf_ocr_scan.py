"""A copier's scan with no text layer: the name in its pixels is found by OCR, boxed, and
after export neither the page as poppler renders it nor the embedded picture (pdfimages)
reads the name with tesseract, while the line below it still reads."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from export.conftest import apply
from fixtures.scans import copier_scan
from reviewer.export.pdf import export_pdf
from reviewer.pdf.search import find_matches
from reviewer.session.redactions import add_page_boxes

pytestmark = pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdfimages")),
                                reason="needs tesseract and poppler-utils")


def _scan(path: Path) -> Path:
    return copier_scan(path)


def _tesseract(image: Path) -> str:
    return subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True, check=True).stdout


def test_name_in_a_picture_only_page_is_found_by_ocr_and_gone_after_export(make_case, tmp_path):
    src = _scan(tmp_path / "copier.pdf")
    no_text: list[int] = []
    hits = find_matches(src, "rodriguez", no_text=no_text, ocr=True)
    assert no_text == [1]
    assert [h.text for h in hits] == ["Rodriguez"] and len(hits[0].rects) == 1
    assert find_matches(src, "rodriguez") == []  # without OCR there is nothing to search
    store, (media,) = make_case(src)
    apply(store, add_page_boxes(media["id"], [(h.page_no, r) for h in hits for r in h.rects], reason="b6"))
    out = tmp_path / "out.pdf"
    export_pdf(store, media, out)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-singlefile", str(out), str(tmp_path / "page")], check=True)
    subprocess.run(["pdfimages", "-png", str(out), str(tmp_path / "img")], check=True)
    pictures = sorted(tmp_path.glob("img-*.png"))
    assert pictures
    for image in [tmp_path / "page.pgm", *pictures]:
        read = _tesseract(image)
        assert "Rodriguez" not in read and "odrig" not in read, image.name
        assert "neighbour line stays" in read and "Statement of Maria" in read, image.name
