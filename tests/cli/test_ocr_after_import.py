"""Pages a search cannot see (pictures with no text layer, pictures of text on a typed page)
are counted by `import` on stderr and read by `reviewer ocr`, which keeps each page's reading
as it is made: a kill loses nothing already read and leaves the case sound."""
from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pymupdf
import pytest
from fixtures.production_scale import make_production
from fixtures.scans import paste_picture

from tests.cli.clirun import ROOT, SCRIPT, ok, run

pytestmark = pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")

PASTED = ["Screenshot: Kwabena Asantewaa", "A-Number: A207-318-429"]


def _production(tmp_path, pages=14, seed=11):
    """A generated production with about a quarter of its pages pictures with no text layer,
    and a screenshot pasted on a typed page."""
    src = tmp_path / "src"
    src.mkdir()
    truth = make_production(src / "raw.pdf", pages=pages, seed=seed, pictures=0.25)
    doc = pymupdf.open(src / "raw.pdf")
    typed = next(n for n in range(1, pages + 1) if n not in truth.scanned)
    paste_picture(doc[typed - 1], (300, 560, 580, 620), PASTED)
    doc.save(src / "prod.pdf")
    doc.close()
    return src / "prod.pdf", truth, typed


def _pages_of(hits):
    return {h["page"] for h in hits if h["kind"] == "pdf"}


def test_import_says_how_many_pages_wait_and_ocr_makes_them_searchable(tmp_path):
    pdf, truth, typed = _production(tmp_path)
    pictures = sorted(n for n, how in truth.scanned.items() if how == "picture")
    assert len(pictures) >= 2
    case = tmp_path / "case"
    ok("new", case)
    r = run("import", case, pdf)
    assert r.code == 0
    assert r.lines == [f"1\tpdf\t{pdf.name}"]  # stdout: the contract's one line per item
    notes = [line for line in r.err.splitlines() if "waiting to be read by OCR" in line]
    assert len(notes) == 1 and notes[0].startswith(f"note: {len(pictures) + 1} page(s) ")
    assert f"reviewer ocr {case}" in notes[0]

    # a name written plainly (OCR reads letters, not always accents) on a picture page
    name, word = next((p, w) for p in truth.planted if p.kind == "name" and p.page_no in pictures
                      for w in p.text.split() if w.isascii() and w.isalpha() and len(w) >= 5)
    before = json.loads(ok("search", case, word, "--json").out)
    assert name.page_no not in _pages_of(before)
    assert _pages_of(json.loads(ok("search", case, "Asantewaa", "--json").out)) == set()

    r = ok("ocr", case)
    assert r.lines == [f"1\t{pdf.name}\t{len(pictures) + 1}"]
    assert name.page_no in _pages_of(json.loads(ok("search", case, word, "--json").out))
    assert _pages_of(json.loads(ok("search", case, "Asantewaa", "--json").out)) == {typed}
    # read once: nothing waits any more, and import says nothing again
    assert ok("ocr", case).lines == [f"1\t{pdf.name}\t0"]
    again = run("import", case, pdf)
    assert "waiting to be read by OCR" not in again.err


def test_ocr_killed_midway_keeps_what_it_read(tmp_path):
    pdf, truth, _typed = _production(tmp_path, pages=24, seed=4)
    waiting = sum(1 for how in truth.scanned.values() if how == "picture") + 1
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, pdf)
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "reviewer"]
    proc = subprocess.Popen(cmd + ["ocr", str(case)], cwd=str(ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={"OMP_THREAD_LIMIT": "1", **__import__("os").environ})
    db = case / "case.db"
    kept = 0
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            kept = con.execute("SELECT count(*) FROM page_ocr").fetchone()[0]
        except sqlite3.OperationalError:
            kept = 0
        finally:
            con.close()
        if kept >= 1:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 1 <= kept < waiting, "the kill came too late to test anything"
    con = sqlite3.connect(str(db))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = con.execute("SELECT page_no, words FROM page_ocr").fetchall()
    finally:
        con.close()
    assert len(rows) >= kept and all(isinstance(json.loads(w), list) for _n, w in rows)
    # the rest is read next time, and only the rest
    r = ok("ocr", case)
    assert r.lines == [f"1\t{pdf.name}\t{waiting - len(rows)}"]


def test_ocr_without_tesseract_says_so_and_changes_nothing(tmp_path):
    import os

    pdf, _truth, _typed = _production(tmp_path, pages=6, seed=5)
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, pdf)
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "reviewer"]
    env = dict(os.environ, PATH=str(tmp_path / "no-tools"))  # no tesseract on the PATH
    p = subprocess.run(cmd + ["ocr", str(case)], cwd=str(ROOT), capture_output=True, text=True, env=env)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.startswith("error: tesseract is not installed") and p.stdout == ""
    con = sqlite3.connect(str(case / "case.db"))
    try:
        assert con.execute("SELECT count(*) FROM page_ocr").fetchone()[0] == 0
    finally:
        con.close()
    r = run("ocr", case, "nosuch.pdf")
    assert r.code == 1 and r.err.startswith("error: ")
