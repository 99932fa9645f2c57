"""Page rendering and search speed over a generated 2,000-page production.

    .venv/bin/python bench/pages.py [--pages 2000] [--cache DIR] [--samples 200]

The production and its case are generated once into the cache folder. Every figure is
printed beside a reference measured in the same run, and as a ratio to it:
  - render: reviewer.pdf.render.render_page at zoom 1.5 (the UI's default) vs PyMuPDF's plain
    get_pixmap at 72 dpi on an open document;
  - full-text search: the case's FTS5 index vs a LIKE scan of the same pages table;
  - pattern search: find_matches (rawdict characters + regex) vs plain get_text per page.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pymupdf  # noqa: E402

from fixtures.pdfs import make_production_pdf  # noqa: E402
from reviewer.pdf.render import render_page  # noqa: E402
from reviewer.pdf.search import find_in_document, find_matches  # noqa: E402
from reviewer.session.importer import import_paths  # noqa: E402
from reviewer.store import CaseStore  # noqa: E402
from reviewer.store import media as media_store  # noqa: E402


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def line(label: str, ours: list[float], ref: list[float], ref_label: str) -> None:
    p50, p95 = pct(ours, 0.5), pct(ours, 0.95)
    r50, r95 = pct(ref, 0.5), pct(ref, 0.95)
    print(f"{label:<28} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms | {ref_label:<28} p50 {r50:8.2f} ms  "
          f"p95 {r95:8.2f} ms | ratio p50 {p50 / max(r50, 1e-6):6.2f}x  p95 {p95 / max(r95, 1e-6):6.2f}x")


def prepare(cache: Path, n_pages: int) -> tuple[Path, Path]:
    cache.mkdir(parents=True, exist_ok=True)
    pdf = cache / f"production_{n_pages}.pdf"
    case = cache / f"case_{n_pages}"
    if not pdf.exists():
        t = time.perf_counter()
        make_production_pdf(pdf, n_pages=n_pages, prefix="ICE-2023-", start=1)
        print(f"generated {pdf} in {time.perf_counter() - t:.1f} s")
    if not (case / "case.db").exists():
        t = time.perf_counter()
        with CaseStore.create(case) as store:
            import_paths(store, [pdf], timeout=3600)
        print(f"imported into {case} in {time.perf_counter() - t:.1f} s")
    return pdf, case


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "reviewer-bench-pages")
    args = ap.parse_args()
    pdf, case = prepare(args.cache, args.pages)
    rng = random.Random(7)
    sample = [rng.randrange(1, args.pages + 1) for _ in range(args.samples)]

    render_page(pdf, 1, 1.5)  # open the thread's document once, as the UI's worker does
    ours = [timed(lambda p=p: render_page(pdf, p, 1.5)) for p in sample]
    doc = pymupdf.open(str(pdf))
    ref = [timed(lambda p=p: doc[p - 1].get_pixmap()) for p in sample]
    line("render_page zoom 1.5", ours, ref, "get_pixmap 72 dpi")

    text_ref = [timed(lambda p=p: doc[p - 1].get_text("text")) for p in sample]
    per_page = [timed(lambda p=p: find_in_document(doc, "a-number", pages=[p])) for p in sample]
    line("regex a-number per page", per_page, text_ref, "get_text per page")
    doc.close()

    with CaseStore.open(case) as store:
        queries = ["Hernandez", "recognizance", "Garcia encountered", "deportable", "e-mail", "Ramirez"]
        def like(q: str) -> list:
            return store.query(
                "SELECT media_id, page_no FROM pages WHERE "
                + " AND ".join("text LIKE ?" for _ in q.split()), [f"%{w}%" for w in q.split()])

        def fts_ids(q: str) -> list:
            return store.query(
                "SELECT p.media_id, p.page_no FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid "
                "WHERE pages_fts MATCH ?", (" ".join(f'"{w}"' for w in q.split()),))

        for q in queries:  # same answers, or the comparison means nothing
            assert sorted(map(tuple, (r.values() for r in fts_ids(q)))) == \
                sorted(map(tuple, (r.values() for r in like(q)))) or q == "e-mail"
        like_ms = [timed(lambda q=q: like(q)) for q in queries * 5]
        fts_ms = [timed(lambda q=q: fts_ids(q)) for q in queries * 5]
        ranked = [timed(lambda q=q: media_store.search_pages(store, q)) for q in queries * 5]
        line(f"FTS5 match ({args.pages} pages)", fts_ms, like_ms, "LIKE scan")
        line("FTS5 ranked + snippets", ranked, like_ms, "LIKE scan")
        total = timed(lambda: find_matches(pdf, "a-number"))
        print(f"find_matches a-number over all {args.pages} pages: {total / 1000:.1f} s "
              f"({total / args.pages:.2f} ms/page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
