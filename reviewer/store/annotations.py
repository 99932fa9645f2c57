"""Reading annotations, links and the timeline of one video; the few writes edit commands
need that the generic row operations of :class:`Tx` cannot do (a track with its keyframes)."""
from __future__ import annotations

import json
import sqlite3
import weakref
from collections.abc import Iterable
from typing import Any

from reviewer.annotate.notes import Annotation, Link
from reviewer.errors import CaseError, NotFound
from reviewer.store.db import CaseStore, Tx

# Indexes the panel and the timeline need at 10,000 notes (bench/annotations.py). Created
# here, idempotently, until a migration carries them.
INDEXES = (
    "CREATE INDEX IF NOT EXISTS links_to ON links(to_id)",
    # the panel's order, so a page from the middle is an index walk, not a sort of every note
    "CREATE INDEX IF NOT EXISTS annotations_panel ON annotations(media_id, coalesce(frame, page_no), id)",
    "CREATE INDEX IF NOT EXISTS redactions_media_frames ON redactions(media_id, kind, frame_from)",
)
_indexed: weakref.WeakSet[CaseStore] = weakref.WeakSet()


def ensure_indexes(store: CaseStore) -> None:
    if store in _indexed or store.conn.in_transaction:
        return
    have = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    if not all(sql.split()[5] in have for sql in INDEXES):
        try:
            with store.write() as tx:
                for sql in INDEXES:
                    tx.execute(sql)
        except (sqlite3.OperationalError, CaseError):
            pass  # a read-only case (e.g. on a locked share) is read without them, only slower
    _indexed.add(store)


def _annotation(row: dict[str, Any], linked: Iterable[int] = ()) -> Annotation:
    rect = json.loads(row["rect"]) if row.get("rect") else None
    return Annotation(
        id=row["id"], media_id=row["media_id"], text=row["text"],
        tags=tuple(json.loads(row["tags"] or "[]")), frame=row["frame"], frame_to=row["frame_to"],
        pts=row["pts"], page_no=row["page_no"], rect_pt=tuple(rect) if rect else None,
        for_bundle=bool(row["for_bundle"]), created=row["created"], linked_ids=tuple(linked))


def _filters(media_id: int | None, tag: str | None, text: str | None) -> tuple[str, list[Any]]:
    where, params = [], []
    if media_id is not None:
        where.append("a.media_id = ?")
        params.append(media_id)
    if tag:
        where.append("EXISTS (SELECT 1 FROM json_each(a.tags) j WHERE j.value = ?)")
        params.append(tag)
    if text:
        esc = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append("a.text LIKE ? ESCAPE '\\'")
        params.append(f"%{esc}%")
    return (" WHERE " + " AND ".join(where)) if where else "", params


def list_annotations(store: CaseStore, media_id: int | None = None, *, tag: str | None = None,
                     text: str | None = None, offset: int = 0,
                     limit: int | None = None) -> list[Annotation]:
    """Notes in panel order (item, then frame or page, then id), optionally filtered by item,
    tag and a piece of text (case-insensitive for ASCII), one page at a time."""
    ensure_indexes(store)
    where, params = _filters(media_id, tag, text)
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    rows = store.query(
        f"SELECT a.* FROM annotations a{where} "
        f"ORDER BY a.media_id, coalesce(a.frame, a.page_no), a.id{page}", params)
    return _with_links(store, rows)


def count_annotations(store: CaseStore, media_id: int | None = None, *, tag: str | None = None,
                      text: str | None = None) -> int:
    where, params = _filters(media_id, tag, text)
    return store.query(f"SELECT count(*) AS n FROM annotations a{where}", params)[0]["n"]


def get_annotation(store: CaseStore | Tx, annotation_id: int) -> Annotation:
    q = store.select if isinstance(store, Tx) else store.query
    rows = q("SELECT * FROM annotations WHERE id = ?", (annotation_id,))
    if not rows:
        raise NotFound(f"annotation {annotation_id}: no such annotation in the case")
    linked = [r["other"] for r in q(
        "SELECT to_id AS other FROM links WHERE from_id = ? UNION "
        "SELECT from_id FROM links WHERE to_id = ?", (annotation_id, annotation_id))]
    return _annotation(rows[0], sorted(linked))


