"""``ocr``: read by OCR the pages a search cannot see yet (pages that are only pictures, and
pictures of text on the others), and keep each reading in the case."""
from __future__ import annotations

import sys
from argparse import Namespace

from reviewer.errors import ReviewerError
from reviewer.inert import shown_line
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def waiting_line(store: CaseStore, case: str) -> str | None:
    """The one line ``import`` writes on stderr when pages wait for OCR, None when none do."""
    from reviewer.session.page_ocr import waiting

    n = sum(waiting(store).values())
    if not n:
        return None
    return (f"note: {n} page(s) have no text a search can read yet (pictures with no text layer, "
            f"or pictures of text on a page); they are waiting to be read by OCR: "
            f"run 'reviewer ocr {case}'")


def cmd_ocr(args: Namespace) -> int:
    from reviewer.cli.progress_bar import Bar, wanted
    from reviewer.export.checks import check_original
    from reviewer.pdf.ocr import available
    from reviewer.session.page_ocr import read_ahead, waiting

    if not available():
        raise ReviewerError("tesseract is not installed, so pages cannot be read by OCR "
                            "(install it: 'apt install tesseract-ocr', 'brew install tesseract', "
                            "or the UB Mannheim installer on Windows)")
    with CaseStore.open(args.case) as store:
        docs = media_store.documents(store, args.media, "OCR reads documents")
        for doc in docs:  # readings made of another file than the one imported would mislead
            check_original(doc, "nothing was read; import the changed file as a new item")
        with Bar("ocr", wanted(args), fraction_only=True) as bar:
            for i, doc in enumerate(docs):
                progress = bar.progress()
                part = progress.sub(i / len(docs), (i + 1) / len(docs))
                # each page's reading is committed as it is made: Ctrl+C or a kill keeps them
                read = read_ahead(store, doc["id"], doc["path"], progress=part)
                bar.out(f"{doc['id']}\t{doc['name']}\t{read}")
        left = sum(n for m, n in waiting(store).items() if m in {d["id"] for d in docs})
    if left:
        print(shown_line(f"warning: {left} page(s) could not be read by OCR (tesseract failed on "
                         "them); search them by eye or box them by hand"), file=sys.stderr)
    return 0
