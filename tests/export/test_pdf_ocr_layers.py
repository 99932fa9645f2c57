"""Scans with an OCR layer written the ways OCR tools write it: the export keeps the layer
(the page stays searchable, its Bates number in its text) except under the boxes; a layer
that does not lie over the picture (18 pt low, scaled 0.9) is not trusted where its hit falls
on blank paper: the page is read again by OCR and the box goes over the name the picture
shows."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pymupdf
import pytest

from cli.clirun import ok, run
from export.conftest import apply
from reviewer.export.pdf import export_pdf
from reviewer.pdf.search import find_matches
from reviewer.session.redactions import add_page_boxes

LINES = ["Statement of Maria Rodriguez", "The neighbour line stays here", "Signed at the Harbor office",
         "ICE-2024-000777"]
GAP = 40


def _scan_png() -> bytes:
    d = pymupdf.open()
    p = d.new_page(width=612, height=792)
    for i, line in enumerate(LINES):
        p.insert_text((72, 100 + GAP * i), line, fontsize=14)
    return p.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY).tobytes("png")


def _layered(path, *, mode=3, opacity=1.0, dy=0.0, scale=1.0):
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=_scan_png())
    for i, line in enumerate(LINES):
        y = (100 + GAP * i) * scale + dy
        page.insert_text((72 * scale, y), line, fontsize=14 * scale, render_mode=mode, fill_opacity=opacity)
    doc.save(str(path))
    return path


def _words(path) -> list[str]:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.parametrize("how", [dict(mode=3), dict(mode=0, opacity=0.0), dict(mode=3, opacity=0.0)])
def test_export_keeps_the_ocr_layer_but_the_boxed_name(make_case, tmp_path, how):
    src = _layered(tmp_path / "scan.pdf", **how)
    store, (media,) = make_case(src)
    astray: list[int] = []
    hits = find_matches(src, "rodriguez", misaligned=astray)
    assert len(hits) == 1 and astray == []  # a layer over its ink is trusted
    apply(store, add_page_boxes(media["id"], [(h.page_no, r) for h in hits for r in h.rects], reason="b6"))
    out = tmp_path / "out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    before, after = _words(src), _words(out)
    assert "Rodriguez" not in after
    assert after == [w for w in before if w != "Rodriguez"]  # the Bates number included


def _ink_under(path, rect, dpi=100) -> float:
    with pymupdf.open(str(path)) as doc:
        pix = doc[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    g = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    k = dpi / 72
    x0, y0, x1, y1 = (int(v * k) for v in rect)
    return float((g[y0:y1, x0:x1] < 128).mean())


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")
@pytest.mark.parametrize("how", [dict(dy=18.0), dict(scale=0.9)])
def test_a_misaligned_layer_is_read_again_by_ocr(tmp_path, how):
    src = _layered(tmp_path / "scan.pdf", **how)
    layer_only = find_matches(src, "rodriguez")
    assert len(layer_only) == 1  # boxed where the layer says: under the name, or blank paper
    astray: list[int] = []
    hits = find_matches(src, "rodriguez", ocr=True, misaligned=astray)
    assert astray == [1]
    assert [h.text for h in hits] == ["Rodriguez"] and _ink_under(src, hits[0].rects[0]) > 0.1
    # the name's pixels are all under the box: the word as drawn on the scan, 72..~260 pt
    ref = pymupdf.open()
    rp = ref.new_page(width=612, height=792)
    rp.insert_text((72, 100), LINES[0], fontsize=14)
    (want,) = rp.search_for("Rodriguez")
    x0, y0, x1, y1 = hits[0].rects[0]
    assert x0 <= want.x0 + 1 and x1 >= want.x1 - 1 and y0 <= want.y0 + 3 and y1 >= want.y1 - 3


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")
def test_redact_text_says_which_pages_were_read_again(tmp_path):
    src = _layered(tmp_path / "scan.pdf", dy=18.0)
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, src, "-q")
    r = run("redact", "text", case, "--pattern", "rodriguez")
    assert r.code == 0 and r.out.strip() == "1"
    assert "page(s) 1: the text layer does not lie over the picture" in r.err
