"""``reviewer export CASE MEDIA --out FILE [--preset NAME] [--crf N] [--rasterize]``."""
from __future__ import annotations

import sys
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.progress import Progress

# long enough for hours of 1080p; a hang on a hostile file still ends
EXPORT_TIMEOUT_S = 24 * 3600.0


def cmd_export(args: Namespace) -> int:
    if getattr(args, "all", False) or args.media is None:
        return _export_all(args)
    from reviewer.export.jobs import checks_of, remove_partials
    from reviewer.export.video import check_options
    from reviewer.sandbox import Sandbox
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    out = Path(args.out).expanduser().resolve()
    if out.is_dir():
        raise ReviewerError(f"{args.out}: is a folder; give the file to write")
    if not out.parent.is_dir():
        raise ReviewerError(f"{args.out}: the folder {out.parent} does not exist")
    with CaseStore.open(args.case) as store:
        row = media_store.find_media(store, args.media)
        case = str(store.folder.resolve())
    if row["kind"] == "video":
        check_options(args.preset, args.crf)
    try:
        with Sandbox() as box, _bar(args, row) as progress:
            result = box.run("reviewer.export.jobs:export_job",
                             (case, row["id"], str(out), args.preset, int(args.crf), bool(args.rasterize)),
                             label=row["name"], timeout=EXPORT_TIMEOUT_S, progress=progress)
    finally:
        remove_partials(out)
    for check in checks_of(result["checks"]):
        print(check.line(), flush=True)
    if not result["ok"]:
        raise ReviewerError(result["message"])
    print(f"exported {row['name']} -> {out}", flush=True)
    return 0


@contextmanager
def _bar(args: Namespace, row: dict) -> Iterator[Progress]:
    """The export's progress from the sandbox child, as a bar of frames (or pages)."""
    from reviewer.cli.progress_bar import Bar, wanted

    units = int(row.get("frame_count") or row.get("page_count") or 0)
    unit = "frames" if row["kind"] == "video" else "pages"
    with Bar(f"export {row['name']}", wanted(args), unit=unit, fraction_only=not units) as bar:
        yield Progress((lambda f, m: bar.units(f * units, units)) if units else bar.fraction)


def _export_all(args: Namespace) -> int:
    if not getattr(args, "all", False):
        print("error: give MEDIA (one item) or --all (every item)", file=sys.stderr)
        return 2
    if args.media is not None:
        print(f"error: {args.media}: give MEDIA or --all, not both", file=sys.stderr)
        return 2
    from reviewer.cli.batch_cmds import export_all

    return export_all(args)
