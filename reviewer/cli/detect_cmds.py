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
    if result.too_big:
        import sys

        first, last = result.too_big[0], result.too_big[-1]
        print(f"warning: {media['name']}: text was found in regions larger than a tenth of the "
              f"picture on {len(result.too_big)} frame(s) ({first}-{last}); no box was made for "
              "them: look at those frames and draw a box where text shows", file=sys.stderr)
    print(result.tracks)
    return 0
