"""``detect faces`` (faces in videos, as redaction tracks) and ``detect text``."""
from __future__ import annotations

from argparse import Namespace

from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_faces(args: Namespace) -> int:
    # one video or many, resumable, on local processes or a cluster: reviewer.cli.batch_cmds
    from reviewer.cli.batch_cmds import detect_faces

    return detect_faces(args)


def cmd_text(args: Namespace) -> int:
    """``detect text``: prints how many text tracks it made (the matches as redactions)."""
    import sys

    from reviewer.progress import Progress
    from reviewer.session.detect_text import compile_match, detect_text

    compile_match(args.match)  # a bad pattern is refused before the video is read

    def report(fraction: float, message: str) -> None:
        if sys.stderr.isatty() and not args.quiet:
            print(f"\r{fraction * 100:5.1f}% {message[:60]:<60}", end="", file=sys.stderr, flush=True)

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        result = detect_text(store, media, match=args.match, reason=args.reason,
                             progress=Progress(report))
    if sys.stderr.isatty() and not args.quiet:
        print(file=sys.stderr)
    print(result.tracks)
    return 0
