"""Every exhibit's label and pin cite without writing anything (for the exhibit panel).

The bundle writes the same cites (the tests hold the two to each other).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.citation import cites
from reviewer.citation.exhibits import display_labels
from reviewer.store import media as media_store
from reviewer.store.db import CaseStore
from reviewer.store.exhibits import list_exhibits, page_bates


@dataclass(frozen=True)
class ExhibitCite:
    id: int
    seq: int
    label: str
    kind: str  # clip | still | document
    media_id: int
    source: str
    first: int  # frame or page (1-based pages), inclusive
    last: int
    start_tc: str | None  # video only
    end_tc: str | None
    bates: str | None  # documents: the first page's Bates number, when it carries one
    citation: str
    description: str


def exhibit_cites(store: CaseStore) -> list[ExhibitCite]:
    """The exhibits in bundle order with the cite each will carry."""
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache

    rows = list_exhibits(store)
    labels = display_labels(rows)
    times: dict[int, Any] = {}
    out: list[ExhibitCite] = []
    for ex in rows:
        label, name = labels[ex["id"]], ex["media_name"]
        if ex["kind"] == "document":
            a, b = ex["page_from"], ex["page_to"]
            bates, last = page_bates(store, ex["media_id"], a), page_bates(store, ex["media_id"], b)
            out.append(ExhibitCite(ex["id"], ex["seq"], label, "document", ex["media_id"], name, a, b,
                                   None, None, bates, cites.document_cite(label, a, bates, b, last),
                                   ex["description"]))
            continue
        if ex["media_id"] not in times:
            row = media_store.get_media(store, ex["media_id"])
            times[ex["media_id"]] = cached_index(row["path"], FrameIndexCache(store, row["id"])).times
        ft = times[ex["media_id"]]
        a, b = ex["frame_from"], ex["frame_to"]
        start, end = ft.timecode(a), ft.timecode(b)
        if ex["kind"] == "transcript":  # the words said from frame a's start to frame b's end
            from reviewer.citation.transcript_exhibit import span_seconds
            from reviewer.timebase import timecode

            end = timecode(span_seconds(ft, a, b)[1])
        cite = (cites.still_cite(label, name, start) if ex["kind"] == "still"
                else cites.clip_cite(label, name, start, end))
        out.append(ExhibitCite(ex["id"], ex["seq"], label, ex["kind"], ex["media_id"], name, a, b,
                               start, end, None, cite, ex["description"]))
    return out
