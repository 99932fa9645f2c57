"""What SQLite's failures mean for the person holding the case, in one line that says what to do.

SQLite reports a full disk as "database or disk is full" at best and, when the write that
fails is the WAL's, as a bare "disk I/O error"; a damaged file as "database disk image is
malformed"; a writer that holds the case as "database is locked". None of them names the
file, nor says what to do next. :func:`explain` turns each into a :class:`CaseError` that does.

Who holds a lock is read from the kernel's own table of POSIX locks (``/proc/locks`` on Linux):
SQLite takes its write lock on the ``-shm`` file (WAL mode) or on the database file itself
(rollback mode, or a program that opened it in exclusive locking mode), so the process that
holds one of those is the writer. Elsewhere the message says "another program".
"""
from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from reviewer import errors
from reviewer.errors import CaseError, disk_full

# where SQLite takes its locks: the WAL write lock is byte 120 of the -shm file; in the
# database file, the pending, reserved and shared bytes start at 1 GiB
SHM_WRITE_LOCK = 120
DB_LOCK_BYTES = range(0x40000000, 0x40000000 + 512)


class WriteRefused(CaseError):
    """A write to a case that cannot be written here (read-only folder or media)."""


class CaseDamaged(CaseError):
    """The case database is damaged (not SQLite any more, or pages that do not add up)."""


class CaseLocked(CaseError):
    """Another process holds the case's write lock longer than the busy timeout."""


class EditConflict(CaseError):
    """An undo or redo that no longer fits the case: another process changed it meanwhile."""


def full_disk_error(path: Path, what: str = "the change was not saved") -> CaseError:
    return CaseError(str(errors.full_disk_error(path, what)))


def os_error(exc: OSError, path: Path | str, what: str) -> CaseError:
    """An OSError while writing ``path``, as one line: a full disk says so by name."""
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return WriteRefused(f"{exc.filename or path}: cannot be written here ({exc.strerror}; {what})")
    return CaseError(str(errors.write_error(exc, path, what)))


def lock_holders(db_path: Path) -> list[int]:
    """Pids (not this one) holding a write lock on the database or its WAL index."""
    targets: dict[int, range | int] = {}
    for suffix, where in (("", DB_LOCK_BYTES), ("-shm", SHM_WRITE_LOCK)):
        try:
            targets[os.stat(f"{db_path}{suffix}").st_ino] = where
        except OSError:
            pass
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    pids: list[int] = []
    for line in lines:
        parts = line.split()
        # "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 120 120"; "->" marks a waiter, skipped
        if "->" in parts or len(parts) < 8 or parts[1] not in ("POSIX", "OFDLCK"):
            continue
        try:
            pid, inode = int(parts[4]), int(parts[5].rsplit(":", 1)[1])
            start = int(parts[6])
            end = int(parts[7]) if parts[7] != "EOF" else 1 << 62
        except (ValueError, IndexError):
            continue
        where = targets.get(inode)
        if where is None or parts[3] != "WRITE" or pid == os.getpid() or pid in pids:
            continue
        lo, hi = (where.start, where.stop - 1) if isinstance(where, range) else (where, where)
        if start <= hi and end >= lo:
            pids.append(pid)
    return pids


def describe_process(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return f"another program (pid {pid})"
    words = [w.decode("utf-8", "replace") for w in raw if w]
    text = " ".join(words)
    if "reviewer" in text.lower():
        sub = next((w for w in words[1:] if not w.startswith("-") and "reviewer" not in w.lower()
                    and "python" not in w.lower()), "")
        return f"another Reviewer process (pid {pid}{': ' + sub if sub else ''})"
    if any(Path(w).name == "main.py" for w in words[1:2]):  # ``python main.py``: the window
        return f"a Reviewer window (pid {pid})"
    name = Path(words[0]).name if words else "?"
    return f"another program (pid {pid}: {name})"


def locked_error(db_path: Path) -> CaseLocked:
    holders = [describe_process(p) for p in lock_holders(db_path)]
    who = ", ".join(holders) if holders else "another program (a Reviewer window or command, or a database tool)"
    return CaseLocked(f"{db_path}: the case is busy: {who} is writing to it; wait for it to "
                      "finish (or close it) and try again")


def damaged_error(db_path: Path, detail: str) -> CaseDamaged:
    return CaseDamaged(f"{db_path}: the case database is damaged ({detail}); restore the case "
                       "folder from your latest backup (the originals are not affected)")


def explain(exc: BaseException, db_path: Path,
            what: str = "the change was not saved") -> CaseError | None:
    """The one line for a SQLite failure on ``db_path``, or None when it is not one of ours."""
    if isinstance(exc, CaseError):
        return exc
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc)
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        return full_disk_error(db_path, what)
    if primary == sqlite3.SQLITE_IOERR or "disk I/O error" in text:
        if disk_full(db_path):
            return full_disk_error(db_path, what)
        return CaseError(f"{db_path}: reading or writing the case failed ({text}); check that the "
                         "disk or network share is still there and not full, then try again")
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text:
        return damaged_error(db_path, text)
    if primary == sqlite3.SQLITE_BUSY or "database is locked" in text:
        return locked_error(db_path)
    if primary == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return WriteRefused(f"{db_path.parent}: the case folder is read-only here; this command "
                            "changes the case: copy the case folder somewhere you can write, or "
                            "ask for write access")
    if primary == sqlite3.SQLITE_CANTOPEN:
        return CaseError(f"{db_path}: cannot open the case database ({text}); check that the "
                         "folder is there and readable")
    return None
