"""Redacted PDF export: the secret is gone from every place it can hide, the rest survives."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pymupdf
import pytest

from export.conftest import apply
from reviewer.export.pdf import export_pdf
from reviewer.session.redactions import add_page_box


def everything(path) -> str:
    """Every string a reader could get out of the file: raw bytes, decompressed streams,
    objects, page text, metadata, XMP, outline, attachments, annotation contents."""
    raw = Path(path).read_bytes()
    parts = [raw.decode("latin-1")]
    with pymupdf.open(str(path)) as doc:
        for x in range(1, doc.xref_length()):
            try:
                parts.append(doc.xref_object(x))
                if doc.xref_is_stream(x):
                    parts.append((doc.xref_stream(x) or b"").decode("latin-1"))
            except Exception:  # noqa: BLE001, S110 - free objects
                pass
        parts += [p.get_text("text") for p in doc]
        parts += [str(doc.metadata), doc.get_xml_metadata(), str(doc.get_toc())]
        parts += [doc.embfile_get(n).decode("latin-1") for n in doc.embfile_names()]
        for p in doc:
            parts += [str(a.info) for a in p.annots()] + [str(w.field_value) for w in p.widgets()]
    return "\n".join(parts)


@pytest.fixture
def secrets_case(tmp_path, make_case):
    from fixtures.pdfs import make_secrets_pdf

    sp = make_secrets_pdf(tmp_path / "secrets.pdf")
    assert sp.secret in everything(sp.path)  # planted
    store, (media,) = make_case(sp.path)
    apply(store, *[add_page_box(media["id"], p, (r[0] - 1, r[1] - 1, r[2] + 1, r[3] + 1), reason="b7D")
                   for p, r in sp.rects.items()])
    return store, media, sp


def test_secret_is_gone_everywhere_and_the_rest_survives(secrets_case, tmp_path):
    store, media, sp = secrets_case
    out = tmp_path / "out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    text = everything(out)
    assert sp.secret not in text
    with pymupdf.open(str(out)) as doc:
        page_text = [p.get_text() for p in doc]
        assert "Informant name:" in page_text[0]
        assert "Nothing else on this line is sensitive." in page_text[0]
        assert "Scanned statement of witness" in page_text[1]  # the OCR layer outside the box
        assert doc.embfile_count() == 0 and not doc.get_toc() and not doc.get_xml_metadata()
        assert not any(list(p.annots()) or list(p.widgets()) for p in doc)
        assert out.read_bytes().count(b"%%EOF") == 1


def test_scan_pixels_under_the_box_are_blanked_in_the_image_itself(secrets_case, tmp_path):
    store, media, sp = secrets_case
    out = tmp_path / "out.pdf"
    export_pdf(store, media, out)
    x0, y0, x1, y1 = sp.rects[2]
    with pymupdf.open(str(out)) as doc, pymupdf.open(str(sp.path)) as src:
        def image_region(d):
            page = d[1]
            xref = page.get_images()[0][0]
            pix = pymupdf.Pixmap(d, xref)
            img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
            sx, sy = pix.width / page.rect.width, pix.height / page.rect.height
            return img[int(y0 * sy) + 2:int(y1 * sy) - 2, int(x0 * sx) + 2:int(x1 * sx) - 2]
        before, after = image_region(src), image_region(doc)
    assert before.std() > 20  # the secret's glyphs were there
    assert after.std() < 1  # now one flat colour in the image data, not just covered


def test_rotated_page_and_vector_art(tmp_path, make_case):
    from reviewer.pdf.document import to_display

    path = tmp_path / "rot.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), "ROT-SECRET-99", fontsize=14)
    page.insert_text((72, 300), "keep this line", fontsize=14)
    hit = page.search_for("ROT-SECRET-99")[0]
    page.draw_line((60, hit.y0 + 5), (400, hit.y0 + 5), color=(1, 0, 0), width=2)  # crosses the box
    page.draw_line((60, 500), (400, 500), color=(0, 0, 1), width=2)  # elsewhere
    page.set_rotation(90)
    disp = to_display(page, hit)
    doc.save(str(path))
    doc.close()
    store, (media,) = make_case(path)
    apply(store, add_page_box(media["id"], 1, (disp[0] - 1, disp[1] - 1, disp[2] + 1, disp[3] + 1)))
    out = tmp_path / "rot_out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    with pymupdf.open(str(out)) as d:
        p = d[0]
        assert p.rotation == 90
        assert "ROT-SECRET-99" not in p.get_text() and "keep this line" in p.get_text()
        colours = [tuple(round(c) for c in dr["color"]) for dr in p.get_drawings() if dr.get("color")]
        assert (0, 0, 1) in colours and (1, 0, 0) not in colours


def test_rasterised_export_has_no_text_at_all(secrets_case, tmp_path):
    store, media, sp = secrets_case
    out = tmp_path / "raster.pdf"
    result = export_pdf(store, media, out, rasterize=True)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert any(c.name == "rasterised" for c in result.checks)
    assert sp.secret not in everything(out)
    with pymupdf.open(str(out)) as doc:
        assert doc.page_count == 2 and all(not p.get_text().strip() for p in doc)


def test_page_range_with_stamp(secrets_case, tmp_path):
    store, media, _ = secrets_case
    out = tmp_path / "ex.pdf"
    result = export_pdf(store, media, out, pages=(2, 2), stamp="Ex. 3")
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    with pymupdf.open(str(out)) as doc:
        assert doc.page_count == 1
        page = doc[0]
        stamp = page.search_for("Ex. 3")
        assert stamp, "the stamp is on the page"
        words = [pymupdf.Rect(w[:4]) for w in page.get_text("words") if w[4] not in ("Ex.", "3")]
        assert not any(stamp[0].intersects(w) for w in words)


def test_verify_catches_an_unredacted_pdf(secrets_case):
    from reviewer.export.expect import pdf_expect
    from reviewer.export.pdf_verify import verify_pdf

    store, media, sp = secrets_case
    exp = pdf_expect(store, media, None, rasterized=False, stamped=False)
    bad = {c.name for c in verify_pdf(sp.path, exp) if not c.ok}
    assert {"text under boxes", "pixels under boxes", "metadata", "annotations", "scripts",
            "outline and attachments"} <= bad


def test_failed_pdf_export_leaves_nothing(secrets_case, tmp_path, monkeypatch):
    from reviewer.export import pdf_verify
    from reviewer.export.checks import Check, ExportFailed

    store, media, _ = secrets_case
    monkeypatch.setattr(pdf_verify, "verify_pdf", lambda *a, **k: [Check("text under boxes", False, "x")])
    with pytest.raises(ExportFailed):
        export_pdf(store, media, tmp_path / "no.pdf")
    assert not list(tmp_path.glob("*no.pdf*"))





def test_text_inside_a_form_xobject_is_removed(tmp_path, make_case):
    src = pymupdf.open()
    src.new_page().insert_text((72, 100), "FORM-SECRET-12 and public words", fontsize=12)
    doc = pymupdf.open()
    page = doc.new_page()
    page.show_pdf_page(page.rect, src, 0)  # the text lives in a Form XObject
    page.insert_text((72, 200), "direct text stays", fontsize=12)
    hit = page.search_for("FORM-SECRET-12")[0]
    path = tmp_path / "form.pdf"
    doc.save(str(path))
    store, (media,) = make_case(path)
    apply(store, add_page_box(media["id"], 1, (hit.x0 - 1, hit.y0 - 1, hit.x1 + 1, hit.y1 + 1)))
    out = tmp_path / "form_out.pdf"
    result = export_pdf(store, media, out)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    with pymupdf.open(str(out)) as d:
        text = d[0].get_text()
    assert "FORM-SECRET" not in text and "public words" in text and "direct text stays" in text
