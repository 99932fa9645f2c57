"""The name boxed on the page and still spelled elsewhere in the file (named marked-content
property lists, a producer's private keys, a soft mask's group, a font's /Differences set by
Tf or by a graphics state or read through its /ToUnicode (renumbered, not drawn as a picture), a font named after the person, a TrueType or CFF font program
naming them): each is removed, so the document exports, and pypdf, pdfminer, pdftotext,
pikepdf's object walk, fontTools reading every embedded font program and the raw bytes find
no form of the name while the rest of the page's text reads as before."""
from __future__ import annotations

import numpy as np
import pymupdf
import pytest
from fixtures.carriers import CASES, make_carrier_pdfs

from export.conftest import box_matches
from export.test_pdf_hard import _leaks, readings
from reviewer.export.pdf import export_pdf
from reviewer.pdf.search import find_matches


@pytest.fixture(scope="module")
def carriers(tmp_path_factory):
    return {h.case: h for h in make_carrier_pdfs(tmp_path_factory.mktemp("carriers"))}


@pytest.mark.parametrize("case", CASES)
def test_the_name_is_found_in_the_original(case, carriers):
    h = carriers[case]
    assert find_matches(h.path, h.pattern), case
    assert _leaks(h.path, h.secret)


@pytest.mark.parametrize("case", CASES)
def test_the_carrier_goes_and_the_document_exports(case, carriers, make_case, tmp_path):
    h = carriers[case]
    store, (media,) = make_case(h.path)
    boxes = box_matches(store, media, h.path, h.pattern)
    assert boxes
    out = tmp_path / "out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert _leaks(out, h.secret) == []
    if case in ("font_program", "cff_program"):  # fontTools does read the name in the original
        assert _norm(h.secret) in _font_program_words(h.path)
    assert _norm(h.secret) not in _font_program_words(out)
    was, now = readings(h.path), readings(out)
    lost = [(r, w) for r in ("pdftotext", "pdfminer", "pypdf") if r in was
            for w in h.keep if w in was[r] and w not in now[r]]
    assert not lost, f"{case}: words lost {lost}"
    # and the page looks as it did, but for the boxes (fonts renamed, re-coded or emptied of
    # their names draw the same glyphs)
    was_px, now_px = _grey(h.path), _grey(out)
    keep = np.ones_like(was_px, dtype=bool)
    for _p, r in boxes:
        keep[max(0, int(r[1] * 2) - 4):int(r[3] * 2) + 4, max(0, int(r[0] * 2) - 4):int(r[2] * 2) + 4] = False
    assert int((np.abs(was_px.astype(int) - now_px.astype(int)) > 40)[keep].sum()) == 0


def _norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _font_program_words(path) -> str:
    """What fontTools reads in every embedded font program (pikepdf finds them): sfnt name
    records, CFF font names, strings and each charset's glyph names in glyph order (as the
    characters they stand for), forwards and backwards, normalised."""
    import io

    import pikepdf
    from fontTools.agl import toUnicode
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    def cff_words(cff) -> list[str]:
        out = list(cff.fontNames) + list(cff.strings.strings)
        for top in cff.topDictIndex:
            out += [str(getattr(top, k, "") or "") for k in ("Notice", "FullName", "FamilyName", "Copyright")]
            out.append("".join(toUnicode(g) for g in top.charset))
        return out

    words: list[str] = []
    with pikepdf.open(str(path)) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
                continue
            for key in ("/FontFile2", "/FontFile3"):
                if key not in obj:
                    continue
                data = obj[key].read_bytes()
                if obj[key].get("/Subtype") in ("/Type1C", "/CIDFontType0C"):
                    cff = CFFFontSet()
                    cff.decompile(io.BytesIO(data), None)
                    words += cff_words(cff)
                    continue
                font = TTFont(io.BytesIO(data))
                words += [r.toUnicode() for r in font["name"].names] if "name" in font else []
                words += cff_words(font["CFF "].cff) if "CFF " in font else []
    flat = _norm(" ".join(words))
    return flat + " " + flat[::-1]


