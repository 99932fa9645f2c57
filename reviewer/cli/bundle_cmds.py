"""``exhibit`` and ``bundle``."""
from __future__ import annotations

import os
import signal
from argparse import Namespace
from typing import Any

from reviewer.errors import Cancelled, ReviewerError
from reviewer.inert import shown_line
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_exhibit(args: Namespace) -> int:
    from reviewer.citation.exhibits import Span, check_label_free, declare, parse_range
    from reviewer.session.session import Session
    from reviewer.store.exhibits import list_exhibits, next_seq

    transcript = getattr(args, "transcript", None)
    if transcript is not None or getattr(args, "t_from", None) or getattr(args, "t_to", None):
        return _transcript_exhibit(args)
    if args.frames is not None:
        span = Span("clip", *parse_range(args.frames, "frame"))
    elif args.frame is not None:
        span = Span("still", args.frame, args.frame)
    else:
        span = Span("document", *parse_range(args.pages, "page"))
    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        check_label_free(list_exhibits(store), args.label or "")
        cmd = declare(media, span, next_seq(store), label=args.label or "",
                      description=getattr(args, "description", "") or "")
        _, changes = Session(store).apply(cmd)
    new_id = next(i for t, i in changes.row_ids if t == "exhibits")
    print(new_id)
    return 0


def _transcript_exhibit(args: Namespace) -> int:
    """``exhibit --transcript A:B`` (frames) or ``--transcript --from T --to T`` (times)."""
    from reviewer.citation.exhibits import Span, check_label_free, declare, parse_range
    from reviewer.citation.transcript_exhibit import check_transcribed, declare_transcript_excerpt
    from reviewer.session.session import Session
    from reviewer.store.exhibits import list_exhibits, next_seq
    from reviewer.timebase import parse_time

    given = args.transcript or ""
    times = (args.t_from, args.t_to)
    if args.transcript is None:
        raise ReviewerError("--from and --to go with --transcript (a transcript exhibit)")
    if given and any(times):
        raise ReviewerError("give the excerpt as --transcript A:B (frames) or as --from/--to, not both")
    if not given and not all(times):
        raise ReviewerError("--transcript needs frames A:B, or both --from TIME and --to TIME")
    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        label = args.label or ""
        if given:
            check_transcribed(store, media)
            check_label_free(list_exhibits(store), label)
            cmd = declare(media, Span("transcript", *parse_range(given, "frame")), next_seq(store),
                          label=label, description=args.description or "")
        else:
            cmd = declare_transcript_excerpt(store, media, parse_time(args.t_from),
                                             parse_time(args.t_to), label=label,
                                             description=args.description or "")
        _, changes = Session(store).apply(cmd)
    print(next(i for t, i in changes.row_ids if t == "exhibits"))
    return 0


def _max_clip_mb(args: Namespace) -> float | None:
    return _size_mb(getattr(args, "max_clip_mb", None), "REVIEWER_MAX_CLIP_MB")


def _max_pdf_mb(args: Namespace) -> float | None:
    return _size_mb(getattr(args, "max_pdf_mb", None), "REVIEWER_MAX_PDF_MB")


def _size_mb(given: float | None, env: str) -> float | None:
    # "--max-pdf-mb 0" is a given (wrong) size, refused by options_for; not "no option"
    raw = given if given is not None else os.environ.get(env)
    if raw in (None, ""):
        return None
    try:
        return float(raw)
    except ValueError:
        raise ReviewerError(f"not a size in MB: {raw!r}") from None


def cmd_bundle(args: Namespace) -> int:
    from reviewer.citation.bundle import build_bundle, options_for
    from reviewer.cli.progress_bar import Bar, wanted

    # SIGTERM cancels as Ctrl-C does: the half-written hidden folder is removed on the way out
    previous = _cancel_on_sigterm(f"{args.out}: bundle cancelled; nothing was written")
    try:
        with CaseStore.open(args.case) as store, \
                Bar("bundle", wanted(args), fraction_only=True) as bar:
            options = options_for(store, _max_clip_mb(args), getattr(args, "withheld", False),
                                  _max_pdf_mb(args))
            if getattr(args, "transcripts", False):
                from dataclasses import replace

                options = replace(options, with_transcripts=True)
            result = build_bundle(store, args.out, options, bar.progress())
    except KeyboardInterrupt:
        raise Cancelled(f"{args.out}: bundle interrupted; nothing was written") from None
    finally:
        _restore(previous)
    print(shown_line(result.folder))
    return 0


def _cancel_on_sigterm(message: str) -> Any:
    def cancel(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: clean-up must not be cut short
        raise Cancelled(message)

    try:
        return signal.signal(signal.SIGTERM, cancel)
    except ValueError:  # not the main thread (a test harness): no handler
        return None


def _restore(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)
