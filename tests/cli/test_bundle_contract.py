"""``detect faces``, ``withheld``, ``exhibit``, ``bundle`` and ``verify`` of a bundle."""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import cv2
import pytest

from cli.clirun import ffmpeg, ok, run

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "foreman_h264.mp4"
INDEX_KEYS = {"label", "kind", "file", "source", "source_sha256", "citation"}


def _tc(seconds: Fraction) -> str:
    ms = math.ceil(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


@pytest.fixture(scope="module")
def bundle(inputs, tmp_path_factory):
    from fixtures.pdfs import make_production_pdf

    folder = tmp_path_factory.mktemp("bundle case")
    ntsc = folder / "ntsc.mp4"  # 30000/1001: no frame but 0 starts on a whole millisecond
    ffmpeg("-i", str(inputs.base), "-r", "30000/1001", "-c:v", "libx264", "-preset", "ultrafast",
           "-c:a", "copy", str(ntsc))
    prod = make_production_pdf(folder / "production.pdf", n_pages=4, scanned_page=None,
                               rotated_page=None, split_page=None)
    case = folder / "case"
    ok("new", case)
    ok("import", case, ntsc, inputs.odd_pdf, prod.path)
    ok("redact", "box", case, "ntsc.mp4", "--frames", "2:4", "--rect", "0,70,40,30")
    ok("redact", "text", case, "--pattern", "ssn", "--reason", "b6")
    ids = [int(ok("exhibit", case, *argv).out) for argv in (
        ["ntsc.mp4", "--frames", "1:5", "--label", "Ex. A"],
        ["ntsc.mp4", "--frame", "3"],
        ["production.pdf", "--pages", "2:3"],
        [inputs.odd_pdf.name, "--pages", "1:2", "--label", "Odd"],
    )]
    assert len(set(ids)) == 4
    ok("annotate", case, "ntsc.mp4", "--frame", 1, "--text", "WORK-PRODUCT-NOTE")
    out = folder / "bundle out"
    r = ok("bundle", case, "--out", out)
    return case, out, prod, ntsc, r


def test_index_json_fields(bundle, inputs):
    _, out, prod, ntsc, _ = bundle
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    ex = index["exhibits"]
    assert [e["kind"] for e in ex] == ["clip", "still", "document", "document"]
    for e in ex:
        assert INDEX_KEYS <= set(e), e
        assert (out / e["file"]).is_file()
        assert ("frames" in e) == (e["kind"] != "document") and ("pages" in e) == (e["kind"] == "document")
    clip, still, doc, odd = ex
    assert clip["label"] == "Ex. A" and clip["source"] == "ntsc.mp4" and clip["frames"] == [1, 5]
    src_sha = json.loads(ok("probe", ntsc, "--json").out)["sha256"]
    assert clip["source_sha256"] == src_sha == still["source_sha256"]
    step = Fraction(1001, 30000)
    assert clip["start"] == _tc(1 * step) == "00:00:00.034" and clip["end"] == _tc(5 * step)
    assert still["frames"] == [3, 3] and still["start"] == _tc(3 * step)
    assert _tc(1 * step) in clip["citation"] and _tc(3 * step) in still["citation"]
    assert doc["pages"] == [2, 3] and prod.bates[1] in doc["citation"]
    assert odd["label"] == "Odd" and "1" in odd["citation"] and odd["source"] == inputs.odd_pdf.name


def test_exhibit_files_are_what_was_declared_with_redactions(bundle, tmp_path):
    _, out, _, ntsc, _ = bundle
    ex = json.loads((out / "index.json").read_text(encoding="utf-8"))["exhibits"]
    with av.open(str(out / ex[0]["file"])) as c:
        kinds = sorted(s.type for s in c.streams)
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]
    assert kinds == ["audio", "video"] and len(frames) == 5  # clips keep audio
    assert frames[0][73:97, 3:37].mean() > 40 and frames[1][73:97, 3:37].mean() < 16  # frame 1 free, 2 boxed
    still = cv2.imread(str(out / ex[1]["file"]))
    ok("frame", ntsc, "--frame", 3, "--out", tmp_path / "f3.png")
    plain = cv2.imread(str(tmp_path / "f3.png"))
    assert still.shape == plain.shape and still[73:97, 3:37].mean() < 16
    outside = abs(still[:60].astype(int) - plain[:60].astype(int)).max()
    assert outside == 0  # lossless: exactly that frame
    import pymupdf

    doc = pymupdf.open(out / ex[2]["file"])
    assert doc.page_count == 2
    text = "".join(p.get_text() for p in doc)
    assert "SSN" in text and not re.search(r"\b\d{3}-\d{2}-\d{4}\b", text)


