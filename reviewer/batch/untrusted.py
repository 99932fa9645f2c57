"""A worker's result is a claim; the coordinator checks it before anything is published.

A Dask worker runs on another machine, under another account, perhaps another version of
this program; a local child decodes hostile files. Either may be wrong or lying, and the
coordinator is the one that renames files and writes the case, so it trusts nothing a
worker returns:

- a staged export is accepted only as a regular file (not a link) directly inside the
  output folder, under the temporary name :func:`reviewer.export.publish.temp_name` gives
  that item's output name; nothing anywhere else is ever renamed (a worker naming the
  original would otherwise move the evidence out of its folder);
- its SHA-256 is computed here, and the checks that prove it redacted (the expected
  frames and times, every box filled, muted spans silent, sampled frames equal to the
  original outside the boxes; for PDFs the pages, text and pixels under the boxes, the
  redacted text itself searched for, no hidden content) are run again here, in a sandboxed
  child, against what the *case* expects, not against the worker's sidecar;
- the sidecar is written here with that hash; the worker's is read only to keep the counts
  its export reported, and refused when it describes anything but the case's expectation;
- after the rename the file is hashed again: bytes changed while being checked are taken
  out of the folder, not recorded;
- a detection result must name the SHA-256 of the file the worker read, and it must be the
  case's original.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError

# the coordinator's re-check decodes the whole export: as long as the export may take
CHECK_TIMEOUT_S = 24 * 3600.0
SIDECAR_MAX_BYTES = 256 << 20  # a day of 60 fps frame times is well under this
# what an export adds to the case's expectation (reviewer.export.pdf.with_text); the rest
# of a worker's sidecar must be the case's expectation itself
# what an export adds to the case's expectation: a smart cut's list of copied GOPs (and why
# none was copied) is the worker's claim, so the coordinator's own checks re-check it
EXPORT_ADDS = {"file_sha256", "redacted_text", "rasterised_pages", "copied_gops", "smart_cut"}


class Refused(ReviewerError):
    """A worker's result that is not what was asked for; nothing of it is published."""


@dataclass(frozen=True)
class Accepted:
    staged: Path
    sidecar: dict[str, Any] | None  # the sidecar to write (hash filled in by the caller)
    sha256: str
    checks: tuple[tuple[str, bool, str], ...]


def staged_in(folder: Path, claimed: Any, final: Path, name: str) -> Path:
    """The file a worker says it staged for ``final``, if it is exactly that: a regular
    file with one link, directly in ``folder``, named ``.FINAL.PID-XXXXXXXX.part``."""
    if not isinstance(claimed, str) or not claimed:
        raise Refused(f"{name}: the worker named no staged file; not published")
    path = Path(claimed)
    pattern = re.compile(rf"\.{re.escape(final.name)}\.\d{{1,10}}-[0-9a-f]{{8}}\.part")
    if (not path.is_absolute() or os.path.normpath(path.parent) != os.path.normpath(folder)
            or not pattern.fullmatch(path.name)):
        raise Refused(f"{name}: the worker returned {claimed}, which is not a staged export "
                      f"in {folder}; nothing was moved or published")
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise Refused(f"{name}: the staged export {path.name} cannot be read "
                      f"({exc.strerror or exc}); not published") from None
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        what = "a link" if stat.S_ISLNK(st.st_mode) or st.st_nlink != 1 else "not a regular file"
        if not stat.S_ISDIR(st.st_mode):
            path.unlink(missing_ok=True)  # the name only: a link's target is left alone
        raise Refused(f"{name}: the staged export {path.name} is {what}; not published")
    return path


