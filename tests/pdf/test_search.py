from __future__ import annotations

import numpy as np
import pytest

from reviewer.errors import ReviewerError
from reviewer.pdf.render import page_words, render_page
from reviewer.pdf.search import PATTERNS, find_matches


def _value(m):
    return m.group("value") if "value" in m.re.groupindex and m.group("value") else m.group(0)


@pytest.mark.parametrize("name, text, want", [
    ("a-number", "file A123456789 opened", ["A123456789"]),
    ("a-number", "file A-123-456-789 opened", ["A-123-456-789"]),
    ("a-number", "file A 123 456 789 opened", ["A 123 456 789"]),
    ("a-number", "file A12345678 opened", ["A12345678"]),
    ("a-number", "file A1234567 and BA123456789", []),
    ("ssn", "SSN 123-45-6789; SSN: 987654321", ["123-45-6789", "987654321"]),
    ("ssn", "call 202-555-0147", []),
    ("phone", "(202) 555-0147, 202-555-0147, 202.555.0147, +1 202 555 0147",
     ["(202) 555-0147", "202-555-0147", "202.555.0147", "+1 202 555 0147"]),
    ("phone", "SSN 123-45-6789", []),
    ("email", "write to jane.doe+foia@example.org.", ["jane.doe+foia@example.org"]),
    ("dob", "DOB: 01/02/1980; born 1980-01-02; Date of Birth: March 3, 1980",
     ["01/02/1980", "1980-01-02", "March 3, 1980"]),
    ("dob", "Signed 01/02/2020 at the office", []),
    ("dob", "Date of Birth Place of Birth Sex\n03/04/1985 Oaxaca M", ["03/04/1985"]),
    ("a-number", "Ricardo-A193-451-937; 2023-A123-456-789", ["A193-451-937"]),
    ("a-number", "A202.456.789 and A 12.345.678", ["A202.456.789", "A 12.345.678"]),
    ("ssn", "302.45.6789 but not v1.302.45.6789.2", ["302.45.6789"]),
])
def test_patterns(name, text, want):
    assert [_value(m) for m in PATTERNS[name].finditer(text)] == want


@pytest.mark.parametrize("kind", ["ssn", "a-number", "phone", "email", "dob"])
def test_every_planted_value_is_found(production, kind):
    got = [(m.page_no, m.text) for m in find_matches(production.path, kind)]
    want = [(p.page_no, p.text) for p in production.of(kind)]
    if kind == "a-number":
        want.append((production.split_anumber.page_no, production.split_anumber.text))
    assert sorted(got) == sorted(want)


def test_match_across_a_line_break_gives_one_rect_per_line(production):
    split = production.split_anumber
    hits = [m for m in find_matches(production.path, "a-number", pages=[split.page_no]) if "\n" in m.text]
    assert len(hits) == 1
    (a, b) = hits[0].rects
    assert b[1] > a[3] - 1  # second line below the first
    assert a[0] > b[0]      # the first part ends a line, the second starts one


def _ink(path, page_no, rect, zoom=2.0):
    w, h, stride, data = render_page(path, page_no, zoom)
    img = np.frombuffer(data, np.uint8).reshape(h, stride)[:, : w * 3].reshape(h, w, 3).min(axis=2)
    x0, y0, x1, y1 = (int(round(v * zoom)) for v in rect)
    return img, (img[y0:y1, x0:x1] < 128)


def test_hidden_ocr_text_rects_cover_the_scanned_pixels(production):
    page_no = production.scanned_page
    hits = find_matches(production.path, "email", pages=[page_no])
    assert len(hits) == 1 and hits[0].text == production.of("email", page_no)[0].text
    rect = hits[0].rects[0]
    img, ink = _ink(production.path, page_no, rect)
    assert ink.mean() > 0.05  # the pixels of the word are under the box
    # and the box stays about the word: within a space of it and a line high
    (words,) = [w for w in page_words(production.path, page_no) if w.text == hits[0].text]
    assert rect[0] <= words.x0_pt and rect[2] >= words.x1_pt
    assert rect[2] - words.x1_pt <= 8 and (rect[3] - rect[1]) <= 2 * (words.y1_pt - words.y0_pt)


def test_rects_follow_page_rotation(production):
    page_no = production.rotated_page
    hits = find_matches(production.path, "phone", pages=[page_no])
    assert len(hits) == 1
    x0, y0, x1, y1 = hits[0].rects[0]
    assert 0 <= x0 < x1 <= 792 and 0 <= y0 < y1 <= 612
    assert (y1 - y0) > (x1 - x0)  # text runs down the displayed page
    _img, ink = _ink(production.path, page_no, hits[0].rects[0])
    assert ink.mean() > 0.08


