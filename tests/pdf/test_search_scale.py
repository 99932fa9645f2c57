"""Search at production size: every hit, however many (no silent cap), counted; words typed
match as a phrase; a name with zero-width characters inside is one word for search."""
from __future__ import annotations

import json

import pymupdf
import pytest

from cli.clirun import ok
from reviewer.store import CaseStore
from reviewer.store import media as media_store

PAGES = 640


@pytest.fixture(scope="module")
def log_case(tmp_path_factory):
    """A detention log of 640 pages: every page says "detention log" and "Harbor"; every
    third page also says "log detention" (the same words, not the phrase); page 7 holds a
    name with a zero-width space inside."""
    folder = tmp_path_factory.mktemp("scale")
    path = folder / "log.pdf"
    doc = pymupdf.open()
    for i in range(PAGES):
        page = doc.new_page()
        page.insert_text((60, 80), f"Harbor Field Office detention log, sheet {i + 1}", fontsize=11)
        if i % 3 == 0:
            page.insert_text((60, 110), "Entries copied from the log: detention of the subject", fontsize=11)
        if i == 6:
            page.insert_font(fontname="dv", fontfile="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
            page.insert_text((60, 140), "Witness: Ma\u200bria Gar\u2060cia", fontname="dv", fontsize=11)
        page.insert_text((450, 760), f"ICE-2024-{i + 1:06d}", fontsize=9)
    doc.save(str(path), garbage=3, deflate=True)
    case = folder / "case"
    ok("new", case)
    ok("import", case, path, "-q")
    return case


def test_every_hit_is_listed_and_counted(log_case):
    r = ok("search", log_case, "Harbor", "--json")
    hits = json.loads(r.out)
    assert len(hits) == PAGES and sorted(h["page"] for h in hits) == list(range(1, PAGES + 1))
    assert f"{PAGES} hit(s)" in r.err
    assert len(ok("search", log_case, "Harbor").lines) == PAGES


def test_store_pages_through_with_a_count(log_case):
    with CaseStore.open(log_case) as store:
        assert media_store.count_pages(store, "harbor") == PAGES
        first = media_store.search_pages(store, "harbor", limit=100)
        rest = media_store.search_pages(store, "harbor", limit=1000, offset=100)
        assert len(first) == 100 and len(rest) == PAGES - 100
        assert {(h["page_no"]) for h in first + rest} == set(range(1, PAGES + 1))


def test_words_typed_match_as_a_phrase(log_case):
    phrase = json.loads(ok("search", log_case, "detention log", "--json").out)
    assert len(phrase) == PAGES
    reversed_ = json.loads(ok("search", log_case, "log detention", "--json").out)
    assert sorted(h["page"] for h in reversed_) == list(range(1, PAGES + 1, 3))
    both = json.loads(ok("search", log_case, '"field office" subject', "--json").out)
    assert sorted(h["page"] for h in both) == list(range(1, PAGES + 1, 3))


def test_a_name_with_invisible_characters_inside_is_found(log_case):
    hits = json.loads(ok("search", log_case, "Maria Garcia", "--json").out)
    assert [(h["page"], h["bates"]) for h in hits] == [(7, "ICE-2024-000007")]