def _with_links(store: CaseStore, rows: list[dict[str, Any]]) -> list[Annotation]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    linked: dict[int, list[int]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        marks = ",".join("?" * len(part))
        for r in store.query(
                f"SELECT from_id, to_id FROM links WHERE from_id IN ({marks}) OR to_id IN ({marks})",
                part + part):
            linked.setdefault(r["from_id"], []).append(r["to_id"])
            linked.setdefault(r["to_id"], []).append(r["from_id"])
    return [_annotation(r, sorted(set(linked.get(r["id"], ())))) for r in rows]


def ids_with_tag(store: CaseStore, tag: str) -> list[tuple[int, tuple[str, ...]]]:
    """(id, tags) of every note carrying ``tag``."""
    rows = store.query("SELECT a.id, a.tags FROM annotations a WHERE EXISTS "
                       "(SELECT 1 FROM json_each(a.tags) j WHERE j.value = ?) ORDER BY a.id", (tag,))
    return [(r["id"], tuple(json.loads(r["tags"]))) for r in rows]


def links_of(store: CaseStore, annotation_id: int) -> list[Link]:
    """Links touching an annotation, whichever end it is."""
    rows = store.query("SELECT * FROM links WHERE from_id = ? OR to_id = ? ORDER BY id",
                       (annotation_id, annotation_id))
    return [Link(r["id"], r["from_id"], r["to_id"], r["note"]) for r in rows]


def link_between(store: CaseStore, a: int, b: int) -> int | None:
    row = store.query_one(
        "SELECT id FROM links WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
        (a, b, b, a))
    return row["id"] if row else None


# -- the timeline of one video -------------------------------------------------------------
def timeline_annotations(store: CaseStore, media_id: int, frame_from: int = 0,
                         frame_to: int | None = None) -> list[dict[str, Any]]:
    """Notes on a video that overlap ``frame_from..frame_to``: id, frame, last frame, tags."""
    ensure_indexes(store)
    hi = frame_to if frame_to is not None else 2 ** 62
    return store.query(
        "SELECT id, frame, coalesce(frame_to, frame) AS last, tags FROM annotations "
        "WHERE media_id = ? AND frame IS NOT NULL AND frame <= ? AND coalesce(frame_to, frame) >= ? "
        "ORDER BY frame, id", (media_id, hi, frame_from))


def timeline_tracks(store: CaseStore, media_id: int, frame_from: int = 0,
                    frame_to: int | None = None) -> list[dict[str, Any]]:
    """Box tracks of a video overlapping the frames: id, range, reason, status, label (what
    detection named it: `Face 2`, `Text 3: 7KQB 482`), keyframe frames."""
    ensure_indexes(store)
    hi = frame_to if frame_to is not None else 2 ** 62
    rows = store.query(
        "SELECT r.id, r.frame_from, r.frame_to, r.reason, r.status, r.source, r.shape, r.style, r.label, "
        "(SELECT json_group_array(k.frame) FROM keyframes k WHERE k.redaction_id = r.id) AS kfs "
        "FROM redactions r WHERE r.media_id = ? AND r.kind = 'box' AND r.frame_from <= ? "
        "AND r.frame_to >= ? ORDER BY r.frame_from, r.id", (media_id, hi, frame_from))
    for r in rows:
        r["keyframes"] = sorted(json.loads(r.pop("kfs") or "[]"))
    return rows


# -- redactions: reads for the builders, the one composite write ----------------------------
def get_redaction(store: CaseStore | Tx, redaction_id: int) -> dict[str, Any]:
    q = store.select if isinstance(store, Tx) else store.query
    rows = q("SELECT * FROM redactions WHERE id = ?", (redaction_id,))
    if not rows:
        raise NotFound(f"redaction {redaction_id}: no such redaction in the case")
    return rows[0]


def keyframes_of(store: CaseStore | Tx, redaction_id: int) -> list[dict[str, Any]]:
    q = store.select if isinstance(store, Tx) else store.query
    return q("SELECT * FROM keyframes WHERE redaction_id = ? ORDER BY frame", (redaction_id,))


def page_rects(store: CaseStore, media_id: int, source: str | None = None) -> set[tuple]:
    """(page_no, rect json, reason) of the active page redactions of a document."""
    extra, params = (" AND source = ?", (media_id, source)) if source else ("", (media_id,))
    rows = store.query(
        "SELECT page_no, rect, reason FROM redactions WHERE media_id = ? AND kind = 'page' "
        f"AND status = 'active'{extra}", params)
    return {(r["page_no"], r["rect"], r["reason"]) for r in rows}


def page_sizes(store: CaseStore, media_id: int) -> dict[int, tuple[float | None, float | None]]:
    return {r["page_no"]: (r["width_pt"], r["height_pt"]) for r in store.query(
        "SELECT page_no, width_pt, height_pt FROM pages WHERE media_id = ?", (media_id,))}


def keyframes_have_pts(src: Tx | CaseStore) -> bool:
    # a later migration may give keyframes a pts column; store it as soon as there is one
    q = src.select if isinstance(src, Tx) else src.query
    return any(r["name"] == "pts" for r in q("PRAGMA table_info(keyframes)"))


def insert_track(tx: Tx, values: dict[str, Any],
                 keyframes: Iterable[tuple[int, float, float, float, float, int | None]]) -> int:
    """Insert a box redaction and its keyframes ``(frame, x, y, w, h, pts)``; returns its id."""
    track_id = tx.insert("redactions", values)
    for kf in keyframes:
        insert_keyframe(tx, track_id, *kf)
    return track_id


def insert_keyframe(tx: Tx, redaction_id: int, frame: int, x: float, y: float, w: float,
                    h: float, pts: int | None = None) -> int:
    row: dict[str, Any] = {"redaction_id": redaction_id, "frame": frame, "x": x, "y": y, "w": w,
                           "h": h}
    if pts is not None and keyframes_have_pts(tx):
        row["pts"] = pts
    return tx.insert("keyframes", row)


def keyframe_at(tx: Tx, redaction_id: int, frame: int) -> dict[str, Any] | None:
    rows = tx.select("SELECT * FROM keyframes WHERE redaction_id = ? AND frame = ?",
                     (redaction_id, frame))
    return rows[0] if rows else None


def get_keyframe(store: CaseStore, keyframe_id: int) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM keyframes WHERE id = ?", (keyframe_id,))
    if row is None:
        raise NotFound(f"keyframe {keyframe_id}: no such keyframe")
    return row
