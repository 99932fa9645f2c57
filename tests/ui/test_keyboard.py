"""Keyboard only: every control shows the focus, every menu command with a shortcut works
from wherever the focus is, and the first workflow (open, step, note, box, export) is done
with key events alone, a box on a PDF page included."""
from __future__ import annotations

import subprocess

import numpy as np
from conftest import ids
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
)


def grab(widget) -> np.ndarray:
    img = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(int)


def border(arr: np.ndarray) -> np.ndarray:
    """The outermost line of pixels all round."""
    return np.concatenate([arr[0], arr[-1], arr[:, 0], arr[:, -1]])


def test_every_control_shows_the_focus(qtbot, window):
    from reviewer.ui import theme

    win = window
    win.view.open_item(ids(win)["video"])
    qtbot.waitUntil(lambda: not win.video.view.image().isNull(), timeout=20000)
    ring = np.array(rgb(theme.FOCUS))
    win.ctl.add_note(ids(win)["video"], "Officer at the door", frame=2)  # the table shows
    button = win.exhibits.panel.findChildren(QPushButton)[0]
    targets = {"picture": (win.video.view, None), "page": (win.doc.view, None),
               "case list": (win.items.list, "items"), "notes": (win.notes.table, "notes"),
               "button": (button, "exhibits"), "jump field": (win.video.jump, None)}
    win.activateWindow()
    for name, (w, dock) in targets.items():
        if dock:
            win.docks[dock].raise_()
        win.menuBar().setFocus()  # somewhere else
        qtbot.wait(20)
        before = border(grab(w))
        w.setFocus(Qt.TabFocusReason)
        qtbot.waitUntil(w.hasFocus, timeout=2000)
        after = border(grab(w))
        ringed = (np.abs(after - ring).sum(axis=1) < 40).mean()
        assert ringed > 0.5, (name, ringed)  # the border is the focus colour
        assert (np.abs(before - ring).sum(axis=1) < 40).mean() < 0.2, name


def rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def test_menu_commands_work_from_any_focus(qtbot, window):
    """Each command of the menus that has a shortcut fires from the picture, the page, the
    Case list and the notes (the scoped ones: Delete, A and X, act where review happens)."""
    win = window
    win.view.open_item(ids(win)["video"])
    win.ctl.add_note(ids(win)["video"], "Officer at the door", frame=2)
    win.ctl.add_note(ids(win)["video"], "Door opens", frame=3)
    win.actions["undo"].trigger()  # something to undo and something to redo
    fired: dict[str, int] = {}
    actions = {k: a for k, a in win.actions.items()
               if not a.shortcut().isEmpty() and a.shortcutContext() == Qt.WindowShortcut}
    assert {"bundle", "export", "preview", "mark_in", "shuttle_k", "goto", "note_here"} <= set(actions)
    for key, a in actions.items():
        a.triggered.disconnect()
        a.triggered.connect(lambda _=False, k=key: fired.__setitem__(k, fired.get(k, 0) + 1))
    win.activateWindow()
    for place in (win.video.view, win.doc.view, win.items.list, win.notes.table):
        fired.clear()
        place.setFocus()
        qtbot.waitUntil(place.hasFocus, timeout=2000)
        for key, a in actions.items():
            combo = a.shortcut()[0]
            win.keys.last_typed = float("-inf")
            QTest.keyClick(QApplication.focusWidget(), combo.key(), combo.keyboardModifiers())
        missed = sorted(k for k in actions if fired.get(k) != 1)
        assert not missed, (place, missed)


def answer_modal(kind, then, timeout_ms: int = 20000):
    """When a modal dialog of ``kind`` is up, ``then(dialog)`` (typed keys): for dialogs that
    run their own event loop (the note's text)."""
    waited = [0]

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, kind) and w.isVisible():
            then(w)
        elif waited[0] < timeout_ms:
            waited[0] += 50
            QTimer.singleShot(50, poll)
    QTimer.singleShot(50, poll)


def type_path(qtbot, dlg: QFileDialog, text: str | None) -> None:
    """Type ``text`` into the file dialog's name field and press Enter; when the path
    completer's list is up, Enter first takes the completion (as it does for a typist)."""
    field = dlg.findChild(QLineEdit, "fileNameEdit")
    if text is not None:
        field.selectAll()
        QTest.keyClicks(field, text)
    popup = field.completer().popup() if field.completer() else None
    if popup is not None and popup.isVisible():
        QTest.keyClick(popup, Qt.Key_Escape)
    QTest.keyClick(field, Qt.Key_Return)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    # a window manager gives the window back its activation when the dialog closes; the
    # offscreen platform has none and leaves the completer's list active
    win = dlg.parentWidget().window()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)


def read_frames(path) -> np.ndarray:
    """Every frame of ``path`` decoded by the ffmpeg program (not our reader), RGB."""
    from fixtures.videos import ffmpeg_exe

    probe = subprocess.run([ffmpeg_exe(), "-i", str(path)], capture_output=True, text=True).stderr
    import re

    w, h = map(int, re.search(r"Video: .*?(\d{2,5})x(\d{2,5})", probe).groups())
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, h, w, 3)


