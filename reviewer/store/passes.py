"""Which automatic passes ran on an item, with which settings: the records they leave.

Each pass writes one row in ``settings`` under ``<pass>_run:<media id>`` (face detection's
is ``faces_run:``, written by reviewer.batch with its tracks; text detection's
``text_run:``), holding the original's SHA-256, the settings it ran with and when. The
record is part of the undoable edit that adds the pass's redactions, so undoing a run
forgets it too. An export lists them (reviewer.export.expect), and the session says which
are missing before one (reviewer.session.passes).
"""
from __future__ import annotations

import json
from typing import Any

from reviewer.store.batch_records import FACES_PREFIX, get_record
from reviewer.store.db import CaseStore

# every pass a video can have, in the order they are reported
VIDEO_PASSES = ("faces", "text", "speech")
PREFIXES = {"faces": FACES_PREFIX, "text": "text_run:"}


def pass_key(name: str, media_id: int) -> str:
    return f"{PREFIXES[name]}{int(media_id)}"


def pass_records(store: CaseStore, media_row: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per pass a video can have: ``name``, ``ran`` (a record exists for this very
    original, by its SHA-256), and when it ran, ``settings``, ``when`` and ``tracks``."""
    if media_row.get("kind") != "video":
        return []
    out = []
    for name in VIDEO_PASSES:
        if name == "speech":
            if has_audio(media_row):  # a clip with no sound has nothing to transcribe
                out.append(_speech_record(store, media_row))
            continue
        rec = get_record(store, pass_key(name, media_row["id"]))
        value = rec[1] if rec is not None else {}
        ran = rec is not None and value.get("sha256") == media_row.get("sha256")
        entry: dict[str, Any] = {"name": name, "ran": ran}
        if ran:
            entry.update({"settings": value.get("settings", {}), "when": value.get("when", ""),
                          "tracks": value.get("tracks")})
        out.append(entry)
    return out


def record_value(media_row: dict[str, Any], settings: dict[str, Any], tracks: int,
                 when: str) -> str:
    return json.dumps({"sha256": media_row["sha256"], "settings": settings, "tracks": tracks,
                       "when": when})


def has_audio(media_row: dict[str, Any]) -> bool:
    info = media_row.get("info") or {}
    if isinstance(info, str):
        try:
            info = json.loads(info)
        except ValueError:
            info = {}
    # an item imported before the probe counted audio tracks is taken to have sound
    return bool(info.get("audio_tracks", info.get("has_audio", True)))


def _speech_record(store: CaseStore, media_row: dict[str, Any]) -> dict[str, Any]:
    """Speech leaves no record of its own: its transcripts are the record. It ran on this
    original when a transcript shown for one of its audio tracks was made from the same
    SHA-256 (an imported transcript counts: its words were aligned to this audio)."""
    from reviewer.store.transcripts import shown_transcripts

    rows = [t for t in shown_transcripts(store, media_row["id"])
            if t["sha256"] == media_row.get("sha256")]
    if not rows:
        return {"name": "speech", "ran": False}
    models = sorted({t["model"] for t in rows})
    return {"name": "speech", "ran": True, "when": max(t["created"] for t in rows),
            "settings": {"recogniser": ", ".join(models), "audio tracks": len(rows)},
            "tracks": None}