def check_detection(outcome: Any, task: Any) -> None:
    """A detection result is for the task's item, counts its frames, and names the hash of
    the file the worker read: the case's original."""
    from reviewer.batch.tasks import DetectOutcome

    src = task.source
    if not isinstance(outcome, DetectOutcome) or outcome.media_id != src.media_id:
        raise Refused(f"{src.name}: the worker returned a result for another item; not used")
    if outcome.source_sha256 != src.sha256:
        got = str(outcome.source_sha256 or "")[:12] or "no hash"
        raise Refused(f"{src.name}: the worker's detections were made on a file with SHA-256 "
                      f"{got}, not the case's original ({src.sha256[:12]}); not used")
    if outcome.frames != task.frames:
        raise Refused(f"{src.name}: the worker searched {outcome.frames} frames, the case's "
                      f"original has {task.frames}; not used")
    bad = [d for d in getattr(outcome.scan, "detections", ()) if not 0 <= int(d.frame) < task.frames]
    if bad:
        raise Refused(f"{src.name}: the worker returned detections on frames the original does "
                      f"not have ({int(bad[0].frame)}); not used")


def _worker_sidecar(folder: Path, outcome: Any, out: Path, task: Any) -> dict[str, Any] | None:
    from reviewer.export.expect import sidecar_path

    name = task.source.name
    if outcome.sidecar is None:
        return None
    path = staged_in(folder, outcome.sidecar, sidecar_path(out), name)
    try:
        if path.stat().st_size > SIDECAR_MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except (OSError, ValueError) as exc:
        raise Refused(f"{name}: the worker's sidecar is not usable ({exc}); not published") from None
    finally:
        path.unlink(missing_ok=True)  # written again here, with the hash computed here
    want = task.expect.to_json()
    core = {k: v for k, v in data.items() if k not in EXPORT_ADDS}
    if core != {k: v for k, v in want.items() if k not in EXPORT_ADDS}:
        raise Refused(f"{name}: the worker's sidecar describes another export than the case "
                      "expects; not published")
    return {k: v for k, v in data.items() if k != "file_sha256"}


def accept_export(outcome: Any, task: Any, out: Path, folder: Path, box: Any,
                  cancel: Any = None) -> Accepted:
    """Check a worker's successful export of ``task`` to ``out``; raises :class:`Refused`
    (after removing what the worker staged for it) when any check fails."""
    from reviewer.batch.tasks import ExportOutcome
    from reviewer.export.checks import all_ok
    from reviewer.export.jobs import checks_of
    from reviewer.hashing import sha256_file

    src = task.source
    if not isinstance(outcome, ExportOutcome) or outcome.media_id != src.media_id:
        raise Refused(f"{src.name}: the worker returned a result for another item; not published")
    if outcome.source_sha256 != src.sha256:
        raise Refused(f"{src.name}: the worker did not export the case's original (it read a file "
                      f"with SHA-256 {str(outcome.source_sha256 or '')[:12] or 'unknown'}); not published")
    staged = staged_in(folder, outcome.staged, out, src.name)
    try:
        sidecar = _worker_sidecar(folder, outcome, out, task)
        digest = sha256_file(staged)
        expect = task.expect
        if sidecar and sidecar.get("copied_gops") and task.kind == "video":
            from dataclasses import replace

            # "these GOPs are the original's, bit for bit": checked against the original here
            expect = replace(expect, copied_gops=tuple(sidecar["copied_gops"]))
        rows = box.run("reviewer.export.jobs:check_staged",
                       (str(staged), task.kind, expect, src.path, src.sha256, task.index, out.name),
                       label=src.name, timeout=CHECK_TIMEOUT_S, cancel=cancel)
        if not all_ok(checks_of(rows)):
            bad = [f"{n}: {d}" for n, ok, d in rows if not ok]
            raise Refused(f"{src.name}: the worker's export failed the coordinator's own checks "
                          f"({'; '.join(bad[:3])}); not published")
        return Accepted(staged, sidecar, digest, tuple(rows))
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def confirm_placed(out: Path, digest: str, name: str) -> None:
    """The file now at ``out`` is the one that was checked (same bytes); else it goes."""
    from reviewer.export.expect import sidecar_path
    from reviewer.hashing import sha256_file

    if sha256_file(out) != digest:
        out.unlink(missing_ok=True)
        sidecar_path(out).unlink(missing_ok=True)
        raise Refused(f"{name}: the staged export changed while it was checked; removed, not "
                      "recorded")


__all__ = ["Accepted", "Refused", "accept_export", "check_detection", "confirm_placed", "staged_in"]
