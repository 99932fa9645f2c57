"""What a batch job already did to an item, so running the batch again skips it.

Face detection over a video is recorded in ``settings`` under ``faces_run:<media id>``: the
original's SHA-256 and the detector's settings it ran with. The record is written by the
same undoable edit that adds the tracks, so undoing the run forgets it too.
"""
from __future__ import annotations

import json
from typing import Any

from reviewer.store.db import CaseStore

FACES_PREFIX = "faces_run:"


def faces_key(media_id: int) -> str:
    return f"{FACES_PREFIX}{int(media_id)}"


def get_record(store: CaseStore, key: str) -> tuple[int, dict[str, Any]] | None:
    """``(rowid, value)`` of a record, or None."""
    row = store.query_one("SELECT rowid AS rid, value FROM settings WHERE key = ?", (key,))
    if row is None:
        return None
    try:
        value = json.loads(row["value"])
    except ValueError:
        value = {}
    return int(row["rid"]), value if isinstance(value, dict) else {}
