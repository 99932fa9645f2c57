"""A refused export says what to fix: when boxed text is found again elsewhere in a document
(a date of birth split over a line break), the window names the page, the kind and length of
the string (never the string), shows the spot on the page and boxes it as one undoable edit."""
from __future__ import annotations

from pathlib import Path

import pymupdf

DOB = "04/12/1988"


def make_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    p1 = doc.new_page(width=612, height=792)
    p1.insert_text((72, 100), f"Date of birth: {DOB}", fontsize=11)
    p1.insert_text((72, 130), "Subject was processed at the port of entry.", fontsize=11)
    p2 = doc.new_page(width=612, height=792)
    p2.insert_text((72, 100), "The interview notes say the subject, born 04/12/", fontsize=11)
    p2.insert_text((72, 114), "1988, arrived by bus and asked for counsel.", fontsize=11)
    doc.save(str(path))
    doc.close()
    return path


def test_found_again_names_the_spot_and_boxes_it(qtbot, tmp_path):
    from windows import open_window

    from reviewer.export.checks import Check
    from reviewer.pdf.render import page_words
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.ui.case import refusal

    pdf = make_pdf(tmp_path / "letter.pdf")
    with CaseStore.create(tmp_path / "case") as store:
        import_paths(store, [pdf])
    win = open_window(qtbot, tmp_path / "case", tmp_path / "prefs.json")
    try:
        media = win.ctl.media_list()[0]
        w = next(w for w in page_words(str(pdf), 1) if w.text == DOB)
        win.ctl.add_page_box(media["id"], 1, (w.x0_pt - 1, w.y0_pt - 1, w.x1_pt + 1, w.y1_pt + 1),
                             "b6")
        # the refusal as the export's check words it
        check = Check("redacted text", False, "found again by PyMuPDF (1 of 1) on page(s) 2 "
                      "(another form of it, such as an e-mail address or capitals; redact it "
                      "there too)")
        again = []
        assert refusal.offer_find(win, media, [check], lambda: again.append(1))
        qtbot.waitUntil(lambda: getattr(win, "refusal_prompt", None) is not None, timeout=30000)
        box = win.refusal_prompt
        said = box.text() + "\n" + box.informativeText()
        assert "Page 2: a date" in said and "10 characters" in said and "line break" in said
        assert DOB not in said and "1988" not in said  # never the string itself
        # the spot is shown: the page, marked
        assert win.doc.media["id"] == media["id"]
        hits = [r for r in win.view.hits if r.page_no == 2]
        assert len(hits) == 2  # one rectangle a line
        # find and box it: one undoable edit, then the export again
        before = len(win.ctl.page_redactions(media["id"]))
        next(b for b in box.buttons() if b.text() == refusal.FIND).click()
        qtbot.waitUntil(lambda: again == [1])
        boxes = [b for b in win.ctl.page_redactions(media["id"]) if b["page_no"] == 2]
        assert len(boxes) == 2 and len(win.ctl.page_redactions(media["id"])) == before + 2
        words2 = [w for w in page_words(str(pdf), 2) if "04/12/" in w.text or "1988" in w.text]
        for word in words2:  # every piece of the date is under a new box
            cx, cy = (word.x0_pt + word.x1_pt) / 2, (word.y0_pt + word.y1_pt) / 2
            assert any(b["rect"][0] <= cx <= b["rect"][2] and b["rect"][1] <= cy <= b["rect"][3]
                       for b in boxes), word
        win.actions["undo"].trigger()
        assert len(win.ctl.page_redactions(media["id"])) == before
    finally:
        win.close()
