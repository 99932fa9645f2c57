"""The Redactions panel always lists the item selected in the case, sound spans included,
also after a restart with the panel showing; A and X act on the suggestions selected in it
and the status line says what was done."""
from __future__ import annotations

from fractions import Fraction

from conftest import ids, shot
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from reviewer.annotate.geometry import Box, Keyframe


def rows(win) -> list[tuple[str, str, str]]:
    """(kind, name, status) of every line of the panel, as shown."""
    t = win.redact.panel.tree
    return [(t.topLevelItem(i).data(0, Qt.UserRole)[0], t.topLevelItem(i).text(0),
             t.topLevelItem(i).text(3)) for i in range(t.topLevelItemCount())]


def _add_redactions(win, vid: int, pdf: int) -> None:
    from reviewer.session import redactions as red

    win.ctl.add_box(vid, 5, 5, 30, Box(10, 10, 60, 40), "rect", "b6")
    win.ctl.add_box(vid, 12, 12, 40, Box(100, 50, 50, 50), "ellipse", "b7C")
    win.ctl.apply(red.add_audio_span(vid, Fraction(1, 2), Fraction(1), reason="b6"))
    win.ctl.add_page_box(pdf, 2, (72, 100, 300, 130), "b6")


def _select_item(win, media_id: int) -> None:
    """As the user does: a click in the Case list."""
    items = win.items
    items.list.setCurrentItem(items._items[media_id])


def test_panel_follows_the_selected_item_and_lists_mutes(qtbot, window):
    win = window
    media = ids(win)
    _add_redactions(win, media["video"], media["pdf"])
    win.docks["redactions"].raise_()
    _select_item(win, media["pdf"])
    assert rows(win) == [("page", f"Page box #{win.ctl.page_redactions(media['pdf'])[0]['id']}",
                          "active")]
    assert win.redact.panel.summary.text().startswith("production.pdf: 1 page box")
    _select_item(win, media["video"])
    kinds = [k for k, _n, _s in rows(win)]
    assert kinds == ["box", "box", "audio"], rows(win)
    assert rows(win)[2][1].startswith("Mute #")
    assert "bodycam.mp4: 2 boxes, 1 sound span" in win.redact.panel.summary.text()
    # a mute can be reviewed and deleted from the list
    panel = win.redact.panel
    panel.tree.topLevelItem(2).setSelected(True)
    panel.buttons["delete"].click()
    assert [k for k, _n, _s in rows(win)] == ["box", "box"]
    from reviewer.store.redactions import audio_spans
    assert audio_spans(win.ctl.store, media["video"]) == []
    win.actions["undo"].trigger()
    assert [k for k, _n, _s in rows(win)] == ["box", "box", "audio"]
    shot(win, "window-redactions-panel-video")


def test_panel_after_restart_shows_the_selected_item(qtbot, window, tmp_path):
    from reviewer.ui.main_window import MainWindow

    win = window
    media = ids(win)
    _add_redactions(win, media["video"], media["pdf"])
    win.docks["redactions"].raise_()
    _select_item(win, media["pdf"])
    _select_item(win, media["video"])
    case = win.ctl.folder
    win.close()  # saves the dock layout: the panel shows at the next start
    again = MainWindow(prefs_path=tmp_path / "prefs2.json")
    qtbot.addWidget(again)
    again.resize(1600, 960)
    again.show()
    qtbot.waitExposed(again)
    assert again.open_case(case)
    current = again.items.current_id()
    assert current is not None
    if again.ctl.media(current)["kind"] == "video":
        assert [k for k, _n, _s in rows(again)] == ["box", "box", "audio"]
    else:
        assert [k for k, _n, _s in rows(again)] == ["page"]
    name = again.ctl.media(current)["name"]
    assert again.redact.panel.summary.text().startswith(name)
    # and from then on it follows the Case list, never the item shown before
    other = media["pdf"] if current == media["video"] else media["video"]
    _select_item(again, other)
    assert again.redact.panel.media_id == other
    assert again.redact.panel.summary.text().startswith(again.ctl.media(other)["name"])
    again.close()


def _suggest(win, vid: int, n: int) -> list[int]:
    from reviewer.session import redactions as red
    from reviewer.session.undo import created_id

    out = []
    for i in range(n):
        inv = win.ctl.apply(red.add_box_track(vid, 2 * i, 2 * i + 10,
                                              [Keyframe(2 * i, Box(10 + 20 * i, 10, 30, 30))],
                                              status="suggested", source="faces", reason="b6"))
        out.append(created_id(inv, "redactions"))
    return out


def test_a_and_x_act_on_the_suggestion_selected_in_the_list(qtbot, window):
    win = window
    media = ids(win)
    _select_item(win, media["video"])
    sugg = _suggest(win, media["video"], 3)
    win.docks["redactions"].show()
    win.docks["redactions"].raise_()
    panel = win.redact.panel
    assert panel.select(sugg[0])
    panel.tree.setFocus()
    qtbot.waitUntil(lambda: panel.tree.hasFocus())
    QTest.keyClick(panel.tree, Qt.Key_A)
    status = {t["id"]: t["status"] for t in win.ctl.tracks(media["video"])}
    assert status[sugg[0]] == "active" and status[sugg[1]] == "suggested"
    msg = win.statusBar().currentMessage()
    assert msg.startswith(f"Accepted suggestion #{sugg[0]}: 2 suggestions left to review"), msg
    # the next suggestion is selected, so A/X work through the list
    assert panel.selected_ids() == [sugg[1]]
    QTest.keyClick(panel.tree, Qt.Key_X)
    assert sugg[1] not in {t["id"] for t in win.ctl.tracks(media["video"])}
    msg = win.statusBar().currentMessage()
    assert msg.startswith(f"Rejected suggestion #{sugg[1]}: 1 suggestion left"), msg
    assert panel.selected_ids() == [sugg[2]]
    QTest.keyClick(panel.tree, Qt.Key_A)
    assert "no suggestions left to review" in win.statusBar().currentMessage()
    assert "to review" not in panel.summary.text()
    win.actions["undo"].trigger()
    assert {t["id"]: t["status"] for t in win.ctl.tracks(media["video"])}[sugg[2]] == "suggested"


def test_a_on_the_video_accepts_the_box_selected_there(qtbot, window):
    win = window
    media = ids(win)
    _select_item(win, media["video"])
    sugg = _suggest(win, media["video"], 2)
    win.video.seek(4)
    win.video.view.selected_track = sugg[1]
    win.video.view.setFocus()
    qtbot.waitUntil(lambda: win.video.view.hasFocus())
    QTest.keyClick(win.video.view, Qt.Key_A)
    status = {t["id"]: t["status"] for t in win.ctl.tracks(media["video"])}
    assert status == {sugg[0]: "suggested", sugg[1]: "active"}
    assert win.statusBar().currentMessage().startswith(f"Accepted suggestion #{sugg[1]}")
