"""The People panel's tools: the case's list of people (reviewer.session.people) changed by
edit commands through the controller (one undo step each), the names finder run in the
background, and a person's names redacted by the same sweep as ``redact text --pattern
people`` (every form of each name, in every document), marked as one undo step."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from reviewer.errors import ReviewerError
from reviewer.ui.people.people_panel import PeoplePanel
from reviewer.ui.workers import run_job


class PeopleTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.job: Any = None
        self.panel = PeoplePanel()
        win.add_dock("people", "People", self.panel, Qt.RightDockWidgetArea)
        p = self.panel
        p.add_requested.connect(self.add)
        p.import_requested.connect(self.ask_import)
        p.remove_requested.connect(self.remove)
        p.redact_requested.connect(self.redact)
        p.suggest_requested.connect(self.suggest)
        p.accept_requested.connect(self.accept)
        p.reject_requested.connect(self.reject)
        self.dialog: Any = None

    def build_menu(self, menu: Any) -> None:
        w = self.win
        w.act("people_show", "Show the &people of the case", self.show_panel, None, None, menu)
        w.act("people_import", "&Import a list of people…", self.ask_import, None, None, menu)
        w.act("people_suggest", "&Find names the list lacks", self.suggest, None, None, menu)
        w.act("people_redact", "&Redact every listed name", lambda: self.redact(self.panel.names(), self.panel.reason.currentData() or ""), None, None, menu)

    def show_panel(self) -> None:
        from reviewer.ui.case.dock_layout import show_panel

        show_panel(self.win, "people")

    # -- the case -----------------------------------------------------------------------------
    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        ctl.changed.connect(self._on_ctl_changed)
        self.panel.set_reasons(ctl.reasons(), self.win.prefs.default_reason)
        self.panel.set_suggestions([])
        self.panel.summary.setText("")
        self.refresh()

    def case_closed(self) -> None:
        if self.ctl is not None:
            self.ctl.unwatch(self._on_ctl_changed)
        self.ctl = None
        self.panel.set_people([])
        self.panel.set_suggestions([])
        self.panel.summary.setText("")

    def _on_ctl_changed(self, changes: Any) -> None:
        if changes.touches("settings"):  # an undo or redo of the list shows at once
            self.refresh()

    def refresh(self) -> None:
        from reviewer.session.people import read_people

        self.panel.set_people(read_people(self.ctl.store) if self.ctl is not None else [])

    # -- the list -----------------------------------------------------------------------------
    def _apply(self, cmd: Any, line: str) -> bool:
        if cmd is None or self.ctl.apply(cmd) is None:
            return False
        self.refresh()
        self.win.status(line + " (Ctrl+Z undoes)")
        return True

    def add(self, name: str, where: str = "") -> None:
        self.add_names([name], where)

    def add_names(self, names: list[str], where: str = "") -> list[str]:
        from reviewer.session.people import add_people

        if self.ctl is None:
            return []
        try:
            cmd, added = add_people(self.ctl.store, names, where)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return []
        if cmd is None:
            self.win.status(f"The case's people already include {', '.join(names[:3])}")
        elif self._apply(cmd, f"Added {len(added)} of {len(names)} name(s) to the case's people"):
            self.panel.name.clear()
            return added
        return []

    def ask_import(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if self.ctl is None:
            return
        self.dialog = QFileDialog(self.win, "Import a list of people", str(Path.home()),
                                  "Lists of names (*.txt *.csv);;All files (*)")
        self.dialog.setFileMode(QFileDialog.ExistingFile)
        self.dialog.fileSelected.connect(self.import_file)
        self.dialog.open()  # never blocks the window

    def import_file(self, path: str) -> None:
        from reviewer.session.people import read_people_file

        try:
            names = read_people_file(path)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        if names:
            self.add_names(names, Path(path).name)

    def remove(self, names: list[str]) -> None:
        from reviewer.session.people import remove_people

        if self.ctl is None or not names:
            return
        try:
            cmd = remove_people(self.ctl.store, names)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        self._apply(cmd, f"Removed {len(names)} name(s) from the case's people")

    # -- the names finder ---------------------------------------------------------------------
    def suggest(self) -> None:
        """Read every document for names the list lacks, in the background."""
        if self.ctl is None or self.job is not None:
            return
        self.show_panel()
        folder = self.ctl.folder
        panel = self.panel

        def work(progress: Any) -> Any:
            from reviewer.session.people import propose_people
            from reviewer.store import CaseStore
            from reviewer.store import media as media_store

            with CaseStore.open(folder) as store:
                docs = [m for m in media_store.list_media(store) if m["kind"] == "pdf"]
                return propose_people(store, docs, lambda i, n: progress.update(
                    i / max(1, n), f"Reading for names: page {i + 1} of {n}"))

        def done(found: Any) -> None:
            self.job = None
            panel.suggest_button.setEnabled(True)
            if self.ctl is None or self.ctl.folder != folder:
                return
            panel.set_suggestions(found)
            panel.summary.setText(f"{len(found)} name(s) found that the list lacks: select and "
                                  "Accept to add them, Reject if they are not people of the case."
                                  if found else "No names found that the list lacks.")

        def failed(text: str) -> None:
            self.job = None
            panel.suggest_button.setEnabled(True)
            self.win.show_error(text)

        panel.suggest_button.setEnabled(False)
        panel.summary.setText("Reading the documents for names…")
        self.job = run_job(work, on_done=done, on_error=failed,
                           on_progress=lambda f, m: panel.summary.setText(m))

    def accept(self, names: list[str]) -> None:
        from reviewer.session.people import read_people

        if self.ctl is None or not names:
            return
        self.add_names(names)
        listed = set(read_people(self.ctl.store))
        self.panel.drop_suggestions([n for n in names if n in listed])

    def reject(self, names: list[str]) -> None:
        from reviewer.session.people import reject_names

        if self.ctl is None or not names:
            return
        cmd = reject_names(self.ctl.store, names)
        if cmd is None or self._apply(cmd, f"{len(names)} proposed name(s) rejected: not proposed again"):
            self.panel.drop_suggestions(names)

    # -- redacting ----------------------------------------------------------------------------
    def redact(self, names: list[str], reason: str) -> None:
        """Every form of ``names`` in every document, found by the sweep `redact text --pattern
        people` runs, boxed (hits already under a box are left), shown in Find and redact."""
        from reviewer.names.forms import people_regex

        if self.ctl is None:
            return
        rx = people_regex(names)
        if rx is None:
            self.win.status("Add people to the list first (type a name and press Add)")
            return
        find = self.win.redact.find
        label = f"People: {names[0]}" + (f" and {len(names) - 1} more" if len(names) > 1 else "")
        targets = [(m, None) for m in self.ctl.media_list() if m["kind"] == "pdf"]
        ctl = self.ctl
        self.panel.redact_button.setEnabled(False)
        self.panel.summary.setText(f"Looking for every form of {label[8:]}…")

        def done(hits: Any) -> None:
            self.panel.redact_button.setEnabled(True)
            if self.ctl is not ctl:
                return
            ctl.forget_pages()  # OCR may have given pages their text and Bates numbers
            find.panel.show_matches(hits)
            new = [h for h in hits if not h.covered]
            for note in getattr(hits, "notes", []):
                self.win.status(note)
            if new:
                find.mark(new, reason)
            pages = len({(h.media_id, h.page_no) for h in hits})
            self.panel.summary.setText(f"{len(hits)} mention(s) of {label[8:]} on {pages} page(s); "
                                       f"{len(new)} newly boxed" + (" (Ctrl+Z undoes)" if new else "")
                                       + ". Each is listed in Find and redact.")

        def failed(text: str) -> None:
            self.panel.redact_button.setEnabled(True)
            self.win.show_error(text)

        self.redact_job = run_job(find._work(targets, [(label, rx)], False), on_done=done,
                                  on_error=failed,
                                  on_progress=lambda f, m: self.panel.summary.setText(m))