def test_first_workflow_by_keyboard_only(qtbot, case, tmp_path):
    from reviewer.store import CaseStore
    from reviewer.store import annotations as notes_store
    from reviewer.ui import workers
    from reviewer.ui.main_window import MainWindow

    from PySide6.QtCore import QSettings

    QSettings("Reviewer", "Reviewer").setValue("dialogs/cases", str(case.parent))
    win = MainWindow(prefs_path=tmp_path / "prefs.json")
    qtbot.addWidget(win)
    win.resize(1600, 960)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    try:
        # open: Ctrl+O starts where the cases are (remembered); the case's name, Enter
        QTest.keyClick(win, Qt.Key_O, Qt.ControlModifier)
        qtbot.waitUntil(lambda: isinstance(getattr(win, "file_dialog", None), QFileDialog)
                        and win.file_dialog.isVisible())
        assert win.file_dialog.directory().absolutePath() == str(case.parent)
        type_path(qtbot, win.file_dialog, case.name)
        qtbot.waitUntil(lambda: win.ctl is not None and win.video.media is not None)
        qtbot.waitUntil(lambda: not workers._live, timeout=60000)
        # to the picture (F6 goes round the areas), three frames on
        for _ in range(7):
            if win.video.view.hasFocus():
                break
            QTest.keyClick(QApplication.focusWidget() or win, Qt.Key_F6)
        assert win.video.view.hasFocus(), (QApplication.focusWidget(), QApplication.activeWindow(), win.statusBar().currentMessage())
        for _ in range(3):
            QTest.keyClick(win.video.view, Qt.Key_Right)
        assert win.video.frame == 3
        # a note on this frame: N, its text, Enter
        answer_modal(QInputDialog, lambda d: (
            QTest.keyClicks(d.findChild(QLineEdit), "Door opens #entry"),
            QTest.keyClick(d.findChild(QLineEdit), Qt.Key_Return)))
        QTest.keyClick(win.video.view, Qt.Key_N)
        qtbot.waitUntil(lambda: len(win.notes.model.notes) == 1, timeout=20000)
        win.activateWindow()  # the window manager's part when a dialog closes (see type_path)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
        assert win.video.view.hasFocus()
        # a box: B arms the tool, Enter puts it over the middle of the picture
        win.keys.last_typed = float("-inf")  # the note's text was typed a moment ago
        QTest.keyClick(win.video.view, Qt.Key_B)
        QTest.keyClick(win.video.view, Qt.Key_Return)
        media = win.video.media
        assert [(t["frame_from"], t["frame_to"]) for t in win.ctl.tracks(media["id"])] == \
            [(3, media["frame_count"] - 1)]
        # a box on a page of the PDF: F6 to the page, R arms the page tool, Enter puts a box in
        # the middle of the page in view, Alt+Right moves it a tenth of the page
        for _ in range(7):
            if win.doc.view.hasFocus():
                break
            QTest.keyClick(QApplication.focusWidget() or win, Qt.Key_F6)
        assert win.doc.view.hasFocus(), QApplication.focusWidget()
        pdf = win.doc.media
        QTest.keyClick(win.doc.view, Qt.Key_R)
        QTest.keyClick(win.doc.view, Qt.Key_Return)
        QTest.keyClick(win.doc.view, Qt.Key_Right, Qt.AltModifier)
        w, h = win.doc.view.sizes_pt[0]
        (page_box,) = win.ctl.page_redactions(pdf["id"])
        step = min(w, h) / 10
        assert page_box["page_no"] == 1 and abs(page_box["rect"][0] - (w / 4 + step)) < 0.02
        for _ in range(7):
            if win.video.view.hasFocus():
                break
            QTest.keyClick(QApplication.focusWidget() or win, Qt.Key_F6)
        assert win.video.view.hasFocus()
        # export: Ctrl+E; faces were never looked for: Alt+A exports anyway; Enter keeps the
        # suggested name in the case's exports folder
        QTest.keyClick(win.video.view, Qt.Key_E, Qt.ControlModifier)
        qtbot.waitUntil(lambda: isinstance(win.redact.coverage.prompt, QMessageBox)
                        and win.redact.coverage.prompt.isVisible(), timeout=60000)
        prompt = win.redact.coverage.prompt
        prompt.activateWindow()  # as a window manager does for a new dialog
        qtbot.waitUntil(lambda: QApplication.activeWindow() is prompt)
        QTest.keyClick(prompt, Qt.Key_A, Qt.AltModifier)
        qtbot.waitUntil(lambda: isinstance(getattr(win, "file_dialog", None), QFileDialog)
                        and win.file_dialog.isVisible() and
                        win.file_dialog.acceptMode() == QFileDialog.AcceptSave, timeout=20000)
        out = win.file_dialog.selectedFiles()[0]
        type_path(qtbot, win.file_dialog, None)
        qtbot.waitUntil(lambda: getattr(win, "result_box", None) is not None
                        and win.result_box.isVisible(), timeout=120000)
        assert "checks of the written file found what the case's redactions ask for" in \
            win.result_box.text()
        QTest.keyClick(win.result_box, Qt.Key_Escape)
    finally:
        win.close()
    with CaseStore.open(case) as store:
        notes = notes_store.list_annotations(store)
        assert [(n.text, n.frame, n.tags) for n in notes] == [("Door opens", 3, ("entry",))]
    frames = read_frames(out)
    h, w = frames.shape[1:3]
    middle = (slice(h // 4 + 4, 3 * h // 4 - 4), slice(w // 4 + 4, 3 * w // 4 - 4))
    assert frames[3][middle].max() < 40  # covered from the frame it was put on
    assert frames[2][middle].max() > 150  # and not before
