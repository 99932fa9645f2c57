"""Words drawn as paths (a dot-matrix line, letters made of strokes, a barcode) under a box are
not written again beneath its fill: the export is rendered by poppler with the boxes' fills
taken out of its content stream (pikepdf), and nothing shows inside any box, while the
words beside each box and the table border a box crosses render as in the original. verify
draws what lies under each box without the fill and refuses a page where a path still does."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pymupdf
import pytest
from fixtures.vector_text import make_vector_text_pdf

from export.conftest import apply
from reviewer.export.pdf import export_pdf
from reviewer.session.redactions import add_page_boxes


@pytest.fixture
def label(tmp_path):
    path = tmp_path / "label.pdf"
    info = make_vector_text_pdf(path)
    boxes = [info["dots"].words["RODRIGUEZ"] + (-0.8, -0.8, 0.8, 0.8),
             info["crosses"].words["RODRIGUEZ"] + (-0.8, -0.8, 0.8, 0.8),
             pymupdf.Rect(100, 225, 140, 275),  # the middle of the barcode
             pymupdf.Rect(550, 150, 570, 170)]  # across the table's right border
    return path, info, boxes


def _without_fills(path: Path, boxes: list[pymupdf.Rect], out: Path) -> int:
    """``path`` with every filled rectangle the size of a box made invisible (painted with
    ``n``); how many were taken out."""
    taken = 0
    with pikepdf.open(str(path)) as pdf:
        for page in pdf.pages:
            ops = pikepdf.parse_content_stream(page)
            new = []
            size = None
            for operands, op in ops:
                name = str(op)
                if name == "re":
                    w, h = float(operands[2]), float(operands[3])
                    size = any(abs(abs(w) - b.width) < 0.6 and abs(abs(h) - b.height) < 0.6 for b in boxes)
                elif name in ("f", "F", "f*", "B", "B*", "b", "b*") and size:
                    new.append(([], pikepdf.Operator("n")))
                    taken += 1
                    size = None
                    continue
                elif name not in ("h", "RG", "rg", "G", "g", "k", "K", "m", "l", "c"):
                    size = None
                new.append((operands, op))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new))
        pdf.save(str(out))
    return taken


def _render(path: Path, dpi: int = 144) -> np.ndarray:
    """Grey levels of page 1 as poppler draws it (MuPDF when poppler is not installed)."""
    if shutil.which("pdftoppm"):
        prefix = path.with_suffix("")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(path), str(prefix)],
                       check=True, capture_output=True)
        made = sorted(path.parent.glob(prefix.name + "*.pgm"))[-1]
        data = made.read_bytes()
        head = data.split(b"\n", 3)
        w, h = map(int, head[1].split())
        img = np.frombuffer(head[3], np.uint8)[: w * h].reshape(h, w)
        made.unlink()
        return img
    with pymupdf.open(str(path)) as doc:
        pix = doc[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)


def _region(img: np.ndarray, r: pymupdf.Rect, dpi: int = 144) -> np.ndarray:
    z = dpi / 72
    return img[int(np.ceil(r.y0 * z)):int(r.y1 * z), int(np.ceil(r.x0 * z)):int(r.x1 * z)]


def _export(path, boxes, make_case, tmp_path):
    store, (media,) = make_case(path)
    apply(store, add_page_boxes(media["id"], [(1, tuple(b)) for b in boxes], reason="b6"))
    out = tmp_path / "out.pdf"
    return export_pdf(store, media, out), out


def test_paths_under_a_box_are_gone_and_their_neighbours_stay(label, make_case, tmp_path):
    path, info, boxes = label
    result, out = _export(path, boxes, make_case, tmp_path)
    lines = {c.name: c for c in result.checks}
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert "nothing under any box" in lines["vector art under boxes"].detail

    bare = tmp_path / "bare.pdf"
    assert _without_fills(out, boxes, bare) == len(boxes)
    img = _render(bare)
    for b in boxes:  # nothing of what was drawn there, the fill taken away
        inner = _region(img, b + (1, 1, -1, -1))
        assert inner.size and int(inner.min()) >= 250, f"ink under {b}: {int(inner.min())}"
    # the method sees what it should: the original under the same boxes is full of ink
    orig = _render(path)
    assert all(int(_region(orig, b + (1, 1, -1, -1)).min()) < 100 for b in boxes[:3])
    # everything else renders as before: the words beside each box, the rest of the barcode,
    # the border the last box crosses (compared a point clear of every box)
    mask = np.ones_like(orig, dtype=bool)
    for b in boxes:
        g = b + (-2, -2, 2, 2)
        mask[int(g.y0 * 2):int(np.ceil(g.y1 * 2)), int(g.x0 * 2):int(np.ceil(g.x1 * 2))] = False
    diff = np.abs(orig.astype(int) - img.astype(int))[mask]
    # (paths MuPDF writes again round their points to 1/10000 pt: anti-aliased edges move a little)
    assert int((diff > 100).sum()) == 0 and float(diff.mean()) < 0.05, (int((diff > 100).sum()), float(diff.mean()))
    for line in ("dots", "crosses"):
        for word in ("CHECKED", "SHELF", "4471", "12"):
            if word in info[line].words:
                r = info[line].words[word]
                assert int(_region(img, r).min()) < 100, f"{word} of the {line} line lost"
    border = info["border"]
    assert int(_region(img, pymupdf.Rect(border.x1 - 1, 180, border.x1 + 1, 200)).min()) < 100


def test_verify_finds_a_path_left_under_a_box(label, make_case, tmp_path):
    """The export as it was made before: a dot-matrix line drawn again whole beneath the box."""
    from reviewer.export.expect import read_sidecar, sidecar_path
    from reviewer.export.pdf_art_check import art_under_boxes

    path, info, boxes = label
    _result, out = _export(path, boxes, make_case, tmp_path)
    expect = read_sidecar(sidecar_path(out))
    with pymupdf.open(str(out)) as doc:
        assert art_under_boxes(doc, expect).ok
        page = doc[0]
        shape = page.new_shape()
        for x in np.arange(boxes[0].x0 + 2, boxes[0].x1 - 2, 1.6):
            shape.draw_rect(pymupdf.Rect(x, 110, x + 1.2, 111.2))
        shape.finish(fill=(0, 0, 0), color=None)
        shape.commit(overlay=False)  # beneath the fill: the page still looks redacted
        check = art_under_boxes(doc, expect)
    assert not check.ok and "box 1" in check.detail and "without the fill" in check.detail
