"""What was said in the videos (tables ``transcripts``, ``spoken_words``, ``speech_gaps``;
migration 5): writing a track's transcript, reading the words shown for an item.

A transcript is derived data, like a page's text: it is written whole in one transaction
(with an audit row), never half. Corrections to single words are edit commands on
``spoken_words`` rows (reviewer.session.speech), undone like any other edit.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reviewer.store.db import CaseStore, now_iso


def find_transcript(store: CaseStore, media_id: int, track: int, sha256: str, model: str,
                    settings: dict[str, Any]) -> dict[str, Any] | None:
    return store.query_one(
        "SELECT * FROM transcripts WHERE media_id = ? AND track = ? AND sha256 = ? AND model = ? "
        "AND settings = ?", (media_id, track, sha256, model, json.dumps(settings, sort_keys=True)))


def save_transcript(store: CaseStore, media_id: int, track: int, sha256: str, model: str,
                    settings: dict[str, Any], seconds: float,
                    words: Sequence[tuple[str, float, float, float]],
                    gaps: Sequence[tuple[float, float]]) -> int:
    """Write one track's transcript (replacing one kept under the same key); its id.
    ``words``: (word, start_s, end_s, confidence)."""
    key = json.dumps(settings, sort_keys=True)
    with store.write() as tx:
        tx.execute("DELETE FROM transcripts WHERE media_id = ? AND track = ? AND sha256 = ? AND "
                   "model = ? AND settings = ?", (media_id, track, sha256, model, key))
        tid = tx.insert("transcripts", {"media_id": media_id, "track": track, "sha256": sha256,
                                        "model": model, "settings": key, "seconds": float(seconds),
                                        "created": now_iso()})
        tx.conn.executemany(
            "INSERT INTO spoken_words (transcript_id, media_id, track, seq, word, heard, start_s, "
            "end_s, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(tid, media_id, track, i, w, w, float(a), float(b), float(c))
             for i, (w, a, b, c) in enumerate(words)])
        tx.conn.executemany("INSERT INTO speech_gaps (transcript_id, start_s, end_s) VALUES (?, ?, ?)",
                            [(tid, float(a), float(b)) for a, b in gaps])
        tx.audit("transcribe", {"media_id": media_id, "track": track, "model": model,
                                "settings": settings, "words": len(words), "gaps": len(gaps)})
    return tid


def shown_transcripts(store: CaseStore, media_id: int) -> list[dict[str, Any]]:
    """For each audio track of the item, its newest transcript."""
    return store.query(
        "SELECT t.* FROM transcripts t WHERE t.media_id = ? AND t.id = (SELECT max(id) FROM "
        "transcripts u WHERE u.media_id = t.media_id AND u.track = t.track) ORDER BY t.track",
        (media_id,))


def words_of(store: CaseStore, media_id: int) -> list[dict[str, Any]]:
    """The words of the shown transcripts, in time order (track breaks ties): ``id``,
    ``word``, ``heard``, ``start_s``, ``end_s``, ``track``, ``confidence``, ``seq``."""
    ids = [t["id"] for t in shown_transcripts(store, media_id)]
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    return store.query(
        f"SELECT id, transcript_id, word, heard, start_s, end_s, track, confidence, seq "
        f"FROM spoken_words WHERE transcript_id IN ({marks}) ORDER BY start_s, track, seq", ids)


def gaps_of(store: CaseStore, media_id: int) -> list[dict[str, Any]]:
    """Speech heard but not transcribed, in the shown transcripts: ``start_s``, ``end_s``, ``track``."""
    return store.query(
        "SELECT g.start_s, g.end_s, t.track FROM speech_gaps g JOIN transcripts t ON t.id = "
        "g.transcript_id WHERE t.media_id = ? AND t.id = (SELECT max(id) FROM transcripts u WHERE "
        "u.media_id = t.media_id AND u.track = t.track) ORDER BY g.start_s", (media_id,))


def transcribed_media(store: CaseStore) -> list[dict[str, Any]]:
    """Every item with a transcript: ``id``, ``name``."""
    return store.query("SELECT DISTINCT m.id, m.name FROM transcripts t JOIN media m ON "
                       "m.id = t.media_id ORDER BY m.id")


def audio_spans(store: CaseStore, media_id: int) -> list[tuple[str, str]]:
    """The item's active audio redactions as (t_from, t_to) exact-seconds strings."""
    return [(r["t_from"], r["t_to"]) for r in store.query(
        "SELECT t_from, t_to FROM redactions WHERE media_id = ? AND kind = 'audio' AND "
        "status = 'active' ORDER BY id", (media_id,))]


def engine_word_times(store: CaseStore, media_id: int, track: int) -> list[tuple[float, float]]:
    """(start, end) of each word the recogniser heard on ``track``, newest run (not an import)."""
    row = store.query_one("SELECT id FROM transcripts WHERE media_id = ? AND track = ? AND model "
                          "NOT LIKE 'import:%' ORDER BY id DESC LIMIT 1", (media_id, track))
    if row is None:
        return []
    return [(r["start_s"], r["end_s"]) for r in store.query(
        "SELECT start_s, end_s FROM spoken_words WHERE transcript_id = ? ORDER BY seq", (row["id"],))]
