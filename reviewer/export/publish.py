"""Putting a verified export in place, and nothing else, ever, under the output name.

An export is written under a hidden temporary name in the output's own folder
(``.OUT.PID-XXXXXXXX.part``, so the final rename is atomic and the writer's pid says whose it
is), verified, and only then renamed into place. ``publish=False`` stops one step short: the
verified file and its sidecar stay *staged* under their temporary names, and the caller
renames them (``reviewer export`` does this in the parent process, so a parent killed at any
moment either finished, or left nothing under the output name).

Temporary files of a process that died (SIGKILL, power cut) are removed by the next export to
the same name; those of a process still running are left alone.
"""
from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.export.checks import Check, ExportFailed, all_ok
from reviewer.export.expect import sidecar_path, write_sidecar
from reviewer.progress import Progress

STALE_S = 3600.0  # where a pid cannot be asked about (Windows), a .part this old is a leftover


def temp_name(out: Path) -> Path:
    """A hidden name in the output's own folder, so the final rename is atomic."""
    return out.with_name(f".{out.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")


def finish(tmp: Path, out: Path, expect: Any, checks: list[Check], label: str, sidecar: bool, *,
           publish: bool = True, progress: Progress | None = None) -> Path | None:
    """Rename a verified temporary file into place (with its sidecar); raise when it failed.
    With ``publish=False`` leave both staged and return the staged sidecar's path."""
    if not all_ok(checks):
        raise ExportFailed(label, checks)
    side_tmp = None
    try:
        if sidecar:
            from reviewer.hashing import sha256_file

            side_tmp = temp_name(sidecar_path(out))
            try:
                write_sidecar(side_tmp, expect, sha256_file(tmp))
            except OSError as exc:
                raise ReviewerError(f"{out.parent}: the export's sidecar could not be written to the "
                                    f"output folder ({exc.strerror or exc})") from None
        if not publish:
            return side_tmp
        if progress is not None:
            progress.update(None, f"Writing {out.name}")  # a cancel from now on still holds
        try:
            return publish_files(tmp, side_tmp, out)
        except OSError as exc:
            raise ReviewerError(f"{out.parent}: the export could not be put in place as {out.name} "
                                f"({exc.strerror or exc})") from None
    finally:
        if publish and side_tmp is not None:
            side_tmp.unlink(missing_ok=True)


def publish_files(tmp: Path, side_tmp: Path | None, out: Path) -> Path | None:
    """Rename a staged export (and its sidecar) into place. SIGTERM and SIGINT wait until both
    renames are done, so an interrupt cannot leave a sidecar describing no file."""
    blocked = _block_signals()
    try:
        side = None
        if side_tmp is not None:
            side = sidecar_path(out)
            os.replace(side_tmp, side)
        try:
            os.replace(tmp, out)
        except OSError:
            if side is not None:
                side.unlink(missing_ok=True)
            raise
        return side
    finally:
        _unblock_signals(blocked)


def _block_signals() -> set[int] | None:
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return None
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT}))


def _unblock_signals(previous: set[int] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def partials(out: Path) -> list[Path]:
    """Every temporary file of an export to ``out`` (the file and its sidecar)."""
    side = sidecar_path(out)
    return [*out.parent.glob(f".{_glob_escape(out.name)}.*.part"),
            *out.parent.glob(f".{_glob_escape(side.name)}.*.part")]


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def owner_pid(part: Path) -> int | None:
    try:
        return int(part.name.rsplit(".", 2)[-2].split("-")[0])
    except (IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) is not a probe there; the age rule decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_partials(out: Path, owners: set[int] | None = None) -> int:
    """Remove the temporary files of exports to ``out`` written by ``owners`` (pids) or by a
    process that no longer runs. Returns how many were removed."""
    removed = 0
    for p in partials(Path(out)):
        pid = owner_pid(p)
        stale = pid is None or (owners is not None and pid in owners) or not _alive(pid)
        if not stale and os.name != "posix":
            try:
                stale = time.time() - p.stat().st_mtime > STALE_S
            except OSError:
                continue
        if stale:
            try:
                p.unlink()
                removed += 1
            except FileNotFoundError:
                pass
            except OSError:
                pass  # not ours to remove (another user's); the export itself never uses it
    return removed


__all__ = ["finish", "owner_pid", "partials", "publish_files", "remove_partials", "temp_name"]
