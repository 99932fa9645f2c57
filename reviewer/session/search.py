"""Search a case: the documents' text (FTS5), the words ``detect text`` read in the videos
and the words spoken in them (transcripts), as pin-citable hits (page and Bates number;
frame and timecode). Spoken names that only sound like the query come last, marked
``"match": "near"``."""
from __future__ import annotations

from typing import Any

from reviewer.store.db import CaseStore


def search_case(store: CaseStore, query: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Every hit (or the first ``limit``), by item then place: ``media``, ``media_name``, ``kind``, ``page``/``bates``
    (documents) or ``frame``/``frame_to``/``timecode`` (videos), ``text`` (a snippet), and
    ``cite``: a pin cite to the item (``street.mp4 at 00:00:01.000–00:00:01.933``,
    ``prod.pdf at ICE-2023-000124``, or ``at p. 2`` where the page has no Bates number)."""
    from reviewer.session.annotations import frame_times
    from reviewer.store import media as media_store
    from reviewer.store.seen_text import search_seen

    hits: list[dict[str, Any]] = []
    for r in media_store.search_pages(store, query, limit):
        where = r["bates"] or f"p. {r['page_no']}"
        hits.append({"media": r["media_id"], "media_name": r["name"], "kind": "pdf",
                     "page": r["page_no"], "bates": r["bates"],
                     # one line: a snippet across a line break would split a hit in two
                     "text": " ".join((r.get("snippet") or "").replace("[", "").replace("]", "").split()),
                     "cite": f"{r['name']} at {where}"})
    times: dict[int, Any] = {}
    for r in search_seen(store, query, limit if limit is not None else 1 << 62):
        mid = r["media_id"]
        if mid not in times:
            times[mid] = frame_times(store, media_store.get_media(store, mid))
        ft = times[mid]
        ok = ft is not None and r["frame_to"] < ft.count
        tc = ft.timecode(r["frame"]) if ok else None
        cite = (f"{r['name']} at {tc}\u2013{ft.timecode(r['frame_to'])}" if ok and r["frame_to"] > r["frame"]
                else f"{r['name']} at {tc or 'frame ' + str(r['frame'])}")
        hits.append({"media": mid, "media_name": r["name"], "kind": "video", "frame": r["frame"],
                     "frame_to": r["frame_to"], "timecode": tc, "text": r["text"], "cite": cite})
    hits.sort(key=lambda h: (h["media"], h.get("page") or 0, h.get("frame") or 0))
    hits += _spoken(store, query, limit, times)
    return hits if limit is None else hits[:limit]


def _spoken(store: CaseStore, query: str, limit: int | None, times: dict[int, Any]) -> list[dict[str, Any]]:
    from fractions import Fraction

    from reviewer.session.annotations import frame_times
    from reviewer.session.speech import search_speech
    from reviewer.store import media as media_store
    from reviewer.timebase import timecode

    out = []
    for h in search_speech(store, query, limit):
        mid = h["media"]
        if mid not in times:
            times[mid] = frame_times(store, media_store.get_media(store, mid))
        ft = times[mid]
        a, b = Fraction(h["start"]).limit_denominator(1000), Fraction(h["end"]).limit_denominator(1000)
        frame = ft.frame_at_seconds(a) if ft is not None else None
        out.append({"media": mid, "media_name": h["media_name"], "kind": "video",
                    "found_in": "speech", "match": h["match"], "frame": frame,
                    "timecode": ft.timecode(frame) if frame is not None else timecode(a),
                    "start": round(h["start"], 3), "end": round(h["end"], 3), "text": h["text"],
                    "cite": f"{h['media_name']} at {timecode(a)}\u2013{timecode(b)}"})
    exact = [h for h in out if h["match"] == "exact"]
    return exact + [h for h in out if h["match"] != "exact"]
