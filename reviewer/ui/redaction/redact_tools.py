"""Redaction in the window: drawing tools, reason picker, preview toggle, review of suggestions.

Boxes drawn on the video become a track over In–Out (or from this frame to the end when no
range is set, since covering too much is the safe error); moving or resizing a box at a frame
adds a keyframe there. Boxes drawn on a page become page redactions.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QMenu, QToolBar

from reviewer.annotate.geometry import Box
from reviewer.ui.documents.pages_view import PageRect
from reviewer.ui.reason_list import fill_reasons


class RedactTools:
    def __init__(self, win: Any) -> None:
        from reviewer.ui.redaction.review import ReviewTools

        self.win = win
        self.ctl = None
        self.span_in_out = False  # B: this frame to the end; Shift+B: over In–Out
        self.review = ReviewTools(win)
        self.panel = self.review.panel
        self.panel.detect_requested.connect(self.find_faces)
        self.reason = QComboBox()
        self.reason.setToolTip("Reason for new redactions")
        self.reason.setMinimumWidth(90)
        self.group = QActionGroup(win)
        self.tool_actions: dict[str, QAction] = {}
        win.video.view.box_drawn.connect(self._on_view_box_drawn)
        win.video.view.box_changed.connect(self._on_view_box_changed)
        win.video.view.box_selected.connect(self._on_view_box_selected)
        win.doc.page_rect_drawn.connect(self._on_doc_page_rect_drawn)
        win.doc.page_rect_changed.connect(self._on_doc_page_rect_changed)
        from reviewer.ui.redaction.coverage import CoverageTools
        from reviewer.ui.video.sound_tools import SoundTools
        from reviewer.ui.redaction.tracking_tools import TrackingTools

        from reviewer.ui.redaction.find_redact import FindRedactTools

        self.sound = SoundTools(win)
        self.coverage = CoverageTools(win)
        self.find = FindRedactTools(win)
        self.tracking = TrackingTools(win)
        win.notes.tag_color_requested.connect(self._on_notes_tag_color_requested)

    def build_menu(self, menu: QMenu) -> None:
        w = self.win
        for key, text, shortcut, icon_name in [("select", "Select / move boxes", "S", None),
                                               ("rect", "Draw box", "B", "redact"),
                                               ("ellipse", "Draw ellipse", "E", "ellipse"),
                                               ("page", "Draw box on page", "R", "pdf")]:
            a = w.act(f"tool_{key}", text, lambda k=key: self.set_tool(k), shortcut, icon_name,
                      menu, checkable=True)
            self.group.addAction(a)
            self.tool_actions[key] = a
        self.tool_actions["select"].setChecked(True)
        # the In–Out span only when asked for: a box drawn with B covers this frame to the end
        w.act("tool_rect_inout", "Draw box over In–Out", lambda: self.set_tool("rect", True),
              "Shift+B", None, menu)
        w.act("tool_ellipse_inout", "Draw ellipse over In–Out",
              lambda: self.set_tool("ellipse", True), "Shift+E", None, menu)
        menu.addSeparator()
        self.preview = w.act("preview", "Preview redactions", self._on_preview_toggled, "P",
                             "eye", menu, checkable=True)
        self.preview.setChecked(w.prefs.redaction_preview)
        menu.addSeparator()
        w.act("delete_box", "Delete selected box", self.delete_selected, "Delete", "delete", menu)
        w.act("accept", "Accept selected suggestion", lambda: self.review.review_selected("active"),
              "A", None, menu)
        w.act("reject", "Reject selected suggestion",
              lambda: self.review.review_selected("rejected"), "X", None, menu)
        for key in ("delete_box", "accept", "reject"):
            # only while the video has focus: Delete in the notes list deletes notes
            w.actions[key].setShortcutContext(Qt.WidgetWithChildrenShortcut)
            w.video.addAction(w.actions[key])
        for key in ("accept", "reject"):  # and in the Redactions list, where review happens
            self.panel.addAction(w.actions[key])
        menu.addSeparator()
        w.act("mute", "Mute audio In–Out", self.mute_in_out, "M", None, menu)
        w.act("sound_mode", "Sound strip: switch mute / bleep", self.toggle_sound_mode, "Shift+M",
              None, menu)
        menu.addSeparator()
        self.tracking.build_menu(menu)
        menu.addSeparator()
        w.act("coverage", "Check faces not covered", self.coverage.check, "Ctrl+Shift+C", "face",
              menu)
        w.act("faces", "Find faces…", self.find_faces, "Ctrl+Shift+D", "face", menu)
        w.act("faces_all", "Find faces in every video", self.find_faces_all, None, "face", menu)
        w.act("find_text", "Find text…", self.find_text, "Ctrl+Shift+T", "search", menu)
        w.act("find_all", "Find faces and text…", self.find_all, None, "face", menu)
        w.act("search_redact", "Search and redact…", self.search_and_redact, "Ctrl+Shift+F",
              "search", menu)
        menu.addSeparator()
        w.act("export", "Export redacted copy…", self.export_current, "Ctrl+E", "export", menu)

    def fill_toolbar(self, tb: QToolBar) -> None:
        tb.addSeparator()
        for key in ("select", "rect", "ellipse", "page"):
            if key != "select":
                tb.addAction(self.tool_actions[key])
        tb.addWidget(self.reason)
        tb.addAction(self.preview)

    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        fill_reasons(self.reason, ctl.reasons(), self.win.prefs.default_reason)
        self._on_preview_toggled()
        for tool in (self.review, self.sound, self.coverage, self.tracking, self.find):
            tool.case_opened(ctl)
        from reviewer.store.tags import list_tags

        self.win.notes.color_lookup = lambda: {t.name: t.color for t in list_tags(ctl.store)}
        if self.win.view is not None:
            self.win.view.refresh_notes()

    def case_closed(self) -> None:
        for tool in (self.find, self.tracking, self.coverage, self.sound, self.review):
            tool.case_closed()
        self.ctl = None
        self.reason.clear()
        self.set_tool("select")

    def _on_notes_tag_color_requested(self, tag: str, color: str) -> None:
        from reviewer.session.annotations import set_tag_color

        if self.ctl is not None:
            self.ctl.apply(set_tag_color(tag, color))
            self.win.status(f"Tag “{tag}” is now {color} (Ctrl+Z undoes)")

    def toggle_sound_mode(self) -> None:
        combo = self.win.video.sound_mode
        combo.setCurrentIndex(1 - combo.currentIndex())
        self.win.status(f"Dragging on the sound strip now {combo.currentData()}s it")

    def mute_in_out(self) -> None:
        from fractions import Fraction

        from reviewer.session import redactions as red

        pane = self.win.video
        if self.ctl is None or pane.media is None or pane.mark_in < 0 or pane.mark_out < 0:
            self.win.status("Set In (I) and Out (O) on a video first")
            return
        t0 = pane.times.seconds(pane.mark_in)
        nxt = pane.mark_out + 1
        t1 = pane.times.seconds(nxt) if nxt < pane.times.count else pane.times.end_seconds()
        self.ctl.apply(red.add_audio_span(pane.media["id"], Fraction(t0), Fraction(t1),
                                          reason=self.reason.currentData() or ""))
        from reviewer.ui.video.frame_spans import prose

        self.win.status(f"Audio muted over {prose(pane.mark_in, pane.mark_out)} (Ctrl+Z undoes)")

    def find_faces(self) -> None:
        from reviewer.ui.case import case_jobs

        if self.ctl is None or self.win.video.media is None:
            self.win.status("Open a video first")
            return
        case_jobs.detect_faces(self.win, self.win.video.media, self.reason.currentData() or "b6")

    def find_faces_all(self) -> None:
        from reviewer.ui.case import case_jobs

        case_jobs.detect_faces_all(self.win, self.reason.currentData() or "b6")

    def find_text(self) -> None:
        from reviewer.ui.case import case_jobs

        if self.ctl is None or self.win.video.media is None:
            self.win.status("Open a video first")
            return
        case_jobs.detect_text(self.win, self.win.video.media, self.reason.currentData() or "b6")

    def find_all(self) -> None:
        from reviewer.ui.case import case_jobs

        if self.ctl is None or self.win.video.media is None:
            self.win.status("Open a video first")
            return
        case_jobs.detect_all(self.win, self.win.video.media, self.reason.currentData() or "b6")

    def search_and_redact(self) -> None:
        self.find.open(self.reason.currentData() or "b6")
        self.search_dialog = self.find.panel

    def export_current(self, out: str | None = None) -> None:
        from reviewer.ui.case import case_jobs

        current = self.win.items.current_id()
        if self.ctl is None or current is None:
            self.win.status("Select an item to export")
            return
        media = self.ctl.media(current)
        # a video is checked for uncovered faces first (or the user is told it never was), a
        # document swept for identifiers still readable
        if media["kind"] == "pdf":
            self.find.gate([(media, None)], media["name"],
                           lambda: case_jobs.export_item(self.win, media, out))
            return
        # a video: the words read in it are swept too, then its face coverage is checked
        # (and what was said in it, for spoken identifiers)
        self.find.gate([], media["name"], lambda: self.win.speech.gate(
            [media["id"]], media["name"], lambda: self.coverage.gate_export(
                media, lambda: case_jobs.export_item(self.win, media, out))),
            videos=[(media, None)])

    def export_all(self, out: str | None = None) -> None:
        """File ▸ Export all: every document and every video's words swept first."""
        from reviewer.ui.case import case_jobs, finish

        if self.ctl is None:
            case_jobs.export_all(self.win, out)
            return
        if out is None:  # where first (a folder chooser in the case's exports folder), then sweep
            finish.ask_folder(self.win, "Export every item into this folder",
                              finish.exports_folder(self.ctl.folder), self.export_all,
                              key=finish.case_key("exports", self.ctl.folder))
            return
        if case_jobs.refuse_export_folder(self.win, out):
            return
        docs, videos = self.find.every_item()
        self.find.gate(docs, "every item of the case", lambda: self.win.speech.gate(
            [m["id"] for m, _ in videos], "the videos", lambda: case_jobs.export_all(self.win, out)),
            videos=videos)

    def set_tool(self, key: str, in_out: bool = False) -> None:
        pane = self.win.video
        if in_out and (pane.mark_in < 0 or pane.mark_out < 0):
            self.win.status("Set In (I) and Out (O) on this video first, then Shift+B draws a "
                            "box over In–Out")
            return
        self.span_in_out = in_out and key in ("rect", "ellipse")
        self.tool_actions[key].setChecked(True)
        pane.view.set_tool(key if key in ("rect", "ellipse") else "select")
        self.win.doc.view.tool = "redact" if key == "page" else "select"
        shape = "an ellipse" if key == "ellipse" else "a box"
        span = (f"over In–Out (frames {pane.mark_in}–{pane.mark_out})" if self.span_in_out else
                "from this frame to the last (Shift+B: over In–Out instead)")
        names = {"select": "Select: click a box to move it; drag its corner to resize",
                 "rect": f"Draw {shape} over what must be hidden, {span}",
                 "ellipse": f"Draw {shape} over what must be hidden, {span}",
                 "page": "Drag on a page to redact that area, or press Enter on the page for a box "
                         "in its middle (Alt+arrows move it)"}
        self.win.status(names[key])

    def _on_preview_toggled(self) -> None:
        on = self.preview.isChecked()
        self.win.video.view.set_preview(on)
        self.win.doc.view.preview = on
        self.win.doc.view.viewport().update()

    # -- video --------------------------------------------------------------------------------
    def _on_view_box_drawn(self, box: Box, shape: str) -> None:
        pane = self.win.video
        if self.ctl is None or pane.media is None:
            return
        n = pane.frame
        a, b = pane.mark_in, pane.mark_out
        if self.span_in_out and a >= 0 and b >= 0:
            # the keyframe is where it was drawn; outside In–Out it is held from the nearest end
            why = f"In–Out, frames {a}–{b}"
            n = min(max(n, a), b)
        else:
            a, b = n, pane.times.count - 1
            why = f"frames {a}–{b}, this frame to the last (Shift+B draws over In–Out)"
        self.ctl.add_box(pane.media["id"], n, a, b, box, shape, self.reason.currentData() or "")
        self.win.status(f"{'Ellipse' if shape == 'ellipse' else 'Box'} added over {why}; move it "
                        "at other frames to follow")

    def _on_view_box_changed(self, track_id: int, box: Box) -> None:
        if self.ctl is not None:
            self.ctl.move_box(track_id, self.win.video.frame, box)

    def _on_view_box_selected(self, track_id: int) -> None:
        self.review.describe_box(track_id)
        if track_id >= 0:
            self.panel.select(track_id)

    def delete_selected(self) -> None:
        if self.win.video.waveform.hasFocus() and self.sound.delete_selected():
            return
        tid = self.win.video.view.selected_track
        if self.ctl is not None and tid >= 0:
            self.win.video.view.selected_track = -1
            self.ctl.delete_redaction(tid)

    # -- documents ----------------------------------------------------------------------------
    def _on_doc_page_rect_drawn(self, page_no: int, rect: tuple) -> None:
        if self.ctl is not None and self.win.doc.media is not None:
            rid = self.ctl.add_page_box(self.win.doc.media["id"], page_no, rect,
                                        self.reason.currentData() or "")
            if rid is not None:  # the new box is the one the keys move next
                self.select_page_box(rid)
                self.win.status(f"Box added on page {page_no}: Alt+arrows move it, "
                                "Alt+Shift+arrows resize it (Ctrl: one point), Ctrl+Z undoes")

    def select_page_box(self, rid: int) -> None:
        self.win.doc.view.selected_box = rid
        self.win.doc.view.viewport().update()
        self.panel.select(rid)

    def _on_doc_page_rect_changed(self, rid: int, rect: tuple) -> None:
        if self.ctl is not None:
            self.ctl.move_page_box(rid, rect)

    def highlight_hits(self, media_id: int, page_no: int, query: str) -> None:
        """Mark where the query's words are on the page (found off the GUI thread)."""
        from reviewer.ui.workers import run_job

        path = self.ctl.media(media_id)["path"]
        words = [w for w in query.split() if w]

        def work(progress: Any) -> list[PageRect]:
            import re

            from reviewer.pdf.search import find_matches

            pattern = "|".join(re.escape(w) for w in words)
            out = []
            for m in find_matches(path, re.compile(pattern, re.IGNORECASE), pages=[page_no]):
                out.extend(PageRect(m.page_no, *r, kind="hit") for r in m.rects)
            return out

        def done(rects: list[PageRect]) -> None:
            if self.win.view is not None and self.win.view.doc_id == media_id:
                self.win.view.hits = rects
                self.win.view.refresh_page_rects()
                if rects:
                    self.win.doc.go_to(page_no, (rects[0].x0_pt, rects[0].y0_pt))
        run_job(work, on_done=done, on_error=self.win.status)
