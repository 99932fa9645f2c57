"""What OCR read on pages that are only pictures (table ``page_ocr``, migration 4).

Each row is one page's words, as ``[[text, x0, y0, x1, y1, [block, par, line], conf], ...]``
in pixels of the picture the reader named by ``reader`` was given. Written by whichever
search first reads the page (the window's Find & redact, ``redact text``), read by the next.
"""
from __future__ import annotations

import json
from typing import Any

from reviewer.store.db import CaseStore


def read_words(store: CaseStore, media_id: int, page_no: int, reader: str) -> list[list[Any]] | None:
    """The words stored for the page, or None when it was never read by ``reader``."""
    row = store.query_one("SELECT words FROM page_ocr WHERE media_id = ? AND page_no = ? AND reader = ?",
                          (media_id, page_no, reader))
    return None if row is None else json.loads(row["words"])


def save_words(store: CaseStore, media_id: int, page_no: int, reader: str,
               words: list[list[Any]]) -> None:
    """Keep the reading, and add its text to the page's searchable text (``pages``, whose
    full-text index `search` and the window's Search read), once."""
    text = ocr_text(words)
    with store.write() as tx:
        tx.execute("INSERT OR REPLACE INTO page_ocr (media_id, page_no, reader, words) VALUES (?, ?, ?, ?)",
                   (media_id, page_no, reader, json.dumps(words, separators=(",", ":"))))
        if text:
            tx.execute("UPDATE pages SET text = trim(text || char(10) || ?) "
                       "WHERE media_id = ? AND page_no = ? AND instr(text, ?) = 0",
                       (text, media_id, page_no, text))


def ocr_text(words: list[list[Any]]) -> str:
    """The reading as lines of words, in the order tesseract gave them."""
    lines: list[str] = []
    key = None
    for w in words:
        line = tuple(w[5])
        if key is None or line != key:
            lines.append(str(w[0]))
        else:
            lines[-1] += " " + str(w[0])
        key = line
    return "\n".join(lines).strip()


def pages_read(store: CaseStore, media_id: int, reader: str) -> set[int]:
    return {int(r["page_no"]) for r in store.query(
        "SELECT page_no FROM page_ocr WHERE media_id = ? AND reader = ?", (media_id, reader))}


def waiting(store: CaseStore, readers: dict[int, str]) -> dict[int, int]:
    """For each document, how many of its pages still wait for OCR: pages whose ``ocr_wanted``
    (migration 7) is a key of ``readers`` and that the reader named for it has not read."""
    out: dict[int, int] = {}
    for wanted, reader in readers.items():
        for r in store.query(
                "SELECT p.media_id AS m, count(*) AS n FROM pages p WHERE p.ocr_wanted = ? AND NOT EXISTS "
                "(SELECT 1 FROM page_ocr o WHERE o.media_id = p.media_id AND o.page_no = p.page_no "
                "AND o.reader = ?) GROUP BY p.media_id", (wanted, reader)):
            out[int(r["m"])] = out.get(int(r["m"]), 0) + int(r["n"])
    return out


def mark_wanted(store: CaseStore, media_id: int, wanted: dict[int, int]) -> None:
    """Record what OCR must read on each page (``{page_no: ocr_wanted}``), for a document
    imported before import recorded it."""
    if not wanted:
        return
    with store.write() as tx:
        tx.conn.executemany("UPDATE pages SET ocr_wanted = ? WHERE media_id = ? AND page_no = ?",
                            [(v, media_id, n) for n, v in wanted.items()])
