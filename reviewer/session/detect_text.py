"""``detect text``: find, follow and read the text in a video, keep what was read, and add
each track as a box redaction (matching ``--match``) or as a suggestion to review.

Suggestions are labelled with what they say (``Text 3: 7KQB 482``), so a reviewer keeps
the camera's own burned-in overlay and removes the plate. What was read goes into the case
(store.seen_text) for ``search``; the redactions are one undoable command.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reviewer.annotate.geometry import Keyframe
from reviewer.annotate.tracks import simplify
from reviewer.errors import ReviewerError
from reviewer.progress import Progress
from reviewer.session.edits import Batch, Command, Delete
from reviewer.session.session import Session
from reviewer.store.db import CaseStore

LABEL_CHARS = 60
SIMPLIFY_PX = 1.0
MIN_READ_SCORE = 0.5   # below this a reading is noise, not text


@dataclass(frozen=True)
class TextResult:
    command: Command | None   # the redactions to add (None when no text was found)
    tracks: int               # how many text tracks were made
    matched: int              # how many of them matched --match (redactions, not suggestions)
    # frames where a text region past media.text_split.MAX_BOX_SHARE of the picture was
    # found and no box was made for it: for the reviewer to look at and draw if need be
    too_big: tuple[int, ...] = ()


def compile_match(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ReviewerError(f"--match {pattern!r}: not a regular expression ({exc})") from None


def next_text_number(store: CaseStore, media_id: int) -> int:
    """After the highest ``Text N`` detect text already used on this video (of the
    redactions and of what was read)."""
    from reviewer.store.seen_text import detect_text_redactions, max_track_no

    n = max_track_no(store, media_id)
    for r in detect_text_redactions(store, media_id):
        label = str(r["label"] or "")
        head = label[5:].split(":", 1)[0].strip()
        if label.startswith("Text ") and head.isdigit():
            n = max(n, int(head))
    return n + 1


def text_pass(store: CaseStore, media_row: dict[str, Any],
              progress: Progress | None = None) -> Any:
    """The text pass of this video (a :class:`reviewer.media.text_pass.TextPass`), with the
    settings every run uses, ready to be fed decoded frames (by its own decode, or by the
    shared decode that feeds the face pass the same frames)."""
    from reviewer.media.index import cached_index
    from reviewer.media.text import TextDetector, TextReader
    from reviewer.media.text_pass import TextPass, detect_side_for, stride_for
    from reviewer.store.media import FrameIndexCache

    if media_row.get("kind") != "video":
        raise ReviewerError(f"{media_row['name']}: is a document; detect text is for videos "
                            "(use 'redact text' for documents)")
    index = cached_index(media_row["path"], FrameIndexCache(store, media_row["id"]))
    side = detect_side_for(index.width, index.height)
    stride = stride_for(float(media_row.get("fps") or 30.0))
    return TextPass(media_row["path"], index, TextDetector(max_side=side), TextReader(), stride,
                    progress)


def detect_text_command(store: CaseStore, media_row: dict[str, Any], match: str | None = None,
                        reason: str = "b6", progress: Progress | None = None,
                        fed: Any = None, found: Any = None) -> TextResult:
    """The long part: the pass over the video, what was read stored in the case, and one
    command adding every track (not applied: the window pushes it on its undo stack).
    ``fed``: a :func:`text_pass` every frame was already pushed to (reviewer.batch.detect_all);
    ``found``: the pass's tracks made elsewhere (a batch worker's, already checked: a
    :class:`reviewer.media.text_pass.FoundText`); otherwise the pass decodes the video itself."""
    from reviewer.media.text_pass import is_readable, padded
    from reviewer.session.annotations import frame_times
    from reviewer.session.redactions import add_box_track
    from reviewer.store.seen_text import detect_text_redactions, replace_seen

    regex = compile_match(match)
    progress = progress or Progress()
    if found is not None:
        from reviewer.media.index import cached_index
        from reviewer.store.media import FrameIndexCache

        index = cached_index(media_row["path"], FrameIndexCache(store, media_row["id"]))
        tracks, side, stride = list(found.tracks), found.side, found.stride
    else:
        if fed is None:
            fed = text_pass(store, media_row, progress.sub(0.0, 0.97))
            tracks = fed.run()
        else:
            tracks = fed.finish()
        index, side, stride = fed.index, fed.detector.max_side, fed.stride
    from reviewer.media.text_split import readable_size, within_share

    tracks, too_big = within_share([t for t in tracks if _worth_keeping(t)], index.width,
                                   index.height)
    first = next_text_number(store, media_row["id"])
    times = frame_times(store, media_row)
    earlier = detect_text_redactions(store, media_row["id"])
    # a second run replaces the first run's suggestions still waiting for review (one undo
    # brings them back) and does not suggest again what the reviewer already decided on
    cmds: list[Command] = [Delete("redactions", r["id"], label="detect text")
                           for r in earlier if r["status"] == "suggested"]
    reviewed = [r for r in earlier if r["status"] != "suggested"]
    seen: list[dict[str, Any]] = []
    matched = made = 0
    no = first - 1
    for t in tracks:
        text, score = t.best_text()
        reads = t.distinct_reads()
        if not readable_size(t):  # a guess from letters too small to read: not a reading
            text, score, reads = "", 0.0, []
        shown = text if text and is_readable(text) else "(unreadable)"
        if _decided(reviewed, t.frame_from, t.frame_to, shown):
            continue
        no += 1
        made += 1
        hit = regex is not None and any(regex.search(r[1]) for r in reads)
        matched += hit
        kfs = [Keyframe(f, padded(b, t.line_h_px, index.width, index.height))
               for f, b in sorted(t.boxes.items())]
        kfs = simplify(kfs, SIMPLIFY_PX, {k.frame: k.box for k in kfs})
        label = f"Text {no}: {shown}"
        if len(label) > LABEL_CHARS:
            label = label[:LABEL_CHARS - 1] + "…"
        cmds.append(add_box_track(media_row["id"], t.frame_from, t.frame_to, kfs, shape="rect",
                                  style="solid", reason=reason, source="detect-text",
                                  status="active" if hit else "suggested", label=label,
                                  times=times))
        seen.append({"track_no": no, "frame_from": t.frame_from, "frame_to": t.frame_to,
                     "text": text, "score": score, "line_h": t.line_h_px,
                     "reads": [[f, r, round(s, 4)] for f, r, s in reads]})
    replace_seen(store, media_row["id"], seen)
    progress.update(1.0, f"{made} text track(s)")
    record = run_record(store, media_row, {"detect_side": side, "stride": stride,
                                           "match": match or ""}, made)
    if not cmds:  # nothing to undo: the record that the pass ran, alone, not an undo step
        Session(store).apply(Batch(tuple(record), label="detect text"))
        return TextResult(None, 0, 0, tuple(too_big))
    return TextResult(Batch(tuple(cmds) + tuple(record), label="detect text"), made, matched,
                      tuple(too_big))


def run_record(store: CaseStore, media_row: dict[str, Any], settings: dict[str, Any],
               tracks: int) -> list[Command]:
    """The edits recording that the text pass ran on this original, with its settings
    (reviewer.store.passes), replacing an earlier run's record."""
    from reviewer.media.text_models import MODEL_NAME
    from reviewer.session.edits import Insert
    from reviewer.store.batch_records import get_record
    from reviewer.store.db import now_iso
    from reviewer.store.passes import pass_key, record_value

    key = pass_key("text", media_row["id"])
    old = get_record(store, key)
    cmds: list[Command] = [Delete("settings", old[0], label="detect text")] if old else []
    value = record_value(media_row, {"model": MODEL_NAME.split(",")[0], **settings}, tracks,
                         now_iso())
    cmds.append(Insert("settings", {"key": key, "value": value}, label="detect text"))
    return cmds


