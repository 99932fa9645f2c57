"""Coverage review before export: every frame where the face detector sees a face that no
active redaction covers, listed (click to jump) and marked on the timeline in red.

Detection runs once per video and is cached; the check itself runs on a worker with its own
connection to the case. Exporting a video offers the check first (or warns that faces were
never looked for), because a missed frame of a face is the worst thing an export can do.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.ui import theme
from reviewer.ui.workers import run_with_dialog


def faces_checked(store: Any, media: dict[str, Any]) -> bool:
    """Whether faces were looked for in this video (its detections are cached). Only the
    file's presence is checked here, on the GUI thread; the check itself, on its worker,
    reads the cache with detect's own key checks and searches again if it is stale."""
    from reviewer.session import detect

    try:
        return detect.faces_cached(store, media)
    except OSError:
        return False


def frame_runs(frames: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(first, last, most faces) for each run of consecutive frames in ``frames``
    ((frame, faces) pairs)."""
    runs: list[list[int]] = []
    for f, n in sorted(frames):
        if runs and f == runs[-1][1] + 1:
            runs[-1][1] = f
            runs[-1][2] = max(runs[-1][2], n)
        else:
            runs.append([f, f, n])
    return [(a, b, n) for a, b, n in runs]


def no_uncovered(frames: int) -> str:
    """What a clean check found, as what was checked, never as a guarantee of cover (a face
    the detector does not see is not in its findings)."""
    on = f" on {frames} of {frames} frames" if frames else ""
    return f"the face detector finds no uncovered face{on}"


class CoveragePanel(QWidget):
    jump_requested = Signal(int)   # frame
    check_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("Not checked yet. Check before exporting a video.")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(f"color: {theme.MUTED}")
        self.list = QListWidget()
        # each stretch shown whole in a narrow panel: its times wrap under its frames
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.itemClicked.connect(
            lambda it: self.jump_requested.emit(int(it.data(Qt.UserRole))))
        self.list.itemActivated.connect(
            lambda it: self.jump_requested.emit(int(it.data(Qt.UserRole))))
        self.button = QPushButton("Check faces not covered")
        self.button.clicked.connect(self.check_requested)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.button)

    def show_result(self, name: str, rows: list[tuple[int, str, int]], frames: int = 0) -> None:
        """rows: (frame, timecode, faces on that frame not covered), listed as runs of
        consecutive frames (a face uncovered for two seconds is one line, not sixty);
        ``frames``: how many frames the detector's findings were checked on."""
        self.list.clear()
        runs = frame_runs([(f, n) for f, _tc, n in rows])
        tcs = {f: tc for f, tc, _n in rows}
        for a, b, most in runs:
            span = f"Frames {a}–{b}" if b != a else f"Frame {a}"
            when = f"{tcs.get(a, '')}–{tcs.get(b, '')}" if b != a else tcs.get(a, "")
            faces = f" · up to {most} faces" if most > 1 else ""
            it = QListWidgetItem(f"{span}   {when}{faces}".rstrip())
            it.setData(Qt.UserRole, a)
            it.setToolTip(f"{b - a + 1} frame(s) where a face is not covered; click to go to "
                          f"frame {a}")
            self.list.addItem(it)
        n = len(rows)
        self.summary.setText(
            f"{name}: {n} frame{'s' if n != 1 else ''} in {len(runs)} stretch"
            f"{'es' if len(runs) != 1 else ''} show a face not covered. Click one to go to its "
            "first frame, then draw or move a box." if rows else
            f"{name}: {no_uncovered(frames)}.")
        self.summary.setStyleSheet(f"color: {'#ff4d4f' if rows else theme.MUTED}")

    def clear(self) -> None:
        self.list.clear()
        self.summary.setText("Not checked yet. Check before exporting a video.")
        self.summary.setStyleSheet(f"color: {theme.MUTED}")


class CoverageTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.panel = CoveragePanel()
        win.add_dock("coverage", "Faces not covered", self.panel, tab_with="notes")
        self.panel.jump_requested.connect(self._on_panel_jump_requested)
        self.panel.check_requested.connect(self.check)
        win.video.video_opened.connect(self._on_video_opened)
        self.result: list[tuple[int, Any]] | None = None
        self.result_media: int | None = None
        self.prompt: QMessageBox | None = None

    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        ctl.changed.connect(lambda ch: (ch.touches("redactions") or ch.touches("keyframes"))
                            and self._stale())

    def case_closed(self) -> None:
        self.ctl = None
        self._on_video_opened()

    def _stale(self) -> None:
        if self.result is not None:
            self.panel.summary.setText(self.panel.summary.text().split(" (")[0] +
                                       " (redactions changed since: check again)")

    def _on_video_opened(self) -> None:
        self.result = None
        self.panel.clear()
        self.win.video.timeline.set_alert_frames([])
        self._restore_saved()

    # -- remembered between sessions, in the case ---------------------------------------------
    def _save(self, media: dict[str, Any], per: dict[int, int]) -> None:
        """Keep the completed check in the case (reviewer.session.coverage_record), not on this
        computer: whoever opens the case next, here or elsewhere, sees it."""
        from datetime import datetime

        from reviewer.errors import ReviewerError
        from reviewer.session.coverage_record import record_check

        if self.ctl is None:
            return
        when = datetime.now().strftime("%Y-%m-%d %H:%M")
        try:
            self.ctl.session.apply(record_check(self.ctl.store, media, per,
                                                int(media.get("frame_count") or 0), when))
        except ReviewerError as exc:  # a read-only case: the check is shown, not kept
            self.win.status(f"The check could not be kept in the case: {exc}")

    def _restore_saved(self) -> None:
        """Show the last completed check of this video (a restart does not forget it), marked
        as from then: redactions may have changed since."""
        from reviewer.session.coverage_record import last_check

        media = self.win.video.media
        if self.ctl is None or media is None:
            return
        saved = last_check(self.ctl.store, media)
        if saved is None:
            return
        times = self.win.video.times
        rows = [(f, times.timecode(f), n) for f, n in saved["frames"] if 0 <= f < times.count]
        self.panel.show_result(media["name"], rows, saved["frames_checked"])
        self.panel.summary.setText(f"Checked {saved['when']}: " + self.panel.summary.text() +
                                   " (check again after changing redactions)")
        self.win.video.timeline.set_alert_frames([f for f, _tc, _n in rows])

    def check(self, then: Any = None, media: dict[str, Any] | None = None) -> None:
        """Run the check on a worker; ``then(rows)`` runs after the result is shown."""
        media = media or self.win.video.media
        if self.ctl is None or media is None:
            self.win.status("Open a video first")
            return
        folder = self.ctl.folder

        def work(progress: Any) -> list:
            from reviewer.session.detect import uncovered_face_frames
            from reviewer.store import CaseStore

            with CaseStore.open(folder) as store:  # the worker's own connection
                return uncovered_face_frames(store, media, progress)

        def done(found: list) -> None:
            self.show(media, found)
            if then is not None:
                then(found)

        self.job = run_with_dialog(self.win, f"Checking faces in {media['name']}", work,
                                   on_done=done, on_error=self.win.show_error,
                                   on_cancel=lambda: self.win.status("Coverage check cancelled"))

    def show(self, media: dict[str, Any], found: list[tuple[int, Any]]) -> None:
        self.result, self.result_media = found, media["id"]
        per: dict[int, int] = {}
        for frame, _box in found:
            per[frame] = per.get(frame, 0) + 1
        video = self.win.video
        same = video.media is not None and video.media["id"] == media["id"]
        rows = [(f, video.times.timecode(f) if same else "", n) for f, n in sorted(per.items())]
        frames = int(media.get("frame_count") or 0)
        self.panel.show_result(media["name"], rows, frames)
        self._save(media, per)
        if same:
            video.timeline.set_alert_frames(list(per))
        self.win.docks["coverage"].show()
        self.win.docks["coverage"].raise_()
        self.win.status(f"{len(per)} frame(s) with a face not covered" if per
                        else no_uncovered(frames).capitalize())

    def _on_panel_jump_requested(self, frame: int) -> None:
        if self.win.video.media is not None and self.win.video.media["id"] == self.result_media:
            self.win.video.seek(frame)
            self.win.video.setFocus()

    # -- before export ------------------------------------------------------------------------
    def gate_export(self, media: dict[str, Any], export: Any) -> None:
        """Offer the check before exporting a video; ``export()`` runs once the user chooses."""
        if media["kind"] != "video":
            export()
            return
        checked = faces_checked(self.ctl.store, media)
        if checked:
            text = ("Faces were found in this video before. Check the faces the detector finds "
                    "on every frame against the redactions before exporting?")
            check_text = "Check first"
        else:
            text = ("Faces were never looked for in this video. A face left uncovered on even "
                    "one frame would be in the export.\n\nFind faces and check coverage first?")
            check_text = "Find faces and check"
        from reviewer.ui.redaction import passes_gate

        others = passes_gate.missing(self.win, media)
        if others:
            text += "\n\n" + passes_gate.sentence(others)
        box = QMessageBox(QMessageBox.Warning if not checked or others else QMessageBox.Question,
                          f"Export {media['name']}", text, QMessageBox.NoButton, self.win)
        check_btn = box.addButton(check_text, QMessageBox.AcceptRole)
        look_btn = box.addButton("&Look for " + " and ".join(
            {"text": "text", "speech": "speech"}[n] for n in others) + " first",
            QMessageBox.AcceptRole) if others else None
        anyway_btn = box.addButton("Export &anyway", QMessageBox.DestructiveRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(check_btn)
        box.setWindowModality(Qt.WindowModal)

        def chosen(_result: int) -> None:
            clicked = box.clickedButton()
            self.prompt = None
            if clicked is anyway_btn:
                export()
            elif look_btn is not None and clicked is look_btn:
                passes_gate.run(self.win, media, others)
            elif clicked is check_btn:
                self.check(then=lambda found: export() if not found else self.win.status(
                    "Export held back: faces are not covered on the frames listed. Cover them, "
                    "then export again"), media=media)
        box.finished.connect(chosen)
        self.prompt = box
        box.open()  # never exec(): the GUI thread does not wait on a question