def test_user_regex_and_errors(production):
    hits = find_matches(production.path, r"Field Office \w+", pages=[1])
    assert [m.text for m in hits] == ["Field Office Director"]
    with pytest.raises(ReviewerError):
        find_matches(production.path, r"(unclosed")
    with pytest.raises(ReviewerError):
        find_matches(production.path, "email", pages=[99])


@pytest.mark.skipif(__import__("shutil").which("tesseract") is None, reason="tesseract is not installed")
def test_tesseract_ocr_layer_rects_cover_all_the_ink(tmp_path):
    """A real OCR layer (tesseract's PDF output stretches 'word ' over the word's box): the
    rect of a match must still hold every ink pixel of the word in the scan."""
    import subprocess

    import pymupdf

    dpi = 200
    src = pymupdf.open()
    page = src.new_page(width=612, height=792)
    page.insert_text((72, 100), "Contact telephone 202-555-0147 (mobile).", fontsize=14)
    page.insert_text((72, 140), "Email maria.garcia@example.org on file.", fontsize=14)
    truth = {"phone": page.search_for("202-555-0147")[0], "email": page.search_for("maria.garcia@example.org")[0]}
    png = tmp_path / "scan.png"
    page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).save(str(png))
    src.close()
    subprocess.run(["tesseract", str(png), str(tmp_path / "ocr"), "-l", "eng", "pdf"], check=True,
                   capture_output=True, timeout=120)
    pdf = tmp_path / "ocr.pdf"
    ink = np.frombuffer(pymupdf.Pixmap(str(png)).samples, np.uint8)
    pm = pymupdf.Pixmap(str(png))
    ink = ink.reshape(pm.height, pm.width) < 160
    s = dpi / 72
    for kind, where in truth.items():
        astray: list[int] = []
        (m,) = find_matches(pdf, kind, misaligned=astray)
        assert astray == []  # tesseract's own layer lies over its ink
        crop = ink[int(where.y0 * s):int(where.y1 * s) + 1, int(where.x0 * s) - 2:int(where.x1 * s) + 3]
        ys, xs = np.nonzero(crop)
        ink_box = ((xs.min() + int(where.x0 * s) - 2) / s, (ys.min() + int(where.y0 * s)) / s,
                   (xs.max() + 1 + int(where.x0 * s) - 2) / s, (ys.max() + 1 + int(where.y0 * s)) / s)
        x0, y0, x1, y1 = m.rects[0]
        assert x0 <= ink_box[0] and y0 <= ink_box[1] and x1 >= ink_box[2] and y1 >= ink_box[3], (kind, m.rects, ink_box)


def test_sandwich_ocr_text_under_the_scan_is_treated_as_ocr(tmp_path):
    """Some OCR tools draw visible text beneath the page image: still OCR text, padded."""
    import pymupdf

    scan_src = pymupdf.open()
    sp = scan_src.new_page(width=612, height=792)
    sp.insert_text((72, 100), "Call 202-555-0147 today", fontsize=12)
    png = sp.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY).tobytes("png")
    scan_src.close()
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), "Call 202-555-0147 today", fontsize=12)
    glyphs = page.search_for("202-555-0147")[0]
    page.insert_image(page.rect, stream=png)
    path = tmp_path / "sandwich.pdf"
    doc.save(str(path))
    (m,) = find_matches(path, "phone")
    r = m.rects[0]
    assert r[0] < glyphs.x0 and r[1] < glyphs.y0 and r[3] > glyphs.y1


def test_aligned_ocr_layers_are_trusted(production, tmp_path):
    """The layer check (reviewer.pdf.layer_check) leaves a layer over its own ink alone."""
    astray: list[int] = []
    for kind in ("email", "phone", "a-number", "ssn", "dob"):
        find_matches(production.path, kind, pages=[production.scanned_page], misaligned=astray)
    assert astray == []


def test_warnings_name_the_first_ten_pages_then_how_many_more():
    from reviewer.pdf.pictures import pictures_note
    from reviewer.pdf.search import misaligned_note, no_text_note

    pages = list(range(1, 13))
    for note in (no_text_note("a.pdf", pages), pictures_note("a.pdf", pages, False),
                 misaligned_note("a.pdf", pages, True)):
        assert "a.pdf: page(s) 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more" in note
    assert "a.pdf: page(s) 3, 7 have no text layer" in no_text_note("a.pdf", [3, 7])
