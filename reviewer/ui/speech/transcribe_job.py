"""Transcribe from the window: one video or every video, in the background with progress
and cancel, through the same batch the command line runs (reviewer.batch.transcribe_batch).

The job opens its own connection to the case and is the only writer of transcripts while it
runs; a transcript is derived data written whole per track (like a page's OCR text), not a
reviewer's edit, so it is not on the undo stack. A track already transcribed from the same
original with the same model and settings is not done again; cancelling keeps every item
that finished.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer.ui.workers import run_with_dialog


def transcribe(win: Any, media_ids: list[int] | None, on_done: Callable[[Any], None],
               jobs: int | None = 1) -> Any:
    """Transcribe ``media_ids`` (None: every video); ``on_done`` gets ``(items, cancelled)``
    on the GUI thread (items: reviewer.batch.transcribe_batch.TranscribeItem)."""
    if win.ctl is None:
        win.show_error("Open or make a case first (File ▸ New case)")
        return None
    folder = Path(win.ctl.folder)
    refs = [str(i) for i in media_ids] if media_ids else None

    def work(progress: Any) -> Any:
        from reviewer.batch.detect_batch import videos
        from reviewer.batch.runners import make_runner
        from reviewer.batch.transcribe_batch import transcribe_batch
        from reviewer.errors import Cancelled
        from reviewer.progress import BatchProgress
        from reviewer.speech.engine import check_model, model_dir
        from reviewer.store import CaseStore

        check_model(model_dir())  # a missing or altered model is refused before any work
        items: list[Any] = []
        runner = make_runner(jobs)
        try:
            with CaseStore.open(folder) as store:  # the job's own connection: one writer
                for item in transcribe_batch(store, videos(store, refs), runner,
                                             BatchProgress(progress)):
                    items.append(item)
        except Cancelled:
            return items, True
        finally:
            runner.close()
        return items, False

    def done(result: Any) -> None:
        # the window may have moved on to another case while the sound was being read
        if win.ctl is not None and Path(win.ctl.folder) == folder:
            on_done(result)

    what = "every video" if media_ids is None else (
        win.ctl.media(media_ids[0])["name"] if len(media_ids) == 1 else f"{len(media_ids)} videos")
    win._job = run_with_dialog(win, f"Transcribing {what}", work, on_done=done,
                               on_error=win.show_error,
                               on_cancel=lambda: win.status("Transcription cancelled"))
    return win._job


def summary(items: list[Any], cancelled: bool) -> str:
    """One status line for a finished (or cancelled) run."""
    done = [i for i in items if i.status == "done"]
    current = [i for i in items if i.status == "current"]
    silent = [i for i in items if i.status == "silent"]
    failed = [i for i in items if i.status == "failed"]
    words = sum(i.words for i in done + current)
    gaps = sum(i.gaps for i in done + current)
    parts = [f"{words} word{'s' if words != 1 else ''} in {len(done) + len(current)} video(s)"]
    if current:
        parts.append(f"{len(current)} already transcribed with these settings")
    if silent:
        parts.append(f"{len(silent)} without sound")
    if gaps:
        parts.append(f"{gaps} stretch(es) of speech not transcribed (listen to them)")
    if failed:
        parts.append(f"{len(failed)} failed")
    return ("Cancelled: " if cancelled else "Transcribed: ") + ", ".join(parts)


def import_file(win: Any, media: dict[str, Any], path: str, on_done: Callable[[Any], None]) -> Any:
    """Read a transcript someone already had (SRT, WebVTT, ``[hh:mm:ss]`` text) and align its
    words to ``media``'s sound on a worker; ``on_done`` gets the counts
    (session.speech.import_transcript) on the GUI thread."""
    folder = Path(win.ctl.folder)
    media_id = media["id"]

    def work(progress: Any) -> Any:
        from reviewer.errors import ReviewerError
        from reviewer.session.speech import import_transcript
        from reviewer.store import CaseStore
        from reviewer.store import media as media_store

        if not Path(path).is_file():
            raise ReviewerError(f"{path}: no such file")
        with CaseStore.open(folder) as store:  # the job's own connection: one writer
            return import_transcript(store, media_store.get_media(store, media_id), path)

    def done(result: Any) -> None:
        if win.ctl is not None and Path(win.ctl.folder) == folder:
            on_done(result)

    win._job = run_with_dialog(win, f"Aligning {Path(path).name} to {media['name']}", work,
                               on_done=done, on_error=win.show_error,
                               on_cancel=lambda: win.status("Import cancelled"))
    return win._job


def save_captions(win: Any, media: dict[str, Any], out: str, on_done: Callable[[Any], None]) -> Any:
    """Write ``media``'s words as captions (SRT, or WebVTT for a ``.vtt`` name) on a worker:
    every redacted word replaced by a mark, so the file can leave the case; whole or nothing
    at ``out`` (written beside it under a hidden name, then renamed)."""
    import os
    import tempfile

    folder = Path(win.ctl.folder)
    media_id = media["id"]

    def work(progress: Any) -> Any:
        from reviewer.session.speech import media_words
        from reviewer.speech.captions import CaptionWord, to_srt, to_vtt
        from reviewer.store import CaseStore
        from reviewer.store import media as media_store

        with CaseStore.open(folder) as store:
            words = media_words(store, media_store.get_media(store, media_id))
        caption = [CaptionWord(w["word"], w["start"], w["end"], w["redacted"], w["track"])
                   for w in words]
        target = Path(out)
        text = to_vtt(caption) if target.suffix.lower() == ".vtt" else to_srt(caption)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return len(words), sum(w["redacted"] for w in words)

    win._job = run_with_dialog(win, f"Writing captions of {media['name']}", work,
                               on_done=on_done, on_error=win.show_error)
    return win._job
