from __future__ import annotations

import numpy as np
import pytest

from reviewer.errors import ReviewerError
from reviewer.pdf.render import render_page
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
    assert ink.mean() > 0.08  # the pixels of the word are under the box
    # and nothing of the word sticks out: the band around the box on its line is blank
    zoom = 2.0
    y0, y1 = int(rect[1] * zoom), int(rect[3] * zoom)
    right = img[y0:y1, int(rect[2] * zoom) + 2: int(rect[2] * zoom) + 6]
    assert right.min() >= 128 or (right < 128).mean() < 0.05


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
