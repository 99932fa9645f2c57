"""The student's workflow in a real X window (Xvfb), with real X input from xdotool where a
person would click or type: restart with the Redactions panel open, mark a note for the
bundle from its context menu, accept a face suggestion from the list with A, export a
document and write a bundle through the window's own dialogs. Screenshots of the whole
screen at each step.

Run twice by test_xvfb.py: ``prepare CASE SHOTS`` (sets up the clip's redactions, leaves the
panel showing, quits), then ``run CASE SHOTS OUT`` (the restart and everything after it).
Prints one ``STATE {json}`` line.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

sys.path.append(str(Path(__file__).resolve().parent))
from xvfb_driver import pump, wait_for  # noqa: E402


def xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=30)


def focus(widget) -> None:
    """Give the X window of ``widget`` the keyboard (there is no window manager to do it)."""
    xdo("windowfocus", "--sync", str(int(widget.window().winId())))


def click_at(widget, point: QPoint | None = None, button: int = 1) -> None:
    """A real mouse click at ``point`` (widget coordinates; its centre by default)."""
    p = widget.mapToGlobal(point if point is not None else widget.rect().center())
    xdo("mousemove", "--sync", str(p.x()), str(p.y()))
    xdo("click", str(button))


def screen(app: QApplication, shots: Path, name: str) -> None:
    print(f"step {name}", file=sys.stderr, flush=True)
    pump(app, 0.4)
    subprocess.run(["import", "-window", "root", str(shots / f"xvfb-workflow-{name}.png")],
                   check=False, timeout=30)


def open_window(app: QApplication, case: str):
    from reviewer.ui.main_window import MainWindow

    win = MainWindow(prefs_path=Path(tempfile.mkdtemp()) / "prefs.json")
    win.show()
    win.activateWindow()
    assert wait_for(app, win.isVisible, 10)
    assert win.open_case(case)
    pump(app, 0.5)
    return win


def media_id(win, name: str) -> int:
    return next(m["id"] for m in win.ctl.media_list() if m["name"] == name)


def panel_rows(win) -> list[str]:
    t = win.redact.panel.tree
    return [t.topLevelItem(i).data(0, Qt.UserRole)[0] for i in range(t.topLevelItemCount())]


def prepare(app: QApplication, case: str, shots: Path) -> dict:
    """A clip with two boxes and a mute, the PDF viewed last, the Redactions panel showing."""
    from reviewer.annotate.geometry import Box
    from reviewer.session import redactions as red

    win = open_window(app, case)
    win.resize(1600, 1000)
    vid, pdf = media_id(win, "bodycam.mp4"), media_id(win, "production.pdf")
    win.ctl.add_box(vid, 5, 5, 30, Box(10, 10, 60, 40), "rect", "b6")
    win.ctl.add_box(vid, 12, 12, 40, Box(100, 50, 50, 50), "ellipse", "b7C")
    win.ctl.apply(red.add_audio_span(vid, Fraction(1, 2), Fraction(1), reason="b6"))
    win.items.list.setCurrentItem(win.items._items[pdf])
    win.items.list.setCurrentItem(win.items._items[vid])
    win.docks["redactions"].show()
    win.docks["redactions"].raise_()
    out = {"prepared_rows": panel_rows(win)}
    screen(app, shots, "0-before-restart")
    win.close()
    return out


def run(app: QApplication, case: str, shots: Path, out_dir: Path) -> dict:
    state: dict = {"platform": app.platformName()}
    win = open_window(app, case)
    win.move(0, 0)
    pump(app, 0.5)
    # 1. after the restart the panel shows the selected item's redactions, mute included
    current = win.ctl.media(win.items.current_id())
    state["restart_item"] = current["name"]
    state["restart_rows"] = panel_rows(win)
    state["restart_summary"] = win.redact.panel.summary.text()
    state["restart_panel_visible"] = win.redact.panel.isVisible()
    screen(app, shots, "1-restart")

    # 2. a note on page 2, typed into the note dialog, marked for the bundle from its menu
    pdf = media_id(win, "production.pdf")
    win.items.list.setCurrentItem(win.items._items[pdf])
    pump(app, 0.3)
    win.doc.go_to(2)
    wait_for(app, lambda: win.doc.view.current_page == 1, 5)
    win.doc.view.setFocus()
    pump(app, 0.2)
    # the note dialog blocks this thread while it is open: a background xdotool finds it,
    # focuses it and types the note
    typist = subprocess.Popen(
        "xdotool search --sync --name '^New note$' windowfocus --sync %1 sleep 0.3 "
        "type --delay 30 'Stamp shows the date #evidence' && xdotool key Return", shell=True)
    focus(win)
    xdo("key", "n")  # Note here
    wait_for(app, lambda: bool(win.ctl.notes()[0]), 30)
    typist.wait(10)
    notes = win.ctl.notes()[0]
    state["note"] = [(a.text, list(a.tags), a.page_no) for a in notes]
    win.docks["notes"].raise_()
    pump(app, 0.3)
    table = win.notes.table
    row = win.notes.model.row_of(notes[0].id)
    click_at(table.viewport(), table.visualRect(win.notes.model.index(row, 1)).center(), 3)
    wait_for(app, lambda: any(isinstance(w, QMenu) and w.isVisible()
                              for w in app.topLevelWidgets()), 5)
    menu = next(w for w in app.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    action = next(a for a in menu.actions() if a.text() == "Include in the bundle")
    screen(app, shots, "2-note-context-menu")
    click_at(menu, menu.actionGeometry(action).center())
    wait_for(app, lambda: win.ctl.note(notes[0].id).for_bundle, 5)
    state["note_for_bundle"] = win.ctl.note(notes[0].id).for_bundle
    state["notes_count"] = win.notes.count.text()
    screen(app, shots, "3-note-marked")

    # 3. faces found in the real clip, set back to suggestions; the first accepted with A
    from reviewer.paths import sample_face_clip

    win.import_paths([str(sample_face_clip())])
    wait_for(app, lambda: any(m["name"] == "foreman_h264.mp4" for m in win.ctl.media_list()), 60)
    face = media_id(win, "foreman_h264.mp4")
    win.items.list.setCurrentItem(win.items._items[face])
    wait_for(app, lambda: win.video.media is not None and win.video.media["id"] == face, 10)
    win.actions["faces"].trigger()
    wait_for(app, lambda: bool(win.ctl.tracks(face)), 240)
    # Find faces makes strong tracks redactions at once, as the command line does; the
    # reviewer sets them back to suggestions here to review them one by one
    win.ctl.set_status([t["id"] for t in win.ctl.tracks(face)], "suggested")
    pump(app, 0.5)
    win.docks["redactions"].raise_()
    pump(app, 0.3)
    tree = win.redact.panel.tree
    first = tree.topLevelItem(0)
    sugg_id = first.data(0, Qt.UserRole)[1]
    state["suggestions"] = sum(t["status"] == "suggested" for t in win.ctl.tracks(face))
    click_at(tree.viewport(), tree.visualItemRect(first).center())
    pump(app, 0.3)
    screen(app, shots, "4-suggestion-selected")
    focus(win)
    xdo("key", "a")
    wait_for(app, lambda: {t["id"]: t["status"] for t in win.ctl.tracks(face)}.get(sugg_id)
             == "active", 5)
    state["accepted"] = {t["id"]: t["status"] for t in win.ctl.tracks(face)}.get(sugg_id)
    state["accept_status_line"] = win.statusBar().currentMessage()
    screen(app, shots, "5-suggestion-accepted")

    # 4. the document: identifiers swept, all marked from the list, exported through the dialog
    win.items.list.setCurrentItem(win.items._items[pdf])
    pump(app, 0.3)
    win.actions["export"].trigger()
    wait_for(app, lambda: win.redact.find.prompt is not None, 60)
    state["sweep_found"] = len(win.redact.find.panel.matches)
    screen(app, shots, "6-identifier-sweep")
    box = win.redact.find.prompt
    click_at(next(b for b in box.buttons() if b.text() == "Review them"))
    pump(app, 0.3)
    click_at(win.redact.find.panel.mark_button)
    wait_for(app, lambda: bool(win.ctl.page_redactions(pdf)), 5)
    state["marked_summary"] = win.redact.find.panel.summary.text()
    screen(app, shots, "7-hits-marked")
    win.actions["export"].trigger()
    wait_for(app, lambda: isinstance(getattr(win, "file_dialog", None), QFileDialog)
             and win.file_dialog.isVisible(), 60)
    dlg = win.file_dialog
    state["export_dialog_dir"] = dlg.directory().absolutePath()
    screen(app, shots, "8-export-dialog")
    focus(dlg)
    xdo("key", "Return")  # the suggested name in the case's exports folder
    wait_for(app, lambda: getattr(win, "last_export", None) is not None, 120)
    wait_for(app, lambda: getattr(win, "result_box", None) is not None
             and win.result_box.isVisible(), 10)
    state["export_result"] = win.result_box.text()
    state["export_buttons"] = [b.text() for b in win.result_box.buttons()]
    screen(app, shots, "9-export-result")
    click_at(next(b for b in win.result_box.buttons() if b.text() == "Close"))
    pump(app, 0.3)

    # 5. exhibits and the bundle, the folder chosen in the folder chooser
    win.exhibits.declare("pages", pages=(2, 3))
    win.items.list.setCurrentItem(win.items._items[face])
    wait_for(app, lambda: win.video.media is not None and win.video.media["id"] == face, 10)
    win.video.seek(10)
    win.video.set_in()
    win.video.seek(40)
    win.video.set_out()
    win.exhibits.declare("clip")
    win.actions["bundle"].trigger()
    wait_for(app, lambda: getattr(win.exhibits, "preview_dialog", None) is not None
             and win.exhibits.preview_dialog.isVisible(), 10)
    screen(app, shots, "10-bundle-preview")
    win.exhibits.preview_dialog.accept()
    wait_for(app, lambda: win.redact.find.prompt is not None or (
        isinstance(getattr(win, "file_dialog", None), QFileDialog) and win.file_dialog is not dlg
        and win.file_dialog.isVisible()), 60)
    state["bundle_sweep_asked"] = win.redact.find.prompt is not None
    if win.redact.find.prompt is not None:
        click_at(next(b for b in win.redact.find.prompt.buttons() if b.text() == "Go on anyway"))
        wait_for(app, lambda: win.file_dialog is not dlg and win.file_dialog.isVisible(), 60)
    folder_dlg = win.file_dialog
    state["bundle_dialog_is_folder_chooser"] = folder_dlg.fileMode() == QFileDialog.Directory
    out_dir.mkdir(parents=True, exist_ok=True)
    pump(app, 0.3)
    focus(folder_dlg)
    xdo("key", "ctrl+a")
    xdo("type", "--delay", "10", str(out_dir))
    xdo("key", "Return")
    pump(app, 0.5)
    if folder_dlg.isVisible():  # the first Return may only have entered the folder
        folder_dlg.accept()
    wait_for(app, lambda: getattr(win, "last_bundle", None) is not None, 300)
    wait_for(app, lambda: win.result_box.isVisible() and "Bundle" in win.result_box.text(), 10)
    state["bundle_result"] = win.result_box.text()
    state["bundle_folder"] = str(win.last_bundle.folder)
    screen(app, shots, "11-bundle-result")
    click_at(next(b for b in win.result_box.buttons() if b.text() == "Close"))
    win.actions["layout_compact"].trigger()  # View ▸ Compact layout, for a small screen
    win.resize(1024, 700)
    pump(app, 0.5)
    win.resize(1024, 700)  # once the docks have settled in their new places
    pump(app, 1.0)
    state["small_window"] = [win.width(), win.height()]
    screen(app, shots, "12-at-1024x700")
    win.close()
    return state


def main(argv: list[str]) -> int:
    from reviewer.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    step, case, shots = argv[0], argv[1], Path(argv[2])
    if step == "prepare":
        state = prepare(app, case, shots)
    else:
        state = run(app, case, shots, Path(argv[3]))
    print("STATE " + json.dumps(state), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
