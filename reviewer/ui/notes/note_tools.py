"""Making notes from where the reviewer is: this frame, In–Out, this page, a selected passage."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QInputDialog


class NoteTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        win.notes.bundle_requested.connect(self.mark_for_bundle)
        # what the reviewer last pointed at, with the mouse or the keyboard: N notes that
        self.pointed: str | None = None     # "video" | "pdf"
        self.pointed_page: int | None = None
        win.video.view.clicked.connect(lambda: self._point("video"))
        win.doc.view.page_clicked.connect(lambda page: self._point("pdf", page))
        from PySide6.QtWidgets import QApplication

        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def item_opened(self, media_id: int) -> None:
        """An item chosen in the Case list (or jumped to) is what is pointed at now."""
        if self.win.ctl is not None:
            self._point(self.win.ctl.media(media_id)["kind"])

    def _point(self, kind: str, page: int | None = None) -> None:
        self.pointed, self.pointed_page = kind, page

    def _on_focus_changed(self, _old: Any, new: Any) -> None:
        if new is self.win.video.view:
            self._point("video")
        elif new is self.win.doc.view and self.pointed != "pdf":
            self._point("pdf")

    def target(self) -> tuple[dict[str, Any] | None, int | None]:
        """The item a note goes on, and for a document the page: the one last clicked (or
        focused), else the item selected in the Case list."""
        w = self.win
        if self.pointed == "video" and w.video.media is not None:
            return w.ctl.media(w.video.media["id"]), None
        if self.pointed == "pdf" and w.doc.media is not None:
            page = self.pointed_page
            if page is None or page - 1 not in w.doc.view.visible_pages():
                page = w.doc.view.current_page + 1  # scrolled away since: the page on screen
            return w.ctl.media(w.doc.media["id"]), page
        current = w.items.current_id()
        if current is None:
            return None, None
        media = w.ctl.media(current)
        return media, (w.doc.view.current_page + 1 if media["kind"] == "pdf" else None)

    def build_menu(self, menu: Any) -> None:
        w = self.win
        w.act("note_here", "Note here (frame or page)", lambda: self.add_note("frame"), "N",
              "note", menu)
        w.act("note_range", "Note on In–Out", lambda: self.add_note("range"), "Shift+N", None,
              menu)
        w.act("note_region", "Note on selected passage", lambda: self.add_note("region"), None,
              None, menu)
        menu.addSeparator()
        w.act("note_bundle", "Include selected notes in the bundle", w.notes.toggle_bundle_mark,
              "Ctrl+Shift+B", "bundle", menu)

    def mark_for_bundle(self, ids: list[int], on: bool) -> None:
        """Mark (or unmark) notes for the bundle's notes report: one undo step."""
        from reviewer.errors import ReviewerError
        from reviewer.session import annotations as notes
        from reviewer.session.edits import Batch

        ctl = self.win.ctl
        if ctl is None or not ids:
            return
        label = "mark note for the bundle" if on else "keep note out of the bundle"
        try:
            cmds = tuple(notes.edit_annotation(ctl.store, i, for_bundle=on, label=label) for i in ids)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        ctl.apply(cmds[0] if len(cmds) == 1 else Batch(cmds, label=label))
        n = f"{len(ids)} notes" if len(ids) > 1 else f"Note {ids[0]}"
        self.win.status(f"{n} will go into the bundle's notes report (Ctrl+Z undoes)" if on else
                        f"{n} will stay in the case, out of the bundle (Ctrl+Z undoes)")

    # -- notes --------------------------------------------------------------------------------
    def ask_note_text(self, where: str) -> tuple[str, list[str]] | None:
        """Text and #tags for a new note; None when cancelled (tests replace this)."""
        text, ok = QInputDialog.getText(self.win, "New note", f"Note on {where}  (#tags allowed)")
        if not ok or not text.strip():
            return None
        words = text.split()
        tags = [w[1:] for w in words if w.startswith("#") and len(w) > 1]
        body = " ".join(w for w in words if not (w.startswith("#") and len(w) > 1))
        return body, tags

    def add_note(self, kind: str) -> None:
        if self.win.ctl is None or self.win.view is None:
            return
        media, pointed_page = self.target()
        if media is None:
            self.win.status("Select an item first")
            return
        if media["kind"] == "video":
            if kind == "range":
                a, b = self.win.video.mark_in, self.win.video.mark_out
                if a < 0 or b < 0:
                    self.win.status("Set In (I) and Out (O) first")
                    return
            else:
                a = b = self.win.video.frame
            where = f"frames {a}–{b}" if b != a else f"frame {a}"
            got = self.ask_note_text(f"{media['name']}, {where}")
            if got and self.win.ctl.add_note(media["id"], got[0], frame=a, frame_to=b,
                                             tags=got[1]) is not None:
                self.win.status(f"Note added on {media['name']}, {where}")
        else:
            page = pointed_page or self.win.doc.view.current_page + 1
            sel = [r for r in self.win.doc.view.rects if r.kind == "select"]
            rect = (sel[-1].x0_pt, sel[-1].y0_pt, sel[-1].x1_pt, sel[-1].y1_pt) \
                if kind == "region" and sel else None
            if rect is not None:
                page = sel[-1].page_no
            where = f"page {page}" + (" (selected passage)" if rect else "")
            got = self.ask_note_text(f"{media['name']}, {where}")
            if got and self.win.ctl.add_note(media["id"], got[0], page_no=page, rect=rect,
                                             tags=got[1]) is not None:
                self.win.status(f"Note added on {media['name']}, {where}")
