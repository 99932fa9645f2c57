"""PDFs: `redact text|page` then `export`, read back by pdftotext, pypdf, pdfminer, raw
streams (pikepdf) and tesseract on poppler's rendering; `search --json`, `withheld --json`,
`annotate`/`annotations --json` shapes."""
from __future__ import annotations

import subprocess

import pytest

from acceptance import material as m
from acceptance.conftest import cli, import_ids, ok


@pytest.fixture(scope="session")
def pdf_case(work, prod_pdf, clips):
    case = work / "pdf_case"
    ok("new", case)
    pdf, vid = import_ids(case, prod_pdf, clips["vfr"])
    return case, pdf, vid


@pytest.fixture(scope="session")
def redacted(pdf_case, work):
    case, pdf, _ = pdf_case
    counts = {
        "name": int(ok("redact", "text", case, pdf, "--pattern", m.NAME, "--reason", "b6").out),
        "a": int(ok("redact", "text", case, pdf, "--pattern", "a-number", "--reason", "b6").out),
        "ssn": int(ok("redact", "text", case, pdf, "--pattern", "ssn", "--reason", "b6").out),
    }
    box = ok("redact", "page", case, pdf, "--page", 4, "--rect", "72,180,330,200",
             "--reason", "b5").out.strip()
    out = work / "production_redacted.pdf"
    ok("export", case, pdf, "--out", out)
    return counts, box, out


def test_redact_text_counts(redacted):
    counts, box, _ = redacted
    # heading in capitals, p1 body, hyphenated on p2, broken over lines on p2, the scan's layer
    assert counts["name"] >= 5, counts
    assert counts["a"] >= 1 and counts["ssn"] >= 1
    assert box


def test_no_redacted_string_in_any_reader(redacted):
    _, _, out = redacted
    text = m.norm(m.all_pdf_text(out))
    for gone in ("rodriguez", "rodri", "guez", "a123456789", "123456789"):
        assert gone not in text, gone
    assert "remainderofthepage" not in text, "the page box's text stays under it"


def test_neighbours_are_kept(redacted):
    _, _, out = redacted
    pages = [m.norm(m.pdftotext(out, p)) for p in range(1, 5)]
    assert "linebelowstaysvisibleneighbour" in pages[0]
    assert "lineabovestaysvisibleneighbour" in pages[0]
    assert "interviewofmaria" in pages[0] and "agentsmithson" in pages[0]
    assert "aliennumber" in pages[0] and "onfile" in pages[0]
    assert "maria" in pages[1] and "statedthatshelived" in pages[1]
    assert "jonathan" in pages[1] and "agentsmithson" in pages[1]
    assert "scannedneighbourlinehere" in pages[2]
    assert "recordoftheencounter" in pages[3]
    for i, p in enumerate(pages):
        assert m.norm(m.bates(i)) in p, "Bates numbers stay"


def test_scanned_page_pixels_gone(redacted, tmp_path):
    """The name is burned into the scan's picture: the export must black the pixels too."""
    _, _, out = redacted
    png = tmp_path / "p3"
    subprocess.run(["pdftoppm", "-f", "3", "-l", "3", "-r", "150", "-png", str(out), str(png)],
                   check=True)
    image = next(tmp_path.glob("p3*.png"))
    seen = subprocess.run(["tesseract", str(image), "-"], capture_output=True,
                          text=True).stdout
    assert "neighbour" in seen.lower(), seen  # the reader can read the page at all
    assert "rodri" not in seen.lower(), seen


def test_search_json(pdf_case):
    case, pdf, _ = pdf_case
    hits = ok("search", case, "Smithson", "--json").json()
    pages = sorted(h["page"] for h in hits)
    assert pages == [1, 2], hits
    for h in hits:
        assert str(h["media"]) == pdf and h["media_name"] == "production.pdf"
        assert h["kind"] == "pdf" and "smithson" in h["text"].lower()
        assert h["bates"] == m.bates(h["page"] - 1)
        assert h["cite"] == f"production.pdf at {m.bates(h['page'] - 1)}"


def test_withheld_json(pdf_case):
    case, pdf, _ = pdf_case
    rows = ok("withheld", case, "--json").json()
    assert len(rows) == 1, rows
    row = rows[0]
    assert str(row["media"]) == pdf and row["page"] == 4 and row["bates"] == m.bates(3)
    assert row["rect"] == pytest.approx([72, 120, 300, 150], abs=2)
    assert row["codes"] == ["b6", "b7C"]


