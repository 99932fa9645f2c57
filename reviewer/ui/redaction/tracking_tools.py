"""Tracking assist and box look for the selected box track.

Track forward/backward carries the selected box from the frame on screen to the track's end
(or start), or a few seconds on when the frame is already there, on a worker with its own
exact-frame reader, with progress and cancel. What it carried replaces the track's keyframes
on those frames in one undo step; the keyframes show on the timeline, and moving the box at
any frame corrects it there.

Box look: solid, blur or pixelate. Blur and pixelation can be undone on text and number
plates, so choosing one warns once per window.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox

from reviewer.ui.workers import run_with_dialog

EXTRA_SECONDS = 3  # past the track's end (or before its start): how far one step carries
LOOK_WARNING = ("Blur and pixelation can be reversed on text and number plates, and a face "
                "can sometimes be recognised through them.\n\nSolid black is the safe default; "
                "use blur or pixelate only where the reader must see that something is there "
                "and nothing of it can be read.")


def track_range(frame: int, frame_from: int, frame_to: int, count: int, fps: float,
                direction: int) -> int:
    """Where one tracking step ends: the track's end (start) if the frame is before (after)
    it, else a few seconds further, within the video."""
    extra = max(1, round(fps * EXTRA_SECONDS))
    if direction > 0:
        end = frame_to if frame < frame_to else frame + extra
        return min(end, count - 1)
    end = frame_from if frame > frame_from else frame - extra
    return max(end, 0)


class TrackingTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.job: Any = None
        self.look_warned = False
        self.warning: QMessageBox | None = None
        self.look_actions: dict[str, QAction] = {}
        self.look_group = QActionGroup(win)
        win.video.view.box_selected.connect(lambda _id: self.sync_look())

    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl

    def case_closed(self) -> None:
        self.ctl = None

    def build_menu(self, menu: QMenu) -> None:
        w = self.win
        w.act("track_fwd", "Track selected box forward", lambda: self.track(1), "T", None, menu)
        w.act("track_back", "Track selected box backward", lambda: self.track(-1), "Shift+T",
              None, menu)
        looks = menu.addMenu("Selected box look")
        for style, text in (("solid", "Solid (safe)"), ("blur", "Blur"),
                            ("pixelate", "Pixelate")):
            a = w.act(f"look_{style}", text, lambda s=style: self.set_look(s), None, None, looks,
                      checkable=True)
            self.look_group.addAction(a)
            self.look_actions[style] = a
        self.look_actions["solid"].setChecked(True)

    def _selected(self) -> dict[str, Any] | None:
        v = self.win.view
        tid = self.win.video.view.selected_track
        return v.track(tid) if (self.ctl is not None and v is not None and tid >= 0) else None

    # -- tracking -----------------------------------------------------------------------------
    def track(self, direction: int) -> None:
        from reviewer.annotate.geometry import box_at

        t = self._selected()
        pane = self.win.video
        if t is None or pane.media is None or not t["kfs"]:
            self.win.status("Select a box on the video first (click it), then track it")
            return
        n = pane.frame
        end = track_range(n, t["frame_from"], t["frame_to"], pane.times.count,
                          float(pane.media.get("fps") or 30.0), direction)
        if end == n:
            self.win.status("Nothing to track: this is the "
                            + ("last" if direction > 0 else "first") + " frame")
            return
        box = box_at(t["kfs"], n)
        media, track_id = pane.media, t["id"]
        index = self.ctl.video_index(media["id"])

        def work(progress: Any) -> list:
            from reviewer.media.tracking import track_box
            from reviewer.ui.case import media_access

            reader = media_access.reader_factory(media["path"], index)()  # this job's own
            try:
                return track_box(reader, n, box, direction, end, progress)
            finally:
                reader.close()

        def done(kfs: list) -> None:
            self.apply(media['id'], track_id, kfs, n, end)

        word = "forward" if direction > 0 else "backward"
        self.job = run_with_dialog(self.win, f"Tracking box #{track_id} {word}", work,
                                   on_done=done, on_error=self.win.show_error,
                                   on_cancel=lambda: self.win.status("Tracking cancelled"))

    def apply(self, media_id: int, track_id: int, kfs: list, start: int, end: int) -> None:
        from reviewer.errors import ReviewerError
        from reviewer.session.detect import carry_box_command

        if self.ctl is None or len(kfs) < 2:
            self.win.status("The box could not be followed from this frame: move it by hand")
            return
        try:
            times = self.ctl.times(media_id)
            cmd = carry_box_command(self.ctl.store, track_id, kfs, times)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        self.ctl.apply(cmd)
        reached = max(k.frame for k in kfs) if end > start else min(k.frame for k in kfs)
        full = reached == end
        self.win.status(f"Box #{track_id} carried from frame {start} to {reached}"
                        + ("" if full else " (lost it there: carry on by hand)")
                        + f"; {len(kfs)} keyframes to check on the timeline (Ctrl+Z undoes)")

    # -- look -----------------------------------------------------------------------------------
    def sync_look(self) -> None:
        t = self._selected()
        if t is not None and t.get("style") in self.look_actions:
            self.look_actions[t["style"]].setChecked(True)

    def set_look(self, style: str) -> None:
        from reviewer.session import redactions as red

        t = self._selected()
        if t is None:
            self.win.status("Select a box on the video first (click it)")
            self.sync_look()
            return
        if t["style"] != style:
            self.ctl.apply(red.set_box_look(t["id"], style=style))
        self.look_actions[style].setChecked(True)
        if style != "solid" and not self.look_warned:
            self.look_warned = True
            box = QMessageBox(QMessageBox.Warning, "Blur and pixelation are not safe", LOOK_WARNING,
                              QMessageBox.Ok, self.win)
            box.setWindowModality(Qt.WindowModal)
            box.setAttribute(Qt.WA_DeleteOnClose)
            self.warning = box
            box.open()
        self.win.status(f"Box #{t['id']} is now {style}")
