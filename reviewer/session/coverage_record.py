"""The last completed face coverage check of a video, kept in the case.

A check is case state: it was done on this case's clip against this case's redactions, so it
is stored in the case's ``settings`` under ``coverage_check:<media id>`` (another computer
opening the case, or a restart, shows it; another case holding the same file does not). The
record names the original's SHA-256, so a record made on another file is never shown. It is
written through the session (with its audit row) but is no edit to undo: it says what a check
found, at the time it ran.
"""
from __future__ import annotations

import json
from typing import Any

from reviewer.session.edits import Command, Insert, Update

PREFIX = "coverage_check:"


def check_key(media_id: int) -> str:
    return f"{PREFIX}{int(media_id)}"


def record_check(store: Any, media_row: dict[str, Any], per_frame: dict[int, int],
                 frames_checked: int, when: str) -> Command:
    """The command that keeps this check: ``per_frame`` maps each frame with a face not
    covered to how many; ``frames_checked`` is how many frames the findings covered."""
    from reviewer.store.batch_records import get_record

    value = json.dumps({"sha256": media_row.get("sha256"), "when": when,
                        "frames_checked": int(frames_checked),
                        "frames": sorted([int(f), int(n)] for f, n in per_frame.items())})
    key = check_key(media_row["id"])
    rec = get_record(store, key)
    if rec is None:
        return Insert("settings", {"key": key, "value": value}, label="face coverage check")
    return Update("settings", rec[0], {"value": value}, label="face coverage check")


def last_check(store: Any, media_row: dict[str, Any]) -> dict[str, Any] | None:
    """``{"when", "frames_checked", "frames": [(frame, faces), ...]}`` of the last check of this
    very original, or None."""
    from reviewer.store.batch_records import get_record

    rec = get_record(store, check_key(media_row["id"]))
    if rec is None or rec[1].get("sha256") != media_row.get("sha256"):
        return None
    value = rec[1]
    try:
        frames = [(int(f), int(n)) for f, n in value.get("frames", [])]
    except (TypeError, ValueError):
        return None
    return {"when": str(value.get("when", "")), "frames": frames,
            "frames_checked": int(value.get("frames_checked") or 0)}
