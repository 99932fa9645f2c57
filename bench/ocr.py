"""OCR of a scanned production (pages that are only pictures), as Find & redact reads it.

    .venv/bin/python bench/ocr.py [--pages 20]

A production is generated and every page rasterised at 200 dpi into a PDF of pictures with
no text layer (a copier's scan). Printed, each beside a reference measured in the same run:
  - tesseract's own command on the page pictures, with its default threads (the reference);
  - reviewer.pdf.ocr_search.read_page, which runs tesseract with one OpenMP thread
    (reviewer.pdf.ocr.ocr_env) and includes the rendering of the page;
  - read_ahead (reviewer.session.page_ocr), which runs a tesseract per core, on a fresh case;
  - a search of the whole scan for every built-in pattern through the window's code
    (reviewer.ui.redaction.text_hits.find_hits) on a fresh case, then again on the same case,
    where the reading kept in the case (page_ocr) is used.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pymupdf  # noqa: E402

from fixtures.pdfs import make_production_pdf  # noqa: E402
from reviewer.pdf import ocr_search  # noqa: E402


def scan_of(src: Path, out: Path) -> list[Path]:
    """``out``: a PDF of page pictures; returns the pictures as PNG files beside it."""
    pictures = []
    with pymupdf.open(src) as doc, pymupdf.open() as scan:
        for page in doc:
            pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY, alpha=False)
            png = out.with_name(f"{out.stem}_{page.number + 1:04d}.png")
            pix.save(png)
            pictures.append(png)
            new = scan.new_page(width=page.rect.width, height=page.rect.height)
            new.insert_image(new.rect, filename=str(png))
        scan.save(out)
    return pictures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()
    if not shutil.which("tesseract"):
        print("tesseract is not installed: nothing to measure")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_production_pdf(tmp / "production.pdf", n_pages=args.pages, scanned_page=None, split_page=None)
        pictures = scan_of(tmp / "production.pdf", tmp / "scan.pdf")
        env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
        ref = []
        for png in pictures:
            t = time.perf_counter()
            subprocess.run(["tesseract", str(png), "stdout", "--psm", "3", "tsv"], env=env,
                           capture_output=True, check=True)
            ref.append(time.perf_counter() - t)
        ours = []
        words = 0
        with pymupdf.open(tmp / "scan.pdf") as doc:
            for page in doc:
                t = time.perf_counter()
                words += len(ocr_search.read_page(page) or [])
                ours.append(time.perf_counter() - t)
        r, o = statistics.median(ref), statistics.median(ours)
        print(f"pages {len(pictures)}, {words / len(pictures):.0f} words a page, {os.cpu_count()} cores")
        print(f"tesseract, default threads: median {r:.2f} s a page (reference)")
        print(f"read_page (render + one thread): median {o:.2f} s a page, ratio {o / r:.2f}x")

        from reviewer.progress import Progress
        from reviewer.session.importer import import_paths
        from reviewer.store import CaseStore
        from reviewer.store import media as media_store
        from reviewer.ui.redaction.text_hits import builtin_patterns, find_hits

        from reviewer.session.page_ocr import read_ahead

        ahead = tmp / "ahead"
        CaseStore.create(ahead).close()
        with CaseStore.open(ahead) as store:
            (m,) = [r for r in import_paths(store, [tmp / "scan.pdf"])]
            t = time.perf_counter()
            n = read_ahead(store, m.id, str(tmp / "scan.pdf"))
            wall = time.perf_counter() - t
        print(f"read_ahead ({os.cpu_count()} tesseracts side by side): {n} pages in {wall:.1f} s, "
              f"{wall / max(1, n):.2f} s a page, ratio {wall / max(1, n) / r:.2f}x the reference, "
              f"{wall / max(1e-9, sum(ours)):.2f}x read_page one page after another")

        case = tmp / "case"
        CaseStore.create(case).close()
        with CaseStore.open(case) as store:
            import_paths(store, [tmp / "scan.pdf"])
            docs = [(m, None) for m in media_store.list_media(store)]
            patterns = builtin_patterns()
            times = []
            for _ in range(2):
                t = time.perf_counter()
                hits = find_hits(store, docs, patterns, False, Progress())
                times.append(time.perf_counter() - t)
        print(f"find_hits, {len(patterns)} patterns over the scan: first {times[0]:.1f} s "
              f"({times[0] / len(pictures):.2f} s a page, {len(hits)} hits), again {times[1]:.2f} s "
              f"(ratio {times[1] / times[0]:.3f}x; reference: {len(pictures)} pages x the reference "
              f"= {r * len(pictures):.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
