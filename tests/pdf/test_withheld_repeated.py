"""Issue 14 part 7: a block at the same place on most pages (a seal or a logo square in the
letterhead) is not a withholding; a real box on one of those pages still is."""
from __future__ import annotations

import pymupdf

from reviewer.pdf.withheld import detect_document


def _box(page, rect):
    shape = page.new_shape()
    shape.draw_rect(pymupdf.Rect(rect))
    shape.finish(fill=(0, 0, 0), width=0)
    shape.commit()


def _letterhead_production(path, pages=5):
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=612, height=792)
        _box(page, (500, 24, 548, 72))  # the agency's logo square, on every page
        page.insert_text((72, 50), "U.S. Department of Homeland Security", fontsize=11)
        page.insert_text((72, 120), f"Page {i + 1} of the record.", fontsize=11)
        if i == 2:
            page.insert_text((72, 160), "Witness:", fontsize=11)
            _box(page, (130, 148, 300, 164))
            page.insert_text((306, 160), "(b)(6)", fontsize=9)
        page.insert_text((480, 770), f"ICE-2023-{300 + i:06d}", fontsize=10)
    doc.save(str(path))
    doc.close()


def test_logo_on_every_page_is_not_listed_but_the_real_box_is(tmp_path):
    path = tmp_path / "letterhead.pdf"
    _letterhead_production(path)
    found = detect_document(str(path), use_ocr=False)
    rects = [(r["page"], tuple(round(v) for v in r["rect"]), r["codes"]) for r in found["regions"]]
    assert rects == [(3, (130, 148, 300, 164), ["b6"])]
    assert any("seal or logo" in n and "5 of 5 pages" in n for n in found["notes"])


def test_a_box_on_two_of_six_pages_stays_listed(tmp_path):
    doc = pymupdf.open()
    for i in range(6):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 120), f"Page {i + 1}", fontsize=11)
        if i in (1, 4):
            page.insert_text((72, 200), "Name:", fontsize=11)
            _box(page, (120, 188, 260, 204))  # the same unlabelled box on two pages only
    path = tmp_path / "two.pdf"
    doc.save(str(path))
    doc.close()
    found = detect_document(str(path), use_ocr=False)
    assert sorted(r["page"] for r in found["regions"]) == [2, 5]
