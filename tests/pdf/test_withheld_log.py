from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from reviewer.pdf.withheld_geometry import iou
from reviewer.pdf.withheld_report import page_ranges, write_csv, write_pdf
from reviewer.session.importer import Imported, import_paths
from reviewer.session.session import Session
from reviewer.session.withheld import (add_withheld, comment_withheld, correct_withheld, remove_withheld,
                                       scan_documents)
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store import withheld as wh_store

REVIEWER = [sys.executable, "-m", "reviewer"]


@pytest.fixture()
def case(tmp_path, withheld_pdf, production):
    store = CaseStore.create(tmp_path / "case")
    results = import_paths(store, [withheld_pdf[0], production.path])
    assert all(isinstance(r, Imported) for r in results)
    yield store
    store.close()


def test_scan_once_then_edit_and_undo(case, withheld_pdf):
    _path, truth = withheld_pdf
    items = media_store.list_media(case)
    report = scan_documents(case, items)
    assert not report.errors and len(report.scanned) == 2
    rows = wh_store.list_withheld(case)
    assert len(rows) == len(truth)
    assert all(r["media_name"] == "withheld.pdf" for r in rows)
    assert wh_store.scan_record(case, items[0]["id"])["ocr"] == "tesseract"
    # scanned documents are not scanned again
    again = scan_documents(case, items)
    assert again.scanned == [] and sorted(again.skipped) == sorted(m["id"] for m in items)

    session = Session(case)
    first = rows[0]
    inv, _ = session.apply(correct_withheld(first, codes=["(b)(7)(C)"], rect=(10, 10, 50, 30)))
    row = wh_store.get_withheld(case, first["id"])
    assert row["codes"] == ["b7C"] and row["rect"] == [10, 10, 50, 30] and row["source"] == "corrected"
    session.apply(inv)
    assert wh_store.get_withheld(case, first["id"])["codes"] == first["codes"]

    inv, _ = session.apply(comment_withheld(first["id"], "challenge: name of a public official"))
    assert wh_store.get_withheld(case, first["id"])["comment"].startswith("challenge")
    inv_add, _ = session.apply(add_withheld(first["media_id"], 2, (100, 500, 200, 520), ["b5"], "ICE-2023-000201"))
    assert len(wh_store.list_withheld(case)) == len(truth) + 1
    session.apply(inv_add)
    inv_rm, _ = session.apply(remove_withheld(rows[1]["id"]))
    assert wh_store.get_withheld(case, rows[1]["id"]) is None
    session.apply(inv_rm)
    back = dict(rows[1])
    back.pop("media_name")
    assert wh_store.get_withheld(case, rows[1]["id"]) == back


def test_rescan_keeps_user_corrections(case):
    items = media_store.list_media(case)
    scan_documents(case, items)
    rows = wh_store.list_withheld(case)
    session = Session(case)
    session.apply(correct_withheld(rows[0], codes=["b5"]))
    scan_documents(case, items, force=True)
    after = wh_store.list_withheld(case)
    assert len(after) == len(rows)
    assert [r["codes"] for r in after if r["id"] == rows[0]["id"]] == [["b5"]]


def test_summaries_csv_and_pdf(case, tmp_path, withheld_pdf):
    from collections import Counter

    truth = withheld_pdf[1]
    scan_documents(case, media_store.list_media(case))
    rows = wh_store.list_withheld(case)
    by_code = {r["code"]: r["regions"] for r in wh_store.counts_by_code(case)}
    assert by_code == dict(Counter(c for t in truth for c in (t.codes or [""])))
    docs = {r["media_name"]: r["regions"] for r in wh_store.counts_by_document(case)}
    assert docs == {"withheld.pdf": len(truth), "production.pdf": 0}
    ranges = page_ranges(rows)
    assert len(ranges) == 1 and (ranges[0]["page_from"], ranges[0]["page_to"]) == (1, 4)
    assert ranges[0]["bates_from"] == "ICE-2023-000200" and ranges[0]["bates_to"] == "ICE-2023-000203"

    out_csv = write_csv(rows, tmp_path / "log.csv")
    with open(out_csv, newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == len(rows) and table[1]["codes"] == "b6; b7C"
    out_pdf = write_pdf(rows, tmp_path / "log.pdf")
    doc = pymupdf.open(str(out_pdf))
    text = "".join(p.get_text() for p in doc)
    assert "By exemption" in text and "ICE-2023-000202" in text and "b6, b7C" in text


def _run(*args, cwd=None, path_env=None):
    env = dict(os.environ)
    if path_env is not None:
        env["PATH"] = path_env
    return subprocess.run(REVIEWER + [str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=300)


def test_cli_says_plainly_when_tesseract_is_missing(tmp_path, withheld_pdf):
    path, truth = withheld_pdf
    case = tmp_path / "c"
    _run("new", case)
    assert _run("import", case, path).returncode == 0
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    for _ in range(2):  # the note is repeated on later runs too
        res = _run("withheld", case, "--json", path_env=str(empty_bin))
        assert res.returncode == 0, res.stderr
        assert "note: withheld.pdf: tesseract is not installed" in res.stderr
    out = json.loads(res.stdout)
    scan = [o for o in out if o["page"] == 3]
    assert scan and all(o["codes"] == [] for o in scan)
    assert len([o for o in out if o["page"] != 3]) == len([t for t in truth if t.page_no != 3])


def test_cli_withheld_json(tmp_path, withheld_pdf, production):
    path, truth = withheld_pdf
    case = tmp_path / "c"
    assert _run("new", case).returncode == 0
    imp = _run("import", case, path, production.path)
    assert imp.returncode == 0, imp.stderr
    ids = {line.split("\t")[2]: int(line.split("\t")[0]) for line in imp.stdout.splitlines()}

    res = _run("withheld", case, "--json", "--csv", tmp_path / "w.csv", "--pdf", tmp_path / "w.pdf")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert len(out) == len(truth)
    for t in truth:
        hit = [o for o in out if o["page"] == t.page_no and iou(tuple(o["rect"]), t.rect) >= 0.9]
        assert len(hit) == 1
        o = hit[0]
        assert o["media"] == ids["withheld.pdf"] and o["media_name"] == "withheld.pdf"
        assert o["bates"] == t.bates and o["codes"] == t.codes
    assert (tmp_path / "w.csv").exists() and (tmp_path / "w.pdf").exists()

    # one document by name, from the stored log (no second scan)
    one = _run("withheld", case, "withheld.pdf", "--json")
    assert one.returncode == 0 and json.loads(one.stdout) == out
    none = _run("withheld", case, str(ids["production.pdf"]), "--json")
    assert none.returncode == 0 and json.loads(none.stdout) == []

    bad = _run("withheld", case, "nosuch.pdf", "--json")
    assert bad.returncode == 1 and bad.stderr.startswith("error: nosuch.pdf")
    assert "Traceback" not in bad.stderr


def test_cli_reports_a_missing_original(tmp_path, withheld_pdf):
    src = tmp_path / "moved.pdf"
    src.write_bytes(Path(withheld_pdf[0]).read_bytes())
    case = tmp_path / "c"
    _run("new", case)
    assert _run("import", case, src).returncode == 0
    src.unlink()
    res = _run("withheld", case, "--json")
    assert res.returncode == 1
    assert res.stderr.startswith("error: moved.pdf: the original is missing")
    assert json.loads(res.stdout) == []
