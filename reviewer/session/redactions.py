"""Edit-command builders for redactions: box tracks over frames (keyframed), audio spans in
exact seconds, boxes on document pages, and the review of suggestions.

``add_*`` builders make no checks against the case (detection calls them with computed
values); the ``check_*`` helpers do, for input typed by a user (CLI, window)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from reviewer.annotate.geometry import Box, Keyframe, box_in_frame
from reviewer.annotate.notes import check_frames
from reviewer.annotate.reasons import BUILTIN_REASONS, normalize_reason
from reviewer.errors import ReviewerError
from reviewer.session.annotations import EnsureVocab, check_kind, frame_count, frame_times
from reviewer.session.edits import Batch, Changes, Command, Delete, Insert, Update
from reviewer.store import annotations as notes_store
from reviewer.store.db import CaseStore, Tx, now_iso
from reviewer.timebase import FrameTimes

SHAPES = ("rect", "ellipse", "head")  # "head": reviewer.annotate.heads
STYLES = ("solid", "blur", "pixelate")
MODES = ("mute", "bleep")
STATUSES = ("active", "suggested", "rejected")
_BUILTIN = {code for code, _ in BUILTIN_REASONS}


_STATUTE = re.compile(r"^(?:5\s*U\.?\s*S\.?\s*C\.?\s*)?(?:§+\s*)?552\s*(?=\(b\))", re.IGNORECASE)
_EXEMPTION = re.compile(r"^(?:FOIA\s+)?(?:exemption|exempt\.?|ex\.?)\s*(?=\d)", re.IGNORECASE)
_B_SEP = re.compile(r"^b[-.\s]+(?=\d)", re.IGNORECASE)


def reason_code(reason: str) -> str:
    """The stored form of a reason: FOIA forms normalized (``(b)(6)``, ``Exemption 6``,
    ``5 U.S.C. 552(b)(7)(C)``, ``b-6`` -> ``b6``/``b7C``); any other code is kept as typed."""
    text = (reason or "").strip()
    candidate = _B_SEP.sub("b", _EXEMPTION.sub("b", _STATUTE.sub("", text)))
    code = normalize_reason(candidate)
    return code if code in _BUILTIN else normalize_reason(text)


def _with_reason(code: str, cmd: Command, label: str) -> Command:
    # a code the case has not seen becomes a case-defined reason, so the window offers it next
    if code and code not in _BUILTIN:
        return Batch((EnsureVocab("reason", (code,)), cmd), label=label)
    return cmd


@dataclass(frozen=True)
class InsertTrack:
    """A box track and its keyframes in one step (the keyframes need the new track's id)."""

    values: dict[str, Any] = field(hash=False)
    keyframes: tuple[tuple[int, float, float, float, float, int | None], ...]
    label: str = "add box"

    def apply(self, tx: Tx) -> tuple[Command, Changes]:
        track_id = notes_store.insert_track(tx, self.values, self.keyframes)
        return (Delete("redactions", track_id, label=self.label),
                Changes(frozenset({"redactions", "keyframes"}),
                        frozenset({self.values["media_id"]}), frozenset({("redactions", track_id)})))

    def describe(self) -> dict[str, Any]:
        return {"insert": "redactions", "values": self.values, "keyframes": list(self.keyframes)}


def _kf_tuple(kf: Keyframe, times: FrameTimes | None) -> tuple[int, float, float, float, float, int | None]:
    pts = int(times.pts[kf.frame]) if times is not None and 0 <= kf.frame < times.count else None
    b = kf.box
    return (kf.frame, float(b.x_px), float(b.y_px), float(b.w_px), float(b.h_px), pts)


def add_box_track(media_id: int, frame_from: int, frame_to: int, keyframes: Sequence[Keyframe],
                  shape: str = "rect", style: str = "solid", reason: str = "",
                  source: str = "manual", status: str = "active", label: str = "", *,
                  times: FrameTimes | None = None) -> Command:
    """A box redaction covering every frame ``frame_from..frame_to`` inclusive, following the
    keyframes (linear between them, held before the first and after the last)."""
    if not keyframes:
        raise ReviewerError("a box redaction needs at least one keyframe")
    if frame_to < frame_from:
        raise ReviewerError(f"the frames {frame_from}:{frame_to} run backwards")
    if shape not in SHAPES or style not in STYLES or status not in STATUSES:
        raise ReviewerError(f"unknown shape/style/status {shape}/{style}/{status}")
    frames = [k.frame for k in keyframes]
    if len(set(frames)) != len(frames):
        raise ReviewerError("two keyframes on the same frame")
    code = reason_code(reason)
    values = {"media_id": media_id, "kind": "box", "reason": code, "shape": shape, "style": style,
              "frame_from": frame_from, "frame_to": frame_to, "source": source, "status": status,
              "label": label, "created": now_iso()}
    kfs = tuple(_kf_tuple(k, times) for k in sorted(keyframes, key=lambda k: k.frame))
    return _with_reason(code, InsertTrack(values, kfs), "add box")


def check_box_track(store: CaseStore, media: dict[str, Any], frame_from: int, frame_to: int,
                    boxes: Iterable[Box]) -> FrameTimes | None:
    """Check typed frames and boxes against the video; returns its frame times (for pts)."""
    check_kind(media, "video", "box redactions are for videos (use 'redact page')")
    times = frame_times(store, media)
    check_frames(media["name"], frame_from, frame_to, frame_count(media, times))
    width, height = media.get("width"), media.get("height")
    for box in boxes:
        if box.w_px <= 0 or box.h_px <= 0:
            raise ReviewerError(f"{media['name']}: the box has no area (W and H must be positive)")
        if width and height and not box_in_frame(box, width, height):
            raise ReviewerError(f"{media['name']}: the box {box.x_px:g},{box.y_px:g},{box.w_px:g},"
                                f"{box.h_px:g} lies outside the {width}x{height} frame")
    return times


def set_keyframe(store: CaseStore, redaction_id: int, frame: int, box: Box,
                 times: FrameTimes | None = None) -> Command:
    """Move or resize a track's box at ``frame``: replaces the keyframe there or adds one (so
    the rest of the path is kept); a frame outside the track extends it to that frame."""
    track = notes_store.get_redaction(store, redaction_id)
    if track["kind"] != "box":
        raise ReviewerError(f"redaction {redaction_id}: is not a box over frames")
    if box.w_px <= 0 or box.h_px <= 0:
        raise ReviewerError(f"redaction {redaction_id}: the box has no area")
    if frame < 0:
        raise ReviewerError(f"redaction {redaction_id}: frame {frame} is negative")
    cmds: list[Command] = []
    existing = [k for k in notes_store.keyframes_of(store, redaction_id) if k["frame"] == frame]
    xywh = {"x": float(box.x_px), "y": float(box.y_px), "w": float(box.w_px), "h": float(box.h_px)}
    if existing:
        cmds.append(Update("keyframes", existing[0]["id"], xywh, label="move box"))
    else:
        row: dict[str, Any] = {"redaction_id": redaction_id, "frame": frame, **xywh}
        pts = int(times.pts[frame]) if times is not None and frame < times.count else None
        if pts is not None and notes_store.keyframes_have_pts(store):
            row["pts"] = pts
        cmds.append(Insert("keyframes", row, label="move box"))
    lo, hi = min(track["frame_from"], frame), max(track["frame_to"], frame)
    if (lo, hi) != (track["frame_from"], track["frame_to"]):
        cmds.append(Update("redactions", redaction_id, {"frame_from": lo, "frame_to": hi},
                           label="move box"))
    return cmds[0] if len(cmds) == 1 else Batch(tuple(cmds), label="move box")


def delete_keyframe(store: CaseStore, keyframe_id: int) -> Command:
    kf = notes_store.get_keyframe(store, keyframe_id)
    if len(notes_store.keyframes_of(store, kf["redaction_id"])) < 2:
        raise ReviewerError(f"keyframe {keyframe_id}: a track keeps at least one keyframe "
                            "(delete the redaction instead)")
    return Delete("keyframes", keyframe_id, label="delete keyframe")


def set_track_range(store: CaseStore, redaction_id: int, frame_from: int, frame_to: int,
                    frame_count_: int | None = None) -> Command:
    """Edit a track's in and out points (the frames it covers, inclusive)."""
    track = notes_store.get_redaction(store, redaction_id)
    if track["kind"] != "box":
        raise ReviewerError(f"redaction {redaction_id}: is not a box over frames")
    check_frames(f"redaction {redaction_id}", frame_from, frame_to, frame_count_)
    return Update("redactions", redaction_id, {"frame_from": frame_from, "frame_to": frame_to},
                  label="track in/out")


def add_audio_span(media_id: int, t_from: Fraction, t_to: Fraction, mode: str = "mute",
                   reason: str = "", source: str = "manual", status: str = "active",
                   label: str = "") -> Command:
    """Silence (or bleep) every sample in [t_from, t_to], exact seconds from frame 0."""
    t_from, t_to = Fraction(t_from), Fraction(t_to)
    if mode not in MODES:
        raise ReviewerError(f"unknown audio mode {mode!r} (mute or bleep)")
    if t_to <= t_from:
        raise ReviewerError(f"the span {float(t_from):g}..{float(t_to):g} s is empty")
    code = reason_code(reason)
    values = {"media_id": media_id, "kind": "audio", "reason": code, "t_from": str(t_from),
              "t_to": str(t_to), "mode": mode, "source": source, "status": status,
              "label": label, "created": now_iso()}
    return _with_reason(code, Insert("redactions", values, label="add audio"), "add audio")


def check_audio_span(media: dict[str, Any], t_from: Fraction, t_to: Fraction) -> None:
    check_kind(media, "video", "audio redactions are for videos")
    name = media["name"]
    if t_to <= t_from:
        raise ReviewerError(f"{name}: the span ends ({float(t_to):g} s) at or before it starts "
                            f"({float(t_from):g} s)")
    duration = media.get("duration")
    if duration is not None and t_from >= Fraction(duration):
        raise ReviewerError(f"{name}: {float(t_from):g} s is past the end ({duration:g} s)")


def add_page_box(media_id: int, page_no: int, rect: Sequence[float], reason: str = "",
                 source: str = "manual", status: str = "active", label: str = "") -> Command:
    """A box on a page (x0, y0, x1, y1 in PDF points, top-left origin, page as displayed)."""
    code = reason_code(reason)
    return _with_reason(code, Insert("redactions", _page_values(media_id, page_no, rect, code,
                                                                source, status, label),
                                     label="add page box"), "add page box")


def set_page_rect(store: CaseStore, redaction_id: int, rect: Sequence[float]) -> Command:
    """Move or resize a page box (x0, y0, x1, y1 in points, top-left origin); the box stays
    on its page and keeps some size."""
    from reviewer.store.media import page_size

    row = notes_store.get_redaction(store, redaction_id)
    if row["kind"] != "page":
        raise ReviewerError(f"redaction {redaction_id}: is not a box on a page")
    x0, y0, x1, y1 = (float(v) for v in rect)
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise ReviewerError(f"redaction {redaction_id}: a box must be at least 1 point wide and high")
    size = page_size(store, row["media_id"], row["page_no"])
    if size is not None and all(size) and (x0 < -0.01 or y0 < -0.01 or x1 > size[0] + 0.01
                                           or y1 > size[1] + 0.01):
        raise ReviewerError(f"redaction {redaction_id}: the box would leave page {row['page_no']}")
    return Update("redactions", redaction_id,
                  {"rect": json.dumps([round(v, 2) for v in (x0, y0, x1, y1)])},
                  label="move page box")


def add_page_boxes(media_id: int, boxes: Iterable[tuple[int, Sequence[float]]], reason: str = "",
                   source: str = "text", status: str = "active", label: str = "") -> Command:
    """Many page boxes as one undo step (a text search marks every match at once)."""
    code = reason_code(reason)
    inserts = tuple(Insert("redactions", _page_values(media_id, p, r, code, source, status, label),
                           label="mark matches") for p, r in boxes)
    return _with_reason(code, Batch(inserts, label="mark matches"), "mark matches")


def _page_values(media_id: int, page_no: int, rect: Sequence[float], code: str, source: str,
                 status: str, label: str) -> dict[str, Any]:
    if status not in STATUSES:
        raise ReviewerError(f"unknown status {status!r}")
    return {"media_id": media_id, "kind": "page", "reason": code, "page_no": page_no,
            "rect": json.dumps([float(v) for v in rect]), "source": source, "status": status,
            "label": label, "created": now_iso()}


def set_status(redaction_ids: Iterable[int], status: str) -> Command:
    """Accept (``active``) or reject suggestions, or set them back to ``suggested``."""
    if status not in STATUSES:
        raise ReviewerError(f"unknown status {status!r}")
    label = {"active": "accept", "rejected": "reject"}.get(status, "suggest")
    return Batch(tuple(Update("redactions", i, {"status": status}, label=label)
                       for i in redaction_ids), label=label)


def set_reason(redaction_ids: Iterable[int], reason: str) -> Command:
    code = reason_code(reason)
    cmd = Batch(tuple(Update("redactions", i, {"reason": code}, label="reason")
                      for i in redaction_ids), label="reason")
    return _with_reason(code, cmd, "reason")


def set_box_look(redaction_id: int, *, shape: str | None = None, style: str | None = None) -> Command:
    values = {k: v for k, v in (("shape", shape), ("style", style)) if v is not None}
    if (shape and shape not in SHAPES) or (style and style not in STYLES) or not values:
        raise ReviewerError(f"redaction {redaction_id}: bad shape or style")
    return Update("redactions", redaction_id, values, label="box look")


def delete_redaction(redaction_id: int) -> Command:
    """Delete a redaction (a track with its keyframes); undo restores it with the same ids."""
    return Delete("redactions", redaction_id, label="delete redaction")


def grow_page_boxes(store: CaseStore, media: dict[str, Any]) -> tuple[Command | None, int]:
    """Grow every active box of a document to the bounds of the glyphs it touches (one undo
    step); returns the command (None when nothing grows) and how many boxes grew."""
    from reviewer.pdf.chars import grown_boxes
    from reviewer.store.redactions import page_boxes

    boxes = page_boxes(store, media["id"])
    new = grown_boxes(media["path"], [(b.page_no, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt)) for b in boxes])
    cmds = tuple(Update("redactions", b.id, {"rect": json.dumps([round(v, 3) for v in r])}, label="grow box")
                 for b, r in zip(boxes, new)
                 if any(abs(a - c) > 0.01 for a, c in zip(r, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt))))
    return (Batch(cmds, label="grow boxes") if cmds else None), len(cmds)
