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


# how long a write waits for another process's write to finish before saying who holds it
BUSY_TIMEOUT_MS = 30000


def _connect(path: Path, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
    if read_only:
        query = "immutable=1" if immutable else "mode=ro"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, isolation_level=None,
                               check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    if not read_only:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _header_via_sqlite(db_path: Path) -> tuple[int, int]:
    """The application id and schema version, read by SQLite (the WAL included) through a
    read-only connection that changes nothing in a file that turns out not to be ours.

    Never through a plain ``open()`` of the file: closing any descriptor of case.db drops
    every POSIX lock this process holds on it, the locks of SQLite connections open in this
    very process included (the window's, while one of its workers opens the case); another
    process's next close then finds no reader, checkpoints and deletes the -wal and -shm the
    window is still writing to, and its later edits are lost in a crash. SQLite itself keeps
    a closed connection's descriptor open while other connections hold locks on the file.

    Without a -wal file no connection has the case open, and ``immutable`` reads the file as
    it stands without making a -wal or -shm beside a file that may not be ours."""
    query = "mode=ro" if Path(f"{db_path}-wal").exists() else "immutable=1"
    ro = sqlite3.connect(f"{db_path.resolve().as_uri()}?{query}", uri=True)
    try:
        return (ro.execute("PRAGMA application_id").fetchone()[0],
                ro.execute("PRAGMA user_version").fetchone()[0])
    finally:
        ro.close()


def _writable(db_path: Path) -> bool:
    return os.access(db_path.parent, os.W_OK) and os.access(db_path, os.W_OK)


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
            conn = _connect(db_path)
            store = cls(folder, conn)
            store._migrate()
        except sqlite3.Error as exc:
            raise (trouble.explain(exc, db_path, "the case could not be opened") or CaseError(f"{db_path}: {exc}")) from None
        with store.write() as tx:
            tx.execute("INSERT INTO case_info (key, value) VALUES ('created', ?)", (now_iso(),))
            tx.audit("case.create", {"folder": folder.name})
        return store

    @classmethod
    def open(cls, folder: str | Path) -> "CaseStore":
        """Open a case to read and write, or only to read where its folder cannot be written
        (a case shared read-only): read commands work there, writes say why they cannot."""
        folder = Path(folder)
        db_path = folder / DB_NAME if folder.is_dir() else folder
        if not db_path.exists():
            raise CaseError(f"{folder}: not a case (no {DB_NAME}; make one with 'reviewer new')")
        if not os.access(db_path, os.R_OK):
            raise CaseError(f"{db_path}: cannot read the case database (permission denied)")
        writable = _writable(db_path)
        try:
            app_id, version = _header_via_sqlite(db_path)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
                raise trouble.CaseDamaged(
                    f"{db_path}: not a case database (not SQLite, or its first page is damaged); "
                    "if it was one, restore the case folder from your latest backup") from None
            if not writable and not _wal_pending(db_path):
                # a read-only folder without the WAL index: read the file as it stands
                app_id, version = _header_immutable(db_path)
            else:
                raise (trouble.explain(exc, db_path, "the case could not be opened") or CaseError(f"{db_path}: {exc}")) from None
        if app_id != schema.APPLICATION_ID:
            raise CaseError(f"{db_path}: not a Reviewer case database")
        if version > schema.LATEST:
            raise CaseError(
                f"{db_path}: made by a newer Reviewer (schema {version}, this one knows "
                f"{schema.LATEST}); update Reviewer to open it"
            )
        try:
            if writable:
                conn = _connect(db_path)
            else:
                conn = _read_only(db_path)
            store = cls(db_path.parent, conn)
            store.read_only = not writable
            if store.read_only and version < schema.LATEST:
                conn.close()
                raise trouble.WriteRefused(
                    f"{db_path}: made by an older Reviewer and must be updated once, which needs "
                    "write access to the case folder; open it once where it can be written")
            store._migrate()
        except sqlite3.Error as exc:
            raise (trouble.explain(exc, db_path, "the case could not be opened") or CaseError(f"{db_path}: {exc}")) from None
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


def _wal_pending(db_path: Path) -> bool:
    """The case has writes that only its WAL holds (it was not closed cleanly)."""
    try:
        return Path(f"{db_path}-wal").stat().st_size > 0
    except OSError:
        return False


def _header_immutable(db_path: Path) -> tuple[int, int]:
    conn = _connect(db_path, read_only=True, immutable=True)
    try:
        return (conn.execute("PRAGMA application_id").fetchone()[0],
                conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _read_only(db_path: Path) -> sqlite3.Connection:
    """A connection that only reads: ``mode=ro`` where SQLite can use the WAL index beside the
    file, else ``immutable`` (a read-only folder where no -shm can be made and the WAL is empty,
    so the file alone is the whole case)."""
    try:
        conn = _connect(db_path, read_only=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if _wal_pending(db_path):
            raise trouble.WriteRefused(
                f"{db_path}: the case was not closed cleanly and its folder is read-only here, so "
                "its last changes cannot be read; open and close it once in Reviewer where it can "
                "be written, or copy the case folder somewhere you can write") from None
        return _connect(db_path, read_only=True, immutable=True)
