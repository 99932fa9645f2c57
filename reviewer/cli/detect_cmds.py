"""``detect faces`` (faces in videos, as redaction tracks), ``detect text``, and ``detect all``
(both on one decode)."""
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
    _warn_too_big(media, result)
    print(result.tracks)
    return 0


def cmd_all(args: Namespace) -> int:
    """``detect all``: faces and text of one video on one decode; prints ``faces<TAB>N`` and
    ``text<TAB>N`` (the tracks each pass made; faces 0 when they were already found)."""
    import sys

    from reviewer.batch.detect_all import detect_all
    from reviewer.cli.progress_bar import Bar, wanted
    from reviewer.session.detect_text import compile_match

    compile_match(args.match)
    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        if media["kind"] != "video":
            from reviewer.errors import ReviewerError

            raise ReviewerError(f"{media['name']}: is a document; detect all is for videos")
        frames = int(media.get("frame_count") or 0)
        with Bar(f"detect all {media['name']}", wanted(args)) as bar:
            result = detect_all(store, media, reason=args.reason, match=args.match,
                                suggest=bool(args.suggest),
                                progress=Progress(lambda f, m: bar.units(f * frames, frames)))
    if result.faces.status == "current":
        print(result.faces.line(), file=sys.stderr)
    _warn_too_big(media, result.text)
    print(f"faces\t{result.faces.tracks}")
    print(f"text\t{result.text.tracks}", flush=True)
    return 0


def _warn_too_big(media: dict, result) -> None:
    if result.too_big:
        import sys

        first, last = result.too_big[0], result.too_big[-1]
        print(f"warning: {media['name']}: text was found in regions larger than a tenth of the "
              f"picture on {len(result.too_big)} frame(s) ({first}-{last}); no box was made for "
              "them: look at those frames and draw a box where text shows", file=sys.stderr)
