"""What leaves the case is inert: CSV cells a spreadsheet never runs, names printed with their
terminal controls escaped, PDFs that point at no other file or address.

Hostile names and PDFs are built here; what comes out is read by readers that are not ours
(the csv module, pikepdf, pypdf)."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pikepdf
import pypdf
import pytest

from cli.clirun import ok, run
from fixtures.pdfs import make_production_pdf, make_withheld_pdf
from fixtures.videos import make_video

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_NAME = '=HYPERLINK("evil.example?x","open me").mp4'
PLUS_NAME = "+cmd|' calc'!A0.pdf"
TRACKER = "http://tracker.example/opened?case=4417"


def _no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"a live formula in the CSV: {cell!r}"


def test_the_redaction_log_and_withheld_csv_hold_no_live_formula(tmp_path):
    src = tmp_path / "agency"
    src.mkdir()
    clip = make_video(tmp_path / "cam", "cfr", 20, (160, 120), audio=False)
    shutil.copy(clip, src / FORMULA_NAME)
    make_withheld_pdf(src / PLUS_NAME)
    case = tmp_path / "case"
    ok("new", case)
    ids = {line.split("\t")[2]: line.split("\t")[0] for line in ok("import", case, src).lines}
    vid, doc = ids[FORMULA_NAME], ids[PLUS_NAME]
    ok("redact", "box", case, vid, "--frames", "0:5", "--rect", "1,1,30,30", "--reason", "b6")
    ok("redact", "page", case, doc, "--page", "1", "--rect", "10,10,60,40", "--reason", "b6")
    ok("exhibit", case, vid, "--frames", "0:9")
    ok("exhibit", case, doc, "--pages", "1:1")
    out = tmp_path / "bundle"
    ok("bundle", case, "--out", out, "--withheld")
    with open(out / "redaction_log.csv", newline="", encoding="utf-8-sig") as fh:
        log = list(csv.reader(fh))
    _no_formula(log)
    items = {row[0] for row in log[1:]}
    assert "'" + FORMULA_NAME in items and "'" + PLUS_NAME in items  # shown as text, not dropped
    withheld = next(out.rglob("withheld_log.csv"))
    with open(withheld, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    _no_formula(rows)
    assert len(rows) > 1 and all(r[0] == "'" + PLUS_NAME for r in rows[1:])
    assert ok("verify", out).code == 0
    own = tmp_path / "withheld.csv"
    ok("withheld", case, "--csv", own)
    with open(own, newline="", encoding="utf-8") as fh:
        _no_formula(list(csv.reader(fh)))


ESCAPE_NAME = "cam\x1b]0;owned\x07\x1b[2J\u202eevil.mp4"


def test_names_with_terminal_controls_are_printed_escaped(tmp_path):
    src = tmp_path / "agency"
    src.mkdir()
    clip = make_video(tmp_path / "cam", "cfr", 10, (160, 120), audio=False)
    shutil.copy(clip, src / ESCAPE_NAME)
    (src / "junk\x1b[31mred.mp4").write_bytes(b"not a video at all" * 10)
    case = tmp_path / "case"
    ok("new", case)
    r = run("import", case, src)
    assert r.code == 1  # the junk file is refused, the clip imported
    for text in (r.out, r.err, ok("list", case).out, ok("export", case, "1", "--out", tmp_path / "o.mp4").out,
                 ok("annotate", case, "1", "--frame", "1", "--text", "x\x1b[8mhidden").out,
                 ok("annotations", case).out):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, repr(text)
    assert "cam\\x1b]0;owned\\x07\\x1b[2J\\u202eevil.mp4" in r.out
    assert "junk\\x1b[31mred.mp4" in r.err
    assert "x\\x1b[8mhidden" in ok("annotations", case).out
    # --json keeps the name exact (JSON escapes the controls itself)
    assert json.loads(ok("list", case, "--json").out)[0]["name"] == ESCAPE_NAME


def _hostile_pdf(path: Path, base: Path) -> None:
    """A production PDF that points out of itself in every way a viewer might follow."""
    pdf = pikepdf.open(base)
    page = pdf.pages[0]
    target = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec, FS=pikepdf.Name.URL, F=pikepdf.String(TRACKER)))
    form = pikepdf.Stream(pdf, b"0 0 1 rg 0 0 50 50 re f")  # the proxy drawn in its place
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox = pikepdf.Array([0, 0, 50, 50])
    form.Ref = pikepdf.Dictionary(F=target, Page=0)
    form.OPI = pikepdf.Dictionary({"/2.0": pikepdf.Dictionary(Type=pikepdf.Name.OPI, Version=2.0,
                                                               F=pikepdf.String("//server/hi-res.tif"))})
    image = pikepdf.Stream(pdf, b"")
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 1, 1, 8
    image.ColorSpace = pikepdf.Name.DeviceGray
    image.F = pikepdf.String("//server/share/original-scan.tif")  # data kept in another file
    res = page.obj.Resources
    if "/XObject" not in res:
        res.XObject = pikepdf.Dictionary()
    res.XObject.RefX = pdf.make_indirect(form)
    res.XObject.ExtImg = pdf.make_indirect(image)
    page.contents_add(pikepdf.Stream(pdf, b"q 1 0 0 1 300 300 cm /RefX Do Q"), prepend=False)
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                              Rect=pikepdf.Array([0, 0, 100, 20]),
                              A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")))
    uri = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                             Rect=pikepdf.Array([0, 30, 100, 50]),
                             A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(TRACKER)))
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(uri)]))
    page.obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(TRACKER)))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("//server/original.pdf"),
                                             D=pikepdf.Array([0, pikepdf.Name.Fit]))
    pdf.attachments["original.pdf"] = pikepdf.AttachedFileSpec(pdf, base.read_bytes(), filename="original.pdf")
    pdf.save(path)


def _external_left(path: Path) -> list[str]:
    """Every reference out of the PDF, found by pikepdf walking every object."""
    left = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if isinstance(obj, pikepdf.Stream) and ("/F" in d or "/FFilter" in d):
                left.append(f"stream /F {obj.objgen}")
            if d.get("/Subtype") == pikepdf.Name.Form and "/Ref" in d:
                left.append(f"/Ref {obj.objgen}")
            for key in ("/OPI", "/EF", "/RF", "/URI", "/FS"):
                if key in d:
                    left.append(f"{key} {obj.objgen}")
            if d.get("/Type") in (pikepdf.Name.Filespec, pikepdf.Name.EmbeddedFile):
                left.append(f"{d.get('/Type')} {obj.objgen}")
            if d.get("/S") in (pikepdf.Name.Launch, pikepdf.Name.GoToR, pikepdf.Name.URI,
                               pikepdf.Name.GoToE, pikepdf.Name.ImportData, pikepdf.Name.SubmitForm):
                left.append(f"action {d.get('/S')} {obj.objgen}")
    raw = path.read_bytes()
    for needle in (TRACKER.encode(), b"original-scan.tif", b"hi-res.tif", b"calc.exe"):
        if needle in raw:
            left.append(f"bytes {needle!r}")
    return left


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile pdf")
    base = make_production_pdf(d / "base.pdf", n_pages=2).path
    path = d / "refs.pdf"
    _hostile_pdf(path, Path(base))
    assert _external_left(path)  # the fixture really points out
    return path


def test_pdf_export_removes_every_reference_to_another_file(tmp_path, hostile):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, hostile)
    ok("redact", "page", case, "1", "--page", "2", "--rect", "10,10,80,40")
    out = tmp_path / "refs.redacted.pdf"
    r = ok("export", case, "1", "--out", out)
    assert _external_left(out) == []
    assert "external files" in r.out
    reader = pypdf.PdfReader(out)  # still a readable PDF with its pages
    assert len(reader.pages) == 2
    # pypdf reads a key set to null as present with a null value: as good as absent
    assert reader.pages[0].get("/Annots") in (None, pypdf.generic.NullObject())
    assert reader.trailer["/Root"].get("/OpenAction") in (None, pypdf.generic.NullObject())
    # the bundle's document exhibits are made the same way, and verified with the same check
    ok("exhibit", case, "1", "--pages", "1:2")
    bundle = tmp_path / "bundle"
    ok("bundle", case, "--out", bundle)
    exhibits = sorted((bundle / "exhibits").glob("*.pdf"))
    assert exhibits and all(_external_left(e) == [] for e in exhibits)
    assert "external files" in ok("verify", bundle).out


def test_verify_fails_naming_a_reference_xobject_slipped_into_an_export(tmp_path, hostile):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, hostile)
    out = tmp_path / "clean.pdf"
    ok("export", case, "1", "--out", out)
    assert ok("verify", out).code == 0
    tampered = tmp_path / "tampered.pdf"
    with pikepdf.open(out) as pdf:  # one new revision: only the reference itself is new
        form = pikepdf.Stream(pdf, b"0 0 50 50 re f")
        form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, pikepdf.Array([0, 0, 50, 50])
        form.Ref = pikepdf.Dictionary(F=pikepdf.Dictionary(Type=pikepdf.Name.Filespec, FS=pikepdf.Name.URL,
                                                           F=pikepdf.String(TRACKER)), Page=0)
        res = pdf.pages[0].obj.Resources
        if "/XObject" not in res:
            res.XObject = pikepdf.Dictionary()
        res.XObject.Sneak = pdf.make_indirect(form)
        pdf.save(tampered)
    side = Path(str(out) + ".verify.json")
    if side.exists():
        shutil.copy(side, str(tampered) + ".verify.json")
    r = run("verify", tampered)
    assert r.code == 1
    fails = [ln for ln in r.out.splitlines() if ln.startswith("FAIL") and "external files" in ln]
    assert fails and "/Ref" in fails[0] and TRACKER in fails[0], r.out
