"""``new``, ``import``, ``list``, ``probe``, ``demo``."""
from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path

from reviewer.errors import MediaError
from reviewer.inert import shown_line
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_new(args: Namespace) -> int:
    CaseStore.create(args.case).close()
    return 0


def cmd_import(args: Namespace) -> int:
    """Each item's line as soon as it is in; on a terminal a bar of bytes read, items done."""
    from reviewer.cli.progress_bar import Bar, wanted
    from reviewer.sandbox import Sandbox
    from reviewer.session.importer import Imported, expand, import_paths

    items = list(expand(args.paths))
    sizes = {}
    for n, item in enumerate(items):
        try:
            sizes[n] = item.stat().st_size if isinstance(item, Path) else 0
        except OSError:
            sizes[n] = 0
    bad = 0
    with CaseStore.open(args.case) as store, Sandbox() as box, \
            Bar("import", wanted(args), unit="B", unit_scale=True) as bar:
        batch = bar.batch()
        batch.plan(sizes)
        for n, item in enumerate(items):
            # one item at a time through the importer, so each line is out when it is done
            results = import_paths(store, [item], sandbox=box) if isinstance(item, Path) else [item]
            for r in results:
                if isinstance(r, Imported):
                    bar.out(f"{r.id}\t{r.kind}\t{r.name}")
                else:
                    bar.error(f"error: {r}")
                    bad += 1
            batch.finish(n)
        from reviewer.cli.ocr_cmds import waiting_line

        note = waiting_line(store, args.case)
        if note:  # stdout stays one line per item: the pages waiting for OCR are said here
            bar.error(note)
    return 1 if bad else 0


def cmd_list(args: Namespace) -> int:
    with CaseStore.open(args.case) as store:
        rows = [media_store.public_record(r) for r in media_store.list_media(store)]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            extra = (f"{r['frame_count']} frames" if r["kind"] == "video" else f"{r['page_count']} pages")
            print(shown_line(f"{r['id']}\t{r['kind']}\t{r['name']}\t{extra}"))
    return 0


def cmd_probe(args: Namespace) -> int:
    from reviewer.hashing import sha256_file
    from reviewer.sandbox import Sandbox
    from reviewer.session.importer import PDF_PROBE, VIDEO_PROBE, sniff

    path = Path(args.file)
    if not path.is_file():
        why = ("is a folder; give a file" if path.is_dir() else
               "not a regular file" if path.exists() else "no such file")
        raise MediaError(f"{args.file}: {why}")
    kind = sniff(path)
    with Sandbox() as box:
        result = box.run(PDF_PROBE if kind == "pdf" else VIDEO_PROBE, (str(path.resolve()),),
                         label=path.name)
    row = {"id": None, "kind": kind, "name": path.name, "path": str(path.resolve()),
           "sha256": sha256_file(path)}
    if kind == "pdf":
        row["page_count"] = result["page_count"]
    else:
        row.update(result["fields"])
    rec = media_store.public_record(row)
    rec.pop("id")
    if args.json:
        print(json.dumps(rec, indent=2))
    else:
        for k, v in rec.items():
            print(shown_line(f"{k}: {v}"))
    return 0


def cmd_demo(args: Namespace) -> int:
    from reviewer.demo import build_demo_case

    folder = build_demo_case(Path(args.case))
    print(folder)
    return 0
