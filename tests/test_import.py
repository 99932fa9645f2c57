"""`reviewer new/import/list/probe` on a folder of videos in several codecs and PDFs, with
broken files among them (the contract in docs/CLI.md)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.pdfs import make_broken_pdfs, make_production_pdf
from fixtures.videos import make_video, shown_numbers

VARIANTS = ["cfr", "vfr", "rotated", "editlist", "hevc", "vp9", "mjpeg", "ts", "bframes"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *args], capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("production")
    videos = root / "videos"
    videos.mkdir()
    made = {}
    for v in VARIANTS:
        path = make_video(videos / f"clip_{v}", v, n_frames=30, size=(160, 120), audio=(v != "mjpeg"))
        made[path.name] = v
    docs = root / "docs" / "nested"
    docs.mkdir(parents=True)
    make_production_pdf(docs / "release.pdf", n_pages=4)
    broken = make_broken_pdfs(root / "broken")
    good_mp4 = next(p for p in videos.iterdir() if p.name.startswith("clip_cfr"))
    (root / "broken" / "truncated.mp4").write_bytes(good_mp4.read_bytes()[:2000])
    (root / "broken" / "random.mp4").write_bytes(os.urandom(50_000))
    (root / "broken" / "readme.txt").write_text("not media\n")
    return {"root": root, "videos": made, "broken": broken}


def _digests(root: Path) -> dict[str, tuple[str, int]]:
    return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


def test_import_folder_with_broken_files(production, tmp_path):
    root = production["root"]
    before = _digests(root)
    case = tmp_path / "case"
    assert run("new", str(case)).returncode == 0
    r = run("import", str(case), str(root))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    lines = [ln.split("\t") for ln in r.stdout.splitlines()]
    assert all(len(ln) == 3 for ln in lines), r.stdout
    kinds = {name: kind for _id, kind, name in lines}
    for name in production["videos"]:
        assert kinds.get(name) == "video", (name, r.stdout, r.stderr)
    assert kinds.get("release.pdf") == "pdf"
    errors = r.stderr.splitlines()
    bad_names = {p.name for p in production["broken"].values()} | {"truncated.mp4", "random.mp4", "readme.txt"}
    assert len(errors) == len(bad_names), r.stderr
    for name in bad_names:
        hits = [e for e in errors if e.startswith(f"error: {name}: ")]
        assert len(hits) == 1, (name, r.stderr)
        assert len(hits[0]) > len(f"error: {name}: ") + 3  # says why
    # originals are evidence: nothing read was written to
    assert _digests(root) == before

    listed = json.loads(run("list", str(case), "--json").stdout)
    assert len(listed) == len(lines)
    by_name = {item["name"]: item for item in listed}
    for name, variant in production["videos"].items():
        item = by_name[name]
        assert item["frame_count"] == len(shown_numbers(variant, 30)), (name, item)
        assert (item["width"], item["height"]) == ((120, 160) if variant == "rotated" else (160, 120))
        assert item["duration"] > 0 and item["fps"] > 0
        assert len(item["sha256"]) == 64 and Path(item["path"]).is_file()
    assert by_name["release.pdf"]["page_count"] == 4

    # the same content again is one item: the existing ids, nothing added
    again = run("import", str(case), str(root / "videos"), str(root / "docs"))
    assert again.returncode == 0, again.stderr
    assert sorted(again.stdout.splitlines()) == sorted(
        ln for ln in r.stdout.splitlines() if ln.split("\t")[2] != "bogus")
    assert len(json.loads(run("list", str(case), "--json").stdout)) == len(listed)


def test_probe_matches_list(production, tmp_path):
    video = next(p for p in (production["root"] / "videos").iterdir() if "vfr" in p.name)
    probe = json.loads(run("probe", str(video), "--json").stdout)
    case = tmp_path / "c"
    run("new", str(case))
    run("import", str(case), str(video))
    (item,) = json.loads(run("list", str(case), "--json").stdout)
    item.pop("id")
    assert probe == item
    bad = run("probe", str(production["root"] / "broken" / "random.mp4"), "--json")
    assert bad.returncode == 1 and bad.stderr.startswith("error: random.mp4: ")
    assert "Traceback" not in bad.stderr


def test_contract_errors(tmp_path):
    r = run("new", str(tmp_path / "c"))
    assert r.returncode == 0
    again = run("new", str(tmp_path / "c"))
    assert again.returncode == 1 and again.stderr.startswith("error: ")
    assert run("list", str(tmp_path / "nope"), "--json").returncode == 1
    assert run("import").returncode == 2
    assert run("frobnicate").returncode == 2
