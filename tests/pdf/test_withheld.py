from __future__ import annotations

import pytest

from reviewer.pdf import ocr
from reviewer.pdf.exemptions import codes_in, label_only
from reviewer.pdf.withheld import detect_document
from reviewer.pdf.withheld_geometry import iou


@pytest.fixture(scope="module")
def detected(withheld_pdf):
    path, _truth = withheld_pdf
    return detect_document(str(path))


def test_finds_every_withheld_region_with_page_bates_and_codes(withheld_pdf, detected):
    _path, truth = withheld_pdf
    regions = detected["regions"]
    for t in truth:
        hits = [r for r in regions if r["page"] == t.page_no and iou(tuple(r["rect"]), t.rect) >= 0.9]
        assert len(hits) == 1, f"missed {t}"
        assert hits[0]["bates"] == t.bates
        assert hits[0]["codes"] == t.codes, (t, hits[0])


def test_finds_nothing_else(withheld_pdf, detected):
    """Rules, table borders and cells, the grey table header, the logo panel and the circle
    are not withholdings."""
    _path, truth = withheld_pdf
    extra = [r for r in detected["regions"]
             if not any(r["page"] == t.page_no and iou(tuple(r["rect"]), t.rect) >= 0.9 for t in truth)]
    assert extra == []
    assert len(detected["regions"]) == len(truth)


def test_scan_labels_come_from_ocr(detected):
    scan = [r for r in detected["regions"] if r["page"] == 3]
    assert scan and all(r["how"] == "pixels" and r["labels_from"] == "ocr" for r in scan)
    assert detected["ocr"] == "tesseract"


def test_ordinary_production_has_no_withholdings(production):
    assert detect_document(str(production.path))["regions"] == []


def test_without_tesseract_says_so(withheld_pdf, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    path, _truth = withheld_pdf
    res = detect_document(str(path))
    assert res["ocr"] == "unavailable"
    assert any("tesseract is not installed" in n for n in res["notes"])
    scan = [r for r in res["regions"] if r["page"] == 3]
    truth3 = [t for t in _truth if t.page_no == 3]
    # filled boxes are still found, without codes; a bare frame cannot be judged without
    # reading it, so frames are left out rather than guessed
    assert all(r["codes"] == [] and r["kind"] != "bordered" for r in scan)
    assert all(any(iou(tuple(r["rect"]), t.rect) >= 0.9 for t in truth3) for r in scan)
    assert len(scan) == len(truth3) - 1


@pytest.mark.parametrize("text, codes", [
    ("(b)(6)", ["b6"]), ("(b)(7)(C)", ["b7C"]), ("b6", ["b6"]), ("(b)(6);(b)(7)(C)", ["b6", "b7C"]),
    ("Ex. 6", ["b6"]), ("B7(c)", ["b7C"]), ("(b) (7) (c)", ["b7C"]), ("Exemption 7(E)", ["b7E"]),
    ("cell 11", []), ("job6 web6", []), ("(b)(3): 8 U.S.C. § 1367", ["b3"]), ("(k)(2)", ["PA-k2"]),
    ("(b)(6), (k)(2)", ["b6", "PA-k2"]), ("see 552a(k)(2)", []),
])
def test_exemption_codes(text, codes):
    assert codes_in(text) == codes


def test_label_only():
    assert label_only("Withheld pursuant to (b)(6)")
    assert label_only("(b)(3): 8 U.S.C. § 1367")
    assert not label_only("Name (b)(6) Smith")
    assert not label_only("Name")


def test_boxes_drawn_as_paths_margin_labels_and_shapes(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    shape = page.new_shape()
    shape.draw_polyline([(100, 100), (300, 100), (300, 120), (100, 120), (100, 100)])  # a box as lines
    shape.finish(fill=(0, 0, 0), closePath=True)
    shape.draw_polyline([(100, 200), (300, 200), (200, 260), (100, 200)])  # a triangle
    shape.finish(fill=(0, 0, 0), closePath=True)
    shape.draw_rect(pymupdf.Rect(100, 300, 300, 320))
    shape.finish(fill=(0.1, 0.2, 0.7))  # a coloured panel
    shape.commit()
    page.insert_text((520, 114), "(b)(7)(E)", fontsize=9)  # far out in the margin, same line
    shape = page.new_shape()
    shape.draw_rect(pymupdf.Rect(72, 700, 540, 730))  # a dark banner with white words on it
    shape.finish(fill=(0, 0, 0))
    shape.draw_rect(pymupdf.Rect(72, 650, 82, 660))  # a ticked checkbox
    shape.finish(fill=(0, 0, 0))
    shape.commit()
    page.insert_text((90, 720), "OFFICIAL USE ONLY - LAW ENFORCEMENT SENSITIVE", fontsize=12, color=(1, 1, 1))
    path = tmp_path / "paths.pdf"
    doc.save(str(path))
    regions = detect_document(str(path))["regions"]
    assert [(r["rect"], r["codes"]) for r in regions] == [([100.0, 100.0, 300.0, 120.0], ["b7E"])]


def test_scan_shadows_and_photo_bars_are_not_withholdings(tmp_path):
    import pymupdf

    src = pymupdf.open()
    sp = src.new_page(width=612, height=792)
    for rect in ((0, 0, 612, 40), (0, 752, 612, 792), (0, 0, 14, 792)):  # letterbox bars, a shadow
        sp.draw_rect(pymupdf.Rect(rect), fill=(0, 0, 0), color=None)
    sp.insert_text((72, 200), "A photograph of the hallway.", fontsize=12)
    png = sp.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY).tobytes("png")
    src.close()
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=png)
    path = tmp_path / "photo.pdf"
    doc.save(str(path))
    assert detect_document(str(path))["regions"] == []


def test_labels_in_the_ocr_layer_of_a_scan_count_without_tesseract(tmp_path, monkeypatch):
    import pymupdf

    src = pymupdf.open()
    sp = src.new_page(width=612, height=792)
    sp.draw_rect(pymupdf.Rect(100, 100, 300, 124), fill=(0, 0, 0), color=None)
    sp.insert_text((170, 117), "(b)(6)", fontsize=12, color=(1, 1, 1))
    png = sp.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY).tobytes("png")
    src.close()
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=png)
    page.insert_text((170, 117), "(b)(6)", fontsize=12, render_mode=3)  # what an OCR tool wrote
    path = tmp_path / "ocr_label.pdf"
    doc.save(str(path))
    monkeypatch.setattr(ocr, "available", lambda: False)
    (region,) = detect_document(str(path))["regions"]
    assert region["codes"] == ["b6"] and region["labels_from"] == "text"
    assert iou(tuple(region["rect"]), (100, 100, 300, 124)) >= 0.9
