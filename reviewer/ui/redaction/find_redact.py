"""Search and redact, and the sweep for identifiers before an export or a bundle.

The panel lives in a dock beside the pages, so each hit can be looked at where it is. The
sweep runs every built-in pattern and the case's own over what is about to leave the case
(the document exported, or the bundle's document exhibits) and, when anything is still
readable, lists it there and asks before going on: like the face coverage check for video.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox

from reviewer.ui.documents.pages_view import PageRect
from reviewer.ui.questions import review_or_go_on
from reviewer.ui.redaction.search_redact import SearchRedactPanel
from reviewer.ui.redaction.text_hits import ALL, Hit, Hits, builtin_patterns, case_patterns
from reviewer.ui.workers import run_job, run_with_dialog


class FindRedactTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.custom: list[tuple[str, str]] = []  # regexes typed this session: swept too
        self.panel = SearchRedactPanel()
        win.add_dock("find_redact", "Find and redact", self.panel, name="dock-find-redact")
        self.panel.find_requested.connect(self.find)
        self.panel.hit_activated.connect(self.show_hit)
        self.panel.mark_requested.connect(self.mark)
        self.panel.save_pattern_requested.connect(self.save_pattern)
        self.panel.remove_pattern_requested.connect(self.remove_pattern)
        self.prompt: QMessageBox | None = None

    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        self.custom = []
        self.panel.set_patterns(case_patterns(ctl.store), current="")
        # an undo or redo of a saved pattern shows in the list at once
        ctl.changed.connect(lambda ch: ch.touches("settings") and self.ctl is ctl and
                            self.panel.set_patterns(case_patterns(ctl.store)))
        self.panel.show_matches([])
        self.panel.summary.setText("Choose what to look for and press Find.")

    def case_closed(self) -> None:
        self.ctl = None
        self.custom = []
        self.panel.set_patterns([], current="")
        self.panel.show_matches([])
        self.panel.summary.setText("Choose what to look for and press Find.")

    def open(self, reason: str) -> None:
        """Show the panel (Redact ▸ Search and redact…), scoped to the document on screen."""
        if self.ctl is None:
            return
        self._prepare(reason)
        self.win.docks["find_redact"].show()
        self.win.docks["find_redact"].raise_()
        self.panel.pattern.setFocus()

    def _prepare(self, reason: str) -> None:
        from reviewer.store.exhibits import list_exhibits

        doc = self.win.doc.media
        self.panel.set_reasons(self.ctl.reasons(), reason)
        self.panel.set_scopes(doc["name"] if doc else None,
                              any(e["kind"] == "document" for e in list_exhibits(self.ctl.store)))

    # -- the case's own patterns ----------------------------------------------------------------
    def save_pattern(self, name: str, regex: str) -> None:
        from reviewer.errors import ReviewerError
        from reviewer.session.case_patterns import save_pattern

        try:
            cmd = save_pattern(self.ctl.store, name, regex)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        if self.ctl.apply(cmd) is None:
            return
        self.custom = [p for p in self.custom if p[1] != regex]
        self.panel.set_patterns(case_patterns(self.ctl.store), current=name)
        self.win.status(f"Saved “{name}” as one of the case's patterns: it is swept before every "
                        "export and bundle (Ctrl+Z undoes)")

    def remove_pattern(self, name: str) -> None:
        from reviewer.errors import ReviewerError
        from reviewer.session.case_patterns import remove_pattern

        try:
            cmd = remove_pattern(self.ctl.store, name)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        if self.ctl.apply(cmd) is not None:
            self.panel.set_patterns(case_patterns(self.ctl.store), current="")
            self.win.status(f"Removed “{name}” from the case's patterns (Ctrl+Z undoes)")

    # -- finding ------------------------------------------------------------------------------
    def _targets(self, scope: str) -> list[tuple[dict[str, Any], tuple[int, int] | None]]:
        docs = [m for m in self.ctl.media_list() if m["kind"] == "pdf"]
        if scope == "current" and self.win.doc.media is not None:
            return [(m, None) for m in docs if m["id"] == self.win.doc.media["id"]]
        if scope == "exhibits":
            return self.exhibit_targets()
        return [(m, None) for m in docs]

    def exhibit_targets(self) -> list[tuple[dict[str, Any], tuple[int, int] | None]]:
        from reviewer.store.exhibits import list_exhibits

        return [(self.ctl.media(e["media_id"]), (e["page_from"], e["page_to"]))
                for e in list_exhibits(self.ctl.store) if e["kind"] == "document"]

    def exhibit_videos(self) -> list[tuple[dict[str, Any], tuple[int, int] | None]]:
        """The bundle's clips and stills, each with its frames."""
        from reviewer.store.exhibits import list_exhibits

        return [(self.ctl.media(e["media_id"]),
                 (e["frame_from"], e["frame_to"] if e["frame_to"] is not None else e["frame_from"]))
                for e in list_exhibits(self.ctl.store)
                if e["kind"] != "document" and e["frame_from"] is not None]

    def every_item(self) -> tuple[list, list]:
        """(documents, videos) of the whole case, for File ▸ Export all."""
        media = self.ctl.media_list()
        return ([(m, None) for m in media if m["kind"] == "pdf"],
                [(m, None) for m in media if m["kind"] == "video"])

    def all_patterns(self) -> list[tuple[str, str]]:
        own = case_patterns(self.ctl.store)
        return builtin_patterns() + own + [p for p in self.custom if p not in own]

    def find(self) -> None:
        if self.ctl is None:
            return
        key = self.panel.chosen_pattern()
        if not key:
            return
        if key == ALL:
            patterns = self.all_patterns()
        else:
            name = self.panel.pattern.currentText().strip()
            patterns = [(name if self.panel.pattern.findText(name) >= 0 else f"“{key}”", key)]
            if self.panel.pattern.findText(name) < 0 and (patterns[0][0], key) not in self.custom:
                self.custom.append((f"Your pattern “{key}”", key))
        targets = self._targets(self.panel.scope.currentData() or "all")
        self.panel.searching(", ".join(n for n, _k in patterns[:3]) + ("…" if len(patterns) > 3 else ""))
        ctl = self.ctl

        def found(hits: list[Hit]) -> None:
            ctl.forget_pages()  # OCR may have given scanned pages their text and Bates numbers
            self.panel.show_matches(hits)
            if self.ctl is ctl:  # pages it read by OCR no longer wait
                self.win.ocr_reading.refresh()

        self.job = run_job(self._work(targets, patterns, self.panel.match_case.isChecked()),
                           on_done=found, on_error=self.panel.failed,
                           on_progress=lambda f, m: self.panel.summary.setText(m))

    def _work(self, targets: list, patterns: list, case_sensitive: bool,
              videos: list = ()) -> Callable[[Any], list[Hit]]:
        folder = self.ctl.folder

        def work(progress: Any) -> list[Hit]:
            from reviewer.store import CaseStore
            from reviewer.ui.redaction.text_hits import find_hits
            from reviewer.ui.redaction.video_hits import find_video_hits

            with CaseStore.open(folder) as store:  # the worker's own connection
                hits = find_hits(store, targets, patterns, case_sensitive, progress)
                # and the words detect text read in the videos (what `reviewer search` finds);
                # in place, so the notes on pages not searched stay with the hits
                hits.extend(find_video_hits(store, list(videos), patterns, case_sensitive))
                return hits
        return work

    def show_hit(self, hit: Hit) -> None:
        """The hit on its page, highlighted, with the other hits on that page."""
        view = self.win.view
        if view is None:
            return
        view.open_item(hit.media_id)
        if hit.frame is not None:
            self.win.video.seek(hit.frame)
            self.win.status(f"{', '.join(hit.patterns)} read in {hit.where}: {hit.context}")
            return
        view.hits = [PageRect(h.page_no, *r, kind="hit") for h in self.panel.matches
                     if h.media_id == hit.media_id and h.page_no == hit.page_no for r in h.rects]
        view.refresh_page_rects()
        self.win.doc.go_to(hit.page_no, hit.rects[0] if hit.rects else None)
        self.win.status(f"{', '.join(hit.patterns)} on {hit.doc} p. {hit.page_no}: {hit.context}")

    def mark(self, hits: list[Hit], reason: str) -> None:
        """Every rectangle of every ticked hit becomes a page box: one undo step."""
        from reviewer.session import redactions as red
        from reviewer.session.edits import Batch

        by_media: dict[int, list[tuple[int, tuple]]] = {}
        for h in hits:
            if h.frame is None:
                by_media.setdefault(h.media_id, []).extend((h.page_no, r) for r in h.rects)
        cmds = tuple(red.add_page_boxes(mid, boxes, reason=reason, source="text")
                     for mid, boxes in by_media.items())
        # a hit read in a video: its text track's box is accepted (it follows the text)
        tracks = sorted({i for h in hits if h.frame is not None for i in h.redaction_ids})
        if tracks:
            cmds += (red.set_status(tracks, "active"),)
        if any(h.frame is not None and not h.redaction_ids for h in hits):
            self.win.status("A hit read in a video has no text track box left (deleted?): draw a "
                            "box over it on the video")
        if not cmds:
            return
        if self.ctl.apply(cmds[0] if len(cmds) == 1 else Batch(cmds, label="mark matches")) is None:
            return
        n = sum(len(b) for b in by_media.values()) + len(tracks)
        pages = len({h.place for h in hits})
        self.panel.show_marked(n, len(hits), pages)
        self.win.status(f"Added {n} box{'es' if n != 1 else ''} for {len(hits)} hit"
                        f"{'s' if len(hits) != 1 else ''} on {pages} page{'s' if pages != 1 else ''} "
                        "(Ctrl+Z undoes)")

    # -- the sweep before anything leaves the case --------------------------------------------
    def gate(self, targets: list[tuple[dict[str, Any], tuple[int, int] | None]], what: str,
             proceed: Callable[[], None], videos: list = ()) -> None:
        """Sweep ``targets`` (documents) and ``videos`` (what was read in them, each with its
        frames or None) for identifiers no box covers; ``proceed()`` when none is left or the
        reviewer chooses to go on anyway."""
        if self.ctl is not None:
            from reviewer.store.seen_text import max_track_no

            # only videos detect text read something in have words to sweep
            videos = [v for v in videos if max_track_no(self.ctl.store, v[0]["id"]) > 0]
        if self.ctl is None or not (targets or videos):
            proceed()
            return

        def done(hits: list[Hit]) -> None:
            if self.ctl is not None:
                self.ctl.forget_pages()  # OCR may have given scanned pages Bates numbers
            readable = Hits(h for h in hits if not h.covered)
            # pages with no text layer were not swept: that is said with the list
            readable.notes = list(getattr(hits, "notes", []))
            if not readable:
                self.win.status(f"Identifier sweep of {what}: the sweep finds no identifier outside a box "
                                f"({len(hits)} hit(s), all under boxes)"
                                + "".join(f"; warning: {n}" for n in readable.notes))
                proceed()
                return
            self._prepare(self.win.redact.reason.currentData() or "b6")
            self.panel.show_matches(readable, headline=f"Still readable in {what}:")
            self.win.docks["find_redact"].show()
            self.win.docks["find_redact"].raise_()
            self._ask(len(readable), what, proceed, sum(h.frame is not None for h in readable))

        self.job = run_with_dialog(self.win, f"Checking {what} for identifiers",
                                   self._work(targets, self.all_patterns(), False, videos),
                                   on_done=done, on_error=self.win.show_error,
                                   on_cancel=lambda: self.win.status("Identifier sweep cancelled"))

    def _ask(self, n: int, what: str, proceed: Callable[[], None], in_video: int = 0) -> None:
        seen = (f" {in_video} of them {'were' if in_video != 1 else 'was'} read in a video, where "
                "Mark accepts the text's box." if in_video else "")
        text = (f"{n} identifier{'s are' if n != 1 else ' is'} still readable in {what} "
                "(Social Security, A- and phone numbers, e-mail addresses, dates of "
                "birth and the case's own patterns). They are listed in Find & redact: "
                f"tick the ones to hide and press Mark.{seen}")

        def review() -> None:
            self.panel.results.setFocus()
            self.win.status("Review the hits in Find & redact, Mark them, then export again")
        self.prompt = review_or_go_on(self.win, "Identifiers still readable", text, review,
                                      proceed, lambda: setattr(self, "prompt", None))
