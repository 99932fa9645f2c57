"""Switching cases in one window (File ▸ New case…, Open recent…) gives exactly the window that
opening the other case fresh gives: every panel's model, the title, the recent list."""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QDockWidget, QLabel

from reviewer.store import CaseStore


def fill(folder: Path, tag: str, n_notes: int) -> None:
    """Give a case notes, an exhibit, a withheld region and boxes on the video and a page, each
    worded with ``tag`` so one case's rows can never pass for the other's."""
    from reviewer.citation import exhibits as ex
    from reviewer.session import annotations as notes
    from reviewer.session import redactions as red
    from reviewer.session import withheld as wh
    from reviewer.session.session import Session
    from reviewer.store import media as media_store
    from reviewer.annotate.geometry import Box, Keyframe

    with CaseStore.open(folder) as store:
        s = Session(store)
        media = {m["kind"]: m for m in media_store.list_media(store)}
        video, pdf = media["video"], media["pdf"]
        for i in range(n_notes):
            s.apply(notes.add_annotation(store, video, text=f"{tag} note {i}", frame=3 + i,
                                         tags=[f"{tag}-tag"]))
        s.apply(notes.add_annotation(store, pdf, text=f"{tag} page note", page_no=2))
        s.apply(ex.declare_clip(video, 2, 9 + n_notes, 1))
        s.apply(ex.declare_pages(pdf, 1, n_notes, 2))
        s.apply(wh.add_withheld(pdf["id"], 1, (72, 72, 200, 100 + n_notes), ["b6"],
                                comment=f"{tag} withheld"))
        s.apply(red.add_box_track(video["id"], 1, 20 + n_notes,
                                  [Keyframe(1, Box(0.1, 0.1, 0.2, 0.2))], reason="b6"))
        s.apply(red.add_page_box(pdf["id"], 1, (50, 50, 90 + n_notes, 80), reason="b7(C)"))


def model_rows(model: QAbstractItemModel, parent=None) -> list:
    from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex

    flat = isinstance(model, (QAbstractListModel, QAbstractTableModel))
    parent = QModelIndex() if parent is None else parent
    cols = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    rows = []
    for r in range(model.rowCount(parent)):
        cells = [model.data(model.index(r, c, parent), Qt.DisplayRole) for c in range(cols)]
        first = model.index(r, 0, parent)
        rows.append((cells, [] if flat or not model.rowCount(first) else model_rows(model, first)))
    return rows


def settled(qtbot, win) -> None:
    """Wait until the window's background jobs (thumbnails, scans, sound) are done."""
    from reviewer.ui import workers

    qtbot.waitUntil(lambda: not workers._live, timeout=60000)
    qtbot.wait(100)


def snapshot(win) -> dict:
    """What every panel shows: every list, table and tree's model, every combo box's items and
    every label in the docks and the status bar's case label, keyed by dock and position."""
    out: dict = {"title": win.windowTitle(), "case": win.case_label.text(),
                 "recent": list(win.prefs.recent_cases[:1]),
                 "undo": (win.undo_action.isEnabled(), win.redo_action.isEnabled()),
                 "video": win.video.media and win.video.media["name"],
                 "doc": win.doc.media and win.doc.media["name"],
                 "timeline": (sorted((s.frame_from, s.frame_to) for s in win.video.timeline._notes),
                              sorted((s.frame_from, s.frame_to) for s in win.video.timeline._tracks))}
    for dock in win.findChildren(QDockWidget):
        key = dock.objectName()
        w = dock.widget()
        out[key + ":views"] = [model_rows(v.model()) for v in w.findChildren(QAbstractItemView)
                               if v.model() is not None and not isinstance(v.parent(), QComboBox)]
        out[key + ":combos"] = [[c.itemText(i) for i in range(c.count())]
                                for c in w.findChildren(QComboBox)]
        out[key + ":labels"] = sorted((lbl.text(), lbl.isVisibleTo(w))
                                      for lbl in w.findChildren(QLabel))
    out["reason"] = [win.redact.reason.itemText(i) for i in range(win.redact.reason.count())]
    return out


def test_switching_case_gives_the_fresh_window(qtbot, case, tmp_path, capfd):
    from windows import open_window

    other = tmp_path / "other"
    shutil.copytree(case, other)
    fill(case, "alpha", 2)
    fill(other, "bravo", 3)
    prefs = tmp_path / "prefs.json"

    fresh = open_window(qtbot, other, tmp_path / "fresh-prefs.json")
    settled(qtbot, fresh)
    want = snapshot(fresh)
    fresh.close()
    assert any("bravo note 2" in str(v) for v in want.values())  # the snapshot sees the notes

    win = open_window(qtbot, case, prefs)
    settled(qtbot, win)
    assert any("alpha note 1" in str(v) for v in snapshot(win).values())
    # filters typed for the old case must not hide the new case's notes
    win.notes.tag.setCurrentIndex(win.notes.tag.findData("alpha-tag"))
    win.notes.text.setText("alpha")
    win.view.open_item(win.ctl.media_list()[0]["id"])  # the video: Redactions lists its boxes
    assert win.open_case(other)  # what Open recent… and New case… call
    settled(qtbot, win)
    got = snapshot(win)
    try:
        for key in want:
            assert got[key] == want[key], key
        assert "alpha" not in str(got)
        assert win.prefs.recent_cases[:2] == (str(other.resolve()), str(case.resolve()))
        # the tools hold the new case: an edit from the Redactions panel goes to it
        assert win.redact.review.ctl is win.ctl and win.exhibits.ctl is win.ctl
        assert win.withheld.ctl is win.ctl
    finally:
        win.close()
    err = capfd.readouterr().err
    assert "closed database" not in err and "Traceback" not in err, err


def type_into_file_dialog(qtbot, win, text: str) -> None:
    """Answer the window's file dialog from the keyboard: the path, then Enter."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    qtbot.waitUntil(lambda: isinstance(getattr(win, "file_dialog", None), QFileDialog)
                    and win.file_dialog.isVisible())
    dlg = win.file_dialog
    field = dlg.findChild(QLineEdit, "fileNameEdit")
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key_Return)  # the first Enter may only take the path completion
    if dlg.isVisible():
        QTest.keyClick(field, Qt.Key_Return)
    qtbot.waitUntil(lambda: not dlg.isVisible())


def test_new_case_dialog_switches_and_lists_it(qtbot, window, tmp_path, capfd):
    from PySide6.QtCore import QSettings

    QSettings("Reviewer", "Reviewer").remove("dialogs/cases")  # no folder remembered yet
    new = tmp_path / "brand-new"
    window.actions["new"].trigger()
    # a new case starts beside the open one, never inside it or its exports
    assert window.file_dialog.directory().absolutePath() == str(window.ctl.folder.parent)
    type_into_file_dialog(qtbot, window, str(new))
    qtbot.wait(200)
    assert window.ctl is not None and window.ctl.folder == new.resolve()
    assert window.windowTitle() == "Reviewer — brand-new"
    assert window.items.list.count() == 0
    assert window.exhibits.panel.tree.topLevelItemCount() == 0
    assert window.withheld.panel.rows == []
    window._fill_recent()
    assert window.recent_menu.actions()[0].text() == str(new.resolve())
    # the next Open… starts where the cases are
    window.actions["open"].trigger()
    assert window.file_dialog.directory().absolutePath() == str(tmp_path)
    window.file_dialog.reject()
    err = capfd.readouterr().err
    assert "closed database" not in err and "Traceback" not in err, err
