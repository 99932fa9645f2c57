"""The withheld log as a user works it: scan documents, then add, correct, remove, comment.

Scanning writes detected rows directly (one transaction, with its audit row, replacing
only that document's detected rows); every change a user makes is an edit command for
Session.apply, so it can be undone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from reviewer.annotate.reasons import normalize_reason
from reviewer.errors import MediaError, ReviewerError
from reviewer.hashing import sha256_file
from reviewer.progress import Progress
from reviewer.sandbox import Sandbox
from reviewer.session.edits import Delete, Insert, Update
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store import withheld as wh_store

DETECT = "reviewer.pdf.withheld:detect_document"


def _codes(codes: Iterable[str]) -> list[str]:
    out: list[str] = []
    for c in codes:
        n = normalize_reason(c)
        if n and n not in out:
            out.append(n)
    return out


def add_withheld(media_id: int, page_no: int, rect: Iterable[float], codes: Iterable[str] = (),
                 bates: str | None = None, comment: str = "") -> Insert:
    return Insert(wh_store.TABLE, wh_store.row_values(media_id, page_no, rect, _codes(codes), bates,
                                                      comment, source="manual"), label="withheld.add")


def correct_withheld(row: dict[str, Any], *, rect: Iterable[float] | None = None,
                     codes: Iterable[str] | None = None, bates: str | None = None) -> Update:
    """Fix a region's rectangle, codes or Bates; a corrected detected row survives rescans."""
    values: dict[str, Any] = {}
    probe = wh_store.row_values(row["media_id"], row["page_no"], rect if rect is not None else row["rect"],
                                _codes(codes) if codes is not None else row["codes"])
    if rect is not None:
        values["rect"] = probe["rect"]
    if codes is not None:
        values["codes"] = probe["codes"]
    if bates is not None:
        values["bates"] = bates
    if row.get("source") == "detected":
        values["source"] = "corrected"
    return Update(wh_store.TABLE, int(row["id"]), values, label="withheld.correct")


def comment_withheld(row_id: int, comment: str) -> Update:
    return Update(wh_store.TABLE, int(row_id), {"comment": comment}, label="withheld.comment")


def remove_withheld(row_id: int) -> Delete:
    return Delete(wh_store.TABLE, int(row_id), label="withheld.remove")


@dataclass
class ScanReport:
    scanned: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def scan_documents(store: CaseStore, media_rows: list[dict[str, Any]], *, force: bool = False,
                   use_ocr: bool = True, progress: Progress | None = None,
                   sandbox: Sandbox | None = None) -> ScanReport:
    """Detect withheld regions in each PDF not scanned yet (all of them with ``force``).

    MuPDF reads the untrusted file in the sandbox child; a document that fails is reported
    in ``errors`` ("NAME: why") and the others still run."""
    progress = progress or Progress()
    report = ScanReport()
    todo = [m for m in media_rows if m["kind"] == "pdf"
            and (force or wh_store.scan_record(store, m["id"]) is None)]
    report.skipped = [m["id"] for m in media_rows if m not in todo]
    if todo and getattr(store, "read_only", False):
        # a case shared read-only: what was found before is listed; what was never scanned
        # is said so, never silently shown as "nothing withheld"
        report.notes += [f"{m['name']}: not yet scanned for withheld regions, and the case folder "
                         "is read-only here; scan it where the case can be written" for m in todo]
        report.skipped += [m["id"] for m in todo]
        return report
    own = sandbox is None
    box = sandbox or Sandbox()
    try:
        for n, m in enumerate(todo):
            progress.update(n / max(1, len(todo)), f"Looking for withheld regions in {m['name']}")
            try:
                result = _scan_one(m, box, use_ocr)
            except ReviewerError as exc:
                report.errors.append(str(exc))
                continue
            pages = {p["page_no"]: p["bates"] for p in media_store.pages_of(store, m["id"])}
            for reg in result["regions"]:
                reg["bates"] = pages.get(reg["page"]) or reg.get("bates")
            info = {"ocr": result["ocr"], "notes": result["notes"], "sha256": m["sha256"]}
            with store.write() as tx:
                wh_store.replace_detected(tx, m["id"], result["regions"], info)
            report.scanned.append(m["id"])
            report.notes += [f"{m['name']}: {note}" for note in result["notes"]]
        progress.update(1.0, f"Scanned {len(report.scanned)} document(s)")
    finally:
        if own:
            box.close()
    return report


def _scan_one(m: dict[str, Any], box: Sandbox, use_ocr: bool) -> dict[str, Any]:
    path = Path(m["path"])
    if not path.is_file():
        raise MediaError(f"{m['name']}: the original is missing (expected at {path})")
    if sha256_file(path) != m["sha256"]:
        raise MediaError(f"{m['name']}: the file at {path} has changed since it was imported")
    timeout = 60.0 + 10.0 * (m.get("page_count") or 1)
    return box.run(DETECT, (str(path), use_ocr), label=m["name"], timeout=timeout)
