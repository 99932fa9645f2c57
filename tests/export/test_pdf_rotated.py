"""A hit on a page with /Rotate and a CropBox away from the MediaBox origin (as scanners and
imposition tools write them), exported with and without --rasterize and read back by poppler:
the black box sits on the word (pdftoppm, CropBox as displayed), the word is gone from
pdftotext, its neighbours stay, and a light panel the box touches is still drawn around it."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from export.conftest import apply
from reviewer.export.pdf import export_pdf
from reviewer.pdf.search import find_matches
from reviewer.session.redactions import add_page_boxes

CROP = [50, 100, 562, 742]
PANEL = (80, 380, 300, 540)  # a light grey panel under all three words, in user space
pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")


def _rotated(out: Path, rotate: int) -> Path:
    import pikepdf

    x0, y0, x1, y1 = PANEL
    content = (f"q 0.92 g {x0} {y0} {x1 - x0} {y1 - y0} re f Q ".encode() +
               b"BT /F1 14 Tf 100 500 Td (Alphaword) Tj ET "
               b"BT /F1 14 Tf 100 450 Td (Secretword) Tj ET "
               b"BT /F1 14 Tf 100 400 Td (Gammaword) Tj ET")
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], CropBox=CROP, Rotate=rotate,
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)), Contents=pdf.make_stream(content))))
    pdf.save(out)
    return out


def _displayed(x: float, y: float, rotate: int) -> tuple[float, float]:
    """A user-space point on the page as poppler shows it (CropBox, rotation applied)."""
    cx0, cy0, cx1, cy1 = CROP
    w, h = cx1 - cx0, cy1 - cy0
    u, v = x - cx0, cy1 - y
    return {0: (u, v), 90: (h - v, u), 180: (w - u, h - v), 270: (v, w - u)}[rotate]


def _render(path: Path, tmp: Path) -> np.ndarray:
    subprocess.run(["pdftoppm", "-cropbox", "-r", "72", "-gray", "-singlefile", str(path), str(tmp / "p")],
                   check=True)
    return np.asarray(Image.open(tmp / "p.pgm"))


@pytest.mark.parametrize("rasterize", [False, True], ids=["vector", "rasterize"])
@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_hit_on_rotated_cropped_page_is_covered_where_it_is(rotate, rasterize, make_case, tmp_path):
    src = _rotated(tmp_path / "rot.pdf", rotate)
    hits = find_matches(src, "Secretword")
    assert len(hits) == 1
    store, (media,) = make_case(src)
    apply(store, add_page_boxes(media["id"], [(h.page_no, r) for h in hits for r in h.rects], reason="b6"))
    out = tmp_path / "out.pdf"
    export_pdf(store, media, out, rasterize=rasterize)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Secretword" not in text
    assert rasterize or ("Alphaword" in text and "Gammaword" in text)
    img = _render(out, tmp_path)
    for y in (500, 400):  # the neighbours' ink is still drawn (x 100..175, 1..10 pt above the baseline)
        corners = [_displayed(x, yy, rotate) for x in (100, 175) for yy in (y + 1, y + 10)]
        us, vs = [int(c[0]) for c in corners], [int(c[1]) for c in corners]
        assert img[min(vs):max(vs), min(us):max(us)].min() < 100
    # the middle of the word (user space ~ x 135, baseline 450 + 5): black
    u, v = _displayed(135, 455, rotate)
    assert img[int(v) - 1:int(v) + 2, int(u) - 1:int(u) + 2].max() < 40
    # the panel beside the word and between the lines: still light grey, not black, not gone
    for x, y in ((250, 455), (135, 480)):
        u, v = _displayed(x, y, rotate)
        assert 225 <= int(img[int(v), int(u)]) <= 245, (x, y, img[int(v), int(u)])


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_exhibit_stamp_frame_is_round_its_label_on_a_rotated_cropped_page(rotate, tmp_path):
    import re

    import pymupdf

    from reviewer.export.stamp import stamp_pages

    doc = stamp_pages(pymupdf.open(str(_rotated(tmp_path / "rot.pdf", rotate))), "Ex. 3")
    out = tmp_path / "stamped.pdf"
    doc.save(str(out))
    doc.close()
    # where poppler puts the label on the page as displayed (CropBox, rotation applied)
    html = subprocess.run(["pdftotext", "-cropbox", "-bbox", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Ex\.<', html)
    assert m, html
    x0, y0, _x1, y1 = (float(v) for v in m.groups())
    img = _render(out, tmp_path)
    row = img[int((y0 + y1) / 2)]
    # the frame's left edge a few points left of the label, the same row
    assert row[max(0, int(x0) - 12):int(x0) - 1].min() < 128
    col = img[:, int(x0) + 2]
    assert col[max(0, int(y0) - 10):int(y0)].min() < 128  # and its top edge just above
