"""Media items, their frame indexes and their pages."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from reviewer.errors import NotFound
from reviewer.store.db import CaseStore, Tx, now_iso

MEDIA_FIELDS_VIDEO = ("frame_count", "width", "height", "duration", "fps")


def add_media(tx: Tx, *, kind: str, name: str, path: str, sha256: str, size: int,
              fields: dict[str, Any], info: dict[str, Any]) -> int:
    values = {"kind": kind, "name": name, "path": path, "sha256": sha256, "size": size,
              "added": now_iso(), "info": json.dumps(info, default=str)}
    values.update(fields)
    media_id = tx.insert("media", values)
    tx.audit("media.import", {"id": media_id, "name": name, "sha256": sha256, "kind": kind})
    return media_id


def media_by_sha(store: CaseStore, sha256: str) -> dict[str, Any] | None:
    return store.query_one("SELECT * FROM media WHERE sha256 = ?", (sha256,))


def list_media(store: CaseStore) -> list[dict[str, Any]]:
    rows = store.query("SELECT * FROM media ORDER BY id")
    for r in rows:
        r["info"] = json.loads(r["info"] or "{}")
    return rows


def get_media(store: CaseStore, media_id: int) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM media WHERE id = ?", (media_id,))
    if row is None:
        raise NotFound(f"{store.folder}: no item {media_id} in the case")
    row["info"] = json.loads(row["info"] or "{}")
    return row


def find_media(store: CaseStore, ref: str) -> dict[str, Any]:
    """An item named by its id, or by its file name when that is unique in the case."""
    ref = str(ref).strip()
    if ref.isdigit():
        row = store.query_one("SELECT id FROM media WHERE id = ?", (int(ref),))
        if row:
            return get_media(store, row["id"])
    rows = store.query("SELECT id FROM media WHERE name = ?", (ref,))
    if len(rows) == 1:
        return get_media(store, rows[0]["id"])
    if not rows:
        rows = _loose_matches(store, ref)
        if len(rows) == 1:
            return get_media(store, rows[0]["id"])
    if len(rows) > 1:
        ids = ", ".join(str(r["id"]) for r in rows)
        raise NotFound(f"{ref}: more than one item has this name (ids {ids}); use the id")
    raise NotFound(f"{ref}: no such item in the case")


def _loose_matches(store: CaseStore, ref: str) -> list[dict[str, Any]]:
    """Items a user plausibly meant when no name matches exactly: the same name in another
    Unicode normal form (macOS file names are decomposed: "u" + combining diaeresis), or the
    path of the original (its full path first, else its file name)."""
    import os
    import unicodedata

    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text)

    everything = store.query("SELECT id, name, path FROM media ORDER BY id")
    if os.sep in ref or (os.altsep and os.altsep in ref):
        try:
            full = nfc(str(Path(ref).expanduser().resolve()))
        except (OSError, RuntimeError, ValueError):
            full = ""
        same = [r for r in everything if nfc(str(r["path"])) == full]
        if same:
            return same
        ref = Path(ref).name
    return [r for r in everything if nfc(str(r["name"])) == nfc(ref)]


def documents(store: CaseStore, ref: str | None, why_not_video: str) -> list[dict[str, Any]]:
    """The PDF named by ``ref``, or every PDF of the case when ``ref`` is empty; naming a
    video is an error that ends with ``why_not_video``."""
    if ref:
        media = find_media(store, ref)
        if media["kind"] != "pdf":
            raise NotFound(f"{media['name']}: is a video; {why_not_video}")
        return [media]
    return [m for m in list_media(store) if m["kind"] == "pdf"]


def public_record(row: dict[str, Any]) -> dict[str, Any]:
    """The fields ``list --json`` and ``probe --json`` print for one item."""
    out = {"id": row.get("id"), "kind": row["kind"], "name": row["name"], "path": row["path"],
           "sha256": row["sha256"]}
    if row["kind"] == "video":
        for key in MEDIA_FIELDS_VIDEO:
            out[key] = row.get(key)
    else:
        out["page_count"] = row.get("page_count")
    return out


def save_frame_index(tx: Tx, media_id: int, data: bytes, info: dict[str, Any]) -> None:
    tx.execute(
        "INSERT OR REPLACE INTO frame_index (media_id, data, info) VALUES (?, ?, ?)",
        (media_id, data, json.dumps(info, default=str)),
    )


def load_frame_index(store: CaseStore, media_id: int) -> tuple[bytes, dict[str, Any]] | None:
    row = store.query_one("SELECT data, info FROM frame_index WHERE media_id = ?", (media_id,))
    if row is None:
        return None
    return row["data"], json.loads(row["info"])


class FrameIndexCache:
    """One item's row in ``frame_index``, as the load/save pair MEDIA's ``cached_index``
    takes (MEDIA and STORE are siblings: the caller hands one to the other)."""

    def __init__(self, store: CaseStore, media_id: int) -> None:
        self._store, self._media_id = store, media_id

    def load(self) -> bytes | None:
        stored = load_frame_index(self._store, self._media_id)
        return None if stored is None else stored[0]

    def save(self, data: bytes, info: dict[str, Any]) -> None:
        with self._store.write() as tx:
            save_frame_index(tx, self._media_id, data, info)


def add_pages(tx: Tx, media_id: int, pages: Iterable[dict[str, Any]]) -> None:
    """``pages``: dicts with page_no, text, bates, width_pt, height_pt, ocr_layer, ocr_wanted
    (reviewer.pdf.pictures: what OCR must read on the page)."""
    tx.conn.executemany(
        "INSERT INTO pages (media_id, page_no, text, bates, width_pt, height_pt, ocr_layer, ocr_wanted) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(media_id, p["page_no"], p.get("text", ""), p.get("bates"), p.get("width_pt"),
          p.get("height_pt"), int(bool(p.get("ocr_layer"))), int(p.get("ocr_wanted") or 0)) for p in pages],
    )


def pages_of(store: CaseStore, media_id: int) -> list[dict[str, Any]]:
    return store.query(
        "SELECT page_no, text, bates, width_pt, height_pt, ocr_layer FROM pages "
        "WHERE media_id = ? ORDER BY page_no", (media_id,))


def page_size(store: CaseStore, media_id: int, page_no: int) -> tuple[float, float] | None:
    """(width, height) of one page in points, as displayed; None for no such page."""
    row = store.query_one("SELECT width_pt, height_pt FROM pages WHERE media_id = ? AND page_no = ?",
                          (media_id, page_no))
    return None if row is None else (float(row["width_pt"] or 0), float(row["height_pt"] or 0))


def page_for_bates(store: CaseStore, bates: str) -> dict[str, Any] | None:
    return store.query_one(
        "SELECT media_id, page_no, bates FROM pages WHERE upper(bates) = upper(?)", (bates.strip(),))


def search_pages(store: CaseStore, query: str, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Full-text search over every page of every document (FTS5), best first: every hit, or
    ``limit`` of them from ``offset`` on (to page through them; :func:`count_pages` says how
    many there are). The query matches as a reader's Find does (:func:`_fts_query`)."""
    fts = _fts_query(query)
    if not fts:
        return []
    return store.query(
        "SELECT p.media_id, p.page_no, p.bates, m.name, "
        "snippet(pages_fts, 0, '[', ']', '…', 12) AS snippet, bm25(pages_fts) AS rank "
        "FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid JOIN media m ON m.id = p.media_id "
        "WHERE pages_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
        (fts, -1 if limit is None else int(limit), int(offset)))


def count_pages(store: CaseStore, query: str) -> int:
    """How many pages :func:`search_pages` finds for ``query``."""
    fts = _fts_query(query)
    if not fts:
        return 0
    row = store.query_one("SELECT count(*) AS n FROM pages_fts WHERE pages_fts MATCH ?", (fts,))
    return int(row["n"]) if row else 0


def _fts_query(text: str) -> str:
    """The query as FTS5 phrases: the words typed match next to each other, in that order
    ("detention log" is not a page holding "log" and "detention" apart); parts in double
    quotes are phrases of their own and the page must hold each ('"Maria Garcia" Harbor').
    Case, accents and punctuation between words are ignored (FTS5's unicode61 tokenizer)."""
    parts = text.split('"')
    if len(parts) == 1:
        phrases = [text]
    else:  # odd parts were inside quotes; words outside them stand alone
        phrases = [p if i % 2 else w for i, p in enumerate(parts) for w in ([p] if i % 2 else p.split())]
    out = [" ".join(p.split()) for p in phrases]
    return " ".join(f'"{p}"' for p in out if p)