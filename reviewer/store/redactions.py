"""Reading redactions back as domain values (writes go through edit commands)."""
from __future__ import annotations

import json
from fractions import Fraction

from reviewer.annotate.geometry import AudioSpan, Box, BoxTrack, Keyframe, PageBox
from reviewer.store.db import CaseStore


def box_tracks(store: CaseStore, media_id: int, status: str = "active") -> list[BoxTrack]:
    rows = store.query(
        "SELECT * FROM redactions WHERE media_id = ? AND kind = 'box' AND status = ? ORDER BY id",
        (media_id, status))
    kfs: dict[int, list[Keyframe]] = {}
    for k in store.query(
        "SELECT k.* FROM keyframes k JOIN redactions r ON r.id = k.redaction_id "
        "WHERE r.media_id = ? ORDER BY k.redaction_id, k.frame", (media_id,)):
        kfs.setdefault(k["redaction_id"], []).append(
            Keyframe(k["frame"], Box(k["x"], k["y"], k["w"], k["h"])))
    return [BoxTrack(r["id"], media_id, r["frame_from"], r["frame_to"], tuple(kfs.get(r["id"], ())),
                     r["shape"], r["style"], r["reason"]) for r in rows if kfs.get(r["id"])]


def audio_spans(store: CaseStore, media_id: int) -> list[AudioSpan]:
    rows = store.query(
        "SELECT * FROM redactions WHERE media_id = ? AND kind = 'audio' AND status = 'active' "
        "ORDER BY id", (media_id,))
    return [AudioSpan(r["id"], media_id, Fraction(r["t_from"]), Fraction(r["t_to"]),
                      r["mode"] or "mute", r["reason"]) for r in rows]


def page_boxes(store: CaseStore, media_id: int) -> list[PageBox]:
    rows = store.query(
        "SELECT * FROM redactions WHERE media_id = ? AND kind = 'page' AND status = 'active' "
        "ORDER BY page_no, id", (media_id,))
    out = []
    for r in rows:
        x0, y0, x1, y1 = json.loads(r["rect"])
        out.append(PageBox(r["id"], media_id, r["page_no"], x0, y0, x1, y1, r["reason"]))
    return out


def all_redactions(store: CaseStore) -> list[dict]:
    """Every active redaction of the case, for the redaction log."""
    return store.query(
        "SELECT r.*, m.name AS media_name FROM redactions r JOIN media m ON m.id = r.media_id "
        "WHERE r.status = 'active' ORDER BY r.media_id, r.id")
