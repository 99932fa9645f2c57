"""One pass for every pattern finds exactly what one pass a pattern finds, on a generated
production with scanned pages under an OCR layer."""
from __future__ import annotations

import pytest
from fixtures.production_scale import PEOPLE, make_production

from reviewer.names.forms import people_regex
from reviewer.pdf.search import find_matches
from reviewer.pdf.sweep import sweep_file


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    return make_production(tmp_path_factory.mktemp("sweep") / "p.pdf", pages=8, seed=11, scans=0.3)


def test_one_pass_equals_a_pass_a_pattern(prod):
    patterns = ["ssn", "a-number", "phone", "email", "dob", people_regex([f"{g} {s}" for g, s in PEOPLE])]
    assert prod.scanned  # some pages are scans under an OCR layer
    swept = sweep_file(prod.path, patterns)
    for k, p in enumerate(patterns):
        assert [m for kk, m in swept if kk == k] == find_matches(prod.path, p)
    got = sorted((m.page_no, m.text) for _k, m in swept)
    want = sorted((p.page_no, p.text if not p.text.endswith("'s") else p.text[:-2]) for p in prod.planted)
    assert got == want
