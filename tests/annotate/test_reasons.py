"""The default exemption list is data in resources/exemptions.toml: a new case starts with
exactly what the file says, and a broken file is refused with one clear message."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reviewer.annotate import reasons
from reviewer.paths import resource

FILE = Path(__file__).resolve().parents[2] / "resources" / "exemptions.toml"


def _file_entries() -> list[tuple[str, str]]:
    # read with tomllib directly, not through the code under test
    return [(r["code"], r["label"]) for r in tomllib.loads(FILE.read_text(encoding="utf-8"))["reason"]]


def test_the_list_is_found_through_paths_in_the_source_tree():
    assert resource(reasons.EXEMPTIONS_FILE).resolve() == FILE
    assert reasons.BUILTIN_REASONS == _file_entries()


def test_a_new_case_starts_with_the_files_list(tmp_path):
    from reviewer.store import CaseStore

    with CaseStore.create(tmp_path / "case") as store:
        rows = store.query("SELECT code, description FROM reasons WHERE builtin = 1 ORDER BY rowid")
    assert [(r["code"], r["description"]) for r in rows] == _file_entries()


def test_every_code_is_its_own_canonical_spelling():
    for code, _label in _file_entries():
        assert reasons.normalize_reason(code) == code
        assert reasons.normalize_reason(code.lower()) == code


@pytest.mark.parametrize("text", [
    "[[reason]]\ncode = 'b6'\n",                                       # no label
    "[[reason]\ncode = 'b6'\n",                                        # not TOML
    "[[reason]]\ncode = 'b6'\nlabel = 'a'\n[[reason]]\ncode = 'B6'\nlabel = 'b'\n",  # repeated
    "# nothing\n",                                                     # empty
])
def test_a_broken_list_is_refused_naming_the_file(tmp_path, text):
    bad = tmp_path / "exemptions.toml"
    bad.write_text(text)
    with pytest.raises(RuntimeError) as info:
        reasons.load_reasons(bad)
    assert str(info.value).startswith(f"{bad}: ")
