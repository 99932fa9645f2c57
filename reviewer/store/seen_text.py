"""What ``detect text`` read in the videos (table ``seen_text``, migration 3), and searching it.

One row per text track: its frames, its best reading, and every distinct reading with the
first frame it was read on (``reads``: ``[[frame, text, score], ...]``), so a search hit
lands on the frame where the words were seen, not merely where the track starts.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from typing import Any

from reviewer.store.db import CaseStore


def replace_seen(store: CaseStore, media_id: int, rows: Iterable[dict[str, Any]]) -> int:
    """Replace what was read in one video by ``rows`` (dicts with track_no, frame_from,
    frame_to, text, score, line_h, reads). Returns how many rows were written."""
    rows = list(rows)
    with store.write() as tx:
        tx.execute("DELETE FROM seen_text WHERE media_id = ?", (media_id,))
        tx.conn.executemany(
            "INSERT INTO seen_text (media_id, track_no, frame_from, frame_to, text, score, line_h, "
            "reads) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(media_id, int(r["track_no"]), int(r["frame_from"]), int(r["frame_to"]), r["text"],
              float(r.get("score", 0.0)), float(r.get("line_h", 0.0)),
              json.dumps(r.get("reads", []))) for r in rows])
    return len(rows)


def seen_in(store: CaseStore, media_id: int) -> list[dict[str, Any]]:
    rows = store.query("SELECT * FROM seen_text WHERE media_id = ? ORDER BY frame_from, track_no",
                       (media_id,))
    for r in rows:
        r["reads"] = json.loads(r["reads"] or "[]")
    return rows


def max_track_no(store: CaseStore, media_id: int) -> int:
    row = store.query_one("SELECT max(track_no) AS n FROM seen_text WHERE media_id = ?", (media_id,))
    return int(row["n"] or 0) if row else 0


def detect_text_redactions(store: CaseStore, media_id: int) -> list[dict[str, Any]]:
    """The box redactions detect text made on this video (any status)."""
    return store.query(
        "SELECT id, label, status, frame_from, frame_to FROM redactions "
        "WHERE media_id = ? AND kind = 'box' AND source = 'detect-text' ORDER BY id", (media_id,))


def text_line_height(store: CaseStore, media_id: int, frame_from: int, frame_to: int,
                     label: str) -> float:
    """The text height read for the track labelled ``label`` (``Text N``), 0 if unknown."""
    if not label.startswith("Text "):
        return 0.0
    number = label[5:].split(":", 1)[0].strip()
    if not number.isdigit():
        return 0.0
    row = store.query_one("SELECT line_h FROM seen_text WHERE media_id = ? AND track_no = ?",
                          (media_id, int(number)))
    return float(row["line_h"]) if row else 0.0


# letters and digits a reader confuses in small print (AX0N for AXON, B0DY, 1 for I or l):
# folded alike on both sides, a search for AXON BODY finds what was read as AX0NB0DY
_CONFUSED = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l"})


def _fold(text: str) -> str:
    """Case-, accent- and look-alike-insensitive form for matching what the reader read."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return plain.translate(_CONFUSED)


def search_seen(store: CaseStore, query: str, limit: int = 500) -> list[dict[str, Any]]:
    """Tracks whose readings contain every word of ``query`` (case-insensitively), each
    with the first frame whose reading matched: ``media_id``, ``name``, ``frame``,
    ``frame_to``, ``text``, ``track_no``. In video order."""
    words = [_fold(w) for w in query.split() if w.strip()]
    if not words:
        return []
    out = []
    for r in store.query(
            "SELECT s.*, m.name FROM seen_text s JOIN media m ON m.id = s.media_id "
            "ORDER BY s.media_id, s.frame_from, s.track_no"):
        reads = json.loads(r["reads"] or "[]")
        hit = next(((int(f), t) for f, t, *_ in reads
                    if all(w in _fold(t) for w in words)), None)
        if hit is None and all(w in _fold(r["text"]) for w in words):
            hit = (int(r["frame_from"]), r["text"])
        if hit is None:
            continue
        # cited over the frames that reading is on screen: up to the next different one
        later = [int(f) for f, t, *_ in reads if int(f) > hit[0] and _fold(t) != _fold(hit[1])]
        frame_to = min([r["frame_to"]] + [f - 1 for f in later])
        out.append({"media_id": r["media_id"], "name": r["name"], "frame": hit[0],
                    "frame_to": frame_to, "text": hit[1], "track_no": r["track_no"]})
        if len(out) >= limit:
            break
    return out
