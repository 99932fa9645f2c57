"""Edit-command builders for notes, tags and links (the CLI and the window pass them to
:meth:`Session.apply`). Builders check the input against the case and raise a one-line
:class:`ReviewerError` naming the item; the commands they return are plain values."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reviewer.annotate.geometry import clip_page_rect
from reviewer.annotate.notes import check_frames, check_page, default_tag_color, normalize_tags
from reviewer.errors import ReviewerError
from reviewer.session.edits import Batch, Changes, Command, Delete, Insert, Update
from reviewer.store import annotations as notes_store
from reviewer.store import tags as vocab_store
from reviewer.store.db import CaseStore, Tx, now_iso
from reviewer.timebase import FrameTimes

# -- commands over the vocabularies (keyed by name, so not the generic row commands) -------
_PUT = {"tag": vocab_store.put_tag, "reason": vocab_store.put_reason}
_GET = {"tag": vocab_store.get_tag_color, "reason": lambda tx, code: (
    (vocab_store.get_reason(tx, code) or {}).get("description"))}
_TABLE = {"tag": "tags", "reason": "reasons"}


@dataclass(frozen=True)
class SetVocab:
    """Set tag colours or case reason descriptions; a value of None removes the entry."""

    kind: str  # "tag" or "reason"
    assign: tuple[tuple[str, str | None], ...]
    label: str = "vocabulary"

    def apply(self, tx: Tx) -> tuple[Command, Changes]:
        old = [(name, _PUT[self.kind](tx, name, value)) for name, value in self.assign]
        return (SetVocab(self.kind, tuple(reversed(old)), self.label),
                Changes(frozenset({_TABLE[self.kind]})))

    def describe(self) -> dict[str, Any]:
        return {"set": _TABLE[self.kind], "values": dict(self.assign)}


@dataclass(frozen=True)
class EnsureVocab:
    """Give every name that has no entry yet a default one (a tag's colour, a case reason),
    decided when applied so that undo removes exactly what this added."""

    kind: str
    names: tuple[str, ...]
    label: str = "vocabulary"

    def apply(self, tx: Tx) -> tuple[Command, Changes]:
        added: list[tuple[str, str | None]] = []
        for name in self.names:
            if _GET[self.kind](tx, name) is None:
                value = default_tag_color(name) if self.kind == "tag" else "defined in this case"
                _PUT[self.kind](tx, name, value)
                added.append((name, None))
        return (SetVocab(self.kind, tuple(reversed(added)), self.label),
                Changes(frozenset({_TABLE[self.kind]}) if added else frozenset()))

    def describe(self) -> dict[str, Any]:
        return {"ensure": _TABLE[self.kind], "names": list(self.names)}


def set_tag_color(name: str, color: str) -> Command:
    return SetVocab("tag", ((name, color),), label="tag colour")


def rename_tag(store: CaseStore, old: str, new: str) -> Command:
    """Rename a tag on every note that carries it (merging into ``new`` if that exists),
    keeping its colour; one undo step."""
    new = new.strip()
    if not new:
        raise ReviewerError(f"tag {old!r}: the new name is empty")
    if new == old:
        raise ReviewerError(f"tag {old!r}: already has that name")
    cmds: list[Command] = []
    color = vocab_store.get_tag_color(store, old)
    if color is not None:
        if vocab_store.get_tag_color(store, new) is None:
            cmds.append(SetVocab("tag", ((new, color),)))
        cmds.append(SetVocab("tag", ((old, None),)))
    for note_id, tags in notes_store.ids_with_tag(store, old):
        renamed = normalize_tags([new if t == old else t for t in tags])
        cmds.append(Update("annotations", note_id, {"tags": json.dumps(renamed)}, label="rename tag"))
    return Batch(tuple(cmds), label="rename tag")


def delete_tag(store: CaseStore, name: str) -> Command:
    """Take a tag off every note and forget its colour; one undo step."""
    cmds: list[Command] = [SetVocab("tag", ((name, None),))]
    for note_id, tags in notes_store.ids_with_tag(store, name):
        cmds.append(Update("annotations", note_id,
                           {"tags": json.dumps([t for t in tags if t != name])}, label="delete tag"))
    return Batch(tuple(cmds), label="delete tag")


def define_reason(code: str, description: str) -> Command:
    return SetVocab("reason", ((code, description),), label="define reason")


# -- reading what a frame number means in a video -------------------------------------------
def frame_times(store: CaseStore, media: dict[str, Any]) -> FrameTimes | None:
    """The frame times of a video, from the case's frame index; None when there is none (the
    frame number alone is then stored: it is what every other part of the case uses)."""
    if media.get("kind") != "video":
        return None
    try:
        from reviewer.media.index import cached_index
        from reviewer.store.media import FrameIndexCache
    except ImportError:
        return None
    try:
        return cached_index(media["path"], FrameIndexCache(store, media["id"])).times
    except (ReviewerError, OSError):
        return None


def frame_count(media: dict[str, Any], times: FrameTimes | None) -> int | None:
    return times.count if times is not None else media.get("frame_count")


def _pts(times: FrameTimes | None, frame: int) -> int | None:
    return int(times.pts[frame]) if times is not None and 0 <= frame < times.count else None


def check_kind(media: dict[str, Any], kind: str, what: str) -> None:
    if media["kind"] != kind:
        have = "a video" if media["kind"] == "video" else "a document"
        raise ReviewerError(f"{media['name']}: is {have}; {what}")


def page_rect(store: CaseStore, media: dict[str, Any], page_no: int,
              rect: Sequence[float]) -> tuple[float, float, float, float]:
    """A region of a page (x0, y0, x1, y1 in points, top-left origin), checked and clipped."""
    name = media["name"]
    check_page(name, page_no, media.get("page_count"))
    x0, y0, x1, y1 = (float(v) for v in rect)
    if x1 <= x0 or y1 <= y0:
        raise ReviewerError(f"{name}: the rectangle {x0:g},{y0:g},{x1:g},{y1:g} is empty "
                            "(give X0,Y0,X1,Y1 with X1 > X0 and Y1 > Y0)")
    width, height = notes_store.page_sizes(store, media["id"]).get(page_no, (None, None))
    if width is None or height is None:
        if x1 <= 0 or y1 <= 0:
            raise ReviewerError(f"{name}: the rectangle lies outside page {page_no}")
        return max(0.0, x0), max(0.0, y0), x1, y1
    clipped = clip_page_rect((x0, y0, x1, y1), width, height)
    if clipped is None:
        raise ReviewerError(f"{name}: the rectangle lies outside page {page_no} "
                            f"({width:g} x {height:g} points)")
    return clipped


# -- notes ----------------------------------------------------------------------------------
def add_annotation(store: CaseStore, media: dict[str, Any], *, text: str,
                   frame: int | None = None, frame_to: int | None = None,
                   page_no: int | None = None, rect: Sequence[float] | None = None,
                   tags: Sequence[str] = (), for_bundle: bool = False,
                   times: FrameTimes | None = None) -> Command:
    """A note on a frame (or frames ``frame..frame_to``), or on a page (or a region of it)."""
    name = media["name"]
    tags = normalize_tags(list(tags))
    if not text.strip() and not tags:
        raise ReviewerError(f"{name}: the note is empty (give --text or a --tag)")
    if (frame is None) == (page_no is None):
        raise ReviewerError(f"{name}: a note goes on a frame or on a page")
    values: dict[str, Any] = {"media_id": media["id"], "text": text, "tags": json.dumps(tags),
                              "for_bundle": int(for_bundle), "created": now_iso()}
    if frame is not None:
        check_kind(media, "video", "notes on a document take --page")
        if rect is not None:
            raise ReviewerError(f"{name}: a region (--rect) is for a page of a document")
        times = times if times is not None else frame_times(store, media)
        check_frames(name, frame, frame_to, frame_count(media, times))
        values.update(frame=frame, frame_to=frame_to if frame_to != frame else None,
                      pts=_pts(times, frame))
    else:
        check_kind(media, "pdf", "notes on a video take --frame")
        if frame_to is not None:
            raise ReviewerError(f"{name}: --to is for a range of frames of a video")
        check_page(name, page_no, media.get("page_count"))
        values["page_no"] = page_no
        if rect is not None:
            values["rect"] = json.dumps(page_rect(store, media, page_no, rect))
    return Batch((EnsureVocab("tag", tags), Insert("annotations", values, label="add note")),
                 label="add note")


def edit_annotation(store: CaseStore, annotation_id: int, *, text: str | None = None,
                    tags: Sequence[str] | None = None, frame: int | None = None,
                    frame_to: int | None = None, for_bundle: bool | None = None,
                    label: str = "edit note") -> Command:
    """Change a note's text, tags, bundle flag or frames; unchanged fields stay as they are."""
    from reviewer.store.media import get_media

    note = notes_store.get_annotation(store, annotation_id)
    values: dict[str, Any] = {}
    cmds: list[Command] = []
    if text is not None:
        values["text"] = text
    if tags is not None:
        clean = normalize_tags(list(tags))
        values["tags"] = json.dumps(clean)
        cmds.append(EnsureVocab("tag", clean))
    if for_bundle is not None:
        values["for_bundle"] = int(for_bundle)
    if frame is not None or frame_to is not None:
        if note.frame is None:
            raise ReviewerError(f"annotation {annotation_id}: is on a page, not on frames")
        media = get_media(store, note.media_id)
        times = frame_times(store, media)
        start = frame if frame is not None else note.frame
        end = frame_to if frame_to is not None else note.last_frame
        check_frames(media["name"], start, end, frame_count(media, times))
        values.update(frame=start, frame_to=end if end != start else None, pts=_pts(times, start))
    if not values:
        raise ReviewerError(f"annotation {annotation_id}: nothing to change")
    cmds.append(Update("annotations", annotation_id, values, label=label))
    return Batch(tuple(cmds), label=label)


def delete_annotation(annotation_id: int) -> Command:
    """Delete a note and its links (undo puts both back with the same ids)."""
    return Delete("annotations", annotation_id, label="delete note")


def link_annotations(store: CaseStore, from_id: int, to_id: int, note: str = "") -> Command:
    """Link two notes, typically a video moment and the document passage about it; links are
    followed both ways, so a link in either direction counts as the same link."""
    if from_id == to_id:
        raise ReviewerError(f"annotation {from_id}: cannot be linked to itself")
    notes_store.get_annotation(store, from_id)
    notes_store.get_annotation(store, to_id)
    if notes_store.link_between(store, from_id, to_id) is not None:
        raise ReviewerError(f"annotation {from_id}: is already linked to annotation {to_id}")
    return Insert("links", {"from_id": from_id, "to_id": to_id, "note": note}, label="link")


def unlink(link_id: int) -> Command:
    return Delete("links", link_id, label="unlink")
