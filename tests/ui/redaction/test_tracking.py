"""Tracking assist and box look from the window: the selected box carried forward and backward
on a worker (one undo step each), keyframes on the timeline, corrected by moving the box; the
blur/pixelate warning shown once."""
from __future__ import annotations

from conftest import ids, shot
from PySide6.QtWidgets import QMessageBox

from reviewer.annotate.geometry import Box, box_at
from reviewer.ui import workers
from reviewer.ui.redaction.tracking_tools import track_range

# the fixture's green bar: 8 px wide, x = 7 * frame, lower half of a 320x240 picture


def bar_box(frame: int) -> Box:
    return Box(7 * frame - 6, 140, 20, 60)


def add_selected_box(win, vid: int, frame: int) -> int:
    win.video.seek(frame)
    win.ctl.add_box(vid, frame, frame, frame, bar_box(frame), "rect", "b6")
    tid = win.ctl.tracks(vid)[-1]["id"]
    win.video.view.selected_track = tid
    win.video.view.box_selected.emit(tid)
    return tid


def track_of(win, vid: int, tid: int) -> dict:
    return next(t for t in win.ctl.tracks(vid) if t["id"] == tid)


def test_track_range_rule():
    # to the track's end when before it; a few seconds on when at or past it; inside the video
    assert track_range(10, 5, 40, 100, 30.0, 1) == 40
    assert track_range(40, 5, 40, 100, 30.0, 1) == 99
    assert track_range(40, 5, 40, 300, 30.0, 1) == 130
    assert track_range(10, 5, 40, 100, 30.0, -1) == 5
    assert track_range(5, 5, 40, 100, 30.0, -1) == 0


def test_track_forward_backward_undo_and_correct(qtbot, window):
    win = window
    vid = ids(win)["video"]
    win.view.open_item(vid)
    tid = add_selected_box(win, vid, 10)
    win.actions["track_fwd"].trigger()  # T
    qtbot.waitUntil(lambda: track_of(win, vid, tid)["frame_to"] > 10, timeout=60000)
    t = track_of(win, vid, tid)
    assert t["frame_from"] == 10 and t["frame_to"] >= 40
    for f in (20, 30, 40):
        assert abs(box_at(t["kfs"], f).x_px - bar_box(f).x_px) <= 3, f
    assert win.video.timeline.keyframes == [k.frame for k in t["kfs"]]
    assert len(win.video.timeline.keyframes) > 2
    shot(win, "window-tracking-keyframes")
    # correct it by hand at frame 25: that frame's keyframe moves, one more undo step
    win.video.seek(25)
    win.video.view.box_changed.emit(tid, Box(100, 100, 30, 30))
    assert box_at(track_of(win, vid, tid)["kfs"], 25) == Box(100, 100, 30, 30)
    win.actions["undo"].trigger()
    assert abs(box_at(track_of(win, vid, tid)["kfs"], 25).x_px - bar_box(25).x_px) <= 3
    win.actions["undo"].trigger()  # the whole carry is one step
    t = track_of(win, vid, tid)
    assert (t["frame_from"], t["frame_to"]) == (10, 10) and [k.frame for k in t["kfs"]] == [10]
    # backward from a later box, to the start of the video at most
    tid2 = add_selected_box(win, vid, 40)
    win.actions["track_back"].trigger()  # Shift+T
    qtbot.waitUntil(lambda: track_of(win, vid, tid2)["frame_from"] < 40, timeout=60000)
    t = track_of(win, vid, tid2)
    assert t["frame_to"] == 40 and t["frame_from"] <= 15
    for f in (20, 30):
        assert abs(box_at(t["kfs"], f).x_px - bar_box(f).x_px) <= 3, f


def test_track_needs_a_selected_box_and_can_be_cancelled(qtbot, window):
    win = window
    vid = ids(win)["video"]
    win.view.open_item(vid)
    win.video.view.selected_track = -1
    win.actions["track_fwd"].trigger()
    assert "Select a box" in win.statusBar().currentMessage()
    tid = add_selected_box(win, vid, 5)
    win.redact.tracking.track(1)
    job, _dlg = win.redact.tracking.job
    job.progress.cancel()  # whatever was carried before the cancel is kept, as one step
    # released after its result was applied (both queued, in that order)
    qtbot.waitUntil(lambda: job not in workers._live, timeout=60000)
    t = track_of(win, vid, tid)
    assert t["frame_from"] == 5 and t["frame_to"] < 59
    if t["frame_to"] > 5:
        win.actions["undo"].trigger()
        assert [k.frame for k in track_of(win, vid, tid)["kfs"]] == [5]


def test_box_look_warns_once(qtbot, window):
    win = window
    vid = ids(win)["video"]
    win.view.open_item(vid)
    tid = add_selected_box(win, vid, 10)
    tools = win.redact.tracking
    assert tools.look_actions["solid"].isChecked()
    win.actions["look_blur"].trigger()
    assert track_of(win, vid, tid)["style"] == "blur"
    box = tools.warning
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "reversed on text and number plates" in box.text() and "Solid" in box.text()
    shot(box, "dialog-blur-warning")
    box.close()
    qtbot.wait(20)
    tools.warning = None
    win.actions["look_pixelate"].trigger()
    assert track_of(win, vid, tid)["style"] == "pixelate"
    assert tools.warning is None  # once per window
    win.actions["undo"].trigger()
    assert track_of(win, vid, tid)["style"] == "blur"
    assert win.video.view._boxes[0].style == "blur"  # the overlay follows
    win.actions["look_solid"].trigger()
    assert track_of(win, vid, tid)["style"] == "solid"
