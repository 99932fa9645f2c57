"""Temporary files and folders named after the process writing them, so that a later run can
tell a dead writer's leftovers (SIGKILL, power cut) from a live writer's work in progress.

A temporary name ends ``.PID-XXXXXXXX.SUFFIX`` (the writer's process id and 8 random hex
digits). A name whose process no longer runs is a leftover and may be removed; one whose
process runs is left alone. Process ids are per machine: on storage shared between machines
(a cluster's output folder) a remote writer's pid means nothing here, which is why a batch's
coordinator only cleans names its own run planned, after its workers are done.

Also :func:`pause_point`: a named moment where a test can hold a process (to kill it there).
"""
from __future__ import annotations

import os
import re
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STALE_S = 3600.0  # where a pid cannot be asked about (Windows), a leftover this old is dead
_TAG = re.compile(r"\.(\d{1,10})-[0-9a-f]{8}\.[A-Za-z]+$")


def tag() -> str:
    """``PID-XXXXXXXX``: this process and a random part (several temporaries at a time)."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


def owner_pid(path: Path | str) -> int | None:
    """The writer's pid from a temporary name, or None when the name carries none."""
    m = _TAG.search(Path(path).name)
    return int(m.group(1)) if m else None


def alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) is not a probe there; the age rule decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2 ** 31  # another user's process; an absurd number is no process
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but not yet been reaped (an orphan waits for init to do it,
    and some container inits never do) answers a signal probe but writes nothing more."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no /proc (macOS): the probe's answer stands
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def is_dead(path: Path, owners: set[int] | None = None) -> bool:
    """Whether ``path`` is a leftover: its writer is one of ``owners`` (they are done with
    it), or no longer runs, or (no pid in the name, or no way to ask) it is old."""
    pid = owner_pid(path)
    if pid is not None and owners is not None and pid in owners:
        return True
    if pid is not None and os.name == "posix":
        return not alive(pid)
    try:
        return time.time() - path.lstat().st_mtime > STALE_S
    except OSError:
        return False


def remove_dead(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Remove the temporaries in ``folder`` whose names match ``pattern`` and whose writer
    is dead (folders with what is in them); returns what was removed."""
    import shutil

    removed: list[Path] = []
    try:
        found = [p for p in Path(folder).iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return removed
    for p in found:
        if not is_dead(p):
            continue
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed.append(p)
        except OSError:
            pass  # another user's, or already gone
    return removed


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait until the block is done (on the main thread, where Python
    runs its handlers): for the few renames that must all happen or none."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def pause_point(name: str) -> None:
    """Hold here when ``REVIEWER_PAUSE_AT`` names this moment: write this process's pid to
    ``REVIEWER_PAUSE_FILE`` and sleep (``REVIEWER_PAUSE_S``, default 120 s). Tests kill the
    process at the moments where a kill is most harmful; nothing else sets these."""
    if os.environ.get("REVIEWER_PAUSE_AT") != name:
        return
    where = os.environ.get("REVIEWER_PAUSE_FILE")
    if where:
        Path(where).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(float(os.environ.get("REVIEWER_PAUSE_S", "120")))


__all__ = ["alive", "is_dead", "owner_pid", "pause_point", "remove_dead", "signals_held", "tag"]
