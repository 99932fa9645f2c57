"""The requester-side withheld log: regions the producing agency withheld, per page.

Detected rows (``source = 'detected'``) are replaced whole when a document is scanned
again; rows a user added or corrected (``manual``, ``corrected``) are kept. That a document
was scanned is recorded in ``settings`` under ``withheld_scanned:<media id>`` so the CLI
scans each document once.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from reviewer.store.db import CaseStore, Tx, now_iso

SCANNED_PREFIX = "withheld_scanned:"
TABLE = "withheld"


def scanned_key(media_id: int) -> str:
    return f"{SCANNED_PREFIX}{media_id}"


def row_values(media_id: int, page_no: int, rect: Iterable[float], codes: Iterable[str],
               bates: str | None = None, comment: str = "", source: str = "manual") -> dict[str, Any]:
    """Column values for one row (rect in PDF points, top-left, as displayed)."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    return {"media_id": int(media_id), "page_no": int(page_no), "bates": bates,
            "rect": json.dumps([round(min(x0, x1), 2), round(min(y0, y1), 2),
                                round(max(x0, x1), 2), round(max(y0, y1), 2)]),
            "codes": json.dumps(list(codes)), "comment": comment, "source": source}


def replace_detected(tx: Tx, media_id: int, regions: list[dict[str, Any]], info: dict[str, Any]) -> int:
    """Swap a document's detected rows for ``regions`` and mark it scanned; returns the count."""
    tx.execute("DELETE FROM withheld WHERE media_id = ? AND source = 'detected'", (media_id,))
    kept = tx.select("SELECT page_no, rect FROM withheld WHERE media_id = ?", (media_id,))
    kept_keys = {(r["page_no"], r["rect"]) for r in kept}
    n = 0
    for reg in regions:
        values = row_values(media_id, reg["page"], reg["rect"], reg.get("codes", []),
                            reg.get("bates"), source="detected")
        if (values["page_no"], values["rect"]) in kept_keys:
            continue  # the user already holds a corrected copy of this region
        tx.insert(TABLE, values)
        n += 1
    record = {"scanned": now_iso(), "regions": n, **info}
    tx.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
               (scanned_key(media_id), json.dumps(record, default=str)))
    tx.audit("withheld.detect", {"media_id": media_id, "regions": n, "ocr": info.get("ocr")})
    return n


def scan_record(store: CaseStore, media_id: int) -> dict[str, Any] | None:
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (scanned_key(media_id),))
    return json.loads(row["value"]) if row else None


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    row["rect"] = json.loads(row["rect"])
    row["codes"] = json.loads(row["codes"])
    return row


def list_withheld(store: CaseStore, media_id: int | None = None) -> list[dict[str, Any]]:
    """Rows with the document's name, in document, page, top-to-bottom order."""
    sql = ("SELECT w.*, m.name AS media_name FROM withheld w JOIN media m ON m.id = w.media_id "
           + ("WHERE w.media_id = ? " if media_id is not None else "")
           + "ORDER BY w.media_id, w.page_no, json_extract(w.rect, '$[1]'), json_extract(w.rect, '$[0]'), w.id")
    return [_decode(r) for r in store.query(sql, (media_id,) if media_id is not None else ())]


def get_withheld(store: CaseStore, row_id: int) -> dict[str, Any] | None:
    row = store.query_one("SELECT * FROM withheld WHERE id = ?", (row_id,))
    return _decode(row) if row else None


def counts_by_code(store: CaseStore, media_id: int | None = None) -> list[dict[str, Any]]:
    """Regions per exemption code (a region with two codes counts under each); ``""`` = unlabelled."""
    where = "WHERE w.media_id = ?" if media_id is not None else ""
    params = (media_id,) if media_id is not None else ()
    rows = store.query(
        f"SELECT j.value AS code, count(*) AS regions, count(DISTINCT w.media_id || ':' || w.page_no) AS pages "
        f"FROM withheld w, json_each(w.codes) j {where} GROUP BY j.value ORDER BY regions DESC, code", params)
    none = store.query_one(
        f"SELECT count(*) AS regions, count(DISTINCT w.media_id || ':' || w.page_no) AS pages FROM withheld w "
        f"{where + ' AND' if where else 'WHERE'} json_array_length(w.codes) = 0", params)
    if none and none["regions"]:
        rows.append({"code": "", "regions": none["regions"], "pages": none["pages"]})
    return rows


def counts_by_document(store: CaseStore) -> list[dict[str, Any]]:
    return store.query(
        "SELECT m.id AS media_id, m.name AS media_name, m.page_count, count(w.id) AS regions, "
        "count(DISTINCT w.page_no) AS pages FROM media m LEFT JOIN withheld w ON w.media_id = m.id "
        "WHERE m.kind = 'pdf' GROUP BY m.id ORDER BY m.id")
