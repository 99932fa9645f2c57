"""The sweep before an export or a bundle, for what was said: spoken identifiers (phone and
A-numbers, Social Security numbers, dates of birth, and the case's own patterns) whose words
are not all under an audio redaction (``session.speech.spoken_identifiers``, on a worker).

When some are left, the reviewer is asked, as for identifiers still readable on a page:
review them (the Transcript panel opens on the first video with those words selected, so
Mute silences them) or go on anyway. Only transcribed videos can be swept: a video never
transcribed is named in the question, since nothing said in it was checked.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from reviewer.ui.questions import review_or_go_on
from reviewer.ui.workers import run_job


def sweep(store: Any, media_ids: list[int],
          within: dict[int, list[tuple[float, float]]] | None = None
          ) -> tuple[list[dict[str, Any]], list[str]]:
    """(spoken identifiers not silenced, each with ``media`` and ``name``; names of videos
    never transcribed), for ``media_ids``; with ``within``, only those said inside a video's
    given spans (seconds; a bundle's clips). Call with the calling thread's own connection."""
    from reviewer.session.speech import spoken_identifiers
    from reviewer.store import media as media_store
    from reviewer.store.passes import has_audio
    from reviewer.store.transcripts import shown_transcripts

    hits: list[dict[str, Any]] = []
    untranscribed: list[str] = []
    for media_id in media_ids:
        media = media_store.get_media(store, media_id)
        if media["kind"] != "video" or not has_audio(media):
            continue  # a clip with no sound has nothing said in it to sweep
        if not shown_transcripts(store, media_id):
            untranscribed.append(media["name"])
            continue
        spans = (within or {}).get(media_id)
        hits += [{**h, "media": media_id, "name": media["name"]}
                 for h in spoken_identifiers(store, media)
                 if spans is None or any(h["start"] < b and h["end"] > a for a, b in spans)]
    return hits, untranscribed


class SpokenGate:
    def __init__(self, tools: Any) -> None:
        self.tools = tools
        self.win = tools.win
        self.prompt: QMessageBox | None = None

    def gate(self, media_ids: list[int], what: str, proceed: Callable[[], None],
             within: dict[int, list[tuple[float, float]]] | None = None) -> None:
        """Sweep the videos of ``media_ids`` (only inside ``within``'s spans, where given) for
        spoken identifiers; ``proceed()`` when none is left or the reviewer goes on anyway."""
        ctl = self.win.ctl
        if ctl is None or not media_ids:
            proceed()
            return
        folder = Path(ctl.folder)

        def work(progress: Any) -> Any:
            from reviewer.store import CaseStore

            with CaseStore.open(folder) as store:  # the worker's own connection
                return sweep(store, media_ids, within)

        def done(result: Any) -> None:
            if self.win.ctl is None or Path(self.win.ctl.folder) != folder:
                return  # the case was closed meanwhile: nothing to export from it
            hits, untranscribed = result
            self.last = result
            if not hits and not untranscribed:
                proceed()
                return
            if not hits:
                self.win.status("Not transcribed, so nothing said in it was swept: "
                                + ", ".join(untranscribed[:5]))
                proceed()
                return
            self._ask(hits, untranscribed, what, proceed)

        run_job(work, on_done=done, on_error=self.win.show_error)

    def _ask(self, hits: list[dict[str, Any]], untranscribed: list[str], what: str,
             proceed: Callable[[], None]) -> None:
        kinds = sorted({h["kind"] for h in hits})
        never = (f" Never transcribed, so not swept: {', '.join(untranscribed[:5])}."
                 if untranscribed else "")
        text = (f"{len(hits)} identifier{'s' if len(hits) != 1 else ''} said in "
                f"{what} {'are' if len(hits) != 1 else 'is'} not under a mute or bleep "
                f"({', '.join(kinds)}), as the transcript reads. Review opens the "
                f"transcript with the words selected: Mute silences them.{never}")
        self.prompt = review_or_go_on(self.win, "Spoken identifiers not silenced", text,
                                      lambda: self.review(hits), proceed,
                                      lambda: setattr(self, "prompt", None))

    def review(self, hits: list[dict[str, Any]]) -> None:
        """Open the first video with hits and select its identifiers' words in the panel."""
        first = hits[0]["media"]
        if self.win.view is not None:
            self.win.view.open_item(first)
        self.tools.load()
        ids = [i for h in hits if h["media"] == first for i in h["words"]]
        self.tools.show_panel()
        self.tools.panel.select_ids(ids)
        self.win.status(f"{len(ids)} word(s) of spoken identifiers selected in the transcript: "
                        "check them, choose a reason and Mute (or Bleep), then export again")
