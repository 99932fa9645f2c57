"""The case's list of people: typed or imported with `reviewer people`, matched in every form by
`redact text --pattern people`, gone from the export for pdftotext while the words around them
stay; and the names finder's proposals, measured for recall and false hits on a generated
production (tests/fixtures/production_scale.py)."""
from __future__ import annotations

import json
import subprocess
import unicodedata

import pytest
from fixtures.production_scale import PEOPLE, make_production

from cli.clirun import ok, run
from reviewer.names.finder import propose
from reviewer.names.forms import people_regex
from reviewer.pdf.search import find_matches
from reviewer.pdf.sweep import page_readings

LISTED = [f"{g} {s}" for g, s in PEOPLE]


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    return make_production(tmp_path_factory.mktemp("names") / "production.pdf", pages=12, seed=7)


def _core(text: str) -> str:
    text = " ".join(text.split())
    return text[:-2] if text.endswith("'s") else text


def test_every_form_of_every_listed_name_is_found_and_nothing_else(prod):
    got: dict[int, list[str]] = {}
    for m in find_matches(prod.path, people_regex(LISTED)):
        got.setdefault(m.page_no, []).append(_core(m.text))
    planted = prod.of("name")
    assert len(planted) > 100
    missed = [p.text for p in planted if _core(p.text) not in got.get(p.page_no, [])]
    wanted = {(p.page_no, _core(p.text)) for p in planted}
    extra = [(n, t) for n, ts in got.items() for t in ts if (n, t) not in wanted]
    assert missed == [] and extra == []


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text).casefold() if c.isalnum())


def test_people_command_and_redact_text_people(prod, tmp_path):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, prod.path, "-q")
    assert run("redact", "text", case, "--pattern", "people").code == 1  # an empty list says so
    listing = tmp_path / "people.csv"
    listing.write_text("name,role\n" + "\n".join(f'"{n}",witness' for n in LISTED[10:]) + "\n", encoding="utf-8")
    ok("people", case, "--add", LISTED[0], "--add", "  ".join(LISTED[1].split()), *sum((["--add", n] for n in LISTED[2:10]), []))
    ok("people", case, "--import", listing, "--add", LISTED[0].upper())  # already there: not twice
    assert json.loads(ok("people", case, "--json").out) == LISTED
    bad = run("people", case, "--add", "12345")
    assert bad.code == 1 and bad.err.startswith("error: ") and "not a person's name" in bad.err
    assert int(ok("redact", "text", case, "--pattern", "people").out) >= len(prod.of("name"))
    out = tmp_path / "out.pdf"
    ok("export", case, "production.pdf", "--out", out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = _plain(text)
    left = sorted({p.text for p in prod.of("name") if _plain(_core(p.text)) in flat})
    assert left == []
    plain_words = {w for w in text.split()}
    lost = [w for w in set(prod.words) if w not in plain_words]
    assert lost == []
    ok("people", case, "--remove", LISTED[0])
    assert LISTED[0] not in ok("people", case).lines


def test_finder_proposes_the_people_the_list_lacks(prod, tmp_path):
    """Recall (people and their written forms) and false proposals on the generated production:
    the census lists know 28 of its 30 people (not "Tenoch Cuauhtémoc", not "Olga Petrova")."""
    props = propose(text for _n, text in page_readings(prod.path))
    names = [p.name for p in props]

    def same(a: str, b: str) -> bool:
        return bool(people_regex([a]).fullmatch(b) or people_regex([b]).fullmatch(a))

    people_found = [n for n in LISTED if any(same(n, p) for p in names)]
    false = [p for p in names if not any(people_regex([n]).search(p) for n in LISTED)]
    rx = people_regex(names)
    forms_found = sum(1 for p in prod.of("name") if rx.search(p.text))
    assert len(people_found) >= 26, sorted(set(LISTED) - set(people_found))
    assert len(false) <= 2, false
    assert forms_found >= 0.9 * len(prod.of("name"))
    # a listed person is not proposed again
    known = people_regex(LISTED[:15])
    again = propose((text for _n, text in page_readings(prod.path)), known)
    assert not any(same(n, p.name) for n in LISTED[:15] for p in again)


def test_people_suggest_cli(prod, tmp_path):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, prod.path, "-q")
    ok("people", case, "--add", LISTED[0])
    found = json.loads(ok("people", case, "--suggest", "--json").out)
    assert found and all(set(p) == {"name", "count", "seen", "where"} for p in found)
    assert not any(people_regex([LISTED[0]]).fullmatch(p["name"]) for p in found)
    assert all(w[0] == "production.pdf" and w[1] >= 1 for p in found for w in p["where"])
