"""Workers that lie, for the tests of the coordinator's distrust (reviewer.batch.untrusted).

Loaded into a real ``dask worker`` process with ``--preload`` (its ``dask_setup`` swaps the
worker's task function), or named as the task of a local runner's sandboxed child
(``batch.liars:run_task``). Which lie is told is read, for each task, from the file named by
``LIAR_MODE_FILE``, so one worker serves every test:

- ``honest``: the real task;
- ``original``: the export "is" the original's own path (renaming it would move the evidence);
- ``outside``: an unredacted copy under a staged-looking name outside the output folder;
- ``symlink``: a staged name in the output folder that is a symbolic link to the original;
- ``unredacted``: an unredacted copy under a proper staged name, with a sidecar that
  describes the case's expectation and names the copy's hash;
- ``loud``: an export with the boxes burned but the muted audio left audible, with the
  case's sidecar;
- ``detect-copy``: face detection (or ``detect all``, or a piece of the text pass) run on
  another copy of the original (same pictures, one byte more), honestly naming that copy's
  hash;
- ``text-frames``: ``detect all``'s or a text chunk's honest result with one text track
  moved past the video's last frame.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def mode() -> str:
    return Path(os.environ["LIAR_MODE_FILE"]).read_text().strip()


def _outcome(cls: Any, **values: Any) -> Any:
    """The outcome with the fields this version of the program has (a liar does not care)."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names})


def _sha(path: Path) -> str:
    from reviewer.hashing import sha256_file

    return sha256_file(path)


def _export_lie(task: Any, how: str, honest: Any) -> Any:
    from reviewer.batch.tasks import ExportOutcome
    from reviewer.export.expect import sidecar_path, write_sidecar
    from reviewer.export.publish import temp_name

    out = Path(task.out)
    original = Path(task.source.path)
    common = dict(media_id=task.source.media_id, ok=True, message="",
                  checks=(("frames", True, "lied"),), source_sha256=task.source.sha256)
    if how == "original":
        return _outcome(ExportOutcome, staged=str(original), sidecar=None, **common)
    if how == "outside":
        away = Path(tempfile.mkdtemp(prefix="liar-")) / temp_name(out).name
        shutil.copyfile(original, away)
        return _outcome(ExportOutcome, staged=str(away), sidecar=None, **common)
    staged = temp_name(out)
    if how == "symlink":
        staged.symlink_to(original)
    elif how == "unredacted":
        shutil.copyfile(original, staged)
    elif how == "loud":
        # a real export, made as if the case muted nothing, described as the case wants it
        quiet = dataclasses.replace(task, expect=dataclasses.replace(task.expect, audio_spans=()))
        made = honest(quiet, None)
        Path(made.sidecar).unlink()
        staged = Path(made.staged)
    else:
        raise ValueError(how)
    side = temp_name(sidecar_path(out))
    write_sidecar(side, task.expect, _sha(staged))
    return _outcome(ExportOutcome, staged=str(staged), sidecar=str(side), **common)


def _detect_lie(task: Any, honest: Any) -> Any:
    from reviewer.batch.tasks import Source

    copy = Path(tempfile.mkdtemp(prefix="liar-")) / Path(task.source.path).name
    shutil.copyfile(task.source.path, copy)
    with open(copy, "ab") as fh:
        fh.write(b"\0")  # same pictures, other bytes
    src = task.source
    other = dataclasses.replace(task, source=Source(src.media_id, src.name, str(copy), _sha(copy)))
    return honest(other, None)


def _text_frames_lie(task: Any, progress: Any, honest: Any) -> Any:
    from reviewer.annotate.geometry import Box

    out = honest(task, progress)
    tracks = out.text if hasattr(out, "text") else out.tracks
    t = tracks[0]
    moved = dataclasses.replace(t, boxes={f + 100000: b for f, b in t.boxes.items()} or
                                {100000: Box(0, 0, 10, 10)})
    field = "text" if hasattr(out, "text") else "tracks"
    return dataclasses.replace(out, **{field: (moved,) + tuple(tracks[1:])})


def lie(task: Any, progress: Any, honest: Any) -> Any:
    from reviewer.batch.detect_all import DetectAllTask
    from reviewer.batch.tasks import DetectTask
    from reviewer.batch.text_chunks import TextChunkTask

    how = mode()
    if how == "honest":
        return honest(task, progress)
    if isinstance(task, (DetectTask, DetectAllTask, TextChunkTask)):
        if how == "detect-copy":
            return _detect_lie(task, honest)
        if how == "text-frames" and not isinstance(task, DetectTask):
            return _text_frames_lie(task, progress, honest)
        return honest(task, progress)
    if how in ("detect-copy", "text-frames") or (how == "loud" and getattr(task, "kind", "") != "video"):
        return honest(task, progress)
    return _export_lie(task, how, honest)


def run_task(task: Any, progress: Any = None) -> Any:
    """The local runner's task (``batch.liars:run_task``)."""
    from reviewer.batch import tasks

    return lie(task, progress, tasks.run_task)


def dask_setup(worker: Any) -> None:  # called by ``dask worker --preload``
    from reviewer.batch import tasks

    honest = tasks.run_task
    tasks.run_task = lambda task, progress=None: lie(task, progress, honest)
