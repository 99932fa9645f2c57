from __future__ import annotations

import pymupdf
import pytest

from reviewer.errors import MediaError
from reviewer.pdf.bates import Word, bates_in_text, find_bates
from reviewer.pdf.reader import read_for_import


def test_reads_pages_text_sizes_bates_and_ocr_layer(production):
    r = read_for_import(str(production.path))
    assert r["page_count"] == 6 and len(r["pages"]) == 6
    assert [p["bates"] for p in r["pages"]] == production.bates
    for p in r["pages"]:
        planted = [x.text for x in production.of("email", p["page_no"])]
        assert planted and all(t in p["text"] for t in planted)
        assert p["ocr_layer"] == (p["page_no"] == production.scanned_page)
        if p["page_no"] == production.rotated_page:
            assert (p["width_pt"], p["height_pt"]) == (792.0, 612.0)
        else:
            assert (p["width_pt"], p["height_pt"]) == (612.0, 792.0)
    assert r["info"]["ocr_pages"] == 1 and r["info"]["bates_first"] == production.bates[0]


def test_invisible_ocr_text_is_indexed(production):
    r = read_for_import(str(production.path))
    scanned = r["pages"][production.scanned_page - 1]
    for kind in ("name", "a-number", "phone", "ssn"):
        for planted in production.of(kind, production.scanned_page):
            assert planted.text in scanned["text"]


@pytest.mark.parametrize("kind, why", [
    ("encrypted", "password-protected"), ("truncated", "truncated"), ("broken", "damaged"),
    ("zero_pages", "no pages"), ("not_pdf", "not a PDF"), ("empty", "empty"),
])
def test_rejects_unusable_files_with_one_line(broken, kind, why):
    path = broken[kind]
    with pytest.raises(MediaError) as err:
        read_for_import(str(path))
    msg = str(err.value)
    assert msg.startswith(f"{path.name}: ") and why in msg and "\n" not in msg


def test_owner_password_only_is_readable(tmp_path, production):
    # restrictions without a user password: every reader opens it, so must we
    doc = pymupdf.open(str(production.path))
    out = tmp_path / "owner_only.pdf"
    doc.save(str(out), encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="",
             permissions=pymupdf.PDF_PERM_ACCESSIBILITY)
    doc.close()
    r = read_for_import(str(out))
    assert r["page_count"] == 6 and r["info"]["encrypted"] is True


@pytest.mark.parametrize("text, want", [
    ("ICE-2023-000123", ["ICE-2023-000123"]),
    ("2023-ICLI-000045", ["2023-ICLI-000045"]),
    ("DHS 000123", ["DHS 000123"]),
    ("DEF0001234", ["DEF0001234"]),
    ("Page 2 of 5", []),
    ("A123456789", []),
    ("202-555-0147", []),
    ("Case NO 12345", []),
])
def test_bates_tokens(text, want):
    assert bates_in_text(text) == want


def _line(text, x0, y, key):
    words, x = [], x0
    for t in text.split():
        words.append(Word(t, x, y, x + 6 * len(t), y + 10, key))
        x += 6 * len(t) + 4
    return words


def test_bates_prefers_margin_and_ignores_citations_in_body():
    body = _line("as shown at ICE-2023-000045 of the record", 72, 300, (1, 0))
    stamp = _line("ICE-2023-000200", 450, 760, (2, 0))
    assert find_bates(body + stamp, 612, 792) == "ICE-2023-000200"
    assert find_bates(body, 612, 792) is None
    header = _line("DHS 000777", 450, 20, (3, 0))
    assert find_bates(body + header, 612, 792) == "DHS 000777"
