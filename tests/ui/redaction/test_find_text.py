"""Redact > Find text in the window: text tracks come in as suggestions labelled with what
they say, accepted and rejected like faces (one undo for the run); a search finds the words
read in the video and opens the video at the frame they were seen on."""
from __future__ import annotations

import pytest
from conftest import shot
from PySide6.QtCore import Qt


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    from reviewer.demo.text_clips import make_text_clip

    return make_text_clip(tmp_path_factory.mktemp("ui-text") / "street.mp4", seconds=2.0)


def _item(panel, text):
    for i in range(panel.tree.topLevelItemCount()):
        it = panel.tree.topLevelItem(i)
        if text in it.text(0):
            return it
    shown = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    raise AssertionError(f"no suggestion showing {text!r}: {shown}")


def test_find_text_suggestions_accept_reject_and_search(qtbot, window, street):
    win = window
    win.import_paths([str(street.path)])
    qtbot.waitUntil(lambda: any(m["name"] == "street.mp4" for m in win.ctl.media_list()),
                    timeout=60000)
    vid = next(m["id"] for m in win.ctl.media_list() if m["name"] == "street.mp4")
    win.view.open_item(vid)
    win.actions["find_text"].trigger()
    qtbot.waitUntil(lambda: bool(win.ctl.tracks(vid)), timeout=120000)
    tracks = win.ctl.tracks(vid)
    assert tracks and all(t["status"] == "suggested" for t in tracks)
    panel = win.redact.panel
    assert "to review" in panel.summary.text()
    plate, clock = _item(panel, "7KQB 482"), _item(panel, "2026-12-01")
    plate_id, clock_id = plate.data(0, Qt.UserRole)[1], clock.data(0, Qt.UserRole)[1]
    shot(win, "window-text-suggestions")
    panel.tree.clearSelection()
    _item(panel, "7KQB 482").setSelected(True)
    panel.buttons["accept"].click()
    panel.tree.clearSelection()
    _item(panel, "2026-12-01").setSelected(True)
    panel.buttons["reject"].click()
    status = {t["id"]: t["status"] for t in win.ctl.tracks(vid)}
    assert status[plate_id] == "active" and clock_id not in status  # rejected: out of view
    # search: the vest is seen from second 1; the hit opens the video on that frame
    win.search.field.setText("police")
    win.search.field.returnPressed.emit()
    qtbot.waitUntil(lambda: win.search.results.count() > 0, timeout=30000)
    item = win.search.results.item(0)
    from reviewer.ui.documents.search_panel import VIDEO_ROLE

    assert item.data(Qt.UserRole) == (vid, min(street.truth["vest"])) and item.data(VIDEO_ROLE)
    assert "moment" in win.search.summary.text()
    win.search.results.itemClicked.emit(item)
    qtbot.waitUntil(lambda: win.video.frame == min(street.truth["vest"]), timeout=10000)
    win.actions["undo"].trigger()
    win.actions["undo"].trigger()
    win.actions["undo"].trigger()  # the run itself is one step
    assert win.ctl.tracks(vid) == []
