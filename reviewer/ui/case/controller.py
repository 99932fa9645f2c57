"""The open case as the window sees it: reads for the views, intents turned into edit commands.

Every change goes through an edit-command builder and :func:`reviewer.ui.undo.push_edit`
(Session.apply + the undo stack). Views refresh from ``changed`` (the session's Changes).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from reviewer.annotate.geometry import Box, Keyframe
from reviewer.annotate.notes import Annotation
from reviewer.errors import ReviewerError
from reviewer.session.edits import Changes, Command
from reviewer.session.session import Session
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.timebase import FrameTimes, format_ms
from reviewer.ui.case import media_access
from reviewer.ui.undo import push_edit


def search_case(store: CaseStore, query: str) -> list[dict[str, Any]]:
    """FTS hits over every document, each with ``hits``: how often the query's words occur
    on that page. Call with a connection of the calling thread's own."""
    rows = media_store.search_pages(store, query)
    words = [w.lower() for w in query.replace('"', " ").split() if w]
    texts: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r["media_id"] not in texts:
            texts[r["media_id"]] = media_store.pages_of(store, r["media_id"])
        text = (texts[r["media_id"]][r["page_no"] - 1].get("text") or "").lower()
        r["hits"] = sum(text.count(w) for w in words)
        r["kind"] = "pdf"
    return rows + video_hits(store, query)


def video_hits(store: CaseStore, query: str) -> list[dict[str, Any]]:
    """The words detect text read in the videos (one row per track whose readings match, at
    the frame they were first read on) and the words spoken in them: ``kind`` ``video``,
    ``frame``, ``timecode``."""
    from reviewer.session.search import search_case as search_everything

    # spoken hits (``found_in`` "speech") keep whether they are exact or only sound alike
    return [{"kind": "video", "media_id": h["media"], "name": h["media_name"], "frame": h["frame"],
             "timecode": h["timecode"], "snippet": h["text"], "hits": 1,
             **{k: h[k] for k in ("found_in", "match", "start", "end", "cite") if k in h}}
            for h in search_everything(store, query) if h["kind"] == "video"]


