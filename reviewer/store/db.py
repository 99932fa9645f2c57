"""Opening, creating and writing a case database.

WAL, ``synchronous=FULL``, ``foreign_keys=ON``, ``BEGIN IMMEDIATE`` for every write, STRICT
tables, numbered migrations on ``user_version`` that refuse a newer schema. Every write is
one transaction that also appends a hash-chained audit row.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from reviewer.errors import CaseError
from reviewer.store import schema, trouble
from reviewer.store.connect import (connect, header_immutable, header_via_sqlite,
                                     read_only_connection, wal_pending, writable_here)

DB_NAME = "case.db"
GENESIS = "0" * 64
# What a write raises on a case that cannot be written (read-only folder or media), so
# callers can catch it without importing sqlite3 (SQL stays in this package).
WriteRefused = trouble.WriteRefused


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _row_hash(prev_hash: str, seq: int, ts: str, op: str, payload: str) -> str:
    h = hashlib.sha256()
    for part in (prev_hash, str(seq), ts, op, payload):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


_OPEN_LOCK = threading.Lock()


class Tx:
    """One open write transaction. Generic row operations that return what they replaced,
    so edit commands can build their own inverses."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._audit: list[tuple[str, str]] = []

    def insert(self, table: str, values: dict[str, Any]) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        try:
            cur = self.conn.execute(
                f"INSERT INTO {table} ({cols}) VALUES ({marks})", [_sql(v) for v in values.values()]
            )
        except sqlite3.IntegrityError:
            row_id = values.get("id")
            if row_id is not None and self.get(table, row_id) is not None:
                # putting a row back (redo, undo of a delete) under its old id, which another
                # process has given to a row of its own since
                raise trouble.EditConflict(
                    f"{table} {row_id}: another program changed the case since this step was "
                    "undone (its place is taken by a new item), so it cannot be put back") from None
            raise
        return int(cur.lastrowid)

    # rows are addressed by rowid: it is ``id`` in tables with an integer key, and it still
    # works for tables keyed by name (tags, reasons, settings), so their inserts can be undone
    def get(self, table: str, row_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (row_id,)).fetchone()
        return dict(row) if row else None

    def update(self, table: str, row_id: int, values: dict[str, Any]) -> dict[str, Any]:
        """Set ``values`` on a row; returns the old values of the same columns."""
        old = self.get(table, row_id)
        if old is None:
            raise CaseError(f"{table} {row_id} does not exist")
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(
            f"UPDATE {table} SET {sets} WHERE rowid = ?",
            [_sql(v) for v in values.values()] + [row_id],
        )
        return {k: old[k] for k in values}

    def delete(self, table: str, row_id: int) -> dict[str, Any]:
        """Delete a row; returns it whole (id included) so it can be put back."""
        old = self.get(table, row_id)
        if old is None:
            raise CaseError(f"{table} {row_id} does not exist")
        self.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (row_id,))
        return old

    def select(self, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    def execute(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def audit(self, op: str, payload: Any) -> None:
        self._audit.append((op, json.dumps(payload, sort_keys=True, default=str)))

    def _flush_audit(self) -> None:
        for op, payload in self._audit:
            last = self.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq = (last["seq"] + 1) if last else 1
            prev = last["hash"] if last else GENESIS
            ts = now_iso()
            self.conn.execute(
                "INSERT INTO audit (seq, ts, op, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
                (seq, ts, op, payload, prev, _row_hash(prev, seq, ts, op, payload)),
            )
        self._audit.clear()


def _sql(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value)
    return value


class CaseStore:
    """A case folder and its open database. Pass it in; never a global."""

    def __init__(self, folder: Path, conn: sqlite3.Connection) -> None:
        self.folder = folder
        self.conn = conn
        self._db = None
        self._write_lock = threading.RLock()
        self.read_only = False

    @property
    def db(self):
        """The sqlite-utils view of the database, for introspection and bulk reads.

        Imported lazily: sqlite-utils costs ~200 ms of imports that headless commands
        which only run plain queries should not pay."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def create(cls, folder: str | Path) -> "CaseStore":
        folder = Path(folder)
        db_path = folder / DB_NAME
        if db_path.exists():
            raise CaseError(f"{folder}: already holds a case")
        if folder.exists() and not folder.is_dir():
            raise CaseError(f"{folder}: exists and is not a folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise trouble.os_error(exc, folder, "the case folder was not made") from None
        try:
            with _OPEN_LOCK:
                conn = connect(db_path)
                store = cls(folder, conn)
                store._migrate()
        except sqlite3.Error as exc:
            raise _unopened(exc, db_path) from None
        with store.write() as tx:
            tx.execute("INSERT INTO case_info (key, value) VALUES ('created', ?)", (now_iso(),))
            tx.audit("case.create", {"folder": folder.name})
        return store

    @classmethod
    def open(cls, folder: str | Path) -> "CaseStore":
        """Open a case to read and write, or only to read where its folder cannot be written
        (a case shared read-only): read commands work there, writes say why they cannot."""
        # one open at a time in this process: the header is read through an ``immutable``
        # connection only while no -wal exists, i.e. while no connection has the case open;
        # a second thread opening the case meanwhile could otherwise lose its locks when that
        # connection closes (see connect.header_via_sqlite)
        with _OPEN_LOCK:
            return cls._open(folder)

    @classmethod
    def _open(cls, folder: str | Path) -> "CaseStore":
        folder = Path(folder)
        db_path = folder / DB_NAME if folder.is_dir() else folder
        if not db_path.exists():
            raise CaseError(f"{folder}: not a case (no {DB_NAME}; make one with 'reviewer new')")
        if not os.access(db_path, os.R_OK):
            raise CaseError(f"{db_path}: cannot read the case database (permission denied)")
        writable = writable_here(db_path)
        try:
            app_id, version = header_via_sqlite(db_path)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
                raise trouble.CaseDamaged(
                    f"{db_path}: not a case database (not SQLite, or its first page is damaged); "
                    "if it was one, restore the case folder from your latest backup") from None
            if not writable and not wal_pending(db_path):
                # a read-only folder without the WAL index: read the file as it stands
                app_id, version = header_immutable(db_path)
            else:
                raise _unopened(exc, db_path) from None
        if app_id != schema.APPLICATION_ID:
            raise CaseError(f"{db_path}: not a Reviewer case database")
        if version > schema.LATEST:
            raise CaseError(
                f"{db_path}: made by a newer Reviewer (schema {version}, this one knows "
                f"{schema.LATEST}); update Reviewer to open it"
            )
        try:
            if writable:
                conn = connect(db_path)
            else:
                conn = read_only_connection(db_path)
            store = cls(db_path.parent, conn)
            store.read_only = not writable
            if store.read_only and version < schema.LATEST:
                conn.close()
                raise trouble.WriteRefused(
                    f"{db_path}: made by an older Reviewer and must be updated once, which needs "
                    "write access to the case folder; open it once where it can be written")
            store._migrate()
        except sqlite3.Error as exc:
            raise _unopened(exc, db_path) from None
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def cache_dir(self) -> Path:
        """The case's cache folder; on a read-only case, one of this user's (cache entries are
        named by content, so any copy serves)."""
        if self.read_only:
            import tempfile

            path = Path(tempfile.gettempdir()) / f"reviewer-cache-{os.getuid() if hasattr(os, 'getuid') else 0}"
            path.mkdir(mode=0o700, exist_ok=True)
            return path
        path = self.folder / "cache"
        path.mkdir(exist_ok=True)
        return path

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.LATEST:
            raise CaseError(f"{self.folder}: made by a newer Reviewer (schema {version})")
        # numbered, not positional: migrations written apart (each its own number) may land
        # in any order; they run in number order
        for number in sorted(n for n in schema.MIGRATIONS if n > version):
            # executescript commits anything pending first, so the whole migration,
            # its pragmas and its COMMIT go in one script: all of it lands or none.
            script = (
                "BEGIN IMMEDIATE;\n" + schema.MIGRATIONS[number]() +
                f"\nPRAGMA application_id = {schema.APPLICATION_ID};"
                f"\nPRAGMA user_version = {number};\nCOMMIT;"
            )
            try:
                self.conn.executescript(script)
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One write transaction (``BEGIN IMMEDIATE``) with its audit rows, committed on exit."""
        if self.read_only:
            raise trouble.WriteRefused(
                f"{self.folder}: the case folder is read-only here; this command changes the "
                "case: copy the case folder somewhere you can write, or ask for write access")
        with self._write_lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._explained(exc) from None
            tx = Tx(self.conn)
            try:
                yield tx
                tx._flush_audit()
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # a failed COMMIT may already have rolled back
                if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
                    # a full disk, a damaged file or a lock: one line naming the file; an
                    # IntegrityError is the edit's own business (see Tx.insert)
                    explained = trouble.explain(exc, self.db_path)
                    if explained is not None:
                        raise explained from None
                raise

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    def _explained(self, exc: sqlite3.Error) -> BaseException:
        return trouble.explain(exc, self.db_path) or exc

    # -- reading ---------------------------------------------------------------------------
    def query(self, sql: str, params: tuple | list | dict = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    def query_one(self, sql: str, params: tuple | list | dict = ()) -> dict[str, Any] | None:
        row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row else None

    def verify_audit(self) -> list[str]:
        """Problems in the audit chain (an edited, deleted or inserted row); empty when intact."""
        problems: list[str] = []
        prev = GENESIS
        expected_seq = 1
        for row in self.conn.execute("SELECT * FROM audit ORDER BY seq"):
            if row["seq"] != expected_seq:
                problems.append(f"audit row {expected_seq} is missing")
            if row["prev_hash"] != prev:
                problems.append(f"audit row {row['seq']} does not follow the row before it")
            want = _row_hash(row["prev_hash"], row["seq"], row["ts"], row["op"], row["payload"])
            if want != row["hash"]:
                problems.append(f"audit row {row['seq']} was altered")
            prev = row["hash"]
            expected_seq = row["seq"] + 1
        return problems


def _unopened(exc: sqlite3.Error, db_path: Path) -> CaseError:
    return trouble.explain(exc, db_path, "the case could not be opened") or CaseError(f"{db_path}: {exc}")
