"""The withheld log in the window: its dock and menu, scans on a worker, undoable edits.

Scans run off the GUI thread with their own case connection (detected rows are data read
from the documents, not user edits, so they are not undo steps); adding, correcting,
commenting and removing go through the controller, so each is one undo step.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMenu

from reviewer.session.edits import Batch, Changes
from reviewer.ui.documents.pages_view import PageRect
from reviewer.ui.documents.withheld_panel import WithheldPanel, codes_label
from reviewer.ui.workers import run_job


class WithheldTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.scanning = False
        self.selected_id = -1
        self.last_export: Path | None = None
        self.panel = WithheldPanel()
        d = win.add_dock("withheld", "Withheld", self.panel, tab_with="notes")
        # documents imported since the last scan are scanned when the log is looked at
        d.visibilityChanged.connect(lambda shown: shown and self.scan(force=False))
        win.docks["notes"].raise_()
        p = self.panel
        p.jump_requested.connect(self.jump)
        p.codes_edited.connect(self._on_panel_codes_edited)
        p.comment_edited.connect(self._on_panel_comment_edited)
        p.remove_requested.connect(self.remove)
        p.draw_toggled.connect(self._on_panel_draw_toggled)
        p.scan_requested.connect(lambda: self.scan(force=False))
        p.export_requested.connect(lambda kind: self.export(kind))
        win.doc.withheld_rect_drawn.connect(self._on_doc_withheld_rect_drawn)
        win.doc.page_changed.connect(lambda _n: self.sync_highlights())

    def build_menu(self, menu: QMenu) -> None:
        w = self.win
        w.act("withheld_show", "Show the &withheld log", self.show, "Ctrl+Shift+W", None, menu)
        w.act("withheld_scan", "&Scan new documents", lambda: self.scan(force=False), None, None, menu)
        w.act("withheld_rescan", "Scan &every document again", lambda: self.scan(force=True), None,
              None, menu)
        menu.addSeparator()
        w.act("withheld_draw", "&Add a region (drag a box on the page)",
              lambda: self.panel.draw_button.setChecked(True), None, None, menu)
        w.act("withheld_remove", "&Remove the selected regions", self.panel.remove_selected, None,
              None, menu)
        menu.addSeparator()
        w.act("withheld_csv", "Export the log as &CSV…", lambda: self.export("csv"), None, None, menu)
        w.act("withheld_pdf", "Export the log as &PDF…", lambda: self.export("pdf"), None, None, menu)

    def show(self) -> None:
        self.win.docks["withheld"].show()
        self.win.docks["withheld"].raise_()
        self.panel.table.setFocus()
        self.scan(force=False)

    # -- case -------------------------------------------------------------------------------------
    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        self.selected_id = -1
        ctl.changed.connect(self._on_ctl_changed)
        self.refresh()
        self.scan(force=False)

    def case_closed(self) -> None:
        if self.scanning and getattr(self, "job", None) is not None:
            self.job.progress.cancel()  # its rows belong to the case being closed
        self.scanning = False
        self.ctl = None
        self.selected_id = -1
        self.refresh()

    def _live(self) -> bool:
        return self.ctl is not None and self.win.ctl is self.ctl

    def refresh(self) -> None:
        from reviewer.store import withheld as wh_store

        if not self._live():
            self.panel.set_rows([], [])
            self.panel.state.setText("No case open")
            return
        self.ctl.reload_media()
        docs = [(m["id"], m["name"]) for m in self.ctl.media_list() if m["kind"] == "pdf"]
        self.panel.set_rows(wh_store.list_withheld(self.ctl.store), docs)
        self.panel.set_failed(failed_redactions(self.ctl.store, docs))
        self.sync_highlights()

    def _on_ctl_changed(self, changes: Changes) -> None:
        if changes.touches("withheld"):
            self.refresh()

    def scan(self, force: bool = False) -> None:
        """Scan, on a worker, every document not scanned yet (or all with ``force``)."""
        from reviewer.store import withheld as wh_store

        if not self._live() or self.scanning:
            return
        self.ctl.reload_media()
        todo = [m for m in self.ctl.media_list() if m["kind"] == "pdf"
                and (force or wh_store.scan_record(self.ctl.store, m["id"]) is None)]
        if not todo:
            return
        ctl, folder = self.ctl, self.ctl.folder

        def work(progress: Any) -> Any:
            from reviewer.session.withheld import scan_documents
            from reviewer.store import CaseStore

            with CaseStore.open(folder) as store:  # the worker's own connection
                return scan_documents(store, todo, force=force, progress=progress)

        def done(report: Any) -> None:
            if self.ctl is not ctl:
                return  # a scan of a case closed since: the open case's own scan is running
            self.scanning = False
            self.refresh()
            failed = self.panel.failed_notes if self._live() else []
            self.win.status_aside(f"Withheld log: scanned {len(report.scanned)} document(s); "
                            f"{len(self.panel.rows)} region(s) in the log"
                            + (f"; {len(failed)} box(es) with text still under them" if failed else ""))
            if report.errors:
                self.win.show_message("Some documents could not be scanned", "\n".join(report.errors))

        def failed(why: str) -> None:
            if self.ctl is not ctl:
                return
            self.scanning = False
            self.panel.state.setText(f"Scan failed: {why}")
            self.win.show_error(why)

        def stopped() -> None:
            if self.ctl is ctl:
                self.scanning = False
                self.refresh()

        self.scanning = True
        self.panel.state.setText(f"Looking for withheld regions in {len(todo)} document(s)…")
        self.job = run_job(work, on_done=done, on_error=failed, on_cancel=stopped,
                           on_progress=lambda f, msg: self.ctl is ctl and self.panel.state.setText(
                               f"{msg}… {int(f * 100)}%"))

    # -- page overlay -----------------------------------------------------------------------------
    def sync_highlights(self) -> None:
        """Outline the open document's withheld regions (the chosen one bolder)."""
        media = self.win.doc.media
        if media is None:
            return
        rects = [PageRect(r["page_no"], *r["rect"], kind="withheld", id=r["id"],
                          label=codes_label(r["codes"]))
                 for r in self.panel.rows if r["media_id"] == media["id"]]
        view = self.win.doc.view
        if rects != view.highlights or self.selected_id != view.highlight_id:
            self.win.doc.set_highlights(rects, self.selected_id)

    def jump(self, row: dict[str, Any] | None) -> None:
        if row is None or not self._live():
            return
        self.selected_id = row["id"]
        self.win._open_at(row["media_id"], row["page_no"], tuple(row["rect"]))
        self.sync_highlights()
        self.win.status(f"{row['media_name']} p. {row['page_no']}"
                        + (f" ({row['bates']})" if row.get("bates") else "")
                        + f": withheld under {codes_label(row['codes'])}")

    # -- edits ------------------------------------------------------------------------------------
    def _row(self, row_id: int) -> dict[str, Any] | None:
        from reviewer.store.withheld import get_withheld

        return get_withheld(self.ctl.store, row_id)

    def _on_panel_codes_edited(self, row_id: int, codes: list[str]) -> None:
        from reviewer.session.withheld import correct_withheld

        row = self._row(row_id)
        if row is not None:
            self.ctl.apply(correct_withheld(row, codes=codes))

    def _on_panel_comment_edited(self, row_id: int, text: str) -> None:
        from reviewer.session.withheld import comment_withheld

        self.ctl.apply(comment_withheld(row_id, text))

    def remove(self, ids: list[int]) -> None:
        from reviewer.session.withheld import remove_withheld

        if not self._live() or not ids:
            return
        cmd = remove_withheld(ids[0]) if len(ids) == 1 else Batch(
            tuple(remove_withheld(i) for i in ids), label="withheld.remove")
        if self.ctl.apply(cmd) is not None:
            self.win.status(f"Removed {len(ids)} region(s) from the withheld log (Ctrl+Z undoes)")

    def _on_panel_draw_toggled(self, on: bool) -> None:
        redact = getattr(self.win, "redact", None)
        if on and redact is not None and hasattr(redact, "set_tool"):
            redact.set_tool("select")  # one drawing mode at a time
        self.win.doc.view.tool = "withheld" if on else "select"
        if on:
            self.win.status("Drag a box over the withheld region on the page")

    def add_region(self, page_no: int, rect: tuple) -> int | None:
        """Log a region the agency withheld on the open document's page; returns its id."""
        from reviewer.session.undo import created_id
        from reviewer.session.withheld import add_withheld

        media = self.win.doc.media
        if media is None or not self._live():
            return None
        pages = self.ctl.pages(media["id"])
        bates = pages[page_no - 1].get("bates") if 0 < page_no <= len(pages) else None
        inverse = self.ctl.apply(add_withheld(media["id"], page_no, rect, (), bates))
        return created_id(inverse, "withheld") if inverse is not None else None

    def _on_doc_withheld_rect_drawn(self, page_no: int, rect: tuple) -> None:
        self.panel.draw_button.setChecked(False)
        new_id = self.add_region(page_no, rect)
        if new_id is None:
            return
        self.selected_id = new_id
        self.show_row(new_id, edit_codes=True)
        self.win.status("Region added: type its exemptions (e.g. b6, b7C) and press Enter")

    def show_row(self, row_id: int, edit_codes: bool = False) -> None:
        from reviewer.ui.documents.withheld_panel import COL_CODES

        p = self.panel
        if all(r["id"] != row_id for r in p.shown):
            p.doc_filter.setCurrentIndex(0)
            p.code_filter.setCurrentIndex(0)
        p.tabs.setCurrentIndex(0)
        p.select_ids([row_id])
        i = next((n for n, r in enumerate(p.shown) if r["id"] == row_id), -1)
        if i >= 0:
            p.table.scrollToItem(p.table.item(i, 0))
            if edit_codes:
                p.table.editItem(p.table.item(i, COL_CODES))
        self.sync_highlights()

    # -- export -----------------------------------------------------------------------------------
    def export(self, kind: str, out: str | None = None) -> None:
        from reviewer.store import withheld as wh_store

        if not self._live():
            return
        rows = list(self.panel.shown)
        if not rows:
            self.win.show_error("The withheld log is empty (nothing shown to export)")
            return
        if out is None:
            from reviewer.ui.case import finish

            finish.ask_save_path(self.win, f"Export the withheld log as {kind.upper()}",
                                 finish.exports_folder(self.ctl.folder), f"withheld_log.{kind}",
                                 f"{kind.upper()} (*.{kind})", lambda path: self.export(kind, path))
            return
        notes = []
        for mid in sorted({r["media_id"] for r in rows}):
            rec = wh_store.scan_record(self.ctl.store, mid) or {}
            name = self.ctl.media(mid)["name"]
            notes += [f"{name}: {n}" for n in rec.get("notes", [])]

        def work(progress: Any) -> Path:
            from reviewer.pdf.withheld_report import write_csv, write_pdf

            return write_csv(rows, out) if kind == "csv" else write_pdf(rows, out, notes=notes)

        def done(path: Path) -> None:
            from reviewer.ui.case import finish

            self.last_export = Path(path)
            self.win.status(f"Withheld log ({len(rows)} region(s)) written to {path}")
            finish.show_result(self.win, "Withheld log written",
                               f"Withheld log ({len(rows)} region(s)) written to\n{path}",
                               folder=Path(path).parent, file=Path(path))

        self.export_job = run_job(work, on_done=done, on_error=self.win.show_error)


def failed_redactions(store: Any, docs: list[tuple[int, str]]) -> list[str]:
    """The scan notes of ``docs`` (id, name) that name a withheld box with text under it."""
    from reviewer.pdf.withheld import FAILED_NOTE
    from reviewer.store import withheld as wh_store

    out = []
    for media_id, name in docs:
        rec = wh_store.scan_record(store, media_id) or {}
        out += [f"{name}: {n}" for n in rec.get("notes", []) if FAILED_NOTE in n]
    return out
