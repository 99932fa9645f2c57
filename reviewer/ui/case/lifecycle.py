"""Opening and closing a case in the window, so that switching cases (File ▸ New case…, Open
recent…, Open…) gives exactly the window a fresh start on that case gives.

Closing comes first and is complete: every tool lets go of the old controller and empties its
panel, filters typed for the old case are cleared, and the old view stops listening to the
shared widgets. Only then is the new case wired in, so no callback can reach a closed database.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.ui.case import prefs as prefs_mod


def tools(win: Any) -> list[Any]:
    """The window's tools that hold the open case, in the order they are told of it."""
    return [win.redact, win.exhibits, win.withheld, win.speech, win.people, win.ocr_reading]


def open_case(win: Any, folder: str | Path) -> bool:
    from reviewer.ui.case.case_view import CaseView
    from reviewer.ui.case.controller import CaseController

    try:
        ctl = CaseController.open(folder, win)
    except ReviewerError as exc:
        win.show_error(str(exc))
        return False
    close_case(win)
    win.ctl = ctl
    win.view = CaseView(ctl, win.items, win.video, win.doc, win.notes, win)
    win.view.item_opened.connect(win.note_tools.item_opened)
    from reviewer.ui.case import window_fit

    win.view.item_opened.connect(lambda mid: window_fit.favor(win, ctl.media(mid)["kind"]))
    ctl.error.connect(win.show_error)
    ctl.status_message.connect(win.status)
    ctl.undo_stack.indexChanged.connect(lambda *_: win._update_undo_actions())
    for tool in tools(win):
        tool.case_opened(ctl)
    win.view.refresh_items()
    win.view.refresh_notes()
    name = Path(folder).name
    win.setWindowTitle(f"Reviewer — {name}")
    win.case_label.setText(str(Path(folder)))
    win.prefs = win.prefs.with_recent(folder)
    try:
        prefs_mod.save_prefs(win.prefs, win.prefs_path)
    except OSError:
        pass  # preferences are a convenience; never block opening a case on them
    n = len(ctl.media_list())
    win.status(f"Opened {name}: {n} item{'s' if n != 1 else ''}")
    first = {m["kind"]: m["id"] for m in reversed(ctl.media_list())}
    for kind in ("pdf", "video"):
        if kind in first:
            win.view.open_item(first[kind])
    win._update_undo_actions()
    return True


def close_case(win: Any) -> None:
    if win.ctl is None:
        return
    for tool in reversed(tools(win)):
        tool.case_closed()
    win.video.close_video()
    win.doc.close_document()
    win.items.set_items([])
    win.notes.color_lookup = dict
    win.notes.reset_filters()
    win.notes.set_tags([])
    win.notes.set_notes([], 0)
    win.search.clear()
    if win.view is not None:
        win.view.detach()
        win.view.deleteLater()
    # the stack outlives the window's actions at exit: it must not call back into them
    win.ctl.undo_stack.indexChanged.disconnect()
    win.ctl.close()
    win.ctl.deleteLater()
    win.ctl = win.view = None
    win.setWindowTitle("Reviewer")
    win.case_label.setText("No case open")
    win._update_undo_actions()
