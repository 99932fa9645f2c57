"""Edit commands that declare, label, describe, reorder and remove exhibits.

Each builder validates against the item (kind, frame or page count) and returns a command for
``Session.apply``; the UI keeps the inverse on its undo stack. An exhibit without a label of
its own is called "Ex. N", N being its place in the bundle order, so reordering renumbers it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.session.edits import Batch, Delete, Insert, Update
from reviewer.store.db import now_iso

KINDS = ("clip", "still", "document", "transcript")


@dataclass(frozen=True)
class Span:
    """What an exhibit covers: frames ``first..last`` (clip, still, transcript: the words said
    while those frames show) or pages (document), inclusive."""

    kind: str
    first: int
    last: int


def parse_range(text: str, what: str) -> tuple[int, int]:
    """``A:B`` (also ``A-B``) as two integers; a single number means A:A."""
    raw = str(text).strip()
    for sep in (":", "-", "–"):
        if sep in raw:
            left, _, right = raw.partition(sep)
            break
    else:
        left = right = raw
    try:
        a, b = int(left.strip()), int(right.strip())
    except ValueError:
        raise ReviewerError(f"not a {what} range: {text!r} (use A:B)") from None
    return a, b


def check_span(media: dict[str, Any], span: Span) -> None:
    """Raise a one-line error when ``span`` does not fit ``media``."""
    name = media["name"]
    if span.kind in ("clip", "still", "transcript"):
        if media["kind"] != "video":
            raise ReviewerError(f"{name}: is a document; use --pages P:Q for a document exhibit")
        count = int(media.get("frame_count") or 0)
        if span.first < 0 or span.last < span.first:
            raise ReviewerError(f"{name}: frames {span.first}:{span.last} are not a range "
                                f"(need 0 <= A <= B)")
        if span.last >= count:
            raise ReviewerError(f"{name}: frame {span.last} is outside 0..{count - 1}")
    elif span.kind == "document":
        if media["kind"] != "pdf":
            raise ReviewerError(f"{name}: is a video; use --frames A:B or --frame N")
        count = int(media.get("page_count") or 0)
        if span.first < 1 or span.last < span.first:
            raise ReviewerError(f"{name}: pages {span.first}:{span.last} are not a range "
                                f"(pages count from 1, need P <= Q)")
        if span.last > count:
            raise ReviewerError(f"{name}: page {span.last} is outside 1..{count}")
    else:
        raise ReviewerError(f"unknown exhibit kind {span.kind!r}")


def declare(media: dict[str, Any], span: Span, seq: int, *, label: str = "",
            description: str = "") -> Insert:
    """A new exhibit at the end of the bundle (``seq`` from ``store.exhibits.next_seq``)."""
    check_span(media, span)
    values: dict[str, Any] = {
        "seq": seq, "label": label.strip(), "media_id": media["id"], "kind": span.kind,
        "description": description.strip(), "created": now_iso(),
    }
    if span.kind == "document":
        values.update(page_from=span.first, page_to=span.last)
    else:
        values.update(frame_from=span.first, frame_to=span.last)
    return Insert("exhibits", values, label="declare exhibit")


def declare_clip(media: dict[str, Any], first: int, last: int, seq: int, **kw: str) -> Insert:
    return declare(media, Span("clip", first, last), seq, **kw)


def declare_still(media: dict[str, Any], frame: int, seq: int, **kw: str) -> Insert:
    return declare(media, Span("still", frame, frame), seq, **kw)


def declare_transcript(media: dict[str, Any], first: int, last: int, seq: int, **kw: str) -> Insert:
    return declare(media, Span("transcript", first, last), seq, **kw)


def declare_pages(media: dict[str, Any], first: int, last: int, seq: int, **kw: str) -> Insert:
    return declare(media, Span("document", first, last), seq, **kw)


def relabel(exhibit_id: int, label: str) -> Update:
    """An empty label brings back the default "Ex. N"."""
    return Update("exhibits", exhibit_id, {"label": label.strip()}, label="label exhibit")


def describe(exhibit_id: int, description: str) -> Update:
    return Update("exhibits", exhibit_id, {"description": description.strip()},
                  label="describe exhibit")


def set_span(exhibit: dict[str, Any], media: dict[str, Any], first: int, last: int) -> Update:
    span = Span(exhibit["kind"], first, last)
    check_span(media, span)
    cols = ("page_from", "page_to") if span.kind == "document" else ("frame_from", "frame_to")
    return Update("exhibits", exhibit["id"], dict(zip(cols, (first, last))), label="edit exhibit")


def reorder(exhibits_in_order: list[dict[str, Any]], exhibit_id: int, new_index: int) -> Batch:
    """Move one exhibit to ``new_index`` (0-based) and renumber every seq 1..n in one step."""
    ids = [e["id"] for e in exhibits_in_order]
    if exhibit_id not in ids:
        raise ReviewerError(f"no exhibit {exhibit_id} in the case")
    ids.remove(exhibit_id)
    ids.insert(max(0, min(new_index, len(ids))), exhibit_id)
    return _renumber(exhibits_in_order, ids, "reorder exhibits")


def remove(exhibits_in_order: list[dict[str, Any]], exhibit_id: int) -> Batch:
    """Delete an exhibit and close the gap, so the default labels stay consecutive."""
    ids = [e["id"] for e in exhibits_in_order if e["id"] != exhibit_id]
    if len(ids) == len(exhibits_in_order):
        raise ReviewerError(f"no exhibit {exhibit_id} in the case")
    renumber = _renumber([e for e in exhibits_in_order if e["id"] != exhibit_id], ids, "remove exhibit")
    return Batch((Delete("exhibits", exhibit_id, label="remove exhibit"),) + renumber.commands,
                 label="remove exhibit")


def _renumber(rows: list[dict[str, Any]], ids: list[int], label: str) -> Batch:
    current = {e["id"]: e["seq"] for e in rows}
    cmds = tuple(Update("exhibits", i, {"seq": n}, label=label)
                 for n, i in enumerate(ids, start=1) if current.get(i) != n)
    return Batch(cmds, label=label)


def check_label_free(exhibits_in_order: list[dict[str, Any]], label: str,
                     exhibit_id: int | None = None) -> None:
    """Two exhibits cited by the same label would make every pin cite ambiguous."""
    wanted = label.strip()
    if not wanted:
        return
    taken = {lab.casefold(): i for i, lab in display_labels(exhibits_in_order).items()}
    other = taken.get(wanted.casefold())
    if other is not None and other != exhibit_id:
        raise ReviewerError(f"the label {wanted!r} is already used by exhibit {other}; choose another")


def duplicate_labels(exhibits_in_order: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, int] = {}
    for lab in display_labels(exhibits_in_order).values():
        seen[lab.casefold()] = seen.get(lab.casefold(), 0) + 1
    return sorted(lab for lab in {v for v in display_labels(exhibits_in_order).values()}
                  if seen[lab.casefold()] > 1)


def display_labels(exhibits_in_order: list[dict[str, Any]]) -> dict[int, str]:
    """id -> the label shown and cited: the user's own, else "Ex. N" by position."""
    return {e["id"]: (e.get("label") or "").strip() or f"Ex. {n}"
            for n, e in enumerate(exhibits_in_order, start=1)}
