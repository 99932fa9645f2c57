"""A document export that fails verification because text shows under a box: the window
names the box and the characters and offers to grow the boxes to the glyphs and export
again, one undoable edit.

The export's glyph removal is made to keep any glyph a box does not wholly cover (the kind
of disagreement between export and verify the issue is about), so a box that cuts through a
digit leaves it in the file; the grown box covers it whole. The page is read back with
pdfplumber and poppler's pdftotext, not the project's own code."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import go_on_anyway, ids, shot

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode,
                                reason="needs poppler-utils")

SSN = "900-10-1000"


def _ssn_chars(path: str) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[0].chars
    text = "".join(c["text"] for c in chars)
    at = text.index(SSN)
    return chars[at:at + len(SSN)]


def _whole_glyphs_only(monkeypatch) -> None:
    import reviewer.export.pdf_redact as pdf_redact

    def wholly_inside(ch, rect) -> bool:
        x0, y0, x1, y1 = ch.ink
        return bool(ch.c.strip()) and rect[0] <= x0 and rect[1] <= y0 and x1 <= rect[2] and y1 <= rect[3]
    # the export's removal takes only glyphs wholly inside a box; verify keeps the real rule
    monkeypatch.setattr(pdf_redact, "under_any", lambda chars, rects: [
        ch for ch in chars if any(wholly_inside(ch, r) for r in rects)])


def test_text_under_a_box_is_named_and_grown_then_exported(qtbot, window, monkeypatch, tmp_path):
    win = window
    _whole_glyphs_only(monkeypatch)
    pdf = ids(win)["pdf"]
    path = win.ctl.media(pdf)["path"]
    chars = _ssn_chars(path)
    first = chars[0]
    # the box starts a fifth into the first digit: its centre is covered, its left edge not
    rect = (first["x0"] + 0.2 * (first["x1"] - first["x0"]), min(c["top"] for c in chars) - 2,
            chars[-1]["x1"] + 0.5, max(c["bottom"] for c in chars) + 2)
    win.view.open_item(pdf)
    win.ctl.add_page_box(pdf, 1, rect, "b6")
    out = tmp_path / "out" / "production-redacted.pdf"
    out.parent.mkdir()
    win.redact.export_current(str(out))
    go_on_anyway(qtbot, win, lambda: getattr(win, "grow_prompt", None) is not None)
    qtbot.waitUntil(lambda: getattr(win, "grow_prompt", None) is not None, timeout=60000)
    box = win.grow_prompt
    qtbot.waitUntil(box.isVisible)
    assert not out.exists()  # nothing written under the output name
    info = box.informativeText()
    # the box is named (page, exemption, place) and so are the characters under it
    assert "Box 1 on page 1 (b6)" in info and "“9”" in info, info
    assert f"{rect[0]:.0f}–{rect[2]:.0f} pt across" in info
    shot(box, "dialog-export-grow-boxes")
    grow = next(b for b in box.buttons() if b.text() == "Grow the boxes to the glyphs and export again")
    undo_before = win.ctl.undo_stack.count()
    grow.click()
    qtbot.waitUntil(lambda: out.is_file(), timeout=60000)
    qtbot.waitUntil(lambda: getattr(win, "result_box", None) is not None and win.result_box.isVisible(),
                    timeout=60000)
    assert win.result_box.windowTitle() == "Export written", win.result_box.informativeText()
    # one undoable edit grew the box to the whole digit
    assert win.ctl.undo_stack.count() == undo_before + 1
    (grown,) = [json.loads(r["rect"]) for r in win.ctl.store.query(
        "SELECT rect FROM redactions WHERE media_id = ? AND kind = 'page'", (pdf,))]
    assert grown[0] < rect[0] and grown[2] >= rect[2]
    # no digit of the number is left in the file; the words beside it are
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(out), "-"],
                          capture_output=True, text=True, check=True).stdout
    line = next(l for l in text.splitlines() if "was not verified" in l)
    assert "SSN" in line and not any(ch.isdigit() for ch in line.split("SSN", 1)[1].split("was")[0])
    assert SSN not in text and "10-1000" not in text
    win.ctl.undo_stack.undo()
    (back,) = [json.loads(r["rect"]) for r in win.ctl.store.query(
        "SELECT rect FROM redactions WHERE media_id = ? AND kind = 'page'", (pdf,))]
    assert back == pytest.approx(list(rect), abs=0.01)


def test_other_failures_are_not_offered_a_grow(qtbot, window):
    from reviewer.export.checks import Check
    from reviewer.ui.case.export_fix import left_under_boxes, offer_grow

    win = window
    media = win.ctl.media(ids(win)["pdf"])
    checks = [Check("pixels under boxes", False, "page 1: box 1 shows pixels"),
              Check("text under boxes", True, "no text under 1 box(es)")]
    assert left_under_boxes(checks) == []
    assert offer_grow(win, media, checks, lambda: None) is None
    two = Check("text under boxes", False,
                "page 2: 1 character(s) under box 1 (1.0,2.0,3.0,4.0): 'A'; page 3: 2 character(s) "
                "under box 4 (5.5,6.0,7.0,8.0): \"b'c\" (export --grow-boxes grows each box)")
    left = left_under_boxes([two])
    assert [(x.page_no, x.count, x.box_no, x.text) for x in left] == [(2, 1, 1, "A"), (3, 2, 4, "b'c")]
    assert left[1].rect == (5.5, 6.0, 7.0, 8.0)
