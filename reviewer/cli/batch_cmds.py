"""Batch commands: ``detect faces CASE [MEDIA...]`` and ``export CASE --all --out DIR``,
with ``--jobs N`` (local processes) or ``--cluster tcp://HOST:PORT`` (Dask)."""
from __future__ import annotations

from argparse import Namespace

from reviewer.cli.progress_bar import Bar, wanted
from reviewer.inert import shown_line
from reviewer.store import CaseStore


def _runner(args: Namespace):
    from reviewer.batch.runners import make_runner

    return make_runner(getattr(args, "jobs", None), getattr(args, "cluster", None))


def detect_faces(args: Namespace) -> int:
    """Prints how many tracks the run made (0 when every video was already done)."""
    from reviewer.batch.detect_batch import find_faces, videos

    made = failed = 0
    with CaseStore.open(args.case) as store:
        rows = videos(store, list(args.media or []))  # none: nothing to do, and 0 made
        runner = _runner(args)
        try:
            with Bar("detect faces", wanted(args)) as bar:
                batch = bar.batch()
                for item in find_faces(store, rows, runner, batch, reason=args.reason,
                                       suggest=bool(getattr(args, "suggest", False))):
                    if item.status == "failed":
                        failed += 1
                        bar.error(item.line())
                    else:
                        made += item.tracks
                        bar.line(item.line())
        finally:
            runner.close()
    print(made, flush=True)
    return 1 if failed else 0


def export_all(args: Namespace) -> int:
    from reviewer.batch.export_batch import export_all as run_all

    failed = 0
    with CaseStore.open(args.case) as store:
        if getattr(args, "grow_boxes", False):
            _grow_boxes(store)
        runner = _runner(args)
        try:
            with Bar("export", wanted(args), unit="frames/pages") as bar:
                batch = bar.batch()
                for item in run_all(store, args.out, runner, batch, preset=args.preset,
                                    crf=int(args.crf), rasterize=bool(args.rasterize)):
                    if item.status == "failed":
                        failed += 1
                        for name, ok, detail in item.checks:
                            if not ok:
                                bar.error(f"FAIL {name}: {detail}")
                        bar.error(item.line())
                        continue
                    verb = "exported" if item.status == "done" else "current"
                    bar.out(f"{verb} {item.name} -> {item.out}")
        finally:
            runner.close()
    return 1 if failed else 0


def _grow_boxes(store: CaseStore) -> None:
    """``--grow-boxes`` for every document, as ``export CASE MEDIA`` does for one."""
    from reviewer.session.redactions import grow_page_boxes
    from reviewer.session.session import Session
    from reviewer.store import media as media_store

    for row in media_store.list_media(store):
        if row["kind"] != "pdf":
            continue
        cmd, n = grow_page_boxes(store, media_store.get_media(store, row["id"]))
        if cmd is not None:
            Session(store).apply(cmd)
        print(shown_line(f"grew {n} box(es) to the glyphs they touch in {row['name']}"), flush=True)
