"""Search and redact in a panel beside the pages, every pattern at once, hits with their
surrounding words shown on the page, how many boxes were added; and the sweep for
identifiers still readable before an export or a bundle.

What the page says is read with poppler's pdftotext, not the project's own code."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ids, shot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode,
                                reason="needs poppler-utils")


def _pdftotext(path: str | Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else [])
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True, check=True).stdout


def _find(qtbot, win, choice: str) -> list:
    panel = win.redact.find.panel
    panel.pattern.setCurrentText(choice)
    panel.find_button.click()
    qtbot.waitUntil(lambda: panel.find_button.isEnabled() and panel.summary.text() != "",
                    timeout=60000)
    qtbot.waitUntil(lambda: not panel.summary.text().startswith("Searching"), timeout=60000)
    return panel.matches


def test_all_patterns_hits_in_context_on_the_page(qtbot, window):
    win = window
    pdf = ids(win)["pdf"]
    win.view.open_item(pdf)
    win.actions["search_redact"].trigger()
    panel = win.redact.find.panel
    assert panel.window() is win and not isinstance(panel.window(), QDialog)  # a dock, no modal
    assert win.docks["find_redact"].isVisible()
    assert "ignores case" in panel.how.text() and "hyphenation" in panel.how.text()
    names = [panel.pattern.itemText(i) for i in range(panel.pattern.count())]
    assert names[0].startswith("Every built-in pattern")
    assert {"Social Security number", "Date of birth", "E-mail address", "Phone number"} <= set(names)
    assert "ssn" not in names
    hits = _find(qtbot, win, names[0])
    found = {p for h in hits for p in h.patterns}
    assert {"Social Security number", "Phone number", "E-mail address", "Date of birth"} <= found
    assert any(p.startswith("A-number") for p in found)
    # document and page order
    assert [(h.media_id, h.page_no) for h in hits] == sorted((h.media_id, h.page_no) for h in hits)
    path = win.ctl.media(pdf)["path"]
    page1 = _pdftotext(path, 1)
    ssn = next(h for h in hits if h.page_no == 1 and "Social Security number" in h.patterns)
    assert ssn.text == "900-10-1000"
    line = next(l for l in page1.splitlines() if "900-10-1000" in l)
    # its surrounding words are the ones printed beside it on the page
    assert ssn.before == "SSN" and ssn.after.startswith("was not verified")
    assert all(w in line for w in (ssn.before + " " + ssn.after).split())
    assert "⟦900-10-1000⟧" in ssn.context
    # the list shows readable names and the context
    row = panel.item_of(ssn)
    assert row.text(1) == "Social Security number" and "was not verified" in row.text(0)
    # under its page, named with its Bates number; pages in document order
    assert row.parent().text(0) == "production.pdf p. 1 · ICE-2023-000123"
    tops = [panel.results.topLevelItem(i).text(0) for i in range(panel.results.topLevelItemCount())]
    assert tops == sorted(tops, key=lambda t: int(t.split(" p. ")[1].split()[0]))
    # a click shows it on its page, highlighted
    on3 = next(h for h in hits if h.page_no == 3)
    panel.results.setCurrentItem(panel.item_of(on3))
    qtbot.waitUntil(lambda: win.doc.view.current_page == 2)
    assert any(r.kind == "hit" and r.page_no == 3 for r in win.doc.view.rects)
    shot(win, "window-find-and-redact")
    # mark two: the panel and the status line say how many boxes
    panel.all_box.setChecked(False)
    two = panel.hit_items()[:2]
    for it in two:
        it.setCheckState(0, Qt.Checked)
    n_rects = sum(len(panel.matches[it.data(0, Qt.UserRole)].rects) for it in two)
    panel.mark_button.click()
    assert len(win.ctl.page_redactions(pdf)) == n_rects
    box_word = "box" if n_rects == 1 else "boxes"
    assert panel.summary.text().startswith(f"Added {n_rects} {box_word} for 2 hits")
    assert win.statusBar().currentMessage().startswith(f"Added {n_rects} {box_word}")


def test_hyphenated_a_number_is_found_across_the_line_break(qtbot, window):
    win = window
    win.view.open_item(ids(win)["pdf"])
    win.actions["search_redact"].trigger()
    hits = _find(qtbot, win, "A-number (alien registration)")
    broken = [h for h in hits if h.page_no == 2 and len(h.rects) == 2]
    assert broken, [(h.page_no, h.text) for h in hits]
    assert "".join(broken[0].text.split()).replace("-", "") == "A200007919"


def _set_case_patterns(win, value: str) -> None:
    with win.ctl.store.write() as tx:
        tx.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('redact.patterns', ?)",
                   (value,))


def test_sweep_before_a_pdf_export_lists_what_is_still_readable(qtbot, window, tmp_path):
    win = window
    pdf = ids(win)["pdf"]
    _set_case_patterns(win, '["Garcia"]')
    win.redact.find.case_opened(win.ctl)  # the case's own patterns are read when it opens
    win.view.open_item(pdf)
    out = tmp_path / "production-redacted.pdf"
    win.redact.export_current(str(out))
    qtbot.waitUntil(lambda: win.redact.find.prompt is not None, timeout=60000)
    box = win.redact.find.prompt
    panel = win.redact.find.panel
    assert "still readable" in box.text()
    found = {p for h in panel.matches for p in h.patterns}
    assert "Case pattern “Garcia”" in found and "Social Security number" in found
    assert all(not h.covered for h in panel.matches)
    assert panel.summary.text().startswith("Still readable in production.pdf:")
    shot(win, "window-identifier-sweep")
    next(b for b in box.buttons() if b.text() == "Review them").click()
    assert not out.exists()  # nothing written while identifiers are readable
    panel.mark_button.click()  # all ticked
    # exported again: nothing readable is left, so it goes straight on
    win.redact.export_current(str(out))
    qtbot.waitUntil(lambda: getattr(win, "last_export", None) is not None, timeout=120000)
    assert win.redact.find.prompt is None
    text = _pdftotext(out)
    for h in panel.matches:
        assert " ".join(h.text.split()) not in text, h.text
    assert "Garcia" not in text and "Record of Deportable Alien" in text


def test_sweep_before_a_bundle_covers_the_exhibit_pages(qtbot, window, tmp_path):
    from reviewer.citation import exhibits as ex
    from reviewer.store.exhibits import next_seq

    win = window
    pdf = ids(win)["pdf"]
    win.ctl.apply(ex.declare_pages(win.ctl.media(pdf), 2, 3, next_seq(win.ctl.store)))
    win.exhibits.bundle(str(tmp_path / "b"), preview=False)
    qtbot.waitUntil(lambda: win.redact.find.prompt is not None, timeout=60000)
    panel = win.redact.find.panel
    assert {h.page_no for h in panel.matches} == {2, 3}
    assert "bundle" in panel.summary.text()
    next(b for b in win.redact.find.prompt.buttons() if b.text() == "Cancel").click()
    qtbot.wait(200)
    assert not (tmp_path / "b").exists()
