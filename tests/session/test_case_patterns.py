"""The case's own patterns as undoable settings edits: save, replace by
name, remove, undo back to no setting at all. The stored JSON is read with sqlite3 itself."""
from __future__ import annotations

import json
import sqlite3

import pytest

from reviewer.errors import ReviewerError
from reviewer.session.case_patterns import SETTING, read_patterns, remove_pattern, save_pattern
from reviewer.session.session import Session
from reviewer.session.undo import UndoHistory

from .conftest import dump


def _raw(store):
    con = sqlite3.connect(store.folder / "case.db")
    try:
        row = con.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    finally:
        con.close()
    return None if row is None else json.loads(row[0])


def test_save_replace_remove_and_undo_everything(case):
    store, _video, _doc = case
    before = dump(store)
    h = UndoHistory(Session(store))
    h.push(save_pattern(store, "Case number", r"\b2023-ICFO-\d{5}\b"))
    h.push(save_pattern(store, "  Informant  ", "Rodriguez"))
    assert _raw(store) == [{"name": "Case number", "pattern": r"\b2023-ICFO-\d{5}\b"},
                           {"name": "Informant", "pattern": "Rodriguez"}]
    h.push(save_pattern(store, "Case number", r"\b2024-ICFO-\d{5}\b"))  # same name: replaced
    assert [p["pattern"] for p in read_patterns(store)] == ["Rodriguez", r"\b2024-ICFO-\d{5}\b"]
    h.push(remove_pattern(store, "Informant"))
    assert [p["name"] for p in read_patterns(store)] == ["Case number"]
    for _ in range(4):
        h.undo()
    assert _raw(store) is None and dump(store) == before  # the first save made the row


def test_refusals_say_why(case):
    store, _video, _doc = case
    with pytest.raises(ReviewerError, match="needs a name"):
        save_pattern(store, " ", "x")
    with pytest.raises(ReviewerError, match="not a regular expression"):
        save_pattern(store, "Broken", "(unclosed")
    with pytest.raises(ReviewerError, match="not one of the case's patterns"):
        remove_pattern(store, "Nobody")


def test_a_plain_list_of_regexes_is_still_read(case):
    store, _video, _doc = case
    with store.write() as tx:
        tx.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (SETTING, '["Garcia"]'))
    assert read_patterns(store) == [{"name": "Case pattern “Garcia”", "pattern": "Garcia"}]
