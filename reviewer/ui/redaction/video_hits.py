"""Identifiers in the words ``detect text`` read in the videos (run on a worker, no Qt).

Every reading of every text track (table ``seen_text``, the same words ``reviewer search``
finds) is matched against the patterns. A hit is covered when the track's own box (the
redaction detect text made for it, labelled ``Text N: ...``) is accepted and spans the frame
it was read on; otherwise it is still readable in the export, and Mark accepts that box.
"""
from __future__ import annotations

import re
from typing import Any

from reviewer.ui.redaction.text_hits import Hit

CONTEXT_CHARS = 40


def _track_boxes(store: Any, media_id: int) -> dict[int, list[dict[str, Any]]]:
    """detect text's redactions of one video, by the track number in their label."""
    from reviewer.store.seen_text import detect_text_redactions

    out: dict[int, list[dict[str, Any]]] = {}
    for r in detect_text_redactions(store, media_id):
        label = str(r["label"] or "")
        head = label[5:].split(":", 1)[0].strip() if label.startswith("Text ") else ""
        if head.isdigit():
            out.setdefault(int(head), []).append(r)
    return out


def _value(m: re.Match[str]) -> tuple[int, int]:
    # the named patterns mark the identifier itself (``value``) inside a labelled match
    if "value" in m.re.groupindex and m.group("value") is not None:
        return m.span("value")
    return m.span()


def find_video_hits(store: Any, videos: list[tuple[dict[str, Any], tuple[int, int] | None]],
                    patterns: list[tuple[str, str]], case_sensitive: bool) -> list[Hit]:
    """Every hit of ``patterns`` in what was read in ``videos`` (each a media row and a frame
    range, or None for the whole clip), in video and frame order, one per track and text."""
    from reviewer.pdf.search import compile_pattern
    from reviewer.session.annotations import frame_times
    from reviewer.store.seen_text import seen_in

    regexes = [(name, compile_pattern(key, case_sensitive)) for name, key in patterns]
    out: list[Hit] = []
    for media, frames in videos:
        rows = seen_in(store, media["id"])
        if not rows:
            continue
        boxes = _track_boxes(store, media["id"])
        times = frame_times(store, media)
        hits: dict[tuple[int, str], Hit] = {}
        for r in rows:
            reads = [(int(f), str(t)) for f, t, *_ in r["reads"]] or [(int(r["frame_from"]), r["text"])]
            for frame, text in reads:
                if frames and not frames[0] <= frame <= frames[1]:
                    continue
                for name, rx in regexes:
                    for m in rx.finditer(text):
                        a, b = _value(m)
                        if b <= a:
                            continue
                        key = (int(r["track_no"]), text[a:b].casefold())
                        if key not in hits:
                            own = boxes.get(int(r["track_no"]), [])
                            shown = [x for x in own if x["status"] == "active" and
                                     x["frame_from"] <= frame <= x["frame_to"]]
                            tc = times.timecode(frame) if times is not None and frame < times.count else None
                            hits[key] = Hit(media["id"], media["name"], 0, None, text[a:b], [],
                                            before=text[max(0, a - CONTEXT_CHARS):a].strip(),
                                            after=text[b:b + CONTEXT_CHARS].strip(),
                                            covered=bool(shown), frame=frame, timecode=tc,
                                            redaction_ids=[int(x["id"]) for x in own
                                                           if x["status"] != "active"])
                        if name not in hits[key].patterns:
                            hits[key].patterns.append(name)
        out += sorted(hits.values(), key=lambda h: (h.frame, h.text))
    return out
