"""A text box is the size of its text: on a car park filmed from above (painted bays, roofs,
one small plate; reviewer.demo.text_clips.make_car_park_clip) the detector finds "text" in
the rows of bays, a region of a fifth of the picture; no box that size is made (the
reviewer is told where, to draw one if text shows there), and the plate is still covered.
Letters too small to read give a box labelled unreadable, and no guessed reading is kept."""
from __future__ import annotations


import pytest
from cli.clirun import ok, run

from reviewer.demo.text_clips import make_car_park_clip
from reviewer.media.text_split import MAX_BOX_SHARE, readable_size, within_share


@pytest.fixture(scope="module")
def car_park(tmp_path_factory):
    folder = tmp_path_factory.mktemp("park") / "case"
    clip = make_car_park_clip(folder.parent / "park.mp4")
    ok("new", folder)
    ok("import", folder, clip.path)
    r = run("detect", "text", folder, "park.mp4")
    assert r.code == 0, r.err
    return folder, clip, r


def test_no_box_past_a_tenth_of_the_picture_and_the_plate_still_covered(car_park):
    from reviewer.store import CaseStore
    from reviewer.store.redactions import box_tracks

    folder, clip, r = car_park
    with CaseStore.open(folder) as store:
        tracks = box_tracks(store, 1, "suggested") + box_tracks(store, 1, "active")
    area = clip.width * clip.height
    for t in tracks:
        for f in range(t.frame_from, t.frame_to + 1):
            b = t.box_at(f)
            assert b.w_px * b.h_px <= MAX_BOX_SHARE * area, (f, b)
    for f, (x0, y0, x1, y1) in clip.truth["plate"].items():
        assert any(t.covers(f) and t.box_at(f).x_px <= x0 and t.box_at(f).y_px <= y0
                   and t.box_at(f).x_px + t.box_at(f).w_px >= x1
                   and t.box_at(f).y_px + t.box_at(f).h_px >= y1 for t in tracks), f
    # the reviewer is told where the oversized regions were, on one warning line
    warn = [ln for ln in r.err.splitlines() if ln.startswith("warning: park.mp4: text was found")]
    assert len(warn) == 1 and "draw a box" in warn[0]


def test_letters_too_small_to_read_are_labelled_unreadable(monkeypatch, tmp_path):
    from reviewer.demo.text_clips import make_text_clip
    from reviewer.media import text_split
    from reviewer.session.detect_text import detect_text
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store
    from reviewer.store.seen_text import seen_in

    clip = make_text_clip(tmp_path / "street.mp4", seconds=1.0)
    # every line of this clip counts as too small: the path a far plate takes
    monkeypatch.setattr(text_split, "MIN_READ_LINE_PX", 1000.0)
    with CaseStore.create(tmp_path / "case") as store:
        (item,) = import_paths(store, [clip.path])
        row = media_store.get_media(store, item.id)
        result = detect_text(store, row)
        assert result.tracks >= 2
        labels = [r["label"] for r in store.query("SELECT label FROM redactions")]
        assert labels and all(lb.endswith("(unreadable)") for lb in labels), labels
        assert all(not s["text"] for s in seen_in(store, row["id"]))


class _T:
    def __init__(self, boxes, line_h=20.0):
        self.boxes, self.reads, self.changes, self.line_h_px = boxes, [], [], line_h


def test_within_share_drops_only_the_oversized_frames():
    from reviewer.annotate.geometry import Box

    t = _T({0: Box(0, 0, 50, 20), 1: Box(0, 0, 400, 200), 2: Box(2, 0, 50, 20)})
    kept, dropped = within_share([t, _T({5: Box(0, 0, 600, 300)})], 640, 360)
    assert dropped == [1, 5] and len(kept) == 1 and sorted(kept[0].boxes) == [0, 2]
    assert readable_size(_T({}, 12.0)) and not readable_size(_T({}, 6.0))
