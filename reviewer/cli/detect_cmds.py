"""``detect faces`` (faces in videos, as redaction tracks), ``detect text``, and ``detect all``
(both on one decode)."""
from __future__ import annotations

from argparse import Namespace
from typing import Any

from reviewer.progress import Progress
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_faces(args: Namespace) -> int:
    # one video or many, resumable, on local processes or a cluster: reviewer.cli.batch_cmds
    from reviewer.cli.batch_cmds import detect_faces

    return detect_faces(args)


def cmd_text(args: Namespace) -> int:
    """``detect text``: prints how many text tracks it made (the matches as redactions).
    With ``--chunks N`` above 1 (or ``--jobs N``, ``--cluster``) the pass runs on the batch
    runner's workers, split into keyframe-aligned pieces (reviewer.batch.text_chunks)."""
    from reviewer.cli.progress_bar import Bar, wanted
    from reviewer.session.detect_text import compile_match, detect_text

    compile_match(args.match)  # a bad pattern is refused before the video is read
    chunks = _chunks(args)
    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        if chunks > 1 or getattr(args, "cluster", None):
            from reviewer.batch.text_chunks import text_batch

            with _runner(args) as runner, Bar(f"detect text {media['name']}", wanted(args)) as bar:
                result = text_batch(store, media, runner, bar.batch(), match=args.match,
                                    reason=args.reason, chunks=chunks)
        else:
            frames = int(media.get("frame_count") or 0)
            with Bar(f"detect text {media['name']}", wanted(args)) as bar:
                result = detect_text(store, media, match=args.match, reason=args.reason,
                                     progress=Progress(lambda f, m: bar.units(f * frames, frames)))
    _warn_too_big(media, result)
    print(result.tracks)
    return 0


def cmd_all(args: Namespace) -> int:
    """``detect all``: faces and text of one video on one decode, in a sandboxed child (or
    on a Dask worker with ``--cluster``; split in pieces with ``--chunks``); prints
    ``faces<TAB>N`` and ``text<TAB>N`` (the tracks each pass made; faces 0 when they were
    already found)."""
    import sys

    from reviewer.batch.detect_all import detect_all_batch
    from reviewer.cli.progress_bar import Bar, wanted
    from reviewer.session.detect_text import compile_match

    compile_match(args.match)
    chunks = _chunks(args)
    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        if media["kind"] != "video":
            from reviewer.errors import ReviewerError

            raise ReviewerError(f"{media['name']}: is a document; detect all is for videos")
        with _runner(args) as runner, Bar(f"detect all {media['name']}", wanted(args)) as bar:
            result = detect_all_batch(store, media, runner, bar.batch(), reason=args.reason,
                                      match=args.match, suggest=bool(args.suggest),
                                      chunks=chunks)
    if result.faces.status == "current":
        print(result.faces.line(), file=sys.stderr)
    _warn_too_big(media, result.text)
    print(f"faces\t{result.faces.tracks}")
    print(f"text\t{result.text.tracks}", flush=True)
    return 0


def _chunks(args: Namespace) -> int:
    """``--chunks N``; by default ``--jobs N`` (0: one per core): one video's pieces keep
    the jobs busy."""
    from reviewer.cli.batch_cmds import chunks_asked

    chunks = chunks_asked(args)
    if chunks is not None:
        return chunks
    jobs = getattr(args, "jobs", None)
    if jobs == 0:
        from reviewer.batch.runners import cores

        return cores()
    return max(1, int(jobs or 1))


def _runner(args: Namespace) -> Any:
    """The batch runner of ``--jobs``/``--cluster``, closed on the way out."""
    from contextlib import closing

    from reviewer.cli.batch_cmds import _runner as runner_of

    return closing(runner_of(args))


def _warn_too_big(media: dict, result) -> None:
    if result.too_big:
        import sys

        first, last = result.too_big[0], result.too_big[-1]
        print(f"warning: {media['name']}: text was found in regions larger than a tenth of the "
              f"picture on {len(result.too_big)} frame(s) ({first}-{last}); no box was made for "
              "them: look at those frames and draw a box where text shows", file=sys.stderr)
