"""The redaction log: one row per redaction, shaped like a Vaughn index (item, where, why)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from reviewer.annotate.geometry import Box
from reviewer.inert import inert_dict
from reviewer.store import redactions as redaction_store
from reviewer.store.db import CaseStore
from reviewer.store.exhibits import reason_descriptions
from reviewer.timebase import FrameTimes, timecode

COLUMNS = ("item", "kind", "location", "reason", "reason_description", "exhibits",
           "frame_from", "frame_to", "page", "rect", "t_from", "t_to", "style", "redaction_id")
EN = "\u2013"


def _num(v: float) -> str:
    return f"{v:g}" if float(v) != int(v) else str(int(v))


def _box(b: Box) -> str:
    return ",".join(_num(v) for v in (b.x_px, b.y_px, b.w_px, b.h_px))


def log_rows(store: CaseStore, exhibits: list[dict[str, Any]], labels: dict[int, str],
             times_of: Callable[[dict[str, Any]], FrameTimes | None]) -> list[dict[str, str]]:
    """Every active redaction of the case, with the exhibits whose range it touches."""
    reasons = reason_descriptions(store)
    tracks: dict[int, dict[int, Any]] = {}
    rows: list[dict[str, str]] = []
    for r in redaction_store.all_redactions(store):
        mid = r["media_id"]
        row = {c: "" for c in COLUMNS}
        row.update(item=r["media_name"], kind=r["kind"], reason=r["reason"] or "",
                   reason_description=reasons.get(r["reason"] or "", ""),
                   redaction_id=str(r["id"]))
        touched: list[str] = []
        if r["kind"] == "box":
            if mid not in tracks:
                tracks[mid] = {t.id: t for t in redaction_store.box_tracks(store, mid)}
            track = tracks[mid].get(r["id"])
            a, b = r["frame_from"], r["frame_to"]
            where = f"frames {a}{EN}{b}"
            times = times_of({"id": mid, "kind": "video"})
            if times is not None and 0 <= a <= b < times.count:
                where += f" ({times.timecode(a)}{EN}{times.timecode(b)})"
            if track is not None:
                kfs = track.keyframes
                boxes = (f"box {_box(kfs[0].box)}" if len(kfs) == 1 else
                         "box " + " \u2192 ".join(f"{_box(k.box)} at frame {k.frame}" for k in kfs))
                where += f", {boxes}" + (f" ({r['shape']})" if r["shape"] != "rect" else "")
                row["rect"] = _box(track.box_at(a))
            row.update(location=where, frame_from=str(a), frame_to=str(b), style=r["style"])
            touched = [labels[e["id"]] for e in exhibits if e["media_id"] == mid
                       and e["kind"] in ("clip", "still") and e["frame_from"] <= b and a <= e["frame_to"]]
        elif r["kind"] == "audio":
            t0, t1 = Fraction(r["t_from"]), Fraction(r["t_to"])
            row.update(location=f"audio {timecode(t0)}{EN}{timecode(t1)} ({r['mode'] or 'mute'})",
                       t_from=str(float(t0)), t_to=str(float(t1)), style=r["mode"] or "mute")
            times = times_of({"id": mid, "kind": "video"})
            for e in exhibits:
                # a transcript exhibit shows the words under an audio redaction as a mark
                if e["media_id"] != mid or e["kind"] not in ("clip", "transcript") or times is None:
                    continue
                s0, s1 = times.seconds(e["frame_from"]), _frame_end(times, e["frame_to"])
                if t0 < s1 and s0 <= t1:
                    touched.append(labels[e["id"]])
        else:
            rect = json.loads(r["rect"]) if r["rect"] else []
            rect_s = ",".join(_num(v) for v in rect)
            row.update(location=f"page {r['page_no']}, box {rect_s} (points)",
                       page=str(r["page_no"]), rect=rect_s)
            touched = [labels[e["id"]] for e in exhibits if e["media_id"] == mid
                       and e["kind"] == "document" and e["page_from"] <= r["page_no"] <= e["page_to"]]
        row["exhibits"] = "; ".join(touched)
        rows.append(row)
    return rows


def _frame_end(times: FrameTimes, frame: int) -> Fraction:
    if frame + 1 < times.count:
        return times.seconds(frame + 1)
    return times.end_seconds()


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for row in rows:
        # item names come from the agency's files: a spreadsheet must show them, never run them
        w.writerow(inert_dict(row))
    # a BOM so spreadsheet programs read the en dashes and arrows as UTF-8
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
