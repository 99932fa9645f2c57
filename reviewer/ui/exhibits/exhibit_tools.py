"""Exhibits from the window: declare from the playhead, In–Out or pages; reorder; bundle."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QInputDialog, QMenu

from reviewer.errors import ReviewerError
from reviewer.session.edits import Changes
from reviewer.ui.exhibits.exhibits_panel import BundlePreview, ExhibitsPanel, exhibit_rows


class ExhibitTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl = None
        self.panel = ExhibitsPanel()
        win.add_dock("exhibits", "Exhibits", self.panel, tab_with="notes")
        win.docks["notes"].raise_()
        self.panel.declare_requested.connect(self.declare)
        self.panel.move_requested.connect(self._on_panel_move_requested)
        self.panel.remove_requested.connect(self._on_panel_remove_requested)
        self.panel.bundle_requested.connect(self.bundle)
        self.panel.jump_requested.connect(lambda m, n: win._open_at(m, n))

    def build_menu(self, menu: QMenu) -> None:
        w = self.win
        w.act("exhibit_clip", "Clip exhibit from In–Out", lambda: self.declare("clip"), None,
              None, menu)
        w.act("exhibit_still", "Still exhibit of this frame", lambda: self.declare("still"),
              None, None, menu)
        w.act("exhibit_pages", "Exhibit of pages…", lambda: self.declare("pages"), None, None, menu)
        menu.addSeparator()
        w.act("bundle", "&Bundle…", self.bundle, "Ctrl+B", "bundle", menu)

    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        ctl.changed.connect(self._on_ctl_changed)
        self.refresh()

    def case_closed(self) -> None:
        self.ctl = None
        self.panel.set_rows([])

    def refresh(self) -> None:
        if self.ctl is not None:
            self.panel.set_rows(exhibit_rows(self.ctl))

    def _on_ctl_changed(self, changes: Changes) -> None:
        if changes.touches("exhibits"):
            self.refresh()

    def declare(self, kind: str, pages: tuple[int, int] | None = None) -> None:
        from reviewer.citation import exhibits as ex
        from reviewer.store.exhibits import next_seq

        w, ctl = self.win, self.ctl
        if ctl is None:
            return
        try:
            seq = next_seq(ctl.store)
            if kind in ("clip", "still"):
                media = w.video.media
                if media is None:
                    raise ReviewerError("open a video first")
                if kind == "still":
                    cmd = ex.declare_still(media, w.video.frame, seq)
                else:
                    a, b = w.video.mark_in, w.video.mark_out
                    if a < 0 or b < 0:
                        raise ReviewerError("set In (I) and Out (O) on the video first")
                    cmd = ex.declare_clip(media, a, b, seq)
            else:
                media = w.doc.media
                if media is None:
                    raise ReviewerError("open a document first")
                if pages is None:
                    page = w.doc.view.current_page + 1
                    text, ok = QInputDialog.getText(w, "Exhibit of pages", "Pages (e.g. 3 or 3-5)",
                                                    text=str(page))
                    if not ok:
                        return
                    pages = ex.parse_range(text.replace("-", ":").replace("–", ":"), "pages") \
                        if ":" in text or "-" in text or "–" in text else (int(text), int(text))
                cmd = ex.declare_pages(media, pages[0], pages[1], seq)
        except (ReviewerError, ValueError) as exc:
            w.show_error(str(exc))
            return
        ctl.apply(cmd)
        w.docks["exhibits"].raise_()
        w.status(f"Exhibit declared: {exhibit_rows(ctl)[-1]['cite']}")

    def _on_panel_move_requested(self, exhibit_id: int, index: int) -> None:
        from reviewer.citation import exhibits as ex
        from reviewer.store.exhibits import list_exhibits

        self.ctl.apply(ex.reorder(list_exhibits(self.ctl.store), exhibit_id, index))

    def _on_panel_remove_requested(self, exhibit_id: int) -> None:
        from reviewer.citation import exhibits as ex
        from reviewer.store.exhibits import list_exhibits

        self.ctl.apply(ex.remove(list_exhibits(self.ctl.store), exhibit_id))

    def bundle(self, out: str | None = None, preview: bool = True,
               with_withheld: bool = False) -> None:
        if self.ctl is None:
            return
        rows = exhibit_rows(self.ctl)
        if not rows:
            self.win.show_error("No exhibits declared yet: add a clip, still or pages first")
            return
        if preview:
            from reviewer.store.exhibits import bundle_annotations

            dlg = BundlePreview(rows, self.win, marked_notes=len(bundle_annotations(self.ctl.store)))
            self.preview_dialog = dlg
            dlg.accepted.connect(lambda: self._write(out, dlg.with_withheld.isChecked()))
            dlg.open()
            return
        self._write(out, with_withheld)

    def _write(self, out: str | None, with_withheld: bool) -> None:
        from reviewer.ui.case import case_jobs

        # the exhibits are swept for identifiers still readable before writing: the documents'
        # text and the words read in the clips and stills
        find = self.win.redact.find
        find.gate(find.exhibit_targets(), "the bundle's exhibits",
                  lambda: self.win.speech.gate_clips("the bundle's clips", lambda: case_jobs.bundle(
                      self.win, out, with_withheld=with_withheld)),
                  videos=find.exhibit_videos())
