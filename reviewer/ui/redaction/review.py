"""Reviewing an item's redactions in the Redactions panel: it always lists the item selected
in the case (boxes, sound spans, page boxes); A and X accept or reject the suggestions
selected there (or the box selected on the video), and the status line says what happened
and what is left to review."""
from __future__ import annotations

from typing import Any


from reviewer.ui.redaction.redactions_panel import RedactionRow, RedactionsPanel
from reviewer.ui.video import frame_spans


def redaction_rows(ctl: Any, media: dict[str, Any], rejected: bool = False) -> list[RedactionRow]:
    """The rows of one item: a video's box tracks and sound spans, a document's page boxes;
    with ``rejected``, the rejected suggestions too (to look at again and restore)."""
    from reviewer.store.annotations import timeline_tracks
    from reviewer.store.redactions import audio_spans

    rows: list[RedactionRow] = []
    if media["kind"] == "video":
        times = ctl.times(media["id"])
        tracks = ctl.tracks(media["id"])
        if rejected:
            tracks += [t for t in timeline_tracks(ctl.store, media["id"])
                       if t["status"] == "rejected"]
        for t in tracks:
            name = t.get("label") or {"ellipse": "Ellipse", "head": "Head"}.get(t["shape"], "Box")
            span = (f"{frame_spans.short(t['frame_from'], t['frame_to'])} · "
                    f"{times.timecode(t['frame_from'])}–{times.timecode(t['frame_to'])}")
            rows.append(RedactionRow("box", t["id"], f"{name} #{t['id']}", span, t["reason"],
                                     t["status"], t["frame_from"]))
        for s in audio_spans(ctl.store, media["id"]):
            a, b = frame_spans.frames_of(times, s.t_from_s, s.t_to_s)
            span = f"{frame_spans.short(a, b)} · {float(s.t_from_s):.3f}–{float(s.t_to_s):.3f} s"
            rows.append(RedactionRow("audio", s.id, f"{'Mute' if s.mode == 'mute' else 'Bleep'} #{s.id}",
                                     span, s.reason, "active", a))
    else:
        for b in ctl.page_redactions(media["id"]):
            rows.append(RedactionRow("page", b["id"], f"Page box #{b['id']}", f"p. {b['page_no']}",
                                     b["reason"], "active", b["page_no"]))
    return rows


class ReviewTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.panel = RedactionsPanel()
        win.add_dock("redactions", "Redactions", self.panel, tab_with="notes")
        self.panel.jump_requested.connect(self._on_panel_jump_requested)
        self.panel.status_requested.connect(self.set_status)
        self.panel.show_rejected.toggled.connect(lambda _on: self.refresh())
        self.panel.delete_requested.connect(self._on_panel_delete_requested)

    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        ctl.changed.connect(lambda ch: (ch.touches("redactions") or ch.touches("keyframes"))
                            and self.refresh())
        # the view says which item is open once it is: never the one opened before it
        self.win.view.item_opened.connect(lambda _id: self.refresh())
        self.refresh()

    def case_closed(self) -> None:
        self.ctl = None
        self.panel.set_redactions(None, "", [])

    def current_media(self) -> dict[str, Any] | None:
        current = self.win.items.current_id()
        if self.ctl is None or current is None:
            return None
        return self.ctl.media(current)

    def refresh(self) -> None:
        media = self.current_media()
        if media is None:
            self.panel.set_redactions(None, "", [])
            return
        self.panel.set_redactions(media["id"], media["name"],
                                  redaction_rows(self.ctl, media, self.panel.show_rejected.isChecked()),
                                  kind=media["kind"])

    def _on_panel_jump_requested(self, kind: str, rid: int, where: int) -> None:
        media = self.current_media()
        if media is None:
            return
        self.win.view.open_item(media["id"])
        if kind == "page":
            self.win.doc.go_to(where)
            self.win.doc.view.selected_box = rid  # Alt+arrows on the page move it
            self.win.doc.view.viewport().update()
            return
        self.win.video.seek(where)
        if kind == "box":
            self.win.video.view.selected_track = rid
            self.win.video.refresh_overlays()
            self.win.view.show_keyframes(rid)
            self.describe_box(rid)
        else:
            self.win.video.waveform.selected = rid
            self.win.video.waveform.update()
            self.win.status(f"Sound span #{rid}: Delete (in this list) removes it")

    def _on_panel_delete_requested(self, ids: list[int]) -> None:
        from reviewer.session import redactions as red
        from reviewer.session.edits import Batch

        cmds = tuple(red.delete_redaction(i) for i in ids)
        self.ctl.apply(cmds[0] if len(cmds) == 1 else Batch(cmds, label="delete redactions"))
        self.win.status(f"Deleted {len(ids)} redaction{'s' if len(ids) != 1 else ''} (Ctrl+Z undoes)")

    # -- accept / reject ----------------------------------------------------------------------
    def review_selected(self, status: str) -> None:
        """A or X: the suggestions selected in the list when it has the focus (or holds the
        only selection), else the box selected on the video."""
        focus = self.win.focusWidget()
        in_list = focus is not None and self.panel.isAncestorOf(focus)
        ids: list[int] = [] if not in_list else self.panel.selected_suggestions()
        if not in_list:
            tid = self.win.video.view.selected_track
            t = self.win.view.track(tid) if self.win.view is not None and tid >= 0 else None
            ids = [tid] if t is not None and t["status"] == "suggested" \
                else self.panel.selected_suggestions()
        if not ids:
            self.win.status("Select a suggestion first (in Redactions, or click its dashed box)")
            return
        self.set_status(ids, status)

    def set_status(self, ids: list[int], status: str) -> None:
        if self.ctl is None or not ids:
            return
        nxt = self.panel.next_suggestion(ids)  # chosen from the list as it was
        self.ctl.set_status(ids, status)  # the panel refreshes from the change
        left = sum(r.status == "suggested" for r in self.panel.rows)
        word = "Accepted" if status == "active" else "Rejected"
        what = f"{len(ids)} suggestions" if len(ids) > 1 else f"suggestion #{ids[0]}"
        tail = (f"{left} suggestion{'s' if left != 1 else ''} left to review" if left
                else "no suggestions left to review")
        if status == "rejected" and self.win.video.view.selected_track in ids:
            self.win.video.view.selected_track = -1
            self.win.video.refresh_overlays()
        if status == "suggested":
            word = "Restored"
        if nxt is not None:
            self.panel.select(nxt)
            tail += f"; #{nxt} selected next and shown"
            row = next((r for r in self.panel.rows if r.id == nxt), None)
            if row is not None:  # the next A must never accept a suggestion not seen
                self._on_panel_jump_requested(row.kind, row.id, row.where)
        self.win.status(f"{word} {what}: {tail} (Ctrl+Z undoes)")

    def describe_box(self, track_id: int) -> None:
        t = self.win.view.track(track_id) if self.win.view and track_id >= 0 else None
        if t is not None:
            state = "suggested (A accept, X reject)" if t["status"] == "suggested" else t["status"]
            self.win.status(f"Box {track_id}: frames {t['frame_from']}–{t['frame_to']}, "
                            f"reason {t['reason'] or '—'}, {state}")
