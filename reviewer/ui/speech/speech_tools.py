"""Words spoken, in the window: the Speech menu, the Transcript panel beside the picture, and
the spoken hits of the Search panel. Reads the open case; every change is an edit command
applied through the controller (one undo step each, audited by the session).

- Transcribe (this video or every video) runs the command line's batch in the background.
- The panel follows the playhead; a click on a word goes to its frame; a typed correction
  is ``session.speech.correct_word``; Mute / Bleep make padded audio spans over the chosen
  words (``session.speech_redact.redact_words``) with the chosen reason.
- A spoken hit in the Search panel goes to its frame like any video hit; its context menu
  redacts every mention of the search in every video, near misses only when asked.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from reviewer.errors import ReviewerError
from reviewer.session.edits import Changes
from reviewer.ui.speech.transcript_panel import TranscriptPanel, transcript_rows


class SpeechTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.media_id: int | None = None
        self.panel = TranscriptPanel()
        win.add_dock("transcript", "Transcript", self.panel, Qt.RightDockWidgetArea)
        win.video.video_opened.connect(self.load)
        win.video.frame_changed.connect(self._on_video_frame_changed)
        self.panel.seek_requested.connect(self._on_panel_seek_requested)
        self.panel.correction_requested.connect(self.correct)
        self.panel.redact_requested.connect(self.redact)
        self.panel.transcribe_requested.connect(self.transcribe_current)
        results = win.search.results
        results.setContextMenuPolicy(Qt.CustomContextMenu)
        results.customContextMenuRequested.connect(self._on_search_context_menu)
        self.search_menu: QMenu | None = None
        self.dialog: Any = None
        from reviewer.ui.speech.spoken_sweep import SpokenGate

        self.sweep = SpokenGate(self)

    def build_menu(self, menu: QMenu) -> None:
        w = self.win
        w.act("transcribe", "&Transcribe this video", self.transcribe_current, "Ctrl+Shift+S",
              "search", menu)
        w.act("transcribe_all", "Transcribe &every video", self.transcribe_all, None, None, menu)
        w.act("import_transcript", "&Import a transcript…", self.import_transcript, None, None,
              menu)
        w.act("save_captions", "&Save captions (redacted words as a mark)…", self.save_captions,
              None, None, menu)
        menu.addSeparator()
        w.act("show_transcript", "Show the transcript", self.show_panel, None, None, menu)
        w.act("words_mentions", "Select every mention of the selected word",
              self.panel.select_mentions, None, None, menu)
        w.act("words_mute", "Mute the selected words", lambda: self.panel._redact("mute"), None,
              None, menu)
        w.act("words_bleep", "Bleep the selected words", lambda: self.panel._redact("bleep"),
              None, None, menu)

    # -- the case -----------------------------------------------------------------------------
    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        ctl.changed.connect(self._on_ctl_changed)
        self.panel.set_reasons(ctl.reasons(), self.win.prefs.default_reason)
        self.load()

    def case_closed(self) -> None:
        """Let go of the case: nothing of it stays shown, no callback reaches its database."""
        if self.ctl is not None:
            self.ctl.unwatch(self._on_ctl_changed)
        self.ctl = None
        self.media_id = None
        self.panel.clear()
        self.panel.set_reasons([], "")
        if self.search_menu is not None:
            self.search_menu.close()
        if self.dialog is not None:
            self.dialog.reject()
        if self.sweep.prompt is not None:
            self.sweep.prompt.reject()

    def gate(self, media_ids: list[int], what: str, proceed: Any) -> None:
        """Before an export: spoken identifiers not silenced in these videos are shown
        (reviewer.ui.speech.spoken_sweep); ``proceed()`` when none or the reviewer goes on."""
        self.sweep.gate(media_ids, what, proceed)

    def gate_clips(self, what: str, proceed: Any) -> None:
        """Before a bundle: what is said inside its clip exhibits (stills carry no sound)."""
        from reviewer.store.exhibits import list_exhibits

        if self.ctl is None:
            proceed()
            return
        within: dict[int, list[tuple[float, float]]] = {}
        for e in list_exhibits(self.ctl.store):
            # a transcript exhibit prints the words said: swept like a clip's sound
            if e["kind"] in ("clip", "transcript") and e["frame_from"] is not None:
                times = self.ctl.times(e["media_id"])
                last = e["frame_to"] if e["frame_to"] is not None else e["frame_from"]
                end = times.seconds(last + 1) if last + 1 < times.count else times.end_seconds()
                within.setdefault(e["media_id"], []).append(
                    (float(times.seconds(e["frame_from"])), float(end)))
        self.sweep.gate(list(within), what, proceed, within)

    def _media(self) -> dict[str, Any] | None:
        m = self.win.video.media
        return m if (self.ctl is not None and m is not None) else None

    def load(self) -> None:
        """Show the words of the video on screen (read from the case)."""
        from reviewer.session.speech import media_words, untranscribed
        from reviewer.store.transcripts import shown_transcripts

        media = self._media()
        if media is None:
            self.media_id = None
            self.panel.clear()
            return
        store = self.ctl.store
        self.media_id = media["id"]
        rows = transcript_rows(media_words(store, media), untranscribed(store, media))
        self.panel.show_transcript(media["name"], rows, bool(shown_transcripts(store, media["id"])))
        self._on_video_frame_changed(self.win.video.frame)

    def _on_ctl_changed(self, changes: Changes) -> None:
        # a correction changes a word; an audio redaction (from here, the sound strip or
        # Mute In–Out) changes which words are struck through
        if changes.touches("spoken_words") or changes.touches("redactions"):
            self.load()

    def show_panel(self) -> None:
        d = self.win.docks["transcript"]
        d.show()
        d.raise_()
        self.panel.table.setFocus()

    # -- following the picture ----------------------------------------------------------------
    def _on_video_frame_changed(self, frame: int) -> None:
        times = self.win.video.times
        if times is None or frame < 0 or self.media_id is None:
            return
        nxt = times.seconds(frame + 1) if frame + 1 < times.count else times.end_seconds()
        self.panel.set_time(float(times.seconds(frame)), float(nxt))

    def _on_panel_seek_requested(self, seconds: float) -> None:
        times = self.win.video.times
        if times is None:
            return
        # the frame showing when the word starts (Fraction: no float drift at a frame edge)
        self.win.video.seek(times.frame_at_seconds(Fraction(seconds).limit_denominator(100000)))

    # -- transcribing -------------------------------------------------------------------------
    def transcribe_current(self) -> None:
        media = self._media()
        if media is None:
            self.win.status("Open a video first")
            return
        self._transcribe([media["id"]])

    def transcribe_all(self) -> None:
        self._transcribe(None)

    def _transcribe(self, media_ids: list[int] | None) -> None:
        from reviewer.ui.speech import transcribe_job

        def done(result: Any) -> None:
            items, cancelled = result
            self.last_items = items
            self.load()
            self.win.status(transcribe_job.summary(items, cancelled))
            failed = [i for i in items if i.status == "failed"]
            if failed:
                self.win.show_message("Some videos could not be transcribed",
                                      "\n".join(i.detail for i in failed[:15]))
            elif items and self._media() is not None:
                self.show_panel()
        self.job = transcribe_job.transcribe(self.win, media_ids, done)

    def import_transcript(self, path: str | None = None) -> None:
        """A transcript someone already had, aligned to this video's sound; it becomes the
        transcript shown (the recogniser's stays in the case)."""
        from reviewer.ui.speech import transcribe_job

        media = self._media()
        if media is None:
            self.win.status("Open a video first")
            return
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            dlg = QFileDialog(self.win, f"Transcript of {media['name']}", str(self.ctl.folder),
                              "Transcripts (*.srt *.vtt *.txt);;All files (*)")
            dlg.setFileMode(QFileDialog.ExistingFile)
            dlg.setOption(QFileDialog.DontUseNativeDialog, True)
            dlg.setWindowModality(Qt.WindowModal)
            dlg.fileSelected.connect(lambda p: p and self.import_transcript(p))
            self.file_dialog = dlg
            dlg.open()
            return

        def done(n: dict[str, int]) -> None:
            self.load()
            self.show_panel()
            engine = n.get("engine", 0)  # placed at the recogniser's own times
            rest = n["words"] - n["aligned"] - engine
            self.win.status(f"{media['name']}: {n['words']} words from {n['cues']} cue(s); "
                            f"{n['aligned']} aligned to the sound"
                            + (f", {engine} at the recogniser's times" if engine else "")
                            + f", {rest} placed within their cue by length")
        self.job = transcribe_job.import_file(self.win, media, path, done)

    def save_captions(self, out: str | None = None) -> None:
        from reviewer.ui.case import finish
        from reviewer.ui.speech import transcribe_job

        media = self._media()
        if media is None:
            self.win.status("Open a video first")
            return
        if out is None:
            finish.ask_save_path(self.win, f"Captions of {media['name']}",
                                 finish.exports_folder(self.ctl.folder),
                                 f"{Path(media['name']).stem}.srt",
                                 "SubRip captions (*.srt);;WebVTT captions (*.vtt)",
                                 self.save_captions)
            return

        def done(counts: tuple[int, int]) -> None:
            self.win.status(f"Captions written to {out}: {counts[0]} words, {counts[1]} redacted "
                            "(written as [redacted])")
        self.job = transcribe_job.save_captions(self.win, media, out, done)

    # -- edits --------------------------------------------------------------------------------
    def correct(self, word_id: int, text: str) -> None:
        from reviewer.session.speech import correct_word

        if self.ctl is None:
            return
        try:
            cmd = correct_word(self.ctl.store, word_id, text)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        if self.ctl.apply(cmd) is not None:
            self.win.status(f"Word corrected to “{text}” (Ctrl+Z undoes)")

    def redact(self, word_ids: list[int], mode: str, reason: str) -> None:
        from reviewer.session.speech import redact_words

        media = self._media()
        if media is None or not word_ids:
            return
        try:
            cmd, n = redact_words(self.ctl.store, media, word_ids, mode=mode, reason=reason)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        if cmd is not None and self.ctl.apply(cmd) is not None:
            verb = "Muted" if mode == "mute" else "Bleeped"
            self.win.status(f"{verb} {len(word_ids)} word(s) in {n} span(s) on every audio track, "
                            f"reason {reason or 'none'} (Ctrl+Z undoes)")

    # -- the Search panel's spoken hits -------------------------------------------------------
    def _on_search_context_menu(self, pos: QPoint) -> None:
        from reviewer.ui.speech.spoken_hits import SPOKEN_ROLE

        results = self.win.search.results
        item = results.itemAt(pos)
        if self.ctl is None or item is None or item.data(SPOKEN_ROLE) is None:
            return
        query = self.win.search._query
        menu = QMenu(results)
        menu.addAction(f"Mute every mention of “{query}”…", lambda: self.redact_mentions(query, "mute"))
        menu.addAction(f"Bleep every mention of “{query}”…", lambda: self.redact_mentions(query, "bleep"))
        self.search_menu = menu
        menu.popup(results.viewport().mapToGlobal(pos))

    def redact_mentions(self, query: str, mode: str) -> None:
        """Ask (not blocking) which mentions and why, then redact them in every video."""
        from reviewer.session.speech import search_speech
        from reviewer.ui.speech.spoken_hits import MentionsDialog

        if self.ctl is None:
            return
        hits = [h for h in search_speech(self.ctl.store, query) if not h["redacted"]]
        if not hits:
            self.win.status(f"Every spoken mention of “{query}” is already silenced")
            return
        dlg = MentionsDialog(self.win, query, mode, hits, self.ctl.reasons(),
                             self.panel.reason.currentData() or self.win.prefs.default_reason)
        dlg.accepted.connect(lambda: self.redact_hits(dlg.chosen_hits(), mode, dlg.reason()))
        self.dialog = dlg
        dlg.open()

    def redact_hits(self, hits: list[dict[str, Any]], mode: str, reason: str) -> None:
        """The words of ``hits`` (search_speech) redacted in every video they are in, as one
        undo step."""
        from reviewer.session.edits import Batch
        from reviewer.session.speech import redact_words

        if self.ctl is None or not hits:
            return
        by_media: dict[int, list[int]] = {}
        for h in hits:
            by_media.setdefault(h["media"], []).extend(h["words"])
        cmds, spans = [], 0
        try:
            for media_id, ids in by_media.items():
                cmd, n = redact_words(self.ctl.store, self.ctl.media(media_id), ids, mode=mode,
                                      reason=reason)
                if cmd is not None:
                    cmds.append(cmd)
                    spans += n
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        if cmds and self.ctl.apply(cmds[0] if len(cmds) == 1 else
                                   Batch(tuple(cmds), label=f"{mode} spoken mentions")) is not None:
            self.win.status(f"{'Muted' if mode == 'mute' else 'Bleeped'} {len(hits)} mention(s) in "
                            f"{len(by_media)} video(s), {spans} span(s) (Ctrl+Z undoes)")
