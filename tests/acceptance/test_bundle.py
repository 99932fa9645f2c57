"""`exhibit` + `bundle` + `verify`: index.json fields and pin cites, exhibit files redacted
(checked by FFmpeg, pdftotext), SHA256SUMS checked by the real `sha256sum -c`, notes kept
out, verify on a good and a tampered bundle."""
from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from acceptance import material as m
from acceptance.conftest import cli, import_ids, ok

BOX = (0, 0, 60, 60)


@pytest.fixture(scope="session")
def bundle(work, clips, prod_pdf):
    case = work / "bundle_case"
    ok("new", case)
    cut, pdf, multi = import_ids(case, clips["cut"], prod_pdf, clips["multitrack"])
    ok("redact", "box", case, cut, "--frames", "0:59", "--rect", ",".join(map(str, BOX)),
       "--reason", "b6")
    ok("redact", "text", case, pdf, "--pattern", m.NAME, "--reason", "b6")
    ok("redact", "audio", case, multi, "--from", "0.5", "--to", "1.0", "--reason", "b6")
    ok("annotate", case, cut, "--frame", 2, "--text", "privileged work note zqxj")
    ids = [ok("exhibit", case, cut, "--frames", "1:20").out.strip(),
           ok("exhibit", case, pdf, "--pages", "2:3").out.strip(),
           ok("exhibit", case, cut, "--frame", 30).out.strip(),
           ok("exhibit", case, multi, "--frames", "0:74", "--label", "Second mic").out.strip()]
    assert len(set(ids)) == 4 and all(ids)
    out = work / "bundle_out"
    ok("bundle", case, "--out", out)
    return case, out, json.loads((out / "index.json").read_text())


def test_index_fields_and_citations(bundle, clips, prod_pdf):
    _, out, index = bundle
    ex = index["exhibits"]
    assert [e["kind"] for e in ex] == ["clip", "document", "still", "clip"]
    for e in ex:
        assert {"label", "kind", "file", "source", "source_sha256", "citation"} <= set(e)
        assert (out / e["file"]).is_file()
    import hashlib
    assert ex[0]["source"] == "cut.mp4"
    assert ex[0]["source_sha256"] == hashlib.sha256(clips["cut"].read_bytes()).hexdigest()
    assert ex[1]["source_sha256"] == hashlib.sha256(prod_pdf.read_bytes()).hexdigest()
    assert list(ex[0]["frames"]) == [1, 20] and list(ex[1]["pages"]) == [2, 3]
    # 30000/1001 fps: frame 1 starts at 33.37 ms -> 34; frame 20 at 667.33 -> 668; 30 at 1001
    assert (ex[0]["start"], ex[0]["end"]) == ("00:00:00.034", "00:00:00.668")
    assert ex[2]["start"] == "00:00:01.001"
    assert "Ex. 1" in ex[0]["citation"] and "at 00:00:00.034" in ex[0]["citation"]
    assert "Ex. 2" in ex[1]["citation"] and f"at {m.bates(1)}" in ex[1]["citation"]
    assert "Ex. 3" in ex[2]["citation"] and "at 00:00:01.001" in ex[2]["citation"]
    assert "at 00:00:00.000" in ex[3]["citation"] and ex[3]["label"] == "Second mic"


def test_sha256sums_with_real_sha256sum(bundle):
    _, out, _ = bundle
    p = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=out,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    listed = {ln.split(None, 1)[1].lstrip("*") for ln in
              (out / "SHA256SUMS").read_text().splitlines() if ln.strip()}
    present = {str(f.relative_to(out)) for f in out.rglob("*") if f.is_file()}
    assert listed == present - {"SHA256SUMS"}


