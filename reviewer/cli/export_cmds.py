"""``reviewer export CASE MEDIA --out FILE [--preset NAME] [--crf N] [--rasterize]``."""
from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from reviewer.errors import ReviewerError

# long enough for hours of 1080p; a hang on a hostile file still ends
EXPORT_TIMEOUT_S = 24 * 3600.0


def cmd_export(args: Namespace) -> int:
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
    elif getattr(args, "grow_boxes", False):
        from reviewer.session.redactions import grow_page_boxes
        from reviewer.session.session import Session

        with CaseStore.open(args.case) as store:
            cmd, n = grow_page_boxes(store, media_store.get_media(store, row["id"]))
            if cmd is not None:
                Session(store).apply(cmd)
        print(f"grew {n} box(es) to the glyphs they touch", flush=True)
    try:
        with Sandbox() as box:
            result = box.run("reviewer.export.jobs:export_job",
                             (case, row["id"], str(out), args.preset, int(args.crf), bool(args.rasterize)),
                             label=row["name"], timeout=EXPORT_TIMEOUT_S)
    finally:
        remove_partials(out)
    for check in checks_of(result["checks"]):
        print(check.line(), flush=True)
    if not result["ok"]:
        raise ReviewerError(result["message"])
    print(f"exported {row['name']} -> {out}", flush=True)
    return 0
