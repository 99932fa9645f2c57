"""``withheld CASE [MEDIA] --json [--csv FILE] [--pdf FILE]``: what the agency withheld."""
from __future__ import annotations

import json
import sys
from argparse import Namespace

from reviewer.inert import shown_line
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store import withheld as wh_store


def public_row(r: dict) -> dict:
    """One entry of ``withheld --json`` (CLI.md: media, page, bates, rect, codes)."""
    return {"media": r["media_id"], "media_name": r["media_name"], "page": r["page_no"],
            "bates": r["bates"], "rect": r["rect"], "codes": r["codes"], "id": r["id"],
            "comment": r["comment"], "source": r["source"]}


def cmd_withheld(args: Namespace) -> int:
    from reviewer.session.withheld import scan_documents

    with CaseStore.open(args.case) as store:
        items = media_store.documents(store, args.media,
                                      "withheld regions are found in documents (PDF)")
        report = scan_documents(store, items)
        # notes are kept with each scan (e.g. "tesseract is not installed"), so every run
        # repeats them, not only the run that scanned
        notes = []
        for m in items:
            rec = wh_store.scan_record(store, m["id"]) or {}
            notes += [f"{m['name']}: {n}" for n in rec.get("notes", [])]
        notes += report.notes if getattr(store, "read_only", False) else []
        for note in notes:
            print(shown_line(f"note: {note}"), file=sys.stderr)
        for err in report.errors:
            print(shown_line(f"error: {err}"), file=sys.stderr)
        rows = wh_store.list_withheld(store, items[0]["id"] if args.media else None)
    if args.csv:
        from reviewer.pdf.withheld_report import write_csv

        write_csv(rows, args.csv)
    if args.pdf:
        from reviewer.pdf.withheld_report import write_pdf

        write_pdf(rows, args.pdf, notes=notes)
    if args.json:
        print(json.dumps([public_row(r) for r in rows], indent=2))
    else:
        for r in rows:
            codes = ",".join(r["codes"]) or "-"
            rect = ",".join(f"{v:g}" for v in r["rect"])
            print(shown_line(f"{r['media_id']}\t{r['media_name']}\tp{r['page_no']}\t{r['bates'] or '-'}\t{rect}\t{codes}"))
    return 1 if report.errors else 0
