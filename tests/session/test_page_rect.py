"""Moving or resizing a page box: one update of its rectangle, undone exactly; a box is
never moved off its page, never made empty, and only page boxes are moved this way."""
from __future__ import annotations

import json

import pytest

from reviewer.annotate.geometry import Box, Keyframe
from reviewer.errors import ReviewerError
from reviewer.session import redactions as red
from reviewer.session.session import Session
from reviewer.session.undo import created_id


def test_move_a_page_box_and_undo(case):
    store, video, doc = case
    session = Session(store)
    inverse, _ = session.apply(red.add_page_box(doc["id"], 2, (100, 100, 200, 150)))
    rid = created_id(inverse, "redactions")
    back, _ = session.apply(red.set_page_rect(store, rid, (150, 90, 300, 160)))
    assert json.loads(store.query_one("SELECT rect FROM redactions WHERE id = ?", (rid,))["rect"]) \
        == [150, 90, 300, 160]
    session.apply(back)
    assert json.loads(store.query_one("SELECT rect FROM redactions WHERE id = ?", (rid,))["rect"]) \
        == [100, 100, 200, 150]
    for bad in [(500, 100, 700, 150), (-5, 0, 40, 40), (10, 10, 10.5, 40)]:
        with pytest.raises(ReviewerError, match=f"redaction {rid}"):
            red.set_page_rect(store, rid, bad)
    inverse, _ = session.apply(red.add_box_track(video["id"], 0, 10, [Keyframe(0, Box(1, 1, 9, 9))]))
    with pytest.raises(ReviewerError, match="not a box on a page"):
        red.set_page_rect(store, created_id(inverse, "redactions"), (0, 0, 9, 9))
