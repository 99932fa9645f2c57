"""Reading exhibits (and what a bundle needs from the case) back; writes go through edit commands."""
from __future__ import annotations

import json
from typing import Any

from reviewer.errors import NotFound
from reviewer.store.db import CaseStore


def list_exhibits(store: CaseStore) -> list[dict[str, Any]]:
    """Every exhibit in bundle order (``seq``, then id so ties stay stable), with its item's name."""
    return store.query(
        "SELECT e.*, m.name AS media_name, m.kind AS media_kind FROM exhibits e "
        "JOIN media m ON m.id = e.media_id ORDER BY e.seq, e.id")


def get_exhibit(store: CaseStore, exhibit_id: int) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM exhibits WHERE id = ?", (exhibit_id,))
    if row is None:
        raise NotFound(f"{store.folder}: no exhibit {exhibit_id} in the case")
    return row


def next_seq(store: CaseStore) -> int:
    row = store.query_one("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM exhibits")
    return int(row["n"]) if row else 1


def get_setting(store: CaseStore, key: str) -> str | None:
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
    return None if row is None else str(row["value"])


def setting_rowid(store: CaseStore, key: str) -> int | None:
    """The settings row's rowid (edit commands address settings rows by it), None if unset."""
    row = store.query_one("SELECT rowid AS id FROM settings WHERE key = ?", (key,))
    return None if row is None else int(row["id"])


def reason_descriptions(store: CaseStore) -> dict[str, str]:
    return {r["code"]: r["description"] for r in store.query("SELECT code, description FROM reasons")}


def bundle_annotations(store: CaseStore) -> list[dict[str, Any]]:
    """Only the annotations the user marked for the bundle: notes are work product otherwise.

    The filter is in SQL so nothing else is ever read into the bundle code."""
    rows = store.query(
        "SELECT a.id, a.media_id, a.frame, a.frame_to, a.page_no, a.rect, a.text, a.tags, "
        "m.name AS media_name, m.kind AS media_kind FROM annotations a "
        "JOIN media m ON m.id = a.media_id WHERE a.for_bundle = 1 "
        "ORDER BY a.media_id, COALESCE(a.frame, a.page_no), a.id")
    for r in rows:
        r["tags"] = json.loads(r["tags"] or "[]")
        r["rect"] = json.loads(r["rect"]) if r["rect"] else None
    return rows


def page_bates(store: CaseStore, media_id: int, page_no: int) -> str | None:
    row = store.query_one("SELECT bates FROM pages WHERE media_id = ? AND page_no = ?",
                          (media_id, page_no))
    bates = (row or {}).get("bates")
    return bates.strip() if bates and bates.strip() else None
