"""The trailer /ID that MuPDF randomises on every save is made a function of the content."""
from __future__ import annotations

import pymupdf
import pytest

from reviewer.citation.exhibit_files import fix_pdf_id


@pytest.mark.parametrize("second", [b"<00FF17A9>", b"(a\\)b(c)d\\\\e)", b"(abc)", b"<>"])
def test_second_id_replaced_in_place_whatever_its_spelling(tmp_path, second):
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Exhibit page")
    raw = doc.tobytes(no_new_id=True)
    assert b"/ID" not in raw
    data = raw.replace(b"trailer\n<<", b"trailer\n<</ID[<AABB>" + second + b"]", 1)
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    assert fix_pdf_id(path)
    fixed = path.read_bytes()
    assert len(fixed) == len(data)  # xref offsets untouched
    assert fixed.replace(fixed[fixed.rfind(b"/ID"):fixed.rfind(b"]/Size") + 1], b"") == \
        data.replace(data[data.rfind(b"/ID"):data.rfind(b"]/Size") + 1], b"")
    # a different random ID of the same spelling gives the same bytes
    other = data.replace(second, second[:1] + b"0" * (len(second) - 2) + second[-1:]) if len(second) > 2 else data
    path2 = tmp_path / "y.pdf"
    path2.write_bytes(other)
    fix_pdf_id(path2)
    assert path2.read_bytes() == fixed
    with pymupdf.open(path) as reopened:
        assert reopened.page_count == 1 and not reopened.is_repaired
        assert reopened.xref_get_key(-1, "ID")[0] == "array"
    assert fix_pdf_id(path) and path.read_bytes() == fixed  # idempotent


def test_no_id_is_left_alone(tmp_path):
    doc = pymupdf.open()
    doc.new_page()
    path = tmp_path / "x.pdf"
    path.write_bytes(doc.tobytes(no_new_id=True))
    before = path.read_bytes()
    assert not fix_pdf_id(path)
    assert path.read_bytes() == before