def test_clip_exhibit_frames_redaction_and_audio(bundle, clips):
    _, out, index = bundle
    ex = index["exhibits"]
    size = m.display_size(clips["cut"])
    src = m.decode_rgb(clips["cut"], size)
    clip = m.decode_rgb(out / ex[0]["file"], size)
    assert len(clip) == 20
    x, y, w, h = BOX
    for i, frame in enumerate(clip):
        n = i + 1
        others = [np.abs(frame[100:, 100:].astype(int) - src[k][100:, 100:].astype(int)).mean()
                  for k in range(len(src))]
        assert int(np.argmin(others)) == n, f"clip frame {i} is not source frame {n}"
        assert frame[y + 2:y + h - 2, x + 2:x + w - 2].std() < 12
    second = out / ex[3]["file"]
    assert sum(s.kind == "Audio" for s in m.streams(second)) == 2, "clips keep audio"
    for t in range(2):
        a = m.decode_audio(second, t)
        span = np.abs(a[int(0.5 * 16000):int(1.0 * 16000)])
        # AAC's transform smears the kept neighbour audio a few ms into the span (-40 dBFS);
        # inside that, digital silence
        assert span.max() < 0.02 and span[160:-160].max() < 2e-3
        assert np.sqrt((a[int(1.3 * 16000):int(2.5 * 16000)] ** 2).mean()) > 0.01


def test_still_is_that_frame_redacted(bundle, clips):
    _, out, index = bundle
    size = m.display_size(clips["cut"])
    src = m.decode_rgb(clips["cut"], size)
    png = np.asarray(Image.open(out / index["exhibits"][2]["file"]).convert("RGB"))
    assert png.shape[:2] == (size[1], size[0])
    x, y, w, h = BOX
    assert png[y:y + h, x:x + w].max() < 30, "box is solid"
    diff = [np.abs(png[100:, 100:].astype(int) - f[100:, 100:].astype(int)).mean() for f in src]
    assert int(np.argmin(diff)) == 30 and diff[30] < 4


def test_document_exhibit_redacted_with_bates(bundle):
    _, out, index = bundle
    doc = out / index["exhibits"][1]["file"]
    text = m.norm(m.all_pdf_text(doc))
    assert "rodriguez" not in text and "guez" not in text
    assert m.norm(m.bates(1)) in text and m.norm(m.bates(2)) in text
    assert m.norm(m.bates(0)) not in m.norm(m.pdftotext(doc)), "only pages 2..3"


def test_notes_stay_in_the_case(bundle):
    _, out, _ = bundle
    for f in out.rglob("*"):
        if f.is_file() and f.suffix in (".json", ".csv", ".html", ".txt", ".pdf", ""):
            data = m.pdftotext(f) if f.suffix == ".pdf" else f.read_text(errors="ignore")
            assert "zqxj" not in data, f


def test_redaction_log(bundle):
    _, out, _ = bundle
    logs = list(out.glob("*.csv"))
    assert logs
    log = "\n".join(p.read_text(encoding="utf-8-sig") for p in logs)
    assert "cut.mp4" in log and "production.pdf" in log and "multitrack.mp4" in log
    assert "b6" in log


def test_bundle_refuses_existing_dir(bundle):
    case, out, _ = bundle
    before = (out / "SHA256SUMS").read_bytes()
    r = cli("bundle", case, "--out", out)
    assert r.code == 1 and r.err.startswith("error:")
    assert (out / "SHA256SUMS").read_bytes() == before


def test_verify_good_and_tampered_bundle(bundle, tmp_path):
    _, out, index = bundle
    assert ok("verify", out).out.strip()
    flipped = tmp_path / "flipped"
    shutil.copytree(out, flipped)
    f = flipped / index["exhibits"][2]["file"]
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))
    assert cli("verify", flipped).code == 1
    missing = tmp_path / "missing"
    shutil.copytree(out, missing)
    (missing / index["exhibits"][1]["file"]).unlink()
    assert cli("verify", missing).code == 1


def test_verify_catches_unredacted_swap_with_fixed_sums(bundle, prod_pdf, tmp_path):
    """An adversary swaps in the unredacted pages and rewrites SHA256SUMS to match: the
    hashes agree, but the redacted name is back, so verify must fail."""
    _, out, index = bundle
    swapped = tmp_path / "swapped"
    shutil.copytree(out, swapped)
    import pymupdf
    src = pymupdf.open(prod_pdf)
    part = pymupdf.open()
    part.insert_pdf(src, from_page=1, to_page=2)
    part.save(swapped / index["exhibits"][1]["file"])
    sums = subprocess.run(["sha256sum", *[ln.split(None, 1)[1] for ln in
                           (out / "SHA256SUMS").read_text().splitlines()]],
                          cwd=swapped, capture_output=True, text=True, check=True).stdout
    (swapped / "SHA256SUMS").write_text(sums)
    assert cli("verify", swapped).code == 1
