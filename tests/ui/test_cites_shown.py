"""What is cited is what is shown: one rule for the frames a span covers (status line,
Redactions list, timeline), and pin cites shown whole in the Exhibits panel and the bundle
preview, however narrow."""
from __future__ import annotations

from conftest import ids
from PySide6.QtCore import QRect, Qt


def test_a_mute_over_in_out_says_the_same_frames_everywhere(qtbot, window):
    win = window
    win.view.open_item(ids(win)["video"])
    pane = win.video
    pane.seek(12)
    pane.set_in()
    pane.seek(30)
    pane.set_out()
    win.redact.mute_in_out()
    assert "frames 12–30" in win.statusBar().currentMessage()
    win.docks["redactions"].raise_()
    tree = win.redact.panel.tree
    spans = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert any(s.startswith("f12–30 ·") for s in spans), spans
    assert [(s.frame_from, s.frame_to) for s in pane.timeline._audio] == [(12, 30)]
    # the sound strip's selection says it in the same words
    span_id = pane.waveform.spans[0].id
    win.redact.sound._on_strip_span_selected(span_id)
    assert "frames 12–30" in win.statusBar().currentMessage()


def shown_whole(tree, col: int) -> list[str]:
    """Cells of ``col`` that are cut short: wider than the view, or taller once wrapped than
    their row."""
    fm = tree.fontMetrics()
    cut = []
    view_w = tree.viewport().width()
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        text = item.text(col)
        rect = tree.visualItemRect(item)
        x0, w = tree.header().sectionViewportPosition(col), tree.columnWidth(col)
        room = min(x0 + w, view_w) - x0 - 8
        need = fm.boundingRect(QRect(0, 0, room, 10000), Qt.TextWordWrap, text)
        if need.height() > rect.height() or max(fm.horizontalAdvance(t) for t in text.split()) > room:
            cut.append(text)
    return cut


def test_pin_cites_are_shown_whole(qtbot, window):
    from reviewer.citation import exhibits as ex
    from reviewer.store.exhibits import next_seq

    win = window
    media = ids(win)
    win.view.open_item(media["video"])
    win.video.seek(7)
    win.video.set_in()
    win.video.seek(41)
    win.video.set_out()
    win.exhibits.declare("clip")
    win.video.seek(23)
    win.exhibits.declare("still")
    win.ctl.apply(ex.declare_pages(win.ctl.media(media["pdf"]), 2, 3, next_seq(win.ctl.store)))
    panel = win.exhibits.panel
    win.docks["exhibits"].raise_()
    for width in (260, 420):
        win.resizeDocks([win.docks["exhibits"]], [width], Qt.Horizontal)
        qtbot.wait(50)
        assert panel.tree.textElideMode() == Qt.ElideNone
        assert not shown_whole(panel.tree, 1), (width, shown_whole(panel.tree, 1))
    # the bundle preview: whole at its size, and it can be made wider
    win.exhibits.bundle(preview=True, out="unused")
    dlg = win.exhibits.preview_dialog
    qtbot.waitExposed(dlg)
    assert dlg.isSizeGripEnabled()
    assert not shown_whole(dlg.tree, 3), shown_whole(dlg.tree, 3)
    dlg.resize(480, 360)
    qtbot.wait(50)
    assert not shown_whole(dlg.tree, 3), shown_whole(dlg.tree, 3)
    dlg.reject()