class CaseController(QObject):
    changed = Signal(object)        # Changes
    status_message = Signal(str)
    error = Signal(str)

    def __init__(self, store: CaseStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.session = Session(store)
        self.session.subscribe(self._on_session_applied)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(1000)
        self._media: dict[int, dict[str, Any]] = {}
        self._indexes: dict[int, Any] = {}
        self._pages: dict[int, list[dict[str, Any]]] = {}
        self.reload_media()

    @classmethod
    def open(cls, folder: str | Path, parent: QObject | None = None) -> CaseController:
        return cls(CaseStore.open(folder), parent)

    @property
    def folder(self) -> Path:
        return self.store.folder

    def close(self) -> None:
        self.store.close()

    def unwatch(self, slot: Any) -> None:
        """Disconnect ``slot`` from ``changed`` when a tool lets go of this case, so no
        callback reaches its database; a slot already gone (or a deleted widget's) is no error."""
        try:
            self.changed.disconnect(slot)
        except (RuntimeError, TypeError):
            pass

    def _on_session_applied(self, changes: Changes) -> None:
        self.changed.emit(changes)

    # -- items --------------------------------------------------------------------------------
    def reload_media(self) -> None:
        self._media = {r["id"]: r for r in media_store.list_media(self.store)}
        self._pages = {k: v for k, v in self._pages.items() if k in self._media}

    def forget_pages(self) -> None:
        """Read the pages' text and Bates numbers again when next asked (OCR of a scan fills
        them in on a worker's connection)."""
        self._pages = {}

    def media(self, media_id: int) -> dict[str, Any]:
        if media_id not in self._media:
            self.reload_media()
        return self._media[media_id]

    def media_list(self) -> list[dict[str, Any]]:
        return list(self._media.values())

    def pages(self, media_id: int) -> list[dict[str, Any]]:
        if media_id not in self._pages:
            self._pages[media_id] = media_store.pages_of(self.store, media_id)
        return self._pages[media_id]

    def bates_range(self, media_id: int) -> tuple[str | None, str | None]:
        bates = [p["bates"] for p in self.pages(media_id) if p.get("bates")]
        return (bates[0], bates[-1]) if bates else (None, None)

    def video_index(self, media_id: int) -> Any:
        if media_id not in self._indexes:
            self._indexes[media_id] = media_access.load_video_index(self.store, self.media(media_id))
        return self._indexes[media_id]

    def times(self, media_id: int) -> FrameTimes:
        return media_access.frame_times(self.video_index(media_id))

    def find_bates(self, text: str) -> tuple[int, int] | None:
        row = media_store.page_for_bates(self.store, text)
        return (row["media_id"], row["page_no"]) if row else None

    def search(self, query: str) -> list[dict[str, Any]]:
        return search_case(self.store, query)

    def where(self, a: Annotation) -> str:
        m = self._media.get(a.media_id)
        name = m["name"] if m else f"#{a.media_id}"
        if a.frame is not None:
            try:
                tc = self.times(a.media_id).timecode(a.frame)
            except (ReviewerError, IndexError):
                tc = ""
            rng = f"{a.frame}–{a.last_frame}" if a.last_frame != a.frame else f"{a.frame}"
            return f"{name} · f{rng} {tc}"
        return f"{name} · p.{a.page_no}" + (" (region)" if a.rect_pt else "")

    # -- notes --------------------------------------------------------------------------------
    def notes(self, media_id: int | None = None, tag: str | None = None,
              text: str | None = None) -> tuple[list[Annotation], int]:
        from reviewer.store import annotations as notes_store

        rows = notes_store.list_annotations(self.store, media_id, tag=tag, text=text)
        return rows, notes_store.count_annotations(self.store)

    def note(self, annotation_id: int) -> Annotation:
        from reviewer.store import annotations as notes_store

        return notes_store.get_annotation(self.store, annotation_id)

    def tags(self) -> list[str]:
        from reviewer.store import tags as tags_store

        return [t.name for t in tags_store.list_tags(self.store)]

    def apply(self, cmd: Command, merge_key: Any = None) -> Command | None:
        """Apply an edit through the undo stack; a refusal is shown, not raised."""
        try:
            return push_edit(self.undo_stack, self.session, cmd, merge_key, self.error.emit)
        except ReviewerError as exc:
            self.error.emit(str(exc))
            return None

    def add_note(self, media_id: int, text: str, *, frame: int | None = None,
                 frame_to: int | None = None, page_no: int | None = None,
                 rect: tuple | None = None, tags: list[str] = ()) -> int | None:
        from reviewer.session import annotations as notes
        from reviewer.session.undo import created_id

        media = self.media(media_id)
        try:
            times = self.times(media_id) if frame is not None else None
            cmd = notes.add_annotation(self.store, media, text=text, frame=frame,
                                       frame_to=frame_to, page_no=page_no, rect=rect,
                                       tags=list(tags), times=times)
        except ReviewerError as exc:
            self.error.emit(str(exc))
            return None
        inverse = self.apply(cmd)
        return created_id(inverse, "annotations") if inverse is not None else None

    def edit_note(self, annotation_id: int, field: str, value: Any) -> None:
        from reviewer.session import annotations as notes

        try:
            cmd = notes.edit_annotation(self.store, annotation_id, **{field: value})
        except ReviewerError as exc:
            self.error.emit(str(exc))
            return
        self.apply(cmd)

    def delete_notes(self, ids: list[int]) -> None:
        from reviewer.session import annotations as notes
        from reviewer.session.edits import Batch

        cmds = tuple(notes.delete_annotation(i) for i in ids)
        self.apply(cmds[0] if len(cmds) == 1 else Batch(cmds, label="delete notes"))

    def link_notes(self, a: int, b: int) -> None:
        from reviewer.session import annotations as notes

        try:
            cmd = notes.link_annotations(self.store, a, b)
        except ReviewerError as exc:
            self.error.emit(str(exc))
            return
        self.apply(cmd)

    def timeline_notes(self, media_id: int) -> list[tuple[int, int, int]]:
        from reviewer.store import annotations as notes_store

        return [(r["id"], r["frame"], r["last"])
                for r in notes_store.timeline_annotations(self.store, media_id)]

    # -- redactions ---------------------------------------------------------------------------
    def tracks(self, media_id: int) -> list[dict[str, Any]]:
        """Box tracks (active and suggested) with keyframes, for overlays and the timeline."""
        from reviewer.store import annotations as notes_store

        rows = [r for r in notes_store.timeline_tracks(self.store, media_id)
                if r["status"] in ("active", "suggested")]
        for r in rows:
            r["kfs"] = [Keyframe(k["frame"], Box(k["x"], k["y"], k["w"], k["h"]))
                        for k in notes_store.keyframes_of(self.store, r["id"])]
        return rows

    def page_redactions(self, media_id: int) -> list[dict[str, Any]]:
        from reviewer.store.redactions import page_boxes

        return [{"id": b.id, "page_no": b.page_no, "rect": (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt),
                 "reason": b.reason} for b in page_boxes(self.store, media_id)]

    def add_box(self, media_id: int, frame: int, frame_from: int, frame_to: int, box: Box,
                shape: str, reason: str) -> None:
        from reviewer.session import redactions as red

        media = self.media(media_id)
        try:
            times = red.check_box_track(self.store, media, frame_from, frame_to, [box])
            cmd = red.add_box_track(media_id, frame_from, frame_to, [Keyframe(frame, box)],
                                    shape=shape, reason=reason, times=times)
        except ReviewerError as exc:
            self.error.emit(str(exc))
            return
        self.apply(cmd)

    def move_box(self, track_id: int, frame: int, box: Box) -> None:
        from reviewer.session import redactions as red

        try:
            cmd = red.set_keyframe(self.store, track_id, frame, box)
        except ReviewerError as exc:
            self.error.emit(str(exc))
            return
        self.apply(cmd)

    def add_page_box(self, media_id: int, page_no: int, rect: tuple, reason: str) -> int | None:
        """Returns the new box's id (None when refused)."""
        from reviewer.session import redactions as red
        from reviewer.session.undo import created_id

        inverse = self.apply(red.add_page_box(media_id, page_no, rect, reason=reason))
        return created_id(inverse, "redactions") if inverse is not None else None

    def move_page_box(self, redaction_id: int, rect: tuple) -> None:
        """Consecutive moves and resizes of one box are one undo step, as a drag is."""
        from reviewer.session import redactions as red

        try:
            cmd = red.set_page_rect(self.store, redaction_id, rect)
        except ReviewerError as exc:
            self.error.emit(str(exc))
            return
        self.apply(cmd, merge_key=("page box", redaction_id))

    def add_page_boxes(self, media_id: int, boxes: list[tuple[int, tuple]], reason: str) -> None:
        from reviewer.session import redactions as red

        if boxes:
            self.apply(red.add_page_boxes(media_id, boxes, reason=reason))

    def set_status(self, ids: list[int], status: str) -> None:
        from reviewer.session import redactions as red

        if ids:
            self.apply(red.set_status(ids, status))

    def delete_redaction(self, redaction_id: int) -> None:
        from reviewer.session import redactions as red

        self.apply(red.delete_redaction(redaction_id))

    def reasons(self) -> list[tuple[str, str]]:
        from reviewer.store import tags as tags_store

        return [(r["code"], r["description"]) for r in tags_store.list_reasons(self.store)]

    def describe_item(self, media_id: int) -> str:
        m = self.media(media_id)
        if m["kind"] == "video":
            return f"{m['name']} — {m['frame_count']} frames, " \
                   f"{format_ms(round((m['duration'] or 0) * 1000))}"
        return f"{m['name']} — {m['page_count']} pages"

    def setting_json(self, row: dict[str, Any], key: str) -> Any:
        return json.loads(row[key]) if isinstance(row.get(key), str) else row.get(key)
