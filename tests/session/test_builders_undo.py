"""Builders and the undo history, example by example."""
from __future__ import annotations

import pytest

from reviewer.annotate.geometry import Box, Keyframe
from reviewer.errors import ReviewerError
from reviewer.session import annotations as notes
from reviewer.session import redactions as red
from reviewer.session.session import Session
from reviewer.session.undo import UndoHistory, created_id
from reviewer.store import annotations as notes_store
from reviewer.store import tags as tags_store
from reviewer.store.redactions import box_tracks

from .conftest import dump


def _track(history, video, f0=10, f1=50):
    history.push(red.add_box_track(video["id"], f0, f1, [Keyframe(f0, Box(0, 0, 10, 10)),
                                                         Keyframe(f1, Box(100, 0, 10, 10))]))
    return history.session.store.query("SELECT max(id) AS id FROM redactions")[0]["id"]


def test_moving_the_box_between_keyframes_adds_one_and_keeps_the_rest_of_the_path(case):
    store, video, _ = case
    h = UndoHistory(Session(store))
    t = _track(h, video)
    before = box_tracks(store, video["id"])[0]
    h.push(red.set_keyframe(store, t, 30, Box(70, 5, 12, 12)))
    after = box_tracks(store, video["id"])[0]
    assert [k.frame for k in after.keyframes] == [10, 30, 50]
    assert after.box_at(30) == Box(70, 5, 12, 12)
    assert after.box_at(10) == before.box_at(10) and after.box_at(50) == before.box_at(50)
    assert after.box_at(20).x_px == pytest.approx(35)  # halfway from 0 to 70


def test_a_keyframe_outside_the_track_extends_it(case):
    store, video, _ = case
    h = UndoHistory(Session(store))
    t = _track(h, video)
    h.push(red.set_keyframe(store, t, 70, Box(1, 1, 5, 5)))
    assert box_tracks(store, video["id"])[0].frame_to == 70
    h.undo()
    track = box_tracks(store, video["id"])[0]
    assert (track.frame_to, len(track.keyframes)) == (50, 2)


def test_consecutive_nudges_merge_into_one_undo_step(case):
    store, video, _ = case
    h = UndoHistory(Session(store))
    t = _track(h, video)
    start = dump(store)
    for i in range(6):
        h.push(red.set_keyframe(store, t, 30, Box(40 + i, 5, 12, 12)), merge_key=("nudge", t, 30))
    end = dump(store)
    assert box_tracks(store, video["id"])[0].box_at(30).x_px == 45
    assert h.undo_label == "move box"
    h.undo()
    assert dump(store) == start  # one step takes back all six nudges
    h.redo()
    assert dump(store) == end
    h.undo()
    h.undo()  # the track itself
    assert box_tracks(store, video["id"]) == []
    assert not h.can_undo and h.can_redo


def test_nudges_do_not_merge_across_an_undo_or_another_box(case):
    store, video, _ = case
    h = UndoHistory(Session(store))
    t = _track(h, video)
    h.push(red.set_keyframe(store, t, 10, Box(1, 0, 10, 10)), merge_key=("nudge", t, 10))
    h.push(red.set_keyframe(store, t, 50, Box(99, 0, 10, 10)), merge_key=("nudge", t, 50))
    h.push(red.set_keyframe(store, t, 10, Box(2, 0, 10, 10)), merge_key=("nudge", t, 10))
    h.undo()
    assert box_tracks(store, video["id"])[0].box_at(10).x_px == 1
    h.undo()
    assert box_tracks(store, video["id"])[0].box_at(50).x_px == 100


def test_a_track_keeps_its_last_keyframe(case):
    store, video, _ = case
    h = UndoHistory(Session(store))
    t = _track(h, video)
    k1, k2 = [k["id"] for k in notes_store.keyframes_of(store, t)]
    h.push(red.delete_keyframe(store, k1))
    with pytest.raises(ReviewerError, match="at least one keyframe"):
        red.delete_keyframe(store, k2)


def test_new_tags_get_a_colour_and_undo_removes_only_what_it_added(case):
    store, video, _doc = case
    h = UndoHistory(Session(store))
    h.push(notes.set_tag_color("key", "#123456"))
    h.push(notes.add_annotation(store, video, text="a", frame=1, tags=["key", "new one", " "]))
    assert {t.name: t.color for t in tags_store.list_tags(store)}["key"] == "#123456"
    assert tags_store.get_tag_color(store, "new one") is not None
    h.undo()
    assert tags_store.get_tag_color(store, "new one") is None
    assert tags_store.get_tag_color(store, "key") == "#123456"