def _decided(reviewed: list[dict[str, Any]], frame_from: int, frame_to: int, text: str) -> bool:
    """Whether an accepted or rejected track of an earlier run already holds this text over
    most of these frames."""
    for r in reviewed:
        said = str(r["label"]).split(":", 1)[-1].strip()
        overlap = min(frame_to, r["frame_to"]) - max(frame_from, r["frame_from"]) + 1
        if said == text and overlap >= 0.5 * (frame_to - frame_from + 1):
            return True
    return False


def _worth_keeping(t: Any) -> bool:
    """A track is text when something was read on it with some confidence, or the detector
    was sure on more than one sample (a plate too small or blurred to read is still a plate)."""
    from reviewer.media.text_pass import is_readable

    if any(is_readable(text) and s >= MIN_READ_SCORE for _f, text, s in t.reads):
        return True
    return len(t.det_scores) >= 2 and min(t.det_scores) >= 0.7


def detect_text(store: CaseStore, media_row: dict[str, Any], match: str | None = None,
                reason: str = "b6", progress: Progress | None = None,
                session: Session | None = None) -> TextResult:
    """Run the pass and apply its command. Returns what was made."""
    result = detect_text_command(store, media_row, match, reason, progress)
    if result.command is not None:
        (session or Session(store)).apply(result.command)
    return result