def _grey(path) -> np.ndarray:
    with pymupdf.open(str(path)) as doc:
        pix = doc[0].get_pixmap(dpi=144, colorspace=pymupdf.csGRAY, alpha=False)
        return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width).copy()


def _exported(carriers, name, make_case, tmp_path):
    """The carrier ``name`` boxed and exported: the case, the export and what its sidecar says
    the check expects (with the original's text), for the tests that tamper with the export."""
    from reviewer.export.expect import read_sidecar, sidecar_path
    from reviewer.export.pdf import with_original_text

    h = carriers[name]
    store, (media,) = make_case(h.path)
    assert box_matches(store, media, h.path, h.pattern)
    out = tmp_path / "out.pdf"
    export_pdf(store, media, out)
    return h, out, with_original_text(read_sidecar(sidecar_path(out)), h.path)


def test_a_name_left_only_outside_the_pages_is_refused_with_advice_that_helps(carriers, make_case, tmp_path):
    """What the cleaning misses is still refused, and the refusal does not ask the reviewer to
    box a page that does not show it."""
    from reviewer.export.pdf_text_check import redacted_text_check

    h, out, expect = _exported(carriers, "private_keys", make_case, tmp_path)
    tampered = tmp_path / "tampered.pdf"
    with pymupdf.open(str(out)) as doc:
        doc.xref_set_key(doc[0].xref, "Resources/ACME_Note", f"({h.secret} is the informant)")
        doc.save(str(tampered))
    with pymupdf.open(str(tampered)) as doc:
        check = redacted_text_check(tampered, doc, expect)
    assert not check.ok and "raw streams" in check.detail and "PyMuPDF" not in check.detail
    assert "no box reaches it" in check.detail and "--rasterize" in check.detail


def test_verify_reads_a_cff_font_programs_names(carriers, make_case, tmp_path):
    """A CFF font program put back with its names after the export is refused: the check reads
    the font's Name INDEX, strings and charset, not only sfnt and Type 1 fonts."""
    from reviewer.export.pdf_text_check import redacted_text_check

    h, out, expect = _exported(carriers, "cff_program", make_case, tmp_path)
    with pymupdf.open(str(h.path)) as src:
        original = next(src.xref_stream(x) for x in range(1, src.xref_length())
                        if src.xref_get_key(x, "Subtype")[1] == "/Type1C")
    tampered = tmp_path / "tampered.pdf"
    with pymupdf.open(str(out)) as doc:
        xref = next(x for x in range(1, doc.xref_length()) if doc.xref_get_key(x, "Subtype")[1] == "/Type1C")
        doc.update_stream(xref, original)
        doc.save(str(tampered))
    with pymupdf.open(str(out)) as doc:
        assert redacted_text_check(out, doc, expect).ok
    with pymupdf.open(str(tampered)) as doc:
        check = redacted_text_check(tampered, doc, expect)
    assert not check.ok and "raw streams" in check.detail


def test_a_graphics_state_font_in_resources_the_page_inherits(carriers, make_case, tmp_path):
    """The graphics-state font with the page's resources held by the page tree (as LibreOffice
    writes them): it is still drawn after the boxes, and its /Differences no longer spells."""
    src = tmp_path / "inherited.pdf"
    with pymupdf.open(str(carriers["differences_gs"].path)) as doc:
        page = doc[0]
        res = doc.xref_get_key(page.xref, "Resources")[1]
        doc.xref_set_key(int(doc.xref_get_key(page.xref, "Parent")[1].split()[0]), "Resources", res)
        doc.xref_set_key(page.xref, "Resources", "null")
        doc.save(str(src))
    h = carriers["differences_gs"]
    store, (media,) = make_case(src)
    assert box_matches(store, media, src, h.pattern)
    out = tmp_path / "out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert _leaks(out, h.secret) == []
    now = readings(out)
    assert "Informant" in now["pypdf"] and "before" in now["pdftotext"], now
