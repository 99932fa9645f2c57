"""A bundle goes to a court and to the other side: it must hold no trace of what the boxes
took away. An earlier version kept a salted SHA-256 of each redacted string (with the salt
beside it) so that ``verify`` could search for it without the case; anyone holding the
bundle could then test guesses, every nine-digit A-number or a list of names, in seconds.
Now the bundle keeps only how many strings were searched for, and ``verify --case`` searches
the exhibits again for the text the case's originals hold under the boxes."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pymupdf

from reviewer.pdf.redacted import normalise


def _reviewer(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", *map(str, args)], capture_output=True,
                          text=True, timeout=900, check=False)


def _boxed_text(built) -> list[str]:
    """The planted identifiers (names, A-numbers) that page 2's box covers in the original,
    as PyMuPDF's own text extraction reads them there."""
    with pymupdf.open(built.media["production.pdf"]["path"]) as doc:
        under = normalise(doc[1].get_textbox(pymupdf.Rect(60, 60, 400, 160)))
    found = [p.text for p in built.production.planted if p.page_no == 2 and normalise(p.text) in under]
    return found + [built.production.split_anumber.text] if normalise(built.production.split_anumber.text) in under \
        else found


def _values(obj, key: str):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from ([v] if k == key else _values(v, key))
    elif isinstance(obj, list):
        for v in obj:
            yield from _values(v, key)


def _document_entry(index: dict) -> dict:
    return next(e for e in index["exhibits"] if e["kind"] == "document" and e["source"] == "production.pdf")


def test_the_bundle_keeps_no_text_and_no_hash_of_it(built):
    under = _boxed_text(built)
    assert under, "the fixture's box covers words"
    index_text = (built.bundle / "index.json").read_text("utf-8")
    index = json.loads(index_text)
    entry = _document_entry(index)
    checks = next(iter(entry["checks"]["files"].values()))
    assert checks["redacted_text"]["strings"] >= 1
    assert "salt" not in checks["redacted_text"] and "sha256" not in checks["redacted_text"]
    # every 64-digit hex string in the bundle's text files is a file's or a source's hash
    known = {line.split()[0] for line in (built.bundle / "SHA256SUMS").read_text().splitlines()}
    known |= {e["source_sha256"] for e in index["exhibits"]}
    known |= {e["made"]["source_sha256"] for e in index["exhibits"] if "made" in e}
    known |= set(_values(index, "pts_sha256"))  # a clip's frame times
    for path in built.bundle.rglob("*"):
        if path.suffix.lower() in (".json", ".csv", ".txt") or path.name == "SHA256SUMS":
            text = path.read_text("utf-8")
            assert set(re.findall(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", text)) <= known, path
            for word in under:
                assert normalise(word) not in normalise(text), (path, word)


def test_verify_with_the_case_finds_the_text_written_back(built, tmp_path):
    copy = tmp_path / "bundle"
    shutil.copytree(built.bundle, copy)
    entry = _document_entry(json.loads((copy / "index.json").read_text("utf-8")))
    exhibit = copy / entry["file"]
    word = max(_boxed_text(built), key=len).replace("\n", "")
    with pymupdf.open(built.media["production.pdf"]["path"]) as doc:
        boxed = doc[1].get_textbox(pymupdf.Rect(60, 60, 400, 160))  # one run: searched whole
    with pymupdf.open(exhibit) as doc:  # the exhibit's page 1 is the production's page 2
        assert doc[0].insert_textbox(pymupdf.Rect(72, 560, 560, 760), boxed.upper(), fontsize=6) >= 0
        doc.save(exhibit.with_suffix(".tmp"))
    exhibit.with_suffix(".tmp").replace(exhibit)
    label = entry["label"]
    alone = _reviewer("verify", copy)
    assert alone.returncode == 1  # the hashes no longer match
    line = next(ln for ln in alone.stdout.splitlines() if label in ln and "redacted text" in ln)
    assert line.startswith("ok") and "not searched again" in line and "--case" in line, line
    with_case = _reviewer("verify", copy, "--case", built.case)
    assert with_case.returncode == 1
    line = next(ln for ln in with_case.stdout.splitlines() if label in ln and "redacted text" in ln)
    assert "found again" in line, with_case.stdout
    assert word not in with_case.stdout and normalise(word) not in with_case.stdout.lower()


def test_verify_with_the_case_passes_the_bundle_as_made(built):
    run = _reviewer("verify", built.bundle, "--case", built.case)
    assert run.returncode == 0, run.stdout + run.stderr
    line = next(ln for ln in run.stdout.splitlines() if "redacted text" in ln and "none of" in ln)
    assert line.startswith("ok")


def test_verify_with_the_wrong_case_says_so(built, tmp_path):
    other = tmp_path / "other"
    assert _reviewer("new", other).returncode == 0
    run = _reviewer("verify", built.bundle, "--case", other)
    assert run.returncode == 1
    assert any("the case has no readable item" in ln and "production.pdf" in ln
               for ln in run.stdout.splitlines()), run.stdout
