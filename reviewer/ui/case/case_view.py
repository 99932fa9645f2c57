"""Glue that keeps every view showing the open case: items, overlays, timeline, notes, pages.

Reads only; edits go through the controller. Refreshes follow the session's Changes so a
note added does not re-read redactions and a box moved does not reload the notes list.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from reviewer.annotate.geometry import box_at
from reviewer.session.edits import Changes
from reviewer.ui.notes.annotations_panel import AnnotationsPanel
from reviewer.ui.case.controller import CaseController
from reviewer.ui.documents.doc_pane import DocPane
from reviewer.ui.video.frame_source import rgb_to_qimage
from reviewer.ui.case.items_panel import ItemsPanel, ItemSummary, pdf_detail, video_detail
from reviewer.ui.documents.pages_view import PageRect
from reviewer.ui.video.timeline import Span
from reviewer.ui.video.video_pane import VideoPane
from reviewer.ui.video.video_view import BoxOverlay
from reviewer.ui.workers import run_job


class CaseView(QObject):
    item_opened = Signal(int)  # media id, once the views show it and it is the current item

    def __init__(self, ctl: CaseController, items: ItemsPanel, video: VideoPane, doc: DocPane,
                 notes: AnnotationsPanel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctl, self.items, self.video, self.doc, self.notes = ctl, items, video, doc, notes
        self.video_id: int | None = None
        self.doc_id: int | None = None
        self.hits: list[PageRect] = []
        self._tracks: list[dict[str, Any]] = []
        self.video.overlay_provider = self.overlays_at
        self.video.view.box_selected.connect(self.show_keyframes)
        self.doc.bates_lookup = ctl.find_bates
        video.forget_marks()  # In/Out of another case's clips mean nothing here
        self.notes.model.where = ctl.where
        ctl.changed.connect(self._on_ctl_changed)

    def detach(self) -> None:
        """Stop listening to the shared widgets: the case this view showed is closing."""
        self.video.view.box_selected.disconnect(self.show_keyframes)
        self.video.overlay_provider = lambda frame: []
        self.doc.bates_lookup = lambda text: None

    # -- items --------------------------------------------------------------------------------
    def refresh_items(self, thumbnails: bool = True) -> None:
        self.ctl.reload_media()
        summaries = []
        for m in self.ctl.media_list():
            if m["kind"] == "video":
                detail = video_detail(m)
            else:
                detail = pdf_detail(m, *self.ctl.bates_range(m["id"]))
            summaries.append(ItemSummary(m["id"], m["kind"], m["name"], detail))
        self.items.set_items(summaries)
        if thumbnails:
            for m in self.ctl.media_list():
                self._thumbnail(m)

    def _thumbnail(self, m: dict[str, Any]) -> None:
        media_id, path = m["id"], m["path"]
        if m["kind"] == "video":
            index = self.ctl.video_index(media_id)

            def work(progress: Any) -> QImage:
                reader = media_access_reader(path, index)
                try:
                    return rgb_to_qimage(reader.frame(0))
                finally:
                    reader.close()
        else:
            def work(progress: Any) -> QImage:
                from reviewer.pdf.render import thumbnail

                w, h, stride, data = thumbnail(path, 1, 128)
                return QImage(data, w, h, stride, QImage.Format_RGB888).copy()
        run_job(work, on_done=lambda img: self.items.set_thumbnail(media_id, img),
                on_error=lambda why: None)

    def open_item(self, media_id: int) -> None:
        m = self.ctl.media(media_id)
        self.items.select(media_id)
        if m["kind"] == "video":
            if self.video_id != media_id:
                from reviewer.ui.case import media_access

                index = self.ctl.video_index(media_id)
                self.video_id = media_id
                self._tracks = self.ctl.tracks(media_id)
                self.video.open_video(m, media_access.frame_times(index),
                                      media_access.server_factory(m["path"], index))
                self.refresh_timeline()
        elif self.doc_id != media_id:
            self.doc_id = media_id
            self.hits = []
            self.doc.open_document(m, self.ctl.pages(media_id))
            self.refresh_page_rects()
        self.item_opened.emit(media_id)

    # -- video overlays and timeline ----------------------------------------------------------
    def overlays_at(self, frame: int) -> list[BoxOverlay]:
        out = []
        for t in self._tracks:
            if t["frame_from"] <= frame <= t["frame_to"] and t["kfs"]:
                out.append(BoxOverlay(t["id"], box_at(t["kfs"], frame), t["shape"], t["style"],
                                      t["reason"], t["status"]))
        return out

    def track(self, track_id: int) -> dict[str, Any] | None:
        return next((t for t in self._tracks if t["id"] == track_id), None)

    def refresh_timeline(self) -> None:
        if self.video_id is None:
            return
        tl = self.video.timeline
        tl.set_notes([Span(i, a, b) for i, a, b in self.ctl.timeline_notes(self.video_id)])
        tl.set_tracks([Span(t["id"], t["frame_from"], t["frame_to"], t["status"])
                       for t in self._tracks])
        times = self.video.times
        if times is not None:
            from reviewer.store.redactions import audio_spans

            from reviewer.ui.video.frame_spans import frames_of

            tl.set_audio([Span(s.id, *frames_of(times, s.t_from_s, s.t_to_s))
                          for s in audio_spans(self.ctl.store, self.video_id)])
        self.show_keyframes(self.video.view.selected_track)

    def show_keyframes(self, track_id: int) -> None:
        t = self.track(track_id) if track_id >= 0 else None
        self.video.timeline.set_keyframes([k.frame for k in t["kfs"]] if t else [])

    # -- pages --------------------------------------------------------------------------------
    def refresh_page_rects(self) -> None:
        if self.doc_id is None:
            return
        rects = [PageRect(r["page_no"], *r["rect"], kind="redact", id=r["id"], label=r["reason"])
                 for r in self.ctl.page_redactions(self.doc_id)]
        for a in self.ctl.notes(self.doc_id)[0]:
            if a.rect_pt:
                rects.append(PageRect(a.page_no, *a.rect_pt, kind="note", id=a.id))
        self.doc.set_rects(rects + self.hits)

    # -- notes --------------------------------------------------------------------------------
    def refresh_notes(self) -> None:
        f = self.notes.filters()
        media = None
        if f["scope"] == "current":
            media = self.items.current_id()
        notes, total = self.ctl.notes(media, f["tag"], f["text"])
        self.notes.set_tags(self.ctl.tags())
        self.notes.set_notes(notes, total)

    def _on_ctl_changed(self, changes: Changes) -> None:
        if changes.touches("annotations") or changes.touches("links") or changes.touches("tags"):
            self.refresh_notes()
            self.refresh_timeline()
            self.refresh_page_rects()
        if changes.touches("redactions") or changes.touches("keyframes"):
            if self.video_id is not None:
                self._tracks = self.ctl.tracks(self.video_id)
                self.video.refresh_overlays()
                self.refresh_timeline()
            self.refresh_page_rects()


def media_access_reader(path: str, index: Any) -> Any:
    from reviewer.ui.case import media_access

    return media_access.reader_factory(path, index)()
