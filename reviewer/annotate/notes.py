"""Annotations (notes on a frame, a range of frames, a page or a region of a page), tags and
links between a video moment and a document passage. Pure values and checks, no I/O."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from reviewer.errors import ReviewerError

# colours a new tag gets, chosen from its name so the same tag looks the same in every case
TAG_PALETTE = ("#f2c94c", "#eb5757", "#6fcf97", "#56ccf2", "#bb6bd9", "#f2994a", "#2f80ed",
               "#27ae60", "#9b51e0", "#828282")


def default_tag_color(name: str) -> str:
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return TAG_PALETTE[digest[0] % len(TAG_PALETTE)]


def normalize_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Tags as typed, stripped, without empties or repeats, in first-seen order."""
    seen: dict[str, None] = {}
    for t in tags:
        t = t.strip()
        if t and t not in seen:
            seen[t] = None
    return tuple(seen)


@dataclass(frozen=True)
class Tag:
    name: str
    color: str


@dataclass(frozen=True)
class Annotation:
    """A note. On a video: ``frame`` (and ``frame_to`` for a range, inclusive), with the pts of
    ``frame``. On a document: ``page_no`` (from 1) and optionally a region in PDF points."""

    id: int
    media_id: int
    text: str
    tags: tuple[str, ...] = ()
    frame: int | None = None
    frame_to: int | None = None
    pts: int | None = None
    page_no: int | None = None
    rect_pt: tuple[float, float, float, float] | None = None
    for_bundle: bool = False
    created: str = ""
    linked_ids: tuple[int, ...] = field(default=())

    @property
    def on_video(self) -> bool:
        return self.frame is not None

    @property
    def last_frame(self) -> int | None:
        if self.frame is None:
            return None
        return self.frame_to if self.frame_to is not None else self.frame

    def covers_frame(self, frame: int) -> bool:
        return self.frame is not None and self.frame <= frame <= (self.last_frame or self.frame)

    def public(self) -> dict[str, Any]:
        """What ``annotations --json`` prints for this note."""
        out: dict[str, Any] = {"id": self.id, "media": self.media_id, "text": self.text,
                               "tags": list(self.tags)}
        if self.frame is not None:
            out["frame"] = self.frame
            out["to"] = self.last_frame
            out["pts"] = self.pts
        else:
            out["page"] = self.page_no
            out["rect"] = list(self.rect_pt) if self.rect_pt else None
        out["for_bundle"] = self.for_bundle
        out["links"] = list(self.linked_ids)
        return out


@dataclass(frozen=True)
class Link:
    id: int
    from_id: int
    to_id: int
    note: str = ""

    def other(self, annotation_id: int) -> int:
        """The annotation at the other end, whichever end ``annotation_id`` is (links are
        followed both ways)."""
        return self.to_id if annotation_id == self.from_id else self.from_id


def check_frames(name: str, frame: int, frame_to: int | None, frame_count: int | None) -> None:
    """Raise a one-line error naming ``name`` unless ``frame..frame_to`` is inside the video."""
    last = frame_to if frame_to is not None else frame
    if frame < 0:
        raise ReviewerError(f"{name}: frame {frame} is negative (frames are numbered from 0)")
    if last < frame:
        raise ReviewerError(f"{name}: the range ends (frame {last}) before it starts (frame {frame})")
    if frame_count is not None and last >= frame_count:
        raise ReviewerError(
            f"{name}: frame {last} is past the end (the video has frames 0..{frame_count - 1})")


def check_page(name: str, page_no: int, page_count: int | None) -> None:
    if page_no < 1 or (page_count is not None and page_no > page_count):
        span = f"1..{page_count}" if page_count is not None else "from 1"
        raise ReviewerError(f"{name}: there is no page {page_no} (pages are {span})")
