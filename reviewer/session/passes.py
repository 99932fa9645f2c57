"""Which automatic passes have run on an item, and which have not: what the window asks
before an export (offering to run the missing ones) and what ``reviewer export`` prints.

A pass that never ran checked nothing: an export of a video whose text was never looked for
must not read as if its text had been. So every export says which passes ran, with their
settings, and which did not, in words that state what was done, not what is guaranteed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.store.db import CaseStore

WHAT = {"faces": "faces were", "text": "text in the picture (plates, badges, screens) was",
        "speech": "spoken words were"}
WHO = {"faces": "the face detector (CenterFace)", "text": "the text detector and reader (PP-OCRv4)",
       "speech": "the speech recogniser"}
COMMAND = {"faces": "detect faces", "text": "detect text", "speech": "transcribe"}


@dataclass(frozen=True)
class PassRun:
    name: str                # faces | text | speech
    ran: bool                # a run is recorded for this very original (same SHA-256)
    settings: dict[str, Any] = field(default_factory=dict)
    when: str = ""
    tracks: int | None = None
    current: bool = True     # ran with the settings this version of Reviewer uses

    def line(self) -> str:
        """One line for a person: what was looked for, with what, or that it was not."""
        if not self.ran:
            return (f"{self.name}: not run on this item; {WHAT[self.name]} not looked for "
                    f"(reviewer {COMMAND[self.name]})")
        how = ", ".join(f"{k} {v}" for k, v in sorted(self.settings.items())
                        if k not in ("version", "model", "model_size") and v not in ("", None))
        found = f", {self.tracks} track(s) made" if self.tracks is not None else ""
        stale = "" if self.current else " (settings older than this version's)"
        return (f"{self.name}: {WHO[self.name]} ran on this item {self.when}"
                f"{' with ' + how if how else ''}{found}{stale}")


def passes_run(store: CaseStore, media_row: dict[str, Any]) -> list[PassRun]:
    """Every pass this kind of item can have, run or not, with its settings (empty for a
    document: its passes are the text search and the identifier sweep, run at export)."""
    from reviewer.store.passes import pass_records

    out = []
    for rec in pass_records(store, media_row):
        current = True
        if rec["ran"] and rec["name"] == "faces":
            from reviewer.session.detect import run_key

            current = rec.get("settings") == run_key(media_row)
        out.append(PassRun(rec["name"], rec["ran"], dict(rec.get("settings") or {}),
                           str(rec.get("when") or ""), rec.get("tracks"), current))
    return out


def missing_passes(store: CaseStore, media_row: dict[str, Any]) -> list[str]:
    """Names of the passes that have not run on this item (in the order to offer them)."""
    return [p.name for p in passes_run(store, media_row) if not p.ran]


def passes_lines(store: CaseStore, media_row: dict[str, Any]) -> list[str]:
    return [p.line() for p in passes_run(store, media_row)]
