"""Options of the contract beyond the defaults: ellipse/pixelate/blur boxes on a rotated
and a B-frame clip, `redact audio --mode bleep` with HH:MM:SS.mmm times, `verify` on a
video export and its tampered copy, `probe` of a PDF, the built-in `a-number` pattern on the
forms DHS papers write, and `detect faces` over a whole case."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from acceptance import material as m
from acceptance.conftest import cli, import_ids, ok


@pytest.fixture(scope="session")
def styled(work, clips):
    case = work / "style_case"
    ok("new", case)
    rot, multi, bf = import_ids(case, clips["rotated"], clips["multitrack"],
                                clips["bframes_editlist"])
    ok("redact", "box", case, rot, "--frames", "0:39", "--rect", "20,40,80,100",
       "--shape", "ellipse", "--style", "pixelate")
    ok("redact", "box", case, bf, "--frames", "0:61", "--rect", "20,20,100,80", "--style", "blur")
    ok("redact", "audio", case, multi, "--from", "00:00:00.500", "--to", "00:00:01.250",
       "--mode", "bleep")
    outs = {}
    for name, item in (("rotated", rot), ("multitrack", multi), ("bframes_editlist", bf)):
        outs[name] = work / f"styled_{name}.mp4"
        ok("export", case, item, "--out", outs[name])
    return outs


def test_ellipse_pixelate_on_rotated(clips, styled):
    size = m.display_size(clips["rotated"])
    src, got = m.decode_rgb(clips["rotated"], size), m.decode_rgb(styled["rotated"], size)
    for n in range(len(src)):
        a, b = src[n].astype(int), got[n].astype(int)
        inside = np.abs(a[80:100, 50:70] - b[80:100, 50:70]).mean()  # the ellipse's middle
        corner = np.abs(a[40:46, 20:26] - b[40:46, 20:26]).mean()   # outside the ellipse
        assert inside > 15 and corner < 6, (n, inside, corner)
        assert np.abs(a[150:] - b[150:]).mean() < 4


def test_blur_removes_detail(clips, styled):
    src = m.decode_rgb(clips["bframes_editlist"])
    got = m.decode_rgb(styled["bframes_editlist"])

    def sharp(x):
        return cv2.Laplacian(cv2.cvtColor(np.ascontiguousarray(x), cv2.COLOR_RGB2GRAY),
                             cv2.CV_64F).var()
    for n in (0, len(src) // 2, len(src) - 1):
        assert sharp(got[n][24:96, 24:116]) < 0.05 * sharp(src[n][24:96, 24:116])


def test_bleep_tones_out_every_track(clips, styled):
    for t in range(2):
        src = m.decode_audio(clips["multitrack"], t)
        got = m.decode_audio(styled["multitrack"], t)
        a, b = int(0.52 * 16000), int(1.23 * 16000)
        span, orig = got[a:b], src[a:b]
        assert np.sqrt((span ** 2).mean()) > 0.02, "a tone, not silence"
        assert abs(np.corrcoef(span, orig)[0, 1]) < 0.1, "nothing of the original left"
        after = slice(int(1.4 * 16000), int(2.4 * 16000))
        assert np.corrcoef(got[after], src[after])[0, 1] > 0.9, "outside the span kept"


def test_verify_video_export_and_tamper(styled, tmp_path):
    out = styled["multitrack"]
    assert ok("verify", out).out.strip()
    bad = tmp_path / out.name
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x55
    bad.write_bytes(bytes(data))
    for side in out.parent.glob(out.name + ".*"):
        bad.with_name(side.name).write_bytes(side.read_bytes())
    r = cli("verify", bad)
    assert r.code == 1 and "FAIL" in r.out + r.err


def test_probe_pdf(prod_pdf):
    info = ok("probe", prod_pdf, "--json").json()
    assert info["kind"] == "pdf" and info["page_count"] == 4 and info["name"] == prod_pdf.name


@pytest.fixture(scope="session")
def anumber_pdf(work):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    for i, t in enumerate(["Subject A# 123-456-789 detained", "Spouse A#987654321 released",
                           "A-Number: 234567890 on the I-213", "Plain A045678901 kept"]):
        page.insert_text((72, 80 + 16 * i), t, fontname="helv", fontsize=11)
    path = work / "anumbers.pdf"
    doc.save(path)
    return path


def test_a_number_plain_form(work, anumber_pdf):
    case = work / "anum_plain"
    ok("new", case)
    (pdf,) = import_ids(case, anumber_pdf)
    assert int(ok("redact", "text", case, pdf, "--pattern", "a-number").out) >= 1


def test_a_number_written_with_hash(work, anumber_pdf):
    case = work / "anum_hash"
    ok("new", case)
    (pdf,) = import_ids(case, anumber_pdf)
    assert int(ok("redact", "text", case, pdf, "--pattern", "a-number").out) == 4
    out = work / "anumbers_redacted.pdf"
    ok("export", case, pdf, "--out", out)
    text = m.norm(m.pdftotext(out))
    for digits in ("123456789", "987654321", "234567890", "045678901"):
        assert digits not in text, digits
    assert "detained" in text and "released" in text


def test_detect_faces_whole_case(work, clips):
    """Without MEDIA, every video of the case; --jobs 2 on this machine."""
    case = work / "faces_batch"
    ok("new", case)
    face, other = import_ids(case, m.FOREMAN, clips["anamorphic"])
    r = ok("detect", "faces", case, "--jobs", "2")
    assert int(r.out.strip().splitlines()[-1]) > 0
    assert ok("review", case, face, "--json").json(), "the face clip got its track"
    assert ok("review", case, other, "--json").json() == [], "no face, no track"
