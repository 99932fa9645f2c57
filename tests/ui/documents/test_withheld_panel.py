"""The Withheld dock: scan on a worker, list, filter, jump with an orange outline, edit in
place with undo, draw a region, remove, summary, exports, and the bundle's withheld log."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import go_on_anyway, shot
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent


@pytest.fixture(scope="session")
def withheld_base(tmp_path_factory: pytest.TempPathFactory):
    from fixtures.pdfs import make_production_pdf, make_withheld_pdf

    from reviewer.session.importer import Imported, import_paths
    from reviewer.store import CaseStore

    src = tmp_path_factory.mktemp("withheld-media")
    truth = make_withheld_pdf(src / "ice-release.pdf")
    other = make_production_pdf(src / "letters.pdf", n_pages=3).path
    folder = tmp_path_factory.mktemp("withheld-case") / "case"
    with CaseStore.create(folder) as store:
        results = import_paths(store, [src / "ice-release.pdf", other])
    assert all(isinstance(r, Imported) for r in results), results
    return folder, truth


@pytest.fixture
def win(qtbot, withheld_base, tmp_path: Path):
    from windows import open_window

    folder = tmp_path / "case"
    shutil.copytree(withheld_base[0], folder)
    w = open_window(qtbot, folder, tmp_path / "prefs.json")
    qtbot.waitUntil(lambda: not w.withheld.scanning and bool(w.withheld.panel.rows), timeout=120000)
    w.withheld.show()
    yield w
    w.close()


def _store_rows(w) -> list[dict]:
    from reviewer.store.withheld import list_withheld

    return list_withheld(w.ctl.store)


def _ice(w) -> int:
    return next(m["id"] for m in w.ctl.media_list() if m["name"] == "ice-release.pdf")


def _orange_pixels(w) -> int:
    img = w.doc.view.viewport().grab().toImage()
    n = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            c = QColor(img.pixel(x, y))
            if abs(c.red() - 255) < 20 and abs(c.green() - 140) < 30 and c.blue() < 70:
                n += 1
    return n


def test_scan_lists_every_region_and_a_click_jumps_with_an_orange_outline(qtbot, win, withheld_base):
    truth = withheld_base[1]
    panel = win.withheld.panel
    rows = _store_rows(win)
    assert len(panel.rows) == len(rows) == panel.table.rowCount() > 0
    ice = _ice(win)
    for t in truth:  # every vector-page region of the ground truth is listed with its codes
        if t.page_no == 3:
            continue  # labels there are pixels only: OCR; tests/pdf covers them
        hit = [r for r in panel.rows if r["media_id"] == ice and r["page_no"] == t.page_no
               and all(abs(a - b) < 4 for a, b in zip(r["rect"], t.rect))]
        assert hit, t
        assert sorted(hit[0]["codes"]) == sorted(t.codes)
        assert hit[0]["bates"] == t.bates
    # the table shows document, page, Bates and codes of each row
    target = next(r for r in panel.shown if r["page_no"] == 2 and r["codes"])
    i = panel.shown.index(target)
    assert panel.table.item(i, 1).text() == "2"
    assert panel.table.item(i, 2).text() == target["bates"]
    assert panel.table.item(i, 3).text() == ", ".join(target["codes"])
    panel.table.selectRow(i)
    qtbot.waitUntil(lambda: win.doc.view.current_page == 1, timeout=5000)
    assert win.doc.media["id"] == ice
    lit = {r.id: r for r in win.doc.view.highlights}
    assert win.doc.view.highlight_id == target["id"] and target["id"] in lit
    assert (lit[target["id"]].x0_pt, lit[target["id"]].y1_pt) == (target["rect"][0], target["rect"][3])
    assert ", ".join(target["codes"]) == lit[target["id"]].label
    qtbot.wait(300)  # the page picture arrives from the render pool
    assert _orange_pixels(win) > 50
    shot(win, "window-withheld-log")


def test_filters_by_document_and_exemption(win):
    panel = win.withheld.panel
    ice = _ice(win)
    panel.doc_filter.setCurrentIndex(panel.doc_filter.findData(ice))
    assert panel.shown and all(r["media_id"] == ice for r in panel.shown)
    assert len(panel.shown) == len([r for r in _store_rows(win) if r["media_id"] == ice])
    panel.doc_filter.setCurrentIndex(0)
    panel.code_filter.setCurrentIndex(panel.code_filter.findData("b6"))
    want = [r["id"] for r in _store_rows(win) if "b6" in r["codes"]]
    assert want and [r["id"] for r in panel.shown] == want
    assert panel.table.rowCount() == len(want)


def test_codes_and_comment_edit_in_place_and_undo(win):
    from reviewer.store.withheld import get_withheld

    panel = win.withheld.panel
    target = panel.shown[0]
    before = get_withheld(win.ctl.store, target["id"])
    panel.table.item(0, 3).setText("b5; (b)(7)(C)")
    after = get_withheld(win.ctl.store, target["id"])
    assert after["codes"] == ["b5", "b7C"] and after["source"] == "corrected"
    row = next(i for i, r in enumerate(panel.shown) if r["id"] == target["id"])
    assert panel.table.item(row, 3).text() == "b5, b7C"
    panel.table.item(row, 4).setText("Name of the interviewing agent")
    assert get_withheld(win.ctl.store, target["id"])["comment"] == "Name of the interviewing agent"
    win.actions["undo"].trigger()
    assert get_withheld(win.ctl.store, target["id"])["comment"] == ""
    win.actions["undo"].trigger()
    restored = get_withheld(win.ctl.store, target["id"])
    assert restored["codes"] == before["codes"] and restored["source"] == before["source"]
    win.actions["redo"].trigger()
    assert get_withheld(win.ctl.store, target["id"])["codes"] == ["b5", "b7C"]


def _drag(view, page_no: int, a_pt: tuple, b_pt: tuple) -> None:
    view.go_to_page(page_no)
    r, s = view.page_rect(page_no - 1), view._scale()

    def px(pt: tuple) -> QPointF:
        return QPointF(r.x() + pt[0] * s, r.y() + pt[1] * s)

    for kind, pos, buttons in ((QEvent.MouseButtonPress, px(a_pt), Qt.LeftButton),
                               (QEvent.MouseMove, px(b_pt), Qt.LeftButton),
                               (QEvent.MouseButtonRelease, px(b_pt), Qt.NoButton)):
        e = QMouseEvent(kind, pos, pos, Qt.LeftButton, buttons, Qt.NoModifier)
        {QEvent.MouseButtonPress: view.mousePressEvent, QEvent.MouseMove: view.mouseMoveEvent,
         QEvent.MouseButtonRelease: view.mouseReleaseEvent}[kind](e)


def test_draw_a_region_then_remove_it_with_undo(qtbot, win):
    panel = win.withheld.panel
    ice = _ice(win)
    win.view.open_item(ice)
    n = len(_store_rows(win))
    panel.draw_button.setChecked(True)
    assert win.doc.view.tool == "withheld"
    _drag(win.doc.view, 2, (300, 600), (420, 640))
    assert win.doc.view.tool == "select" and not panel.draw_button.isChecked()
    rows = _store_rows(win)
    assert len(rows) == n + 1
    new = next(r for r in rows if r["source"] == "manual")
    assert new["page_no"] == 2 and new["bates"] == "ICE-2023-000201"
    assert all(abs(a - b) < 1 for a, b in zip(new["rect"], (300, 600, 420, 640)))
    assert panel.selected_ids() == [new["id"]]
    win.withheld.panel.table.closePersistentEditor(panel.table.currentItem())
    panel.remove_selected()
    assert new["id"] not in [r["id"] for r in _store_rows(win)]
    win.actions["undo"].trigger()  # the removal
    assert new["id"] in [r["id"] for r in _store_rows(win)]
    win.actions["undo"].trigger()  # the drawing
    assert len(_store_rows(win)) == n


def test_summary_counts_and_exports(qtbot, win, tmp_path):
    from reviewer.pdf.withheld_report import by_code

    panel = win.withheld.panel
    rows = _store_rows(win)
    top = [panel.summary.topLevelItem(i) for i in range(panel.summary.topLevelItemCount())]
    assert [t.text(0) for t in top] == ["By exemption", "By document", "By page range"]
    shown = {top[0].child(i).text(0): int(top[0].child(i).text(1)) for i in range(top[0].childCount())}
    assert shown == {(c or "(no label)"): n for c, n in by_code(rows)}
    docs = {top[1].child(i).text(0): int(top[1].child(i).text(1)) for i in range(top[1].childCount())}
    assert sum(docs.values()) == len(rows)
    panel.tabs.setCurrentIndex(1)
    shot(win.docks["withheld"], "dock-withheld-summary")
    out_csv, out_pdf = tmp_path / "log.csv", tmp_path / "log.pdf"
    win.withheld.export("csv", str(out_csv))
    qtbot.waitUntil(lambda: win.withheld.last_export == out_csv, timeout=20000)
    with open(out_csv, newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(rows)
    win.withheld.export("pdf", str(out_pdf))
    qtbot.waitUntil(lambda: win.withheld.last_export == out_pdf, timeout=20000)
    assert out_pdf.read_bytes()[:5] == b"%PDF-"


def test_bundle_preview_can_add_the_withheld_log(qtbot, win, tmp_path):
    from reviewer.citation.verify import verify_bundle

    win.view.open_item(_ice(win))
    win.exhibits.declare("pages", pages=(1, 2))
    out = tmp_path / "bundle"
    win.exhibits.bundle(str(out))
    dlg = win.exhibits.preview_dialog
    assert not dlg.with_withheld.isChecked()  # only on request
    dlg.with_withheld.setChecked(True)
    shot(dlg, "dialog-bundle-preview-withheld")
    dlg.accept()
    go_on_anyway(qtbot, win, lambda: hasattr(win, "last_bundle"))
    qtbot.waitUntil(lambda: hasattr(win, "last_bundle"), timeout=120000)
    index = json.loads((out / "index.json").read_text())
    assert index["withheld_log"]["regions"] == len(_store_rows(win))
    assert (out / "withheld_log.csv").is_file() and (out / "withheld_log.pdf").is_file()
    checks = verify_bundle(out)
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_documents_imported_later_are_scanned_when_the_log_is_shown(qtbot, win, tmp_path):
    from fixtures.pdfs import make_withheld_pdf

    from reviewer.store.withheld import scan_record

    truth = make_withheld_pdf(tmp_path / "second-release.pdf", prefix="DHS-", start=5)
    n = len(_store_rows(win))
    win.import_paths([str(tmp_path / "second-release.pdf")])
    qtbot.waitUntil(lambda: any(m["name"] == "second-release.pdf" for m in win.ctl.media_list()),
                    timeout=60000)
    new = next(m["id"] for m in win.ctl.media_list() if m["name"] == "second-release.pdf")
    assert scan_record(win.ctl.store, new) is None
    win.withheld.show()
    qtbot.waitUntil(lambda: scan_record(win.ctl.store, new) is not None and not win.withheld.scanning,
                    timeout=120000)
    qtbot.waitUntil(lambda: any(r["media_id"] == new for r in win.withheld.panel.rows), timeout=5000)
    got = [r for r in win.withheld.panel.rows if r["media_id"] == new]
    assert len(win.withheld.panel.rows) == n + len(got)
    assert {r["bates"] for r in got} <= {t.bates for t in truth}
    assert len([r for r in got if r["page_no"] != 3]) == len([t for t in truth if t.page_no != 3])


def test_withheld_labels_overlap_neither_each_other_nor_the_text(qtbot, win):
    """Issue 15, part 9: every label on a page is clear of the other labels and of the words."""
    from itertools import combinations

    pages = sorted({r["page_no"] for r in _store_rows(win)})
    view = win.doc.view
    seen = 0
    for page in pages:
        win.doc.go_to(page)
        qtbot.waitUntil(lambda: view.current_page == page - 1)
        i = page - 1
        lit = [r for r in view.highlights if r.page_no == page and r.label]
        if not lit:
            continue
        tags = view.label_rects(i, lit, view.fontMetrics())
        words = [view._rect_to_px(i, *w[:4]) for w in win.doc.words_of(page)]
        page_px = view.page_rect(i)
        for a, b in combinations(tags, 2):
            assert not a.intersects(b), (page, a, b)
        for t in tags:
            assert page_px.contains(t)
            assert not any(t.intersects(w) for w in words), (page, t)
        seen += len(tags)
    assert seen >= 2


def test_crowded_labels_are_placed_apart():
    from PySide6.QtCore import QRectF, QSizeF

    from reviewer.ui.documents.label_layout import place_labels

    page = QRectF(0, 0, 600, 800)
    # three small regions side by side on one line, a line of text right above them
    boxes = [QRectF(100 + 40 * k, 300, 36, 12) for k in range(3)]
    words = [QRectF(90, 282, 200, 12), QRectF(90, 316, 200, 12)]
    tags = place_labels(boxes, [QSizeF(60, 16)] * 3, page, words)
    for k, t in enumerate(tags):
        assert page.contains(t)
        assert not any(t.intersects(w) for w in words)
        assert not any(t.intersects(o) for j, o in enumerate(tags) if j != k)
    # a region with room takes its label inside, where the agency left no text
    big = QRectF(100, 100, 200, 80)
    assert big.contains(place_labels([big], [QSizeF(60, 16)], page)[0])


def test_a_box_with_text_still_under_it_is_named_in_red(win):
    """ice-release.pdf page 1 has a black box drawn over a plate number that is still in the
    file (pdftotext reads it): the panel says so, with the page and the box, never the text."""
    import subprocess

    from reviewer.ui import theme

    path = next(m["path"] for m in win.ctl.media_list() if m["name"] == "ice-release.pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", path, "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "XYZ 1234" in text  # an independent reader copies it out from under the box
    failed = win.withheld.panel.failed
    assert failed.isVisible()
    said = failed.text()
    assert said.startswith("Failed redaction: the agency's box does not remove the text under it")
    assert "ice-release.pdf: page 1: 7 letter(s) or digit(s) still in the file under the withheld box at 156,278,230,294" in said
    assert "XYZ" not in said and "1234" not in said
    assert theme.REDACT in failed.styleSheet()
    shot(win, "window-withheld-failed-redaction")
