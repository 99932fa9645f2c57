"""The lead's core: case creation/opening, edit commands with exact inverses, the audit chain."""
from __future__ import annotations

import sqlite3

import pytest

from reviewer.errors import CaseError
from reviewer.session.edits import Batch, Delete, Insert, Update
from reviewer.session.session import Session
from reviewer.store import CaseStore
from reviewer.store.db import now_iso


def dump(store: CaseStore) -> dict[str, list[tuple]]:
    tables = [r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'pages_fts%' "
        "AND name NOT IN ('audit', 'sqlite_sequence')")]
    return {t: [tuple(r.values()) for r in store.query(f"SELECT * FROM {t} ORDER BY rowid")]
            for t in tables}


@pytest.fixture
def store(tmp_path):
    s = CaseStore.create(tmp_path / "case")
    with s.write() as tx:
        tx.insert("media", {"kind": "video", "name": "a.mp4", "path": "/x/a.mp4", "sha256": "0" * 64,
                            "size": 1, "added": now_iso(), "frame_count": 100})
    yield s
    s.close()


def test_new_case_refuses_existing_case(tmp_path):
    CaseStore.create(tmp_path / "c").close()
    with pytest.raises(CaseError, match="already holds a case"):
        CaseStore.create(tmp_path / "c")


def test_pragmas(store):
    assert store.query_one("PRAGMA journal_mode")["journal_mode"] == "wal"
    assert store.query_one("PRAGMA synchronous")["synchronous"] == 2  # FULL
    assert store.query_one("PRAGMA foreign_keys")["foreign_keys"] == 1


def test_foreign_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(CaseError, match="not a Reviewer case"):
        CaseStore.open(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused_and_untouched(tmp_path):
    CaseStore.create(tmp_path / "c").close()
    db = tmp_path / "c" / "case.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    before = db.read_bytes()
    with pytest.raises(CaseError, match="newer Reviewer"):
        CaseStore.open(tmp_path / "c")
    assert db.read_bytes() == before


def test_insert_update_delete_round_trip_through_inverses(store):
    session = Session(store)
    start = dump(store)
    add = Insert("annotations", {"media_id": 1, "frame": 5, "text": "officer enters",
                                 "created": now_iso()}, label="note")
    undo_add, changes = session.apply(add)
    assert changes.touches("annotations") and 1 in changes.media_ids
    note_id = undo_add.id
    undo_edit, _ = session.apply(Update("annotations", note_id, {"text": "officer leaves"}))
    assert store.query_one("SELECT text FROM annotations")["text"] == "officer leaves"
    session.apply(undo_edit)
    assert store.query_one("SELECT text FROM annotations")["text"] == "officer enters"
    redo_add, _ = session.apply(undo_add)
    assert dump(store) == start
    session.apply(redo_add)  # redo brings back the same id
    assert store.query_one("SELECT id FROM annotations")["id"] == note_id


def test_delete_restores_children(store):
    session = Session(store)
    track = Batch((Insert("redactions", {"id": 7, "media_id": 1, "kind": "box", "frame_from": 0,
                                         "frame_to": 9, "created": now_iso()}),
                   Insert("keyframes", {"redaction_id": 7, "frame": 0, "x": 1, "y": 2, "w": 3, "h": 4}),
                   Insert("keyframes", {"redaction_id": 7, "frame": 9, "x": 5, "y": 6, "w": 3, "h": 4})))
    session.apply(track)
    before = dump(store)
    undo_delete, _ = session.apply(Delete("redactions", 7))
    assert store.query("SELECT * FROM keyframes") == []
    session.apply(undo_delete)
    assert dump(store) == before


def test_failed_edit_leaves_nothing(store):
    session = Session(store)
    before = dump(store)
    bad = Batch((Insert("annotations", {"media_id": 1, "frame": 1, "text": "x", "created": now_iso()}),
                 Insert("annotations", {"media_id": 999, "frame": 1, "text": "y", "created": now_iso()})))
    with pytest.raises(sqlite3.IntegrityError):
        session.apply(bad)
    assert dump(store) == before


def test_audit_chain_detects_tampering(store, tmp_path):
    session = Session(store)
    for i in range(3):
        session.apply(Insert("tags", {"name": f"t{i}"}))
    assert store.verify_audit() == []
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE audit SET op = 'x' WHERE seq = 2")
    # someone with a raw SQLite shell drops the guard and edits a row
    store.conn.execute("DROP TRIGGER audit_no_update")
    store.conn.execute("DROP TRIGGER audit_no_delete")
    store.conn.execute("UPDATE audit SET payload = '{}' WHERE seq = 2")
    assert any("altered" in p for p in store.verify_audit())
    store.conn.execute("DELETE FROM audit WHERE seq = 3")
    assert any("missing" in p or "follow" in p for p in store.verify_audit())
