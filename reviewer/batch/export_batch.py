"""``export --all``: every item of the case, redacted and verified, into one folder.

Names say which original each file comes from (``BWC-07.redacted.mp4``; the item's id is
added when two items share a name). Workers leave each export, verified, staged under a
hidden name in the folder (reviewer.export.publish); the coordinator renames it into place
(sidecar first), so an interrupted batch leaves nothing at an output name, then or later.

Resumable: the folder's ``.reviewer-export.json`` records, per item, a fingerprint of what
went in (the original's SHA-256, every redaction as the export applies it, the settings,
this program's version) and the SHA-256 of the file written. An item whose fingerprint
is unchanged and whose file is still those bytes is skipped.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.batch.tasks import ExportTask, Source
from reviewer.batch.runners import failure_detail
from reviewer.errors import ReviewerError
from reviewer.export.encoder import DEFAULT_PRESET
from reviewer.progress import BatchProgress
from reviewer.store import CaseStore

MANIFEST = ".reviewer-export.json"
FORMAT = "reviewer-export-all/1"


@dataclass(frozen=True)
class ExportItem:
    media_id: int
    name: str
    out: Path
    status: str  # done | current | failed
    detail: str = ""
    checks: tuple[tuple[str, bool, str], ...] = ()

    def line(self) -> str:
        if self.status == "failed":
            return f"error: {self.detail}"
        if self.status == "current":
            return f"current  {self.name} -> {self.out.name} (unchanged since it was exported)"
        return f"exported {self.name} -> {self.out.name} ({len(self.checks)} checks of the written file found what the redactions ask for)"


def output_names(rows: list[dict[str, Any]]) -> dict[int, str]:
    """``STEM.redacted.mp4`` / ``.pdf`` per item; ``STEM.ID.redacted...`` where stems clash
    (case-insensitively: the folder may be on a case-insensitive disk)."""
    def name(row: dict[str, Any], with_id: bool) -> str:
        stem = Path(row["name"]).stem or f"item-{row['id']}"
        ext = ".mp4" if row["kind"] == "video" else ".pdf"
        return f"{stem}.{row['id']}.redacted{ext}" if with_id else f"{stem}.redacted{ext}"
    counts: dict[str, int] = {}
    for r in rows:
        counts[name(r, False).casefold()] = counts.get(name(r, False).casefold(), 0) + 1
    return {r["id"]: name(r, counts[name(r, False).casefold()] > 1) for r in rows}


def fingerprint(kind: str, expect: Any, preset: str, crf: int, rasterize: bool) -> str:
    from reviewer import __version__

    wanted = expect.to_json()
    # a pass run again with the same settings changes only its time: the export stays current
    wanted["passes"] = [{k: v for k, v in p.items() if k != "when"} for p in wanted.get("passes", [])]
    data = {"format": FORMAT, "version": __version__, "kind": kind, "expect": wanted,
            "preset": preset if kind == "video" else None, "crf": int(crf) if kind == "video" else None,
            "rasterize": bool(rasterize) if kind == "pdf" else None}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def load_manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "items": {}}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("items"), dict):
        return {"format": FORMAT, "items": {}}
    return data


def save_manifest(folder: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{MANIFEST}.", suffix=".part")
    try:
        os.fchmod(fd, 0o644)  # readable like the exports beside it (mkstemp makes it 0600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
        os.replace(tmp, folder / MANIFEST)
    finally:
        Path(tmp).unlink(missing_ok=True)


def clean_staged(out: Path) -> None:
    """What a stopped batch left for ``out``: staged files of processes no longer running."""
    from reviewer.export.publish import remove_partials

    # finish=False: a staged file is put in place only after this coordinator's own checks,
    # never by the recovery rule, which trusts a sidecar a worker could have written
    remove_partials(out, finish=False)


def is_current(entry: dict[str, Any] | None, out: Path, fp: str) -> bool:
    from reviewer.export.expect import sidecar_path
    from reviewer.hashing import sha256_file

    if not entry or entry.get("fingerprint") != fp or entry.get("file") != out.name:
        return False
    if not out.is_file() or not sidecar_path(out).is_file():
        return False
    return sha256_file(out) == entry.get("file_sha256")


def make_folder(out_dir: str | Path) -> Path:
    folder = Path(out_dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ReviewerError(f"{out_dir}: is a file; give a folder for --all")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReviewerError(f"{out_dir}: cannot make the folder ({exc.strerror or exc})") from None
    return folder.resolve()


def plan_item(store: CaseStore, row: dict[str, Any], out: Path, preset: str, crf: int,
              rasterize: bool) -> tuple[ExportTask, str]:
    """The task exporting ``row`` to ``out`` and the fingerprint of what goes in."""
    from reviewer.export.expect import pdf_expect, video_expect
    from reviewer.export.video import check_out
    from reviewer.store import media as media_store

    check_out(store, out)
    row = media_store.get_media(store, row["id"])
    source = Source(row["id"], row["name"], row["path"], row["sha256"])
    if row["kind"] == "video":
        from reviewer.export.source import load_source_index

        index = load_source_index(store, row)
        expect = video_expect(store, row, index, None)
        task = ExportTask(source, "video", expect, str(out), index.to_bytes(),
                          preset, int(crf), False, index.count)
    else:
        count = int(row.get("page_count") or 0)
        expect = pdf_expect(store, row, None, rasterized=rasterize, stamped=False)
        task = ExportTask(source, "pdf", expect, str(out), None, preset, int(crf),
                          rasterize, max(1, count))
    return task, fingerprint(task.kind, expect, preset, crf, rasterize)


def place(accepted: Any, out: Path) -> str:
    """Rename a checked staged export into place with the sidecar written here; its SHA-256."""
    from reviewer.batch.untrusted import confirm_placed
    from reviewer.export.expect import sidecar_path
    from reviewer.export.publish import publish_files, temp_name

    side_tmp = None
    if accepted.sidecar is not None:
        side_tmp = temp_name(sidecar_path(out))
        data = {**accepted.sidecar, "file_sha256": accepted.sha256}
        side_tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    try:
        publish_files(accepted.staged, side_tmp, out)
    finally:
        if side_tmp is not None:
            side_tmp.unlink(missing_ok=True)
    confirm_placed(out, accepted.sha256, out.name)
    return accepted.sha256


def export_all(store: CaseStore, out_dir: str | Path, runner: Any, batch: BatchProgress, *,
               preset: str = DEFAULT_PRESET, crf: int = 18, rasterize: bool = False) -> Iterator[ExportItem]:
    """Export every item of the case into ``out_dir`` (made if missing), yielding each
    item's outcome as it is placed."""
    from reviewer.export.video import check_options
    from reviewer.store import media as media_store

    check_options(preset, crf)
    folder = make_folder(out_dir)
    rows = media_store.list_media(store)
    names = output_names(rows)
    for part in folder.glob(f"{MANIFEST}.*.part"):  # a record being written when killed
        part.unlink(missing_ok=True)
    manifest = load_manifest(folder)
    tasks: list[ExportTask] = []
    planned: dict[str, tuple[dict[str, Any], Path, str]] = {}
    for row in rows:
        out = folder / names[row["id"]]
        try:
            task, fp = plan_item(store, row, out, preset, crf, rasterize)
        except ReviewerError as exc:
            yield ExportItem(row["id"], row["name"], out, "failed", str(exc))
            continue
        if is_current(manifest["items"].get(str(row["id"])), out, fp):
            yield ExportItem(row["id"], row["name"], out, "current")
            continue
        clean_staged(out)
        tasks.append(task)
        planned[task.key] = (row, out, fp)
    batch.plan({t.key: t.size for t in tasks})
    if not tasks:
        return
    from reviewer.batch.untrusted import accept_export
    from reviewer.sandbox import Sandbox

    box = Sandbox()  # the coordinator's own checks of what workers staged
    try:
        for task, outcome in runner.run(tasks, batch):
            row, out, fp = planned[task.key]
            if isinstance(outcome, BaseException):
                item = ExportItem(row["id"], row["name"], out, "failed", failure_detail(row, outcome))
            elif not outcome.ok:
                item = ExportItem(row["id"], row["name"], out, "failed", outcome.message, outcome.checks)
            else:
                try:
                    digest = place(accept_export(outcome, task, out, folder, box,
                                                 lambda: batch.cancelled), out)
                except ReviewerError as exc:
                    yield ExportItem(row["id"], row["name"], out, "failed", str(exc))
                    clean_staged(out)
                    batch.finish(task.key)
                    continue
                manifest["items"][str(row["id"])] = {
                    "name": row["name"], "source_sha256": row["sha256"], "file": out.name,
                    "fingerprint": fp, "file_sha256": digest}
                save_manifest(folder, manifest)
                item = ExportItem(row["id"], row["name"], out, "done", checks=outcome.checks)
            clean_staged(out)
            batch.finish(task.key)
            yield item
    finally:
        box.close()
        for _row, out, _fp in planned.values():
            clean_staged(out)
