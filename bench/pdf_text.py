"""What finding text as a reader does, and exporting with the text checks, cost against
MuPDF's own search and redaction of the same hits, on one generated production.

    .venv/bin/python bench/pdf_text.py [--pages 60]

Prints seconds per page for each step and its ratio to the reference measured in the same
run (MuPDF ``search_for`` + ``apply_redactions`` + save): how much the reader-like search,
the glyph-exact removal and the independent readers of verify add.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    from fixtures.pdfs import make_production_pdf

    from reviewer.export.pdf import export_pdf
    from reviewer.pdf.search import find_matches
    from reviewer.session.importer import import_paths
    from reviewer.session.redactions import add_page_boxes
    from reviewer.session.session import Session
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_p = Path(tmp)
        prod = make_production_pdf(tmp_p / "p.pdf", n_pages=args.pages, split_page=None)
        names = sorted({p.text for p in prod.of("name")})

        t = time.perf_counter()
        doc = pymupdf.open(str(prod.path))
        for page in doc:
            for n in names:
                for r in page.search_for(n):
                    page.add_redact_annot(r, fill=(0, 0, 0))
            page.apply_redactions()
        doc.save(str(tmp_p / "ref.pdf"), garbage=4, deflate=True)
        ref = time.perf_counter() - t

        t = time.perf_counter()
        # names, and the e-mail addresses made of them (verify finds "maria.garcia" too)
        hits = [m for n in names + ["email"] for m in find_matches(prod.path, n)]
        search = time.perf_counter() - t

        store = CaseStore.create(tmp_p / "case")
        import_paths(store, [prod.path])
        media = media_store.list_media(store)[0]
        Session(store).apply(add_page_boxes(media["id"], [(m.page_no, r) for m in hits for r in m.rects]))
        media = media_store.get_media(store, media["id"])
        t = time.perf_counter()
        export_pdf(store, media, tmp_p / "out.pdf", verify=False)
        export = time.perf_counter() - t
        t = time.perf_counter()
        result = export_pdf(store, media, tmp_p / "out2.pdf")
        verified = time.perf_counter() - t
        store.close()
        assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    n = args.pages
    print(f"{n} pages, {len(hits)} hits of {len(names)} names")
    for label, secs in (("reference: MuPDF search_for + apply_redactions + save", ref),
                        ("reader-like search (all names)", search),
                        ("export, glyph-exact removal, no verify", export),
                        ("export + verify (PyMuPDF, pdfminer, pypdf, raw)", verified)):
        print(f"{label:55s} {1000 * secs / n:7.1f} ms/page  x{secs / ref:5.1f}")


if __name__ == "__main__":
    main()
