"""Faces and text found in one video on one decode (``reviewer detect all``, the window's
Find faces and text).

The two passes are the very ones ``detect faces`` and ``detect text`` run, with the same
settings and the same rules for what becomes a redaction; only the decoding is shared
(reviewer.media.shared_decode): the text pass is fed the frames the face pass decodes. Each pass
writes what it writes when run alone: the face tracks with the record that faces were
searched (so ``detect faces`` afterwards adds nothing), the text tracks with what was read.
Faces already found with these settings, or cached, are not searched again; the text pass
then decodes on its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reviewer.batch.detect_batch import DetectItem, add_tracks, is_current
from reviewer.progress import Progress
from reviewer.session.detect import FACE_SETTINGS, run_status
from reviewer.store import CaseStore


@dataclass(frozen=True)
class DetectAllResult:
    faces: DetectItem      # as ``detect faces`` reports one video
    text: Any              # a reviewer.session.detect_text.TextResult
    shared: bool           # the text pass read the face pass's decode (False: faces were not searched)


def detect_all(store: CaseStore, row: dict[str, Any], *, reason: str = "b6",
               match: str | None = None, suggest: bool = False,
               progress: Progress | None = None,
               apply: Callable[[Any], None] | None = None) -> DetectAllResult:
    """Faces and text of the video ``row``. ``apply``: who applies each pass's edit (the
    window's undo stack; the face edit first); default: applied here. The text edit is
    handed back in ``text.command`` when ``apply`` is given, as ``detect_text_command``
    does, and applied here otherwise."""
    from reviewer.session.detect import cached_scan, scan_file, stride_for
    from reviewer.session.detect_text import compile_match, detect_text_command, text_pass
    from reviewer.session.session import Session

    compile_match(match)  # a bad pattern is refused before the video is read
    progress = progress or Progress()
    status = run_status(suggest)
    name = row["name"]
    if is_current(store, row, FACE_SETTINGS):
        faces = DetectItem(row["id"], name, "current")
        fed = None
    else:
        scan = cached_scan(store, row, FACE_SETTINGS)
        fed = None
        note = " (detections were cached)"
        if scan is None:
            from reviewer.media.index import cached_index
            from reviewer.store.media import FrameIndexCache

            # the text pass rides on the face pass's decoding thread; its own progress is
            # silent (the face pass reports for both) but shares the cancel flag through
            # the face pass, which stops the decode
            fed = text_pass(store, row, Progress())
            index = cached_index(row["path"], FrameIndexCache(store, row["id"]))
            scan = scan_file(row["path"], name, index, FACE_SETTINGS,
                             stride_for(row, FACE_SETTINGS), progress.sub(0.0, 0.97),
                             taps=(fed.push,))
            note = f" ({index.count} frames, text read on the same decode)"
        n, cmd = add_tracks(store, row, scan, FACE_SETTINGS, reason, status, apply)
        faces = DetectItem(row["id"], name, "done", n, note, cmd)
    text = detect_text_command(store, row, match, reason, progress.sub(0.97 if fed else 0.0, 1.0),
                               fed=fed)
    if apply is None and text.command is not None:
        Session(store).apply(text.command)
    return DetectAllResult(faces, text, fed is not None)


__all__ = ["DetectAllResult", "detect_all"]
