"""The trailer /ID that MuPDF randomises on every save is made a function of the content.

MuPDF writes the random bytes as ``<hex>``, or as a ``(literal)`` of another width when they
happen to look printable (about one save in seventy); a fix that kept the width made two
bundles of the same case differ whenever that happened (CI saw it once)."""
from __future__ import annotations

import pikepdf
import pymupdf
import pypdf
import pytest

from reviewer.citation.exhibit_files import fix_pdf_id

SPELLINGS = [b"<00FF17A9C0DE00FF17A9C0DE00FF17A9>", b"<00FF17A9>", b"(a\\)b(c)d\\\\e)",
             b"(ABCDEFGHIPQRST\\001\\002)", b"(abc)", b"<>"]


def _with_id(first: bytes, second: bytes, text: str = "Exhibit page") -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    raw = doc.tobytes(no_new_id=True)
    assert b"/ID" not in raw
    return raw.replace(b"trailer\n<<", b"trailer\n<</ID[" + first + b" " + second + b"]", 1)


def _readers_ids(path) -> list[bytes]:
    with pikepdf.open(path) as pdf:
        ids = [bytes(x) for x in pdf.trailer.ID]
    reader = pypdf.PdfReader(path, strict=True)
    assert [bytes(x.original_bytes) for x in reader.trailer["/ID"]] == ids
    with pymupdf.open(path) as doc:
        assert doc.page_count == 1 and not doc.is_repaired
        assert doc[0].get_text().startswith("Exhibit page")
    return ids


@pytest.mark.parametrize("second", SPELLINGS)
def test_any_spelling_of_the_random_id_gives_the_same_bytes(tmp_path, second):
    reference = tmp_path / "ref.pdf"
    reference.write_bytes(_with_id(b"<AABB>", SPELLINGS[0]))
    assert fix_pdf_id(reference)
    path = tmp_path / "x.pdf"
    path.write_bytes(_with_id(b"<AABB>", second))
    assert fix_pdf_id(path)
    assert path.read_bytes() == reference.read_bytes()
    first, digest = _readers_ids(path)
    assert first == b"\xaa\xbb" and len(digest) == 16  # the source's first ID is kept
    before = path.read_bytes()
    assert fix_pdf_id(path) and path.read_bytes() == before  # idempotent


def test_a_literal_first_id_is_kept_as_written(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(_with_id(b"(src\\)id)", b"<0102>"))
    assert fix_pdf_id(path)
    assert b"/ID[(src\\)id)<" in path.read_bytes()
    assert _readers_ids(path)[0] == b"src)id"


def test_a_new_document_gets_both_ids_from_its_content(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(_with_id(b"<0102>", b"(abc)"))
    b.write_bytes(_with_id(b"(xyz\\001)", b"<0304>"))
    assert fix_pdf_id(a, keep_first=False) and fix_pdf_id(b, keep_first=False)
    assert a.read_bytes() == b.read_bytes()
    first, second = _readers_ids(a)
    assert first == second and len(first) == 16
    c = tmp_path / "c.pdf"
    c.write_bytes(_with_id(b"<0102>", b"<0304>", text="Exhibit page 2"))
    assert fix_pdf_id(c, keep_first=False)
    assert _readers_ids(c)[0] != first  # other content, other ID


def test_real_saves_of_one_document_come_out_the_same(tmp_path):
    """MuPDF's own saves, each with a fresh random ID, until both spellings have been seen:
    after the fix, one set of bytes."""
    src = pymupdf.open()
    src.new_page().insert_text((72, 72), "Exhibit page")
    outs, spellings = set(), set()
    path = tmp_path / "x.pdf"
    for _ in range(3000):
        raw = src.tobytes(garbage=4, deflate=True, no_new_id=False)
        spelling = b"(" if b"(" in raw[raw.rfind(b"/ID"):] else b"<"
        if spelling in spellings and len(spellings) == 2:
            break
        spellings.add(spelling)
        path.write_bytes(raw)
        assert fix_pdf_id(path, keep_first=False)
        outs.add(path.read_bytes())
    assert spellings == {b"(", b"<"}
    assert len(outs) == 1


def test_no_id_or_a_stream_xref_is_left_alone(tmp_path):
    doc = pymupdf.open()
    doc.new_page()
    path = tmp_path / "x.pdf"
    path.write_bytes(doc.tobytes(no_new_id=True))
    before = path.read_bytes()
    assert not fix_pdf_id(path)
    assert path.read_bytes() == before
    streamed = tmp_path / "s.pdf"
    doc.save(streamed, use_objstms=1, garbage=1)
    before = streamed.read_bytes()
    assert b"trailer" not in before
    assert not fix_pdf_id(streamed)
    assert streamed.read_bytes() == before
