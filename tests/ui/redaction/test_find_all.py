"""Redact > Find faces and text: both passes on one decode from the window, added as one
undo step with the tracks ``detect faces`` and ``detect text`` would add."""
from __future__ import annotations

from datetime import datetime

import pytest


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip

    scene = BodycamScene("both.mp4", 2.0, 640, 360, 30, "Stop there.", "ABC 1234",
                         "X81204417", datetime(2023, 6, 14, 6, 12, 33), 11)
    return make_bodycam_clip(tmp_path_factory.mktemp("ui-both") / scene.name, scene).path


def test_find_faces_and_text_adds_both_as_one_undo(qtbot, window, clip):
    win = window
    win.import_paths([str(clip)])
    qtbot.waitUntil(lambda: any(m["name"] == "both.mp4" for m in win.ctl.media_list()),
                    timeout=60000)
    vid = next(m["id"] for m in win.ctl.media_list() if m["name"] == "both.mp4")
    win.view.open_item(vid)
    win.actions["find_all"].trigger()
    qtbot.waitUntil(lambda: bool(win.ctl.tracks(vid)), timeout=120000)
    sources = {t["source"] for t in win.ctl.tracks(vid)}
    assert sources == {"detect", "detect-text"}
    win.actions["undo"].trigger()
    assert win.ctl.tracks(vid) == []
