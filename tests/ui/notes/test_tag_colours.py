"""Tag colours in the notes panel: each tag drawn as a chip in its case colour; the colour set
from the note's context menu through a colour dialog, as one undoable edit."""
from __future__ import annotations

import numpy as np
from conftest import ids, shot
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QColorDialog, QMenu

from reviewer.annotate.notes import default_tag_color


def stored_color(win, tag: str) -> str | None:
    from reviewer.store.tags import get_tag_color

    return get_tag_color(win.ctl.store, tag)


def pixels_of(widget, color: str) -> int:
    """How many pixels of the widget are (nearly) this colour."""
    img = widget.grab().toImage().convertToFormat(QImage.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    arr = arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(int)
    c = QColor(color)
    return int((np.abs(arr - np.array([c.red(), c.green(), c.blue()])).sum(axis=2) < 12).sum())


def test_tag_chips_and_colour_from_context_menu_with_undo(qtbot, window):
    win = window
    vid = ids(win)["video"]
    win.view.open_item(vid)
    win.ctl.add_note(vid, "Door forced", frame=12, tags=["force", "entry"])
    win.ctl.add_note(vid, "Officer speaks", frame=20, tags=["entry"])
    panel = win.notes
    assert panel.tag_colors["force"] == (stored_color(win, "force") or default_tag_color("force"))
    assert set(panel.tag_colors) >= {"force", "entry"}
    assert pixels_of(panel.table.viewport(), panel.tag_colors["force"]) > 30  # a chip is drawn

    # the context menu offers a colour for each of the note's tags
    row = next(i for i, a in enumerate(panel.model.notes) if "force" in a.tags)
    menu = panel.context_menu(row)  # built as a right-click builds it, not popped up
    assert isinstance(menu, QMenu)
    texts = [a.text() for a in menu.actions()]
    note_tags = panel.model.notes[row].tags
    assert all(f"Colour of tag “{t}”…" in texts for t in note_tags)
    next(a for a in menu.actions() if a.text() == "Colour of tag “force”…").trigger()
    menu.deleteLater()
    dlg = panel.color_dialog
    assert isinstance(dlg, QColorDialog) and dlg.isVisible()
    dlg.setCurrentColor(QColor("#1f9e89"))
    dlg.accept()
    assert stored_color(win, "force") == "#1f9e89"
    assert panel.tag_colors["force"] == "#1f9e89"
    qtbot.wait(20)
    assert pixels_of(panel.table.viewport(), "#1f9e89") > 30
    assert panel.tag.itemData(panel.tag.findData("force"), 1) == QColor("#1f9e89")  # filter too
    shot(win.docks["notes"], "notes-tag-chips")
    before = default_tag_color("force")
    win.actions["undo"].trigger()
    assert panel.tag_colors["force"] == (stored_color(win, "force") or before)
    assert panel.tag_colors["force"] != "#1f9e89"
    win.actions["redo"].trigger()
    assert panel.tag_colors["force"] == "#1f9e89"
