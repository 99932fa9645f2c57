"""``reviewer export CASE MEDIA --out FILE [--preset NAME] [--crf N] [--rasterize]``.

The export runs in the sandbox child and comes back *staged* (verified, under a temporary
name); this process renames it into place. Killed (SIGKILL) at any moment before that, it
leaves nothing under the output name: the child gets SIGTERM from the kernel, stops and
removes its temporary files, and whatever a crash leaves is removed by the next export.
SIGTERM and Ctrl-C cancel: the child is stopped and cleaned up, one ``error:`` line, exit 1.
"""
from __future__ import annotations

import os
import signal
import sys
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reviewer.errors import Cancelled, ReviewerError
from reviewer.inert import shown_line
from reviewer.progress import Progress

# long enough for hours of 1080p; a hang on a hostile file still ends
EXPORT_TIMEOUT_S = 24 * 3600.0


def check_output_folder(out: Path, label: str) -> None:
    """The output folder exists and this process can create files in it (tried, not guessed
    from permission bits: root, ACLs and read-only mounts all differ)."""
    from reviewer.export.publish import temp_name

    if out.is_dir():
        raise ReviewerError(f"{label}: is a folder; give the file to write")
    if not out.parent.is_dir():
        raise ReviewerError(f"{label}: the output folder {out.parent} does not exist")
    probe = temp_name(out)
    try:
        with open(probe, "xb"):
            pass
    except OSError as exc:
        raise ReviewerError(f"{out.parent}: the output folder cannot be written to "
                            f"({exc.strerror or exc}); choose another folder for {out.name}") from None
    probe.unlink(missing_ok=True)


# Names a reader would open with the wrong program: an MP4 called .pdf, a PDF called .mp4.
_VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".ts", ".mts"}


def check_output_kind(out: Path, kind: str, label: str) -> None:
    suffix = out.suffix.lower()
    if kind == "video" and suffix == ".pdf":
        raise ReviewerError(f"{label}: a redacted video is an MP4; name the output .mp4")
    if kind == "pdf" and suffix in _VIDEO_SUFFIXES:
        raise ReviewerError(f"{label}: a redacted document is a PDF; name the output .pdf")


def cmd_export(args: Namespace) -> int:
    if getattr(args, "all", False) or args.media is None:
        return _export_all(args)
    from reviewer.export.jobs import checks_of, publish_result, remove_partials
    from reviewer.export.video import check_options
    from reviewer.sandbox import Sandbox
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    out = Path(args.out).expanduser().resolve()
    check_output_folder(out, args.out)
    with CaseStore.open(args.case) as store:
        row = media_store.find_media(store, args.media)
        case = str(store.folder.resolve())
        from reviewer.session.passes import passes_run

        passes = passes_run(store, row)
    check_output_kind(out, row["kind"], args.out)
    for p in passes:  # before the export: what was looked for on this item, and what not
        print(f"pass {p.line()}", flush=True)
    if row["kind"] == "video":
        check_options(args.preset, args.crf)
        from reviewer.cli.speech_cmds import warn_spoken

        warn_spoken(args.case, row)  # the sweep for spoken identifiers still heard
    elif getattr(args, "grow_boxes", False):
        from reviewer.session.redactions import grow_page_boxes
        from reviewer.session.session import Session

        with CaseStore.open(args.case) as store:
            cmd, n = grow_page_boxes(store, media_store.get_media(store, row["id"]))
            if cmd is not None:
                Session(store).apply(cmd)
        print(f"grew {n} box(es) to the glyphs they touch", flush=True)
    remove_partials(out)  # what a killed run left
    previous = _cancel_on_sigterm(row["name"])
    box = Sandbox()
    try:
        try:
            with _bar(args, row) as progress:
                result = _in_chunks(args, row, case, out, box, progress)
                if result is None:
                    result = box.run("reviewer.export.jobs:export_job",
                                     (case, row["id"], str(out), args.preset, int(args.crf),
                                      bool(args.rasterize), True),
                                     label=row["name"], timeout=EXPORT_TIMEOUT_S, progress=progress)
        except KeyboardInterrupt:
            raise Cancelled(f"{row['name']}: export interrupted; nothing was written") from None
        if result["ok"]:
            # from here a kill leaves a complete, verified export: nothing left to cancel
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            publish_result(result)
    finally:
        owners = {os.getpid(), *([box.pid] if box.pid else [])}
        box.close()
        remove_partials(out, owners)
        _restore(previous)
    for check in checks_of(result["checks"]):
        print(shown_line(check.line()), flush=True)
    if not result["ok"]:
        raise ReviewerError(result["message"])
    missing = [p.name for p in passes if not p.ran]
    if missing:
        print(f"not looked for on this item: {', '.join(missing)}; the checks above are of the "
              "redactions the case has", flush=True)
    print(shown_line(f"exported {row['name']} -> {out}"), flush=True)
    return 0


def _in_chunks(args: Namespace, row: dict, case: str, out: Path, box: Any,
               progress: Progress) -> dict | None:
    """``--chunks N`` (N > 1): the staged result of the export made from N workers' chunks
    (reviewer.batch.export_chunks); None to export in one process (said on stdout, why)."""
    chunks = getattr(args, "chunks", None)
    if chunks is None or chunks == 1:
        return None
    if chunks < 1:
        raise ReviewerError(f"--chunks {chunks}: give a number of pieces (1: no split)")
    if row["kind"] != "video":
        raise ReviewerError(f"{row['name']}: --chunks is for videos")
    from reviewer.batch.export_chunks import chunked_export
    from reviewer.batch.runners import make_runner

    jobs = args.jobs if args.jobs and args.jobs > 1 else chunks
    runner = make_runner(jobs, getattr(args, "cluster", None))
    try:
        result = chunked_export(case, row, out, args.preset, int(args.crf), int(chunks), runner,
                                box, progress=progress)
    finally:
        runner.close()
    if isinstance(result, str):
        print(shown_line(f"chunks: {row['name']} is exported in one process: {result}"), flush=True)
        return None
    print(shown_line(f"chunks: {row['name']} encoded in {result['pieces']} pieces, joined and checked here"),
          flush=True)
    return result


def _cancel_on_sigterm(name: str) -> Any:
    def cancel(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: clean-up must not be cut short
        raise Cancelled(f"{name}: export cancelled; nothing was written")

    try:
        return signal.signal(signal.SIGTERM, cancel)
    except ValueError:  # not the main thread (called from a test harness): no handler
        return None


def _restore(previous: Any) -> None:
    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except ValueError:
            pass


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
        print(shown_line(f"error: {args.media}: give MEDIA or --all, not both"), file=sys.stderr)
        return 2
    if getattr(args, "chunks", None) not in (None, 1):
        print("error: --chunks splits one video (export CASE MEDIA); --all already runs items "
              "side by side", file=sys.stderr)
        return 2
    from reviewer.cli.batch_cmds import export_all

    return export_all(args)
