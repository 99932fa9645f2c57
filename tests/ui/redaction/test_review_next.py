"""Reviewing suggestions: after A or X the picture goes to the next suggestion's first frame,
rejected ones can be listed again and restored, a completed face check is remembered after a
restart, and a document's Redactions hint speaks of pages."""
from __future__ import annotations

from conftest import ids
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from reviewer.annotate.geometry import Box, Keyframe


def suggest(win, vid: int, starts: list[int]) -> list[int]:
    from reviewer.session import redactions as red
    from reviewer.session.undo import created_id

    out = []
    for i, a in enumerate(starts):
        inv = win.ctl.apply(red.add_box_track(vid, a, a + 8, [Keyframe(a, Box(10 + 40 * i, 10, 30, 30))],
                                              status="suggested", source="faces", reason="b6"))
        out.append(created_id(inv, "redactions"))
    return out


def select_item(win, media_id: int) -> None:
    win.items.list.setCurrentItem(win.items._items[media_id])


def test_a_goes_to_the_next_suggestion_and_rejected_ones_come_back(qtbot, window):
    win = window
    media = ids(win)
    select_item(win, media["video"])
    sugg = suggest(win, media["video"], [5, 20, 40])
    win.docks["redactions"].raise_()
    panel = win.redact.panel
    assert panel.select(sugg[0])
    panel.tree.setFocus()
    qtbot.waitUntil(panel.tree.hasFocus)
    QTest.keyClick(panel.tree, Qt.Key_A)
    # the next suggestion is selected and on screen: its first frame, its box selected
    assert panel.selected_ids() == [sugg[1]]
    assert win.video.frame == 20 and win.video.view.selected_track == sugg[1]
    assert "shown" in win.statusBar().currentMessage()
    QTest.keyClick(panel.tree, Qt.Key_X)
    assert win.video.frame == 40 and panel.selected_ids() == [sugg[2]]
    listed = {panel.tree.topLevelItem(i).data(0, Qt.UserRole)[1]
              for i in range(panel.tree.topLevelItemCount())}
    assert sugg[1] not in listed
    # show the rejected again, restore it: a suggestion to review once more
    panel.show_rejected.setChecked(True)
    shown = {panel.tree.topLevelItem(i).data(0, Qt.UserRole)[1]: panel.tree.topLevelItem(i).text(3)
             for i in range(panel.tree.topLevelItemCount())}
    assert shown[sugg[1]] == "rejected"
    assert panel.select(sugg[1])
    panel.buttons["restore"].click()
    status = {t["id"]: t["status"] for t in win.ctl.tracks(media["video"])}
    assert status[sugg[1]] == "suggested"
    assert win.statusBar().currentMessage().startswith(f"Restored suggestion #{sugg[1]}")
    win.actions["undo"].trigger()
    status = {t["id"]: t["status"] for t in win.ctl.tracks(media["video"])}
    assert sugg[1] not in status  # rejected again


def test_a_document_hint_speaks_of_pages(qtbot, window):
    win = window
    select_item(win, ids(win)["pdf"])
    text = win.redact.panel.summary.text()
    assert "page" in text and "(R)" in text and "face" not in text and "mute" not in text.lower()


def test_the_faces_panel_remembers_a_completed_check(qtbot, case, tmp_path):
    from windows import open_window

    win = open_window(qtbot, case, tmp_path / "prefs.json")
    vid = ids(win)["video"]
    win.view.open_item(vid)
    media = win.ctl.media(vid)
    cov = win.redact.coverage
    cov.show(media, [(3, Box(1, 1, 5, 5)), (4, Box(1, 1, 5, 5)), (9, Box(1, 1, 5, 5))])
    before = cov.panel.list.count()
    assert before == 2
    win.close()
    win = open_window(qtbot, case, tmp_path / "prefs.json")  # a restart
    try:
        win.view.open_item(vid)
        panel = win.redact.coverage.panel
        assert panel.list.count() == before
        assert panel.summary.text().startswith("Checked ")
        assert "3 frames" in panel.summary.text()
        assert win.video.timeline.alerts == [3, 4, 9]
    finally:
        win.close()
