"""``bundle --withheld``: the requester-side withheld log travels in the bundle on request."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest


def reviewer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> dict:
    from fixtures.pdfs import make_withheld_pdf

    root = tmp_path_factory.mktemp("withheld_bundle")
    pdf = root / "ice.pdf"
    truth = make_withheld_pdf(pdf)
    folder = str(root / "case")
    assert reviewer("new", folder).returncode == 0
    run = reviewer("import", folder, str(pdf))
    assert run.returncode == 0, run.stderr
    run = reviewer("exhibit", folder, "ice.pdf", "--pages", "1:2", "--description", "Interview")
    assert run.returncode == 0, run.stderr
    with_log = root / "with"
    run = reviewer("bundle", folder, "--out", str(with_log), "--withheld")
    assert run.returncode == 0, run.stderr
    listed = reviewer("withheld", folder, "--json")
    assert listed.returncode == 0, listed.stderr
    return {"root": root, "case": folder, "truth": truth, "bundle": with_log,
            "rows": json.loads(listed.stdout)}


def _csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def test_log_files_are_in_the_bundle_hashed_and_indexed(case):
    b: Path = case["bundle"]
    sums = dict(reversed(line.split("  ", 1)) for line in (b / "SHA256SUMS").read_text().splitlines())
    for name in ("withheld_log.csv", "withheld_log.pdf"):
        assert (b / name).is_file()
        assert sums[name] == hashlib.sha256((b / name).read_bytes()).hexdigest()
    entry = json.loads((b / "index.json").read_text())["withheld_log"]
    assert entry["csv"] == "withheld_log.csv" and entry["pdf"] == "withheld_log.pdf"
    assert entry["csv_sha256"] == sums["withheld_log.csv"]
    assert entry["regions"] == len(case["rows"]) > 0


def test_log_rows_are_the_withheld_command_rows_and_cover_the_truth(case):
    rows = _csv_rows(case["bundle"] / "withheld_log.csv")
    got = [(int(r["page"]), r["bates"], [float(r[k]) for k in ("x0_pt", "y0_pt", "x1_pt", "y1_pt")],
            [c for c in r["codes"].split("; ") if c]) for r in rows]
    want = [(r["page"], r["bates"] or "", r["rect"], r["codes"]) for r in case["rows"]]
    assert got == want
    # every ground-truth region of the vector pages is in the log, on its page with its codes
    for t in case["truth"]:
        if t.page_no == 3:
            continue  # the scanned page's labels depend on OCR; tests/pdf covers it
        hits = [g for g in got if g[0] == t.page_no and abs(g[2][0] - t.rect[0]) < 4
                and abs(g[2][1] - t.rect[1]) < 4]
        assert hits, (t, got)
        assert sorted(hits[0][3]) == sorted(t.codes)


def test_log_pdf_lists_the_regions(case):
    with pymupdf.open(case["bundle"] / "withheld_log.pdf") as doc:
        text = "".join(p.get_text() for p in doc)
    assert "Withheld-information log" in text
    assert "ICE-2023-000200" in text
    assert f"{len(case['rows'])} withheld region(s)" in text


def test_verify_passes_and_catches_a_changed_log(case, tmp_path):
    run = reviewer("verify", str(case["bundle"]))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "withheld log withheld_log.csv hash in index.json" in run.stdout
    copy = tmp_path / "b"
    shutil.copytree(case["bundle"], copy)
    with open(copy / "withheld_log.csv", "a", encoding="utf-8") as fh:
        fh.write("ice.pdf,1,9,,0,0,1,1,b6,,manual\n")
    run = reviewer("verify", str(copy))
    assert run.returncode == 1
    assert "FAIL" in run.stdout.upper() and "withheld_log.csv" in run.stdout


def test_without_the_option_there_is_no_log(case):
    out = case["root"] / "without"
    run = reviewer("bundle", case["case"], "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert not (out / "withheld_log.csv").exists() and not (out / "withheld_log.pdf").exists()
    assert "withheld_log" not in json.loads((out / "index.json").read_text())
    assert reviewer("verify", str(out)).returncode == 0


def test_log_is_reproducible(case):
    again = case["root"] / "again"
    run = reviewer("bundle", case["case"], "--out", str(again), "--withheld")
    assert run.returncode == 0, run.stderr
    for name in ("withheld_log.csv", "withheld_log.pdf", "index.json", "SHA256SUMS"):
        assert (again / name).read_bytes() == (case["bundle"] / name).read_bytes(), name


def test_a_stray_log_file_not_in_the_index_fails_verify(case, tmp_path):
    out = case["root"] / "without"
    if not out.exists():  # run alone: make the bundle without the log here
        assert reviewer("bundle", case["case"], "--out", str(out)).returncode == 0
    copy = tmp_path / "b2"
    shutil.copytree(out, copy)
    shutil.copy(case["bundle"] / "withheld_log.csv", copy / "withheld_log.csv")
    run = reviewer("verify", str(copy))
    assert run.returncode == 1
    assert "not in index.json" in run.stdout
