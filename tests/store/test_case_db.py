"""The case database: pragmas, migrations, refusing files it must not touch, the audit chain."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from reviewer.errors import CaseError
from reviewer.session.annotations import add_annotation, set_tag_color
from reviewer.session.session import Session
from reviewer.store import CaseStore, schema
from reviewer.store import media as media_store


def _digest(folder: Path) -> dict[str, str]:
    """Every file in the folder and its hash: a refused file must stay byte for byte, and no
    journal or WAL file may appear beside it."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def case(tmp_path):
    store = CaseStore.create(tmp_path / "case")
    with store.write() as tx:
        vid = media_store.add_media(tx, kind="video", name="cam.mp4", path="/nowhere/cam.mp4",
                                    sha256="1" * 64, size=1, info={},
                                    fields={"frame_count": 90, "width": 320, "height": 240})
    yield store, media_store.get_media(store, vid)
    store.close()


def test_every_connection_uses_wal_full_sync_and_foreign_keys(case, tmp_path):
    store, _ = case
    store.close()
    reopened = CaseStore.open(tmp_path / "case")
    try:
        assert reopened.query_one("PRAGMA journal_mode")["journal_mode"] == "wal"
        assert reopened.query_one("PRAGMA synchronous")["synchronous"] == 2
        assert reopened.query_one("PRAGMA foreign_keys")["foreign_keys"] == 1
        with pytest.raises(sqlite3.IntegrityError), reopened.write() as tx:
            tx.insert("annotations", {"media_id": 999, "frame": 1, "text": "x", "created": "t"})
    finally:
        reopened.close()


def test_tables_are_strict(case):
    store, media = case
    with pytest.raises(sqlite3.Error), store.write() as tx:
        tx.insert("annotations", {"media_id": media["id"], "frame": "not a number",
                                  "text": "x", "created": "t"})


def test_new_case_is_at_the_latest_schema_with_our_application_id(case):
    store, _ = case
    assert store.query_one("PRAGMA user_version")["user_version"] == schema.LATEST
    assert store.query_one("PRAGMA application_id")["application_id"] == schema.APPLICATION_ID


def test_an_older_case_is_migrated_on_open(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    con = sqlite3.connect(folder / "case.db")  # made by a Reviewer before any migration ran
    con.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    con.commit()
    con.close()
    store = CaseStore.open(folder)
    try:
        assert store.query_one("PRAGMA user_version")["user_version"] == schema.LATEST
        names = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"media", "annotations", "links", "redactions", "keyframes", "audit"} <= names
    finally:
        store.close()


def test_reopening_runs_no_migration_again(case, tmp_path):
    store, media = case
    Session(store).apply(add_annotation(store, media, text="kept", frame=3))
    store.close()
    again = CaseStore.open(tmp_path / "case")
    try:
        assert [r["text"] for r in again.query("SELECT text FROM annotations")] == ["kept"]
    finally:
        again.close()


def test_a_foreign_sqlite_file_is_refused_and_never_written(tmp_path):
    folder = tmp_path / "foreign"
    folder.mkdir()
    con = sqlite3.connect(folder / "case.db")
    con.execute("CREATE TABLE media (id INTEGER PRIMARY KEY, secret TEXT)")
    con.execute("INSERT INTO media (secret) VALUES ('theirs')")
    con.commit()
    con.close()
    before = _digest(folder)
    with pytest.raises(CaseError, match="not a Reviewer case"):
        CaseStore.open(folder)
    assert _digest(folder) == before


def test_a_file_that_is_not_sqlite_is_refused_and_never_written(tmp_path):
    folder = tmp_path / "text"
    folder.mkdir()
    (folder / "case.db").write_bytes(b"just some notes, not a database\n" * 10)
    before = _digest(folder)
    with pytest.raises(CaseError, match="not SQLite"):
        CaseStore.open(folder)
    assert _digest(folder) == before


def test_a_newer_schema_is_refused_and_never_written(case, tmp_path):
    store, _ = case
    store.close()
    db = tmp_path / "case" / "case.db"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _digest(db.parent)
    with pytest.raises(CaseError, match="newer Reviewer"):
        CaseStore.open(tmp_path / "case")
    assert _digest(db.parent) == before


def test_new_refuses_a_folder_that_holds_a_case(case, tmp_path):
    with pytest.raises(CaseError, match="already holds a case"):
        CaseStore.create(tmp_path / "case")


def _edits(store, media, n=5):
    session = Session(store)
    for i in range(n):
        session.apply(add_annotation(store, media, text=f"note {i}", frame=i, tags=[f"t{i % 2}"]))
    session.apply(set_tag_color("t0", "#000000"))


def _tamper(db: Path, *sql: str) -> None:
    """What someone with a raw SQLite shell could do: drop the guards and change rows."""
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER IF EXISTS audit_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


def test_the_audit_log_refuses_updates_and_deletes(case):
    store, media = case
    _edits(store, media, 2)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE audit SET payload = '{}' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM audit WHERE seq = 2")


def test_an_intact_chain_verifies(case):
    store, media = case
    _edits(store, media)
    assert store.verify_audit() == []
    ops = [r["op"] for r in store.query("SELECT op FROM audit ORDER BY seq")]
    assert ops[0] == "case.create" and ops.count("edit.add note") == 5


@pytest.mark.parametrize("sql, expect", [
    ("UPDATE audit SET payload = replace(payload, 'note 2', 'note X') WHERE seq = 5", "altered"),
    ("UPDATE audit SET ts = '2020-01-01T00:00:00.000+00:00' WHERE seq = 3", "altered"),
    ("DELETE FROM audit WHERE seq = 4", "missing"),
    ("UPDATE audit SET hash = '0' WHERE seq = 6", "does not follow"),
])
def test_the_chain_detects_an_edited_or_deleted_row(case, tmp_path, sql, expect):
    store, media = case
    _edits(store, media)
    store.close()
    _tamper(tmp_path / "case" / "case.db", sql)
    reopened = CaseStore.open(tmp_path / "case")
    try:
        problems = reopened.verify_audit()
        assert any(expect in p for p in problems), problems
    finally:
        reopened.close()


def test_a_row_slipped_into_the_chain_is_detected(case, tmp_path):
    store, media = case
    _edits(store, media)
    store.close()
    _tamper(tmp_path / "case" / "case.db",
            "UPDATE audit SET seq = seq + 100 WHERE seq >= 4",
            "INSERT INTO audit (seq, ts, op, payload, prev_hash, hash) "
            "SELECT 4, ts, 'edit.forged', '{}', prev_hash, hash FROM audit WHERE seq = 3")
    reopened = CaseStore.open(tmp_path / "case")
    try:
        assert reopened.verify_audit() != []
    finally:
        reopened.close()
