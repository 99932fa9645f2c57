"""`redact page --rect` in displayed points on pages with /Rotate and a CropBox away from
the origin, exported and read back by pdftotext: the word under the box gone, the words 50 pt
above and below kept."""
from __future__ import annotations

import pytest

from acceptance import material as m
from acceptance.conftest import import_ids, ok

CROP = [50, 100, 562, 742]
# the plain cases once each, every rotation with the offset CropBox (kept short: ~4 s each)
CASES = [(0, CROP), (90, None), (270, None), (90, CROP), (180, CROP), (270, CROP)]


@pytest.mark.parametrize("rotate,crop", [
    pytest.param(r, c, id=f"rot{r}-{'crop' if c else 'full'}") for r, c in CASES])
def test_box_on_rotated_cropped_page(rotate, crop, work):
    name = f"rot{rotate}_{'crop' if crop else 'full'}"
    src, rect = m.rotated_page_pdf(work / f"{name}.pdf", rotate, crop)
    case = work / f"case_{name}"
    ok("new", case)
    (pdf,) = import_ids(case, src)
    ok("redact", "page", case, pdf, "--page", 1, "--rect", rect, "--reason", "b6")
    out = work / f"{name}_redacted.pdf"
    ok("export", case, pdf, "--out", out)
    text = m.norm(m.all_pdf_text(out))
    assert "secretword" not in text
    assert "alphaword" in m.norm(m.pdftotext(out)) and "gammaword" in m.norm(m.pdftotext(out))
