"""The identifier sweep before an export covers the words read in the videos too (detect
text's text tracks, what `reviewer search` finds), and runs before File ▸ Export all; a
hit read in a video is marked by accepting its text track.

The clip is the demo street clip (a licence plate drawn on a moving car), read by the
project's real detect text; the plate is found by a case pattern saved in the panel."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

PLATE = r"\b\d[A-Z]{3}\s?\d{3}\b"


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    from reviewer.demo.text_clips import make_text_clip

    return make_text_clip(tmp_path_factory.mktemp("ui-sweep") / "street.mp4", seconds=2.0)


def _button(box, text: str):
    return next(b for b in box.buttons() if b.text() == text)


def test_sweep_lists_a_plate_read_in_the_video_and_mark_accepts_its_track(qtbot, window, street, tmp_path):
    win = window
    win.import_paths([str(street.path)])
    qtbot.waitUntil(lambda: any(m["name"] == "street.mp4" for m in win.ctl.media_list()), timeout=60000)
    media = next(m for m in win.ctl.media_list() if m["name"] == "street.mp4")
    win.view.open_item(media["id"])
    win.actions["find_text"].trigger()
    qtbot.waitUntil(lambda: bool(win.ctl.tracks(media["id"])), timeout=120000)
    plate_track = next(t for t in win.ctl.tracks(media["id"]) if "7KQB" in (t["label"] or ""))
    assert plate_track["status"] == "suggested"
    # the plate is the case's own pattern, saved in the panel
    find = win.redact.find
    panel = find.panel
    win.actions["search_redact"].trigger()
    panel.pattern.setEditText(PLATE)
    panel.save_button.click()
    qtbot.waitUntil(panel.name_dialog.isVisible)
    panel.name_dialog.setTextValue("Licence plate")
    panel.name_dialog.accept()
    assert "Licence plate" in [n for n, _k in find.all_patterns()]

    # File ▸ Export all is swept first: the plate read in the video is listed, nothing written
    out = tmp_path / "all"
    win.export_all(str(out))
    qtbot.waitUntil(lambda: find.prompt is not None, timeout=60000)
    seen = [h for h in panel.matches if h.frame is not None]
    plate = next(h for h in seen if "Licence plate" in h.patterns)
    assert plate.media_id == media["id"] and "7KQB" in plate.text.upper() and not plate.covered
    assert plate.frame in street.truth["plate"]  # on a frame the plate is really drawn on
    assert plate.redaction_ids == [plate_track["id"]]
    row = panel.item_of(plate)
    assert row.parent().text(0).startswith("street.mp4 at 00:00:") and "read in the video" in row.parent().text(0)
    assert "in the words read in 1 video" in panel.summary.text()
    assert "read in a video" in find.prompt.text()
    assert any(h.frame is None for h in panel.matches)  # the documents were swept as well
    _button(find.prompt, "Cancel").click()
    assert not out.exists()

    # a click on it shows the frame it was read on
    panel.results.setCurrentItem(row)
    qtbot.waitUntil(lambda: win.video.media is not None and win.video.media["id"] == media["id"]
                    and win.video.frame == plate.frame, timeout=10000)
    # Mark (only the plate ticked) accepts its text track: one undo step
    panel.all_box.setChecked(False)
    row.setCheckState(0, Qt.Checked)
    steps = win.ctl.undo_stack.count()
    panel.mark_button.click()
    assert win.ctl.undo_stack.count() == steps + 1
    status = {t["id"]: t["status"] for t in win.ctl.tracks(media["id"])}
    assert status[plate_track["id"]] == "active"

    # swept again (as before exporting this video): the plate is now under its box
    done: list[bool] = []
    find.gate([], "street.mp4", lambda: done.append(True), videos=[(media, None)])
    qtbot.waitUntil(lambda: bool(done) or find.prompt is not None, timeout=60000)
    if find.prompt is not None:  # something else read in the clip matched: not the plate
        assert not any("Licence plate" in h.patterns for h in panel.matches)
        _button(find.prompt, "Cancel").click()
    # undo puts the suggestion back; the sweep lists the plate again
    win.ctl.undo_stack.undo()
    assert {t["id"]: t["status"] for t in win.ctl.tracks(media["id"])}[plate_track["id"]] == "suggested"
    find.gate([], "street.mp4", lambda: done.append(True), videos=[(media, None)])
    qtbot.waitUntil(lambda: find.prompt is not None, timeout=60000)
    assert any("Licence plate" in h.patterns and not h.covered for h in panel.matches)
    _button(find.prompt, "Cancel").click()


def test_the_bundle_sweeps_only_the_frames_its_clips_show(qtbot, window, street):
    from reviewer.citation import exhibits as ex
    from reviewer.store.exhibits import next_seq

    win = window
    win.import_paths([str(street.path)])
    qtbot.waitUntil(lambda: any(m["name"] == "street.mp4" for m in win.ctl.media_list()), timeout=60000)
    media = next(m for m in win.ctl.media_list() if m["name"] == "street.mp4")
    win.view.open_item(media["id"])
    win.actions["find_text"].trigger()
    qtbot.waitUntil(lambda: bool(win.ctl.tracks(media["id"])), timeout=120000)
    plate_frames = sorted(street.truth["plate"])
    find = win.redact.find
    find.save_pattern("Licence plate", PLATE)
    # a clip exhibit on the plate's frames: its words are swept, and the plate is listed
    win.ctl.apply(ex.declare_clip(media, plate_frames[0], plate_frames[-1], next_seq(win.ctl.store)))
    assert find.exhibit_videos() == [(win.ctl.media(media["id"]), (plate_frames[0], plate_frames[-1]))]
    win.redact.find.gate(find.exhibit_targets(), "the bundle's exhibits", lambda: None,
                         videos=find.exhibit_videos())
    qtbot.waitUntil(lambda: find.prompt is not None, timeout=60000)
    hits = [h for h in find.panel.matches if "Licence plate" in h.patterns]
    assert hits and all(plate_frames[0] <= h.frame <= plate_frames[-1] for h in hits)
    _button(find.prompt, "Cancel").click()
    # a still before the car comes in shows no plate: nothing is listed for it
    before = [f for f in range(plate_frames[0]) if f not in street.truth["plate"]]
    if before:
        win.ctl.undo_stack.undo()
        win.ctl.apply(ex.declare_still(media, before[0], next_seq(win.ctl.store)))
        done: list[bool] = []
        find.gate([], "the bundle's exhibits", lambda: done.append(True), videos=find.exhibit_videos())
        qtbot.waitUntil(lambda: bool(done) or find.prompt is not None, timeout=60000)
        if find.prompt is not None:
            assert not any("Licence plate" in h.patterns for h in find.panel.matches)
            _button(find.prompt, "Cancel").click()
