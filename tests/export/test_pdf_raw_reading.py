"""The export's raw-stream reading finds text written anywhere in a stream (a comment, a
string), but not a number spelled by the page's coordinates run together: on the generated
1,845-page production the operands of one page read backwards as a date of birth boxed
elsewhere, and a correct export was refused."""
from __future__ import annotations

import pymupdf
from fixtures.hard_pdfs import _bt, _page

from reviewer.export.pdf_text_check import _found_plain, readings
from reviewer.pdf.redacted import normalise


def test_operands_do_not_spell_a_redacted_number_but_a_comment_is_read(tmp_path):
    doc = pymupdf.open()
    # a matrix whose numbers read 01011993 once spaces go
    _page(doc, _bt(72, 399, "Dates of the interview.") + "q 0 1 0 1 1993 0 cm Q\n"
          "% note for the file: Rodriguez\n")
    path = tmp_path / "numbers.pdf"
    doc.save(str(path))  # no compression: the stream stays as written
    doc.close()
    with pymupdf.open(str(path)) as doc:
        texts, _failed = readings(path, doc)
    raw = texts["raw streams"]
    assert not _found_plain(raw, [normalise("01/01/1993")])
    assert _found_plain(raw, [normalise("Rodriguez")])
