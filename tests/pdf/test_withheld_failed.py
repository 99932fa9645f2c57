"""An agency box that covers text it did not remove (the bad redaction Free Law Project's
x-ray exists to find) is named in the scan's notes, with how many letters or digits are
under it and never the text itself, which goes into a bundle's withheld log. x-ray, an
independent reader, is the judge of which boxes those are."""
from __future__ import annotations

import re

import pymupdf
from fixtures.readers import xray

from reviewer.pdf.withheld import FAILED_NOTE, detect_document


def _failed(notes: list[str]) -> list[tuple[int, int, tuple[float, ...]]]:
    out = []
    for n in notes:
        m = re.match(rf"page (\d+): (\d+) letter\(s\) or digit\(s\) {FAILED_NOTE} at ([\d.]+),([\d.]+),([\d.]+),([\d.]+)", n)
        if m:
            out.append((int(m.group(1)), int(m.group(2)), tuple(float(v) for v in m.groups()[2:])))
    return out


def test_the_boxes_xray_finds_and_no_others(withheld_pdf):
    path, _truth = withheld_pdf
    found = _failed(detect_document(str(path))["notes"])
    bad = xray(path)
    assert bad, "the fixture has a bad redaction x-ray sees"
    # every box x-ray reports is named on its page, with the letters and digits x-ray reads
    for page, items in bad.items():
        for item in items:
            x0, y0, x1, y1 = item["bbox"]
            mine = [f for f in found if f[0] == page and f[2][0] - 3 <= x0 and x1 <= f[2][2] + 3
                    and f[2][1] - 3 <= y0 and y1 <= f[2][3] + 3]
            assert mine, (page, item, found)
            assert mine[0][1] == sum(ch.isalnum() for ch in item["text"])
    # and no box x-ray does not report
    assert len(found) == sum(len(v) for v in bad.values())
    # the note never holds the text
    assert not any("XYZ" in n or "1234" in n for n in detect_document(str(path))["notes"])


def test_a_label_inside_the_box_is_not_text_left_behind(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Name:", fontsize=11)
    page.draw_rect(pymupdf.Rect(110, 88, 260, 104), color=None, fill=(0, 0, 0))
    page.insert_text((150, 100), "(b)(6)", fontsize=9, color=(1, 1, 1))
    page.insert_text((72, 140), "Plate:", fontsize=11)
    page.insert_text((116, 140), "ABC 987", fontsize=11)
    page.draw_rect(pymupdf.Rect(110, 128, 200, 144), color=None, fill=(0, 0, 0))
    path = tmp_path / "two.pdf"
    doc.save(path)
    found = _failed(detect_document(str(path))["notes"])
    assert [(p, n) for p, n, _r in found] == [(1, 6)]


def test_a_labelled_box_over_text_is_named_where_xray_passes_over_it(tmp_path):
    """The usual real-world case: the agency's box carries its exemption label. x-ray reports
    the same box without the label and nothing once the label is on it; the scan names both."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((100, 100), "(213) 555-0199", fontsize=9)
    page.draw_rect(pymupdf.Rect(70, 90, 180, 103), color=(0, 0, 0), fill=(0, 0, 0))
    bare = tmp_path / "bare.pdf"
    doc.save(bare)
    page.insert_text((73, 100), "(b)(6)", fontsize=8, color=(1, 1, 1))
    labelled = tmp_path / "labelled.pdf"
    doc.save(labelled)
    assert [i["text"] for i in xray(bare)[1]] == ["(213) 555-0199"]
    assert xray(labelled) == {}
    for path in (bare, labelled):
        assert [(p, n) for p, n, _r in _failed(detect_document(str(path))["notes"])] == [(1, 10)], path