def test_annotations_json_shapes(pdf_case):
    case, pdf, vid = pdf_case
    page_note = ok("annotate", case, pdf, "--page", 2, "--rect", "72,90,300,120", "--text",
                   "hyphenated name", "--tag", "name").out.strip()
    clip_note = ok("annotate", case, vid, "--frame", 3, "--to", 9, "--text", "door",
                   "--tag", "a", "--tag", "b").out.strip()
    still_note = ok("annotate", case, vid, "--frame", 30, "--text", "after rate change").out.strip()
    notes = {str(n["id"]): n for n in ok("annotations", case, "--json").json()}
    p = notes[page_note]
    assert str(p["media"]) == pdf and p["page"] == 2 and p["tags"] == ["name"]
    assert p["rect"] == pytest.approx([72, 90, 300, 120])
    c = notes[clip_note]
    assert (c["frame"], c["to"], c["tags"], c["text"]) == (3, 9, ["a", "b"], "door")
    assert notes[still_note]["frame"] == 30
    only_vid = ok("annotations", case, vid, "--json").json()
    assert {str(n["id"]) for n in only_vid} == {clip_note, still_note}
    r = cli("annotate", case, pdf, "--page", 2, "--rect", "300,90,72,120", "--text", "x")
    assert r.code in (1, 2) and "error" in r.err


@pytest.fixture(scope="session")
def tricky_export(work):
    src = m.tricky_pdf(work / "tricky.pdf")
    case = work / "tricky_case"
    ok("new", case)
    (pdf,) = import_ids(case, src)
    n = int(ok("redact", "text", case, pdf, "--pattern", m.NAME.upper()).out)
    out = work / "tricky_redacted.pdf"
    ok("export", case, pdf, "--out", out)
    return n, out


def test_tricky_pdf_name_gone_everywhere(tricky_export):
    n, out = tricky_export
    assert n >= 4, "spaced, one-by-one, kerned and hex-string names are all visible"
    text = m.norm(m.all_pdf_text(out))
    assert "rodriguez" not in text and "zeugirdor" not in text
    for keep in ("keepalpha", "keepbeta", "keepgamma", "keepdelta", "keepepsilon", "keepzeta"):
        assert keep in m.norm(m.pdftotext(out)), keep


def test_verify_export_good_and_tampered(tricky_export, tmp_path):
    _, out = tricky_export
    r = ok("verify", out)
    assert r.out.strip()
    bad = tmp_path / out.name
    data = out.read_bytes()
    bad.write_bytes(data.replace(b"%%EOF", b"% tampered\n%%EOF"))
    for side in out.parent.glob(out.name + ".*"):  # the sidecar that goes with the export
        bad.with_name(side.name).write_bytes(side.read_bytes())
    assert cli("verify", bad).code == 1


@pytest.fixture(scope="session")
def image_only_scan(work):
    """A scanned page with no text layer at all, as a copier writes it."""
    import pymupdf
    from PIL import Image, ImageDraw, ImageFont

    scale = 200 / 72
    img = Image.new("L", (int(612 * scale), int(792 * scale)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(m._font(), int(14 * scale))
    draw.text((72 * scale, 100 * scale), "Statement of Maria Rodriguez", fill=0, font=font)
    draw.text((72 * scale, 140 * scale), "The neighbour line stays", fill=0, font=font)
    png = work / "copier.png"
    img.save(png)
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, filename=str(png))
    path = work / "copier_scan.pdf"
    doc.save(path)
    return path


def test_redact_text_on_image_only_scan_finds_or_warns(work, image_only_scan):
    case = work / "copier_case"
    ok("new", case)
    (pdf,) = import_ids(case, image_only_scan)
    r = ok("redact", "text", case, pdf, "--pattern", m.NAME)
    assert int(r.out) >= 1 or ("warning:" in r.err and image_only_scan.name in r.err), r


def test_bates_with_request_number_and_serial(work):
    import pymupdf

    doc = pymupdf.open()
    for i in range(3):
        page = doc.new_page()
        page.insert_text((72, 100), "Body text with Smithson here", fontname="helv", fontsize=11)
        page.insert_text((420, 770), f"2023-ICFO-00123 {45 + i:06d}", fontname="helv",
                         fontsize=9)
    path = work / "icfo.pdf"
    doc.save(path)
    case = work / "icfo_case"
    ok("new", case)
    import_ids(case, path)
    hits = sorted(ok("search", case, "Smithson", "--json").json(), key=lambda h: h["page"])
    assert [h["bates"] for h in hits] == [f"2023-ICFO-00123 {45 + i:06d}" for i in range(3)]