def test_bundle_files_sums_and_work_product(bundle):
    _, out, _, _, _ = bundle
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"index.json", "SHA256SUMS"} <= names
    assert any(n.endswith(".pdf") and "/" not in n and n != "annotations.pdf" for n in names)  # readable index
    assert any(n.endswith(".csv") for n in names)  # redaction log
    listed = {line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()}
    assert listed == names - {"SHA256SUMS"}
    subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=out, check=True)
    for p in out.rglob("*"):
        if p.is_file():
            assert b"WORK-PRODUCT-NOTE" not in p.read_bytes(), p  # notes stay in the case


def test_bundle_refuses_an_existing_folder(bundle, tmp_path):
    case = bundle[0]
    r = run("bundle", case, "--out", tmp_path)
    assert r.code == 1 and r.err.startswith("error:") and str(tmp_path.name) in r.err


def test_verify_bundle_passes_then_fails_after_a_one_byte_change(bundle, tmp_path):
    _, out, _, _, _ = bundle
    r = ok("verify", out)
    assert r.lines and all(line.startswith("ok") for line in r.lines)
    for victim in ("index.json", "exhibits"):
        copy = tmp_path / victim
        shutil.copytree(out, copy)
        target = copy / "index.json" if victim == "index.json" else next((copy / "exhibits").glob("*.pdf"))
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 1
        target.write_bytes(bytes(data))
        r = run("verify", copy)
        assert r.code == 1 and any(line.startswith("FAIL") for line in r.lines), victim


@pytest.mark.parametrize("argv", [
    ["ntsc.mp4", "--frames", "40:50"], ["ntsc.mp4", "--pages", "1:2"], ["production.pdf", "--frame", "1"],
    ["production.pdf", "--pages", "3:2"], ["production.pdf", "--pages", "1:9"], ["nothing.mp4", "--frame", "1"],
])
def test_bad_exhibits_are_one_error_line(bundle, argv):
    r = run("exhibit", bundle[0], *argv)
    assert r.code == 1 and r.err.startswith("error:") and len(r.err.splitlines()) == 1, r.err


def test_detect_faces_prints_a_track_count_and_adds_redactions(tmp_path):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, SAMPLE)
    r = ok("detect", "faces", case, SAMPLE.name)
    tracks = int(r.out)
    assert tracks >= 1
    out = tmp_path / "faces.mp4"
    ok("export", case, SAMPLE.name, "--out", out)
    assert "box-frames covered" in ok("verify", out).out


def test_withheld_json_shape_and_errors(tmp_path, inputs):
    from fixtures.pdfs import make_withheld_pdf

    pdf = tmp_path / "withheld.pdf"
    truth = make_withheld_pdf(pdf)
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, pdf, inputs.noaudio)
    rows = json.loads(ok("withheld", case, "--json").out)
    assert rows and all({"media", "page", "bates", "rect", "codes"} <= set(r) for r in rows)
    assert all(isinstance(r["codes"], list) and len(r["rect"]) == 4 for r in rows)
    assert {r["page"] for r in rows} == {t.page_no for t in truth}
    assert json.loads(ok("withheld", case, "withheld.pdf", "--json").out) == rows
    r = run("withheld", case, "no audio.mp4", "--json")
    assert r.code == 1 and r.err.startswith("error: no audio.mp4")
