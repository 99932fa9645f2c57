"""The contract commands end to end, as the acceptance tests call them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def reviewer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    from fixtures.pdfs import make_production_pdf
    from fixtures.videos import make_video

    root = tmp_path_factory.mktemp("cli_sources")
    video = make_video(root / "raid.mp4", "bframes", n_frames=45, size=(160, 120))
    prod = make_production_pdf(root / "foia.pdf", n_pages=4, prefix="DHS-", start=7)
    return {"video": video, "pdf": prod.path, "bates": prod.bates}


def test_exhibit_bundle_verify_from_the_command_line(sources, tmp_path):
    case = str(tmp_path / "case")
    assert reviewer("new", case).returncode == 0
    imp = reviewer("import", case, str(sources["video"]), str(sources["pdf"]))
    assert imp.returncode == 0, imp.stderr
    assert reviewer("redact", "box", case, "raid.mp4", "--frames", "0:44", "--rect", "100,70,40,40",
                    "--reason", "b6").returncode == 0
    note = reviewer("annotate", case, "raid.mp4", "--frame", "3", "--text", "ZZ-UNSHARED-NOTE")
    assert note.returncode == 0, note.stderr
    ids = []
    for argv in (["raid.mp4", "--frames", "5:20"], ["raid.mp4", "--frame", "9", "--label", "Pl. Ex. B"],
                 ["foia.pdf", "--pages", "2:3", "--description", "Form I-213"]):
        run = reviewer("exhibit", case, *argv)
        assert run.returncode == 0, run.stderr
        ids.append(int(run.stdout.strip()))
    assert ids == sorted(ids) and len(set(ids)) == 3
    bad = reviewer("exhibit", case, "raid.mp4", "--frames", "40:50")
    assert bad.returncode == 1 and bad.stderr.startswith("error:") and len(bad.stderr.splitlines()) == 1
    assert reviewer("exhibit", case, "raid.mp4", "--pages", "1:2").returncode == 1

    out = tmp_path / "filing" / "bundle"
    run = reviewer("bundle", case, "--out", str(out))
    assert run.returncode == 0, run.stderr
    index = json.loads((out / "index.json").read_text("utf-8"))["exhibits"]
    assert [e["label"] for e in index] == ["Ex. 1", "Pl. Ex. B", "Ex. 3"]
    assert index[0]["citation"].startswith("Ex. 1 (raid.mp4) at 00:00:00.167\u2013")
    assert index[1]["citation"] == "Pl. Ex. B (raid.mp4) at 00:00:00.300"
    # pages 2:3 cite their Bates range, the last by its running digits
    assert index[2]["citation"] == f"Ex. 3 at {sources['bates'][1]}\u2013{sources['bates'][2][-6:]}"
    assert index[2]["description"] == "Form I-213"
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True, check=False)
    assert sums.returncode == 0, sums.stdout
    assert all(b"ZZ-UNSHARED-NOTE" not in p.read_bytes() for p in out.rglob("*") if p.is_file())

    verify = reviewer("verify", str(out))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "frames" in verify.stdout and "pages" in verify.stdout

    again = reviewer("bundle", case, "--out", str(out))
    assert again.returncode == 1 and "already exists" in again.stderr

    (out / "index.json").write_text((out / "index.json").read_text("utf-8").replace("Ex. 3", "Ex. 4"))
    tampered = reviewer("verify", str(out))
    assert tampered.returncode != 0 and "FAIL" in tampered.stdout


def test_missing_source_is_one_error_and_leaves_nothing(sources, tmp_path):
    import shutil

    moved = tmp_path / "foia.pdf"
    shutil.copy(sources["pdf"], moved)
    case = str(tmp_path / "case")
    assert reviewer("new", case).returncode == 0
    assert reviewer("import", case, str(moved)).returncode == 0
    assert reviewer("exhibit", case, "foia.pdf", "--pages", "1:2").returncode == 0
    moved.unlink()
    out = tmp_path / "bundle"
    run = reviewer("bundle", case, "--out", str(out))
    assert run.returncode == 1, run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "foia.pdf" in lines[0], run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case"]
