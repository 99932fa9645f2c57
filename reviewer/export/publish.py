"""Putting a verified export in place, and nothing else, ever, under the output name.

An export is written under a hidden temporary name in the output's own folder
(``.OUT.PID-XXXXXXXX.part``, so the final rename is atomic and the writer's pid says whose it
is), verified, and only then renamed into place. ``publish=False`` stops one step short: the
verified file and its sidecar stay *staged* under their temporary names, and the caller
renames them (``reviewer export`` does this in the parent process, so a parent killed at any
moment either finished, or left nothing under the output name).

Temporary files of a process that died (SIGKILL, power cut) are removed by the next export to
the same name (reviewer.leftovers); those of a process still running are left alone.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reviewer import leftovers
from reviewer.errors import ReviewerError
from reviewer.export.checks import Check, ExportFailed, all_ok
from reviewer.export.expect import sidecar_path, write_sidecar
from reviewer.leftovers import is_dead, pause_point
from reviewer.progress import Progress


def temp_name(out: Path) -> Path:
    """A hidden name in the output's own folder, so the final rename is atomic."""
    return out.with_name(f".{out.name}.{leftovers.tag()}.part")


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
    renames are done, so an interrupt cannot leave a sidecar describing no file.

    A SIGKILL can still land between the two renames. The order makes that state one a later
    run can finish: the sidecar goes first (it names the file's SHA-256), then the file. So a
    sidecar whose file is missing or other bytes, beside a dead writer's staged file with
    exactly the hash it names, is an interrupted publish of a verified export, and
    :func:`recover` completes it (the next export to that name, and ``verify``, apply it).
    Any other mismatch (a file changed after export) is left for ``verify`` to report."""
    with leftovers.signals_held():
        side = None
        if side_tmp is not None:
            side = sidecar_path(out)
            os.replace(side_tmp, side)
            pause_point("publish-between")
        try:
            os.replace(tmp, out)
        except OSError:
            if side is not None:
                side.unlink(missing_ok=True)
            raise
        return side


def recover(out: Path) -> bool:
    """Finish a publish that a kill cut between its two renames (see :func:`publish_files`):
    True when a dead writer's staged file was put in place under ``out``."""
    from reviewer.export.expect import sidecar_file_sha256
    from reviewer.hashing import sha256_file

    out = Path(out)
    want = sidecar_file_sha256(sidecar_path(out))
    if not want:
        return False
    try:
        if out.is_file() and sha256_file(out) == want:
            return False
    except OSError:
        return False
    for part in out.parent.glob(f".{_glob_escape(out.name)}.*.part"):
        try:
            if part.is_symlink() or not part.is_file() or not is_dead(part):
                continue
            if sha256_file(part) == want:
                os.replace(part, out)
                return True
        except OSError:
            continue
    return False


def partials(out: Path) -> list[Path]:
    """Every temporary file of an export to ``out`` (the file and its sidecar)."""
    side = sidecar_path(out)
    return [*out.parent.glob(f".{_glob_escape(out.name)}.*.part"),
            *out.parent.glob(f".{_glob_escape(side.name)}.*.part")]


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def owner_pid(part: Path) -> int | None:
    return leftovers.owner_pid(part)


def remove_partials(out: Path, owners: set[int] | None = None, *, finish: bool = True) -> int:
    """Remove the temporary files of exports to ``out`` written by ``owners`` (pids) or by a
    process that no longer runs, after finishing an interrupted publish (``finish``: see
    :func:`recover`). Returns how many were removed."""
    if finish:
        try:
            recover(Path(out))
        except OSError:
            pass  # a read-only folder: nothing to finish, nothing to remove either
    removed = 0
    for p in partials(Path(out)):
        if is_dead(p, owners):
            try:
                p.unlink()
                removed += 1
            except FileNotFoundError:
                pass
            except OSError:
                pass  # not ours to remove (another user's); the export itself never uses it
    return removed


__all__ = ["finish", "owner_pid", "partials", "publish_files", "recover", "remove_partials", "temp_name"]
