"""``reviewer export`` and ``reviewer verify`` end to end, as a user (or the acceptance tests)
would call them; and work product (notes, tags, links) never reaching an export."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, ok: bool | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "reviewer", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    if ok is True:
        assert proc.returncode == 0, proc.stderr
    elif ok is False:
        assert proc.returncode == 1, (proc.stdout, proc.stderr)
    return proc


@pytest.fixture
def cli_case(tmp_path, video_file):
    from fixtures.pdfs import make_secrets_pdf

    case = tmp_path / "case"
    sp = make_secrets_pdf(tmp_path / "secrets.pdf")
    video = tmp_path / "cam.mp4"
    shutil.copy(video_file("cfr"), video)
    run("new", case, ok=True)
    ids = [line.split("\t")[0] for line in run("import", case, video, sp.path, ok=True).stdout.splitlines()]
    return case, ids[0], ids[1], sp, video


def test_export_and_verify_video_and_pdf(cli_case, tmp_path):
    case, vid, pid, sp, _ = cli_case
    run("redact", "box", case, vid, "--frames", "5:20", "--rect", "10,150,60,40",
        "--rect-end", "200,160,60,40", ok=True)
    run("redact", "audio", case, vid, "--from", "0.5", "--to", "00:00:01.000", ok=True)
    # the secret is on page 1 and in page 2's OCR layer: verify looks for the text itself, so
    # both must be boxed
    for page in (1, 2):
        x0, y0, x1, y1 = sp.rects[page]
        run("redact", "page", case, pid, "--page", str(page), "--rect", f"{x0-1},{y0-1},{x1+1},{y1+1}", ok=True)

    out = tmp_path / "out" / "cam_redacted.mp4"
    out.parent.mkdir()
    proc = run("export", case, vid, "--out", out, "--preset", "ultrafast", "--crf", "20", ok=True)
    assert out.is_file() and "FAIL" not in proc.stdout
    side = json.loads(out.with_name(out.name + ".verify.json").read_text())
    assert side["frame_count"] == 60 and side["boxes"][0]["frames"] == [5, 20]
    proc = run("verify", out, ok=True)
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith("ok   ") for line in lines)
    assert any("boxes" in line for line in lines) and any("audio spans" in line for line in lines)
    run("verify", out, "--case", case, ok=True)

    pdf_out = tmp_path / "out" / "doc.pdf"
    run("export", case, pid, "--out", pdf_out, ok=True)
    assert sp.secret.encode() not in pdf_out.read_bytes()
    run("verify", pdf_out, ok=True)
    run("export", case, pid, "--out", tmp_path / "out" / "raster.pdf", "--rasterize", ok=True)

    # the original checked against the case's redactions: verify must fail, with FAIL lines
    proc = run("verify", sp.path, "--case", case, ok=False)
    assert any(line.startswith("FAIL text under boxes") for line in proc.stdout.splitlines())


def test_export_errors_are_one_line_and_leave_nothing(cli_case, tmp_path):
    case, vid, pid, sp, video = cli_case
    out = tmp_path / "x.mp4"
    proc = run("export", case, vid, "--out", out, "--preset", "warp", ok=False)
    assert proc.stderr.startswith("error:") and not out.exists()
    proc = run("export", case, "nope.mp4", "--out", out, ok=False)
    assert proc.stderr.startswith("error:")
    before = sp.path.read_bytes()
    proc = run("export", case, pid, "--out", sp.path, ok=False)  # over the evidence itself
    assert "never overwritten" in proc.stderr and sp.path.read_bytes() == before
    # the original is replaced on disk after import: refused, never burned into another file
    good = video.read_bytes()
    video.write_bytes(good[:len(good) // 3] + bytes(len(good) - len(good) // 3))
    proc = run("export", case, vid, "--out", out, ok=False)
    assert proc.stderr.startswith("error:") and "changed since it was imported" in proc.stderr
    # a damaged or hostile file the case holds as is (same hash): the decoder fails in the
    # sandbox child and the user gets one line naming the file
    from export.conftest import apply
    from reviewer.hashing import sha256_file
    from reviewer.session.edits import Update
    from reviewer.store import CaseStore

    with CaseStore.open(case) as store:
        apply(store, Update("media", int(vid), {"sha256": sha256_file(video)}))
    proc = run("export", case, vid, "--out", out, ok=False)
    assert proc.stderr.startswith("error:") and "cam.mp4" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob(".x.mp4*"))


def test_verify_errors(tmp_path):
    proc = run("verify", tmp_path / "missing.mp4", ok=False)
    assert proc.stderr.startswith("error:")
    lone = tmp_path / "lone.mp4"
    lone.write_bytes(b"not really")
    proc = run("verify", lone, ok=False)
    assert "verify.json" in proc.stderr


def test_work_product_stays_home(cli_case, tmp_path):
    """Notes, tags and links planted in the case reach neither the exports nor the sidecars."""
    case, vid, pid, _, _ = cli_case
    planted = ["NOTE-WP-5521", "TAG-WP-7730", "LINK-WP-9043"]
    a = run("annotate", case, vid, "--frame", "3", "--to", "9", "--text", f"{planted[0]} suspect",
            "--tag", planted[1].lower(), ok=True).stdout.strip()
    b = run("annotate", case, pid, "--page", "1", "--rect", "72,100,300,130", "--text",
            f"see video {planted[0]}", "--tag", planted[1].lower(), ok=True).stdout.strip()
    from export.conftest import apply
    from reviewer.session.annotations import link_annotations
    from reviewer.store import CaseStore

    with CaseStore.open(case) as store:
        apply(store, link_annotations(store, int(a), int(b), note=planted[2]))
    run("redact", "box", case, vid, "--frames", "3:9", "--rect", "10,150,40,40", ok=True)
    run("redact", "page", case, pid, "--page", "1", "--rect", "72,100,300,130", ok=True)
    outs = [tmp_path / "v.mp4", tmp_path / "d.pdf"]
    run("export", case, vid, "--out", outs[0], "--preset", "ultrafast", ok=True)
    run("export", case, pid, "--out", outs[1], ok=True)
    from export.test_pdf_export import everything

    blobs = [outs[0].read_bytes().decode("latin-1"), everything(outs[1])]
    blobs += [p.with_name(p.name + ".verify.json").read_text() for p in outs]
    for blob in blobs:
        for secret in planted:
            assert secret.lower() not in blob.lower()


def test_export_job_reports_failed_checks_and_leaves_nothing(video_file, make_case, tmp_path, monkeypatch):
    """What ``reviewer export`` runs in the sandbox child: a failed check comes back as FAIL
    lines to print (and exit 1), with nothing under the output name."""
    from reviewer.export import verify
    from reviewer.export.checks import Check
    from reviewer.export.jobs import export_job

    store, (media,) = make_case(video_file("cfr"))
    monkeypatch.setattr(verify, "verify_video", lambda *a, **k: [Check("boxes", False, "frame 3 shows")])
    out = tmp_path / "o.mp4"
    result = export_job(str(store.folder), media["id"], str(out), "ultrafast", 20, False)
    assert result["ok"] is False and ("boxes", False, "frame 3 shows") in result["checks"]
    assert "failed verification" in result["message"]
    assert not out.exists() and not list(tmp_path.glob(".o.mp4*"))
