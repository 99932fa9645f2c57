"""The document pane: rendering off the GUI thread, go to page / Bates, search, select text."""
from __future__ import annotations

from conftest import shot
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from reviewer.ui.documents.doc_pane import words_in


def open_pdf(win):
    pdf = next(m["id"] for m in win.ctl.media_list() if m["kind"] == "pdf")
    win.view.open_item(pdf)
    return pdf


def test_pages_render_in_workers_and_go_to_bates(qtbot, window):
    win = window
    open_pdf(win)
    view = win.doc.view
    qtbot.waitUntil(lambda: view.renderer.get(view.path, 1, view._scale()) is not None, timeout=8000)
    img = view.renderer.get(view.path, 1, view._scale())
    # the renderer rounds the page width to whole pixels (up): at most one pixel off, give or
    # take the float error of the zoom that fitted the page to the pane
    assert abs(img.width() - view.sizes_pt[0][0] * view._scale()) <= 1 + 1e-6
    assert "Page 1 / 6" in win.doc.where.text() and "ICE-2023-000123" in win.doc.where.text()
    win.doc.goto.setText("ICE-2023-000126")
    QTest.keyClick(win.doc.goto, Qt.Key_Return)
    assert view.current_page == 3  # 0-based: page 4 carries ...126
    win.doc.goto.setText("2")
    QTest.keyClick(win.doc.goto, Qt.Key_Return)
    assert view.current_page == 1
    win.doc.goto.setText("ICE-2099-000001")
    QTest.keyClick(win.doc.goto, Qt.Key_Return)
    assert "no such page or Bates" in win.statusBar().currentMessage()
    z = view.zoom
    win.doc.zoom_by(1.2)
    assert abs(view.zoom - z * 1.2) < 1e-9
    assert win.doc.thumbs.count() == 6


def test_search_every_document_and_open_a_hit(qtbot, window):
    win = window
    win.search.field.setText("Deportable")
    QTest.keyClick(win.search.field, Qt.Key_Return)
    qtbot.waitUntil(lambda: win.search.results.count() > 0, timeout=5000)
    assert "pages in 1 document" in win.search.summary.text()
    label = win.search.results.itemWidget(win.search.results.item(0))
    assert " hit" in label.text() and "<b style" in label.text()  # count and highlighted hit
    assert "hits on" in win.statusBar().currentMessage()
    item = win.search.results.item(1)
    media_id, page = item.data(Qt.UserRole)
    win.search.results.itemClicked.emit(item)
    assert win.view.doc_id == media_id and win.doc.view.current_page == page - 1
    qtbot.waitUntil(lambda: any(r.kind == "hit" for r in win.doc.view.rects), timeout=5000)
    hits = [r for r in win.doc.view.rects if r.kind == "hit"]
    assert all(r.page_no == page for r in hits)
    shot(win, "window-search-hit")
    win.search.field.setText("zzzznotthere")
    QTest.keyClick(win.search.field, Qt.Key_Return)
    qtbot.waitUntil(lambda: win.search.results.count() == 0 and "No page" in win.search.summary.text(),
                    timeout=5000)


def test_select_text_and_copy(qtbot, window):
    win = window
    open_pdf(win)
    # the memo's subject line sits near the top of page 1
    win.doc.view.selection_made.emit(1, (60.0, 60.0, 560.0, 140.0))
    text = win.doc.selected_text
    assert "Department" in text or "MEMORANDUM" in text
    win.actions["copy"].trigger()
    assert QGuiApplication.clipboard().text() == text
    assert any(r.kind == "select" for r in win.doc.view.rects)


def test_words_in_keeps_reading_order():
    words = [(10, 10, 30, 20, "B"), (0, 10, 9, 20, "A"), (0, 30, 10, 40, "C"), (500, 500, 510, 510, "Z")]
    assert words_in(words, (0, 0, 100, 100)) == "A B\nC"


def test_search_results_in_document_and_page_order(qtbot, window, tmp_path):
    """Issue 15, part 9: the index ranks hits by relevance; the list goes page by page."""
    from fixtures.pdfs import make_production_pdf

    win = window
    second = make_production_pdf(tmp_path / "second.pdf", n_pages=3, prefix="DHS-", start=40).path
    win.import_paths([str(second)])
    qtbot.waitUntil(lambda: len(win.ctl.media_list()) == 3, timeout=30000)
    win.search.field.setText("Subject")
    QTest.keyClick(win.search.field, Qt.Key_Return)
    qtbot.waitUntil(lambda: win.search.results.count() > 0, timeout=5000)
    got = [win.search.results.item(i).data(Qt.UserRole)
           for i in range(win.search.results.count())]
    assert len({m for m, _p in got}) == 2 and len(got) >= 6
    assert got == sorted(got)
