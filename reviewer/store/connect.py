"""Connections to a case database: read-write (WAL, full sync), read-only, and the header read.

Kept apart from db.py so that every way case.db is opened is in one short file: nothing opens
it outside SQLite (see _header_via_sqlite and docs/decisions/0007-one-case-many-processes.md).
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from reviewer.store import trouble

# how long a write waits for another process's write to finish before saying who holds it
BUSY_TIMEOUT_MS = 30000


def connect(path: Path, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
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


def header_via_sqlite(db_path: Path) -> tuple[int, int]:
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


def writable_here(db_path: Path) -> bool:
    return os.access(db_path.parent, os.W_OK) and os.access(db_path, os.W_OK)


def wal_pending(db_path: Path) -> bool:
    """The case has writes that only its WAL holds (it was not closed cleanly)."""
    try:
        return Path(f"{db_path}-wal").stat().st_size > 0
    except OSError:
        return False


def header_immutable(db_path: Path) -> tuple[int, int]:
    conn = connect(db_path, read_only=True, immutable=True)
    try:
        return (conn.execute("PRAGMA application_id").fetchone()[0],
                conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def read_only_connection(db_path: Path) -> sqlite3.Connection:
    """A connection that only reads: ``mode=ro`` where SQLite can use the WAL index beside the
    file, else ``immutable`` (a read-only folder where no -shm can be made and the WAL is empty,
    so the file alone is the whole case)."""
    try:
        conn = connect(db_path, read_only=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if wal_pending(db_path):
            raise trouble.WriteRefused(
                f"{db_path}: the case was not closed cleanly and its folder is read-only here, so "
                "its last changes cannot be read; open and close it once in Reviewer where it can "
                "be written, or copy the case folder somewhere you can write") from None
        return connect(db_path, read_only=True, immutable=True)

