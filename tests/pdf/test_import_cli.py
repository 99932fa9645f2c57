"""``reviewer import`` / ``list`` / ``probe`` on PDFs go through read_for_import in the sandbox."""
from __future__ import annotations

import json
import subprocess
import sys

REVIEWER = [sys.executable, "-m", "reviewer"]


def _run(*args):
    return subprocess.run(REVIEWER + [str(a) for a in args], capture_output=True, text=True, timeout=300)


def test_import_rejects_bad_pdfs_one_by_one_and_keeps_the_good(tmp_path, production, broken):
    case = tmp_path / "case"
    assert _run("new", case).returncode == 0
    bad = [broken[k] for k in ("encrypted", "truncated", "broken", "zero_pages")]
    res = _run("import", case, production.path, *bad)
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    assert len(lines) == 1 and lines[0].split("\t")[1:] == ["pdf", production.path.name]
    errors = res.stderr.splitlines()
    assert len(errors) == len(bad)
    for path, line in zip(bad, errors):
        assert line.startswith(f"error: {path.name}: ")
    assert "Traceback" not in res.stderr

    listed = json.loads(_run("list", case, "--json").stdout)
    assert [(r["kind"], r["name"], r["page_count"]) for r in listed] == [("pdf", production.path.name, 6)]
    probe = _run("probe", production.path, "--json")
    assert probe.returncode == 0 and json.loads(probe.stdout)["page_count"] == 6


def test_imported_pages_are_searchable_with_bates(tmp_path, production):
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    with CaseStore.create(tmp_path / "c") as store:
        (item,) = import_paths(store, [production.path])
        pages = media_store.pages_of(store, item.id)
        assert [p["bates"] for p in pages] == production.bates
        assert [bool(p["ocr_layer"]) for p in pages] == [p["page_no"] == production.scanned_page for p in pages]
        # the scanned page's words exist only as invisible OCR text
        email = production.of("email", production.scanned_page)[0].text
        hits = media_store.search_pages(store, email)
        assert [(h["page_no"], h["bates"]) for h in hits] == [
            (production.scanned_page, production.bates[production.scanned_page - 1])]
        assert media_store.page_for_bates(store, production.bates[4])["page_no"] == 5
