"""``detect faces`` (faces in videos, as redaction tracks) and ``detect text``."""
from __future__ import annotations

from argparse import Namespace

from reviewer.progress import Progress
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_faces(args: Namespace) -> int:
    # one video or many, resumable, on local processes or a cluster: reviewer.cli.batch_cmds
    from reviewer.cli.batch_cmds import detect_faces

    return detect_faces(args)


def cmd_text(args: Namespace) -> int:
    """``detect text``: prints how many text tracks it made (the matches as redactions)."""
    from reviewer.cli.progress_bar import Bar, wanted
    from reviewer.session.detect_text import compile_match, detect_text

    compile_match(args.match)  # a bad pattern is refused before the video is read

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        frames = int(media.get("frame_count") or 0)
        with Bar(f"detect text {media['name']}", wanted(args)) as bar:
            result = detect_text(store, media, match=args.match, reason=args.reason,
                                 progress=Progress(lambda f, m: bar.units(f * frames, frames)))
    print(result.tracks)
    return 0
