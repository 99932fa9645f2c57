"""Any sequence of edits, undone, gives back the case exactly; redone, the same rows and ids."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.annotate.geometry import Box, Keyframe
from reviewer.errors import ReviewerError
from reviewer.session import annotations as notes
from reviewer.session import redactions as red
from reviewer.session.session import Session
from reviewer.session.undo import UndoHistory

from .conftest import dump, make_case

TAGS = ["face", "plate", "key", "follow up"]


def _pick(store, sql, n):
    ids = [r["id"] for r in store.query(sql)]
    return ids[n % len(ids)] if ids else None


def _box(a, b):
    return Box(float(a % 300), float(b % 220), float(5 + a % 60), float(5 + b % 60))


def build(op, a, b, c, store, video, doc):
    """The command (and merge key) for one random step, or None when it does not apply."""
    if op == "note_video":
        return notes.add_annotation(store, video, text=f"n{a}", frame=a % 90,
                                    frame_to=(a % 90 + b % 10) if c % 2 else None,
                                    tags=TAGS[: c % 4]), None
    if op == "note_page":
        rect = (a % 500, b % 700, a % 500 + 20, b % 700 + 30) if c % 2 else None
        return notes.add_annotation(store, doc, text=f"p{a}", page_no=1 + a % 3, rect=rect,
                                    tags=TAGS[c % 4:]), None
    if op == "edit_note":
        i = _pick(store, "SELECT id FROM annotations", a)
        return (notes.edit_annotation(store, i, text=f"e{b}", tags=TAGS[c % 3:c % 3 + 2],
                                      for_bundle=bool(c % 2)), None) if i else None
    if op == "delete_note":
        i = _pick(store, "SELECT id FROM annotations", a)
        return (notes.delete_annotation(i), None) if i else None
    if op == "link":
        x = _pick(store, "SELECT id FROM annotations WHERE frame IS NOT NULL", a)
        y = _pick(store, "SELECT id FROM annotations WHERE page_no IS NOT NULL", b)
        return (notes.link_annotations(store, x, y, note=f"l{c}"), None) if x and y else None
    if op == "unlink":
        i = _pick(store, "SELECT id FROM links", a)
        return (notes.unlink(i), None) if i else None
    if op == "tag_color":
        return notes.set_tag_color(TAGS[a % 4], f"#{b % 0xffffff:06x}"), None
    if op == "rename_tag":
        return notes.rename_tag(store, TAGS[a % 4], TAGS[b % 4]), None
    if op == "delete_tag":
        return notes.delete_tag(store, TAGS[a % 4]), None
    if op == "track":
        f0 = a % 80
        f1 = f0 + b % 10
        kfs = [Keyframe(f0, _box(a, b))] + ([Keyframe(f1, _box(b, c))] if f1 > f0 else [])
        return red.add_box_track(video["id"], f0, f1, kfs, reason=["b6", "(b)(7)(C)", "X1"][c % 3],
                                 status=["active", "suggested"][c % 2]), None
    if op == "nudge":
        t = _pick(store, "SELECT id FROM redactions WHERE kind = 'box'", a)
        if not t:
            return None
        frame = b % 90
        # repeated nudges of one box at one frame merge into one undo step
        return red.set_keyframe(store, t, frame, _box(b, c)), ("nudge", t, frame)
    if op == "delete_keyframe":
        k = _pick(store, "SELECT k.id FROM keyframes k WHERE (SELECT count(*) FROM keyframes j "
                         "WHERE j.redaction_id = k.redaction_id) > 1", a)
        return (red.delete_keyframe(store, k), None) if k else None
    if op == "in_out":
        t = _pick(store, "SELECT id FROM redactions WHERE kind = 'box'", a)
        return (red.set_track_range(store, t, b % 45, 45 + c % 45, 90), None) if t else None
    if op == "audio":
        return red.add_audio_span(video["id"], a % 90 / 30, a % 90 / 30 + (1 + b % 20) / 7,
                                  mode=["mute", "bleep"][c % 2], reason="b7C"), None
    if op == "page_box":
        return red.add_page_box(doc["id"], 1 + a % 3, (a % 500, b % 700, a % 500 + 9, b % 700 + 9),
                                reason=["PO", "case-x"][c % 2]), None
    if op == "status":
        i = _pick(store, "SELECT id FROM redactions", a)
        return (red.set_status([i], ["active", "suggested", "rejected"][b % 3]), None) if i else None
    if op == "delete_redaction":
        i = _pick(store, "SELECT id FROM redactions", a)
        return (red.delete_redaction(i), None) if i else None
    raise AssertionError(op)


OPS = ["note_video", "note_page", "edit_note", "delete_note", "link", "unlink", "tag_color",
       "rename_tag", "delete_tag",
       "track", "nudge", "nudge", "delete_keyframe", "in_out", "audio", "page_box", "status",
       "delete_redaction", "undo", "redo"]
N = st.integers(0, 10_000)
STEPS = st.lists(st.tuples(st.sampled_from(OPS), N, N, N), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS)
def test_undoing_everything_restores_the_case_and_redo_the_same_ids(steps):
    with tempfile.TemporaryDirectory() as tmp:
        store, video, doc = make_case(Path(tmp) / "case")
        try:
            start = dump(store)
            history = UndoHistory(Session(store))
            for op, a, b, c in steps:
                if op == "undo":
                    history.undo()
                    continue
                if op == "redo":
                    history.redo()
                    continue
                try:
                    built = build(op, a, b, c, store, video, doc)
                except ReviewerError:
                    continue  # refused input changes nothing; other steps go on
                if built is not None:
                    history.push(*built)
            end = dump(store)
            undone = history.undo_all()
            assert dump(store) == start
            # redo the steps just undone (steps undone earlier in the sequence stay undone)
            for _ in range(undone):
                history.redo()
            assert dump(store) == end
            assert store.query("PRAGMA foreign_key_check") == []
            assert store.verify_audit() == []
        finally:
            store.close()
