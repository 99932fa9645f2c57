"""Court limits for documents: a document exhibit over the PDF size limit is split at page
boundaries into numbered parts, each cited by its own Bates range.

Pages and Bates numbers are read back with poppler (pdfinfo, pdftotext), not our own code."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.store import CaseStore

EN = "\u2013"
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(l for l in out.splitlines() if l.startswith("Pages:")).split()[1])


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _doc_entry(out: Path) -> dict:
    index = json.loads((out / "index.json").read_text("utf-8"))
    return next(e for e in index["exhibits"] if e["source"] == "production.pdf")


def _bundle(built, out: Path, max_pdf_bytes: int) -> dict:
    from reviewer.citation.bundle import build_bundle, options_for
    from reviewer.citation.verify import verify_bundle

    with CaseStore.open(built.case) as store:
        opts = options_for(store)
        build_bundle(store, out, type(opts)(max_pdf_bytes=max_pdf_bytes))
    failed = [c for c in verify_bundle(out) if not c.ok]
    assert failed == [], failed
    return _doc_entry(out)


def test_each_page_its_own_part_when_no_two_fit(built, tmp_path):
    entry = _bundle(built, tmp_path / "tiny", max_pdf_bytes=1)
    bates = built.production.bates
    assert entry["pages"] == [2, 4]
    parts = entry["parts"]
    assert [p["pages"] for p in parts] == [[2, 2], [3, 3], [4, 4]]
    assert entry["file"] == parts[0]["file"]
    for n, (p, page) in enumerate(zip(parts, (2, 3, 4)), start=1):
        path = tmp_path / "tiny" / p["file"]
        assert path.name.endswith(f"_part{n}.pdf")
        assert _pages(path) == 1
        assert bates[page - 1] in _text(path)  # the part holds exactly its page
        assert p["citation"] == f"Ex. 3, part {n} at {bates[page - 1]}"
    # the exhibit as a whole keeps its own range cite
    assert entry["citation"] == f"Ex. 3 at {bates[1]}{EN}{bates[3][-6:]}"
    sums = (tmp_path / "tiny" / "SHA256SUMS").read_text()
    assert all(p["file"] in sums for p in parts)


def test_parts_hold_as_many_pages_as_fit(built, tmp_path):
    """A limit that two pages fit under but not three: [2-3], [4]."""
    from reviewer.citation import exhibit_files as files
    from reviewer.progress import Progress
    from reviewer.store.media import get_media

    with CaseStore.open(built.case) as store:
        row = get_media(store, built.media["production.pdf"]["id"])
        two = tmp_path / "two.pdf"
        files.write_document(store, row, 2, 3, two, stamp="Ex. 3", progress=Progress())
    whole = tmp_path / "whole"
    entry_whole = _bundle(built, whole, max_pdf_bytes=10**9)
    assert "parts" not in entry_whole and _pages(whole / entry_whole["file"]) == 3
    size3 = (whole / entry_whole["file"]).stat().st_size
    limit = two.stat().st_size + 16
    assert limit < size3, "fixture: three pages must be larger than two"
    entry = _bundle(built, tmp_path / "split", max_pdf_bytes=limit)
    bates = built.production.bates
    assert [p["pages"] for p in entry["parts"]] == [[2, 3], [4, 4]]
    first = tmp_path / "split" / entry["parts"][0]["file"]
    assert _pages(first) == 2 and first.stat().st_size <= limit
    assert entry["parts"][0]["citation"] == f"Ex. 3, part 1 at {bates[1]}{EN}{bates[2][-6:]}"
    assert entry["parts"][1]["citation"] == f"Ex. 3, part 2 at {bates[3]}"
    text = _text(first)
    assert bates[1] in text and bates[2] in text and bates[3] not in text


def test_tampered_part_list_fails_verify(built, tmp_path):
    from reviewer.citation.bundle import write_sums
    from reviewer.citation.verify import verify_bundle

    out = tmp_path / "b"
    entry = _bundle(built, out, max_pdf_bytes=1)
    index = json.loads((out / "index.json").read_text("utf-8"))
    doc = next(e for e in index["exhibits"] if e["label"] == entry["label"])
    doc["parts"] = doc["parts"][:2]  # a part left out: pages 2-3 of 2-4
    (out / "index.json").write_text(json.dumps(index), encoding="utf-8")
    write_sums(out)
    bad = [c for c in verify_bundle(out) if not c.ok]
    assert any("parts" in c.name for c in bad), bad


def test_cli_max_pdf_mb_and_case_setting(built, tmp_path):
    from reviewer.citation.bundle import DEFAULT_MAX_PDF_MB, SETTING_MAX_PDF_MB, options_for
    from reviewer.errors import ReviewerError

    out = tmp_path / "cli"
    run = subprocess.run([sys.executable, "-m", "reviewer", "bundle", str(built.case), "--out",
                          str(out), "--max-pdf-mb", "0.000001"], capture_output=True, text=True,
                         timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    assert len(_doc_entry(out)["parts"]) == 3
    bad = subprocess.run([sys.executable, "-m", "reviewer", "bundle", str(built.case), "--out",
                          str(tmp_path / "never"), "--max-pdf-mb", "0"], capture_output=True,
                         text=True, timeout=600, check=False)
    assert bad.returncode == 1 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
    assert not (tmp_path / "never").exists()
    with CaseStore.open(built.case) as store:
        assert options_for(store).max_pdf_bytes == DEFAULT_MAX_PDF_MB * 1_000_000
        with store.write() as tx:  # a case setting, as a clinic would keep its court's limit
            tx.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                       (SETTING_MAX_PDF_MB, "35"))
        try:
            assert options_for(store).max_pdf_bytes == 35_000_000
            assert options_for(store, max_pdf_mb=100).max_pdf_bytes == 100_000_000
            with store.write() as tx:
                tx.execute("UPDATE settings SET value = 'lots' WHERE key = ?", (SETTING_MAX_PDF_MB,))
            with pytest.raises(ReviewerError, match="not a size"):
                options_for(store)
        finally:
            with store.write() as tx:
                tx.execute("DELETE FROM settings WHERE key = ?", (SETTING_MAX_PDF_MB,))
