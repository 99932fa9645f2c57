"""Batch commands: ``detect faces CASE [MEDIA...]`` and ``export CASE --all --out DIR``,
with ``--jobs N`` (local processes) or ``--cluster tcp://HOST:PORT`` (Dask)."""
from __future__ import annotations

from argparse import Namespace

from reviewer.cli.progress_bar import Bar, wanted
from reviewer.errors import ReviewerError
from reviewer.inert import shown_line
from reviewer.store import CaseStore


def _runner(args: Namespace):
    """The batch runner of ``--jobs``/``--cluster``."""
    from reviewer.batch.runners import make_runner

    return make_runner(getattr(args, "jobs", None), getattr(args, "cluster", None))


def chunks_asked(args: Namespace) -> int | None:
    """``--chunks N`` as given (None when not given); below 1 is refused."""
    chunks = getattr(args, "chunks", None)
    if chunks is not None and chunks < 1:
        raise ReviewerError(f"--chunks {chunks}: give a number of pieces (1: no split)")
    return None if chunks is None else int(chunks)


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
                                       suggest=bool(getattr(args, "suggest", False)),
                                       chunks=_chunks(args, store, rows)):
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


def _chunks(args: Namespace, store: CaseStore, rows: list) -> int:
    """``--chunks N``; by default, with ``--jobs N`` > 1 and one video still to search, N
    (its pieces keep the jobs busy that per-video batching would leave idle)."""
    from reviewer.batch.detect_batch import is_current
    from reviewer.session.detect import FACE_SETTINGS

    chunks = chunks_asked(args)
    if chunks is not None:
        return chunks
    from reviewer.batch.runners import cores

    jobs = getattr(args, "jobs", None)
    jobs = cores() if jobs == 0 else (jobs or 1)
    todo = [r for r in rows if not is_current(store, r, FACE_SETTINGS)]
    return int(jobs) if jobs > 1 and len(todo) == 1 else 1


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