def test_deleting_a_note_takes_its_links_and_undo_brings_both_back(case):
    store, video, doc = case
    s = Session(store)
    inv, _ = s.apply(notes.add_annotation(store, video, text="moment", frame=3))
    a = created_id(inv, "annotations")
    inv, _ = s.apply(notes.add_annotation(store, doc, text="passage", page_no=2))
    b = created_id(inv, "annotations")
    inv, _ = s.apply(notes.link_annotations(store, b, a))
    link = created_id(inv, "links")
    assert [x.other(a) for x in notes_store.links_of(store, a)] == [b]
    undo, changes = s.apply(notes.delete_annotation(a))
    assert changes.touches("links") and notes_store.links_of(store, b) == []
    s.apply(undo)
    assert [x.id for x in notes_store.links_of(store, b)] == [link]
    assert notes_store.get_annotation(store, b).linked_ids == (a,)


def test_filters_for_the_panel(case):
    store, video, doc = case
    s = Session(store)
    for i in range(12):
        s.apply(notes.add_annotation(store, video if i % 2 else doc, text=f"Note {i} 100%",
                                     frame=i if i % 2 else None, page_no=None if i % 2 else 1,
                                     tags=["even"] if i % 2 == 0 else ["odd"]))
    assert notes_store.count_annotations(store, video["id"]) == 6
    assert notes_store.count_annotations(store, tag="even") == 6
    assert [a.text for a in notes_store.list_annotations(store, text="note 1")] == [
        "Note 1 100%", "Note 11 100%", "Note 10 100%"]  # the video (item 1) first
    assert notes_store.count_annotations(store, text="0%") == 12  # % is literal, not a wildcard
    page = notes_store.list_annotations(store, video["id"], offset=2, limit=2)
    assert [a.frame for a in page] == [5, 7]
    tl = notes_store.timeline_annotations(store, video["id"], 4, 6)
    assert [r["frame"] for r in tl] == [5]


def test_audio_and_page_builders_refuse_bad_values(case):
    _store, video, _doc = case
    with pytest.raises(ReviewerError):
        red.add_audio_span(video["id"], 2, 1)
    with pytest.raises(ReviewerError):
        red.add_audio_span(video["id"], 0, 1, mode="loud")
    with pytest.raises(ReviewerError):
        red.add_box_track(video["id"], 5, 1, [Keyframe(5, Box(0, 0, 1, 1))])
    with pytest.raises(ReviewerError):
        red.add_box_track(video["id"], 1, 5, [])


def test_suggestions_are_accepted_or_rejected_in_one_step(case):
    store, video, _ = case
    h = UndoHistory(Session(store))
    ids = []
    for f in (1, 20, 40):
        h.push(red.add_box_track(video["id"], f, f + 5, [Keyframe(f, Box(0, 0, 9, 9))],
                                 reason="b6", source="faces", status="suggested"))
        ids.append(store.query("SELECT max(id) AS id FROM redactions")[0]["id"])
    h.push(red.set_status(ids[:2], "active"))
    assert len(box_tracks(store, video["id"])) == 2
    h.undo()
    assert box_tracks(store, video["id"]) == []
    assert len(box_tracks(store, video["id"], status="suggested")) == 3


def test_renaming_a_tag_moves_it_and_its_colour_and_merges(case):
    store, video, _ = case
    h = UndoHistory(Session(store))
    h.push(notes.add_annotation(store, video, text="a", frame=1, tags=["plate", "car"]))
    h.push(notes.add_annotation(store, video, text="b", frame=2, tags=["car"]))
    h.push(notes.set_tag_color("plate", "#010203"))
    before = dump(store)
    h.push(notes.rename_tag(store, "plate", "car"))
    assert [a.tags for a in notes_store.list_annotations(store)] == [("car",), ("car",)]
    assert tags_store.get_tag_color(store, "plate") is None
    h.undo()
    assert dump(store) == before
    h.push(notes.rename_tag(store, "plate", "licence plate"))
    assert tags_store.get_tag_color(store, "licence plate") == "#010203"
    h.push(notes.delete_tag(store, "car"))
    assert [a.tags for a in notes_store.list_annotations(store)] == [("licence plate",), ()]


@pytest.mark.parametrize("typed, code", [
    ("(b)(6)", "b6"), ("Exemption 6", "b6"), ("ex. 7(C)", "b7C"), ("FOIA Exemption 7(E)", "b7E"),
    ("5 U.S.C. 552(b)(7)(C)", "b7C"), ("§ 552(b)(5)", "b5"), ("b-6", "b6"), ("B 7 c", "b7C"),
    ("Exemption 12", "Exemption 12"), ("case-x", "case-x"), ("", ""),
])
def test_reason_codes_typed_by_users_are_normalized(typed, code):
    assert red.reason_code(typed) == code
