"""Run long jobs off the GUI thread and deliver their results on it (Anki's QueryOp).

A job is a plain function taking a :class:`reviewer.progress.Progress`; it runs on a
QThreadPool; progress, result and error come back as queued signals.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from reviewer.errors import Cancelled, ReviewerError
from reviewer.progress import Progress


class JobSignals(QObject):
    progressed = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = JobSignals()
        self.progress = Progress(self._progressed)
        self.setAutoDelete(False)  # the Python side keeps it until its signals are delivered

    def _progressed(self, fraction: float, message: str) -> None:
        try:
            self.signals.progressed.emit(fraction, message)
        except RuntimeError:  # the window that asked is gone: stop at the next step
            self.progress.cancel()

    def _emit(self, signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # nobody left to tell

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except Cancelled:
            self._emit(self.signals.cancelled)
        except ReviewerError as exc:
            self._emit(self.signals.failed, str(exc))
        except Exception as exc:  # noqa: BLE001 - shown as one line, logged in full
            traceback.print_exc()
            self._emit(self.signals.failed, f"{type(exc).__name__}: {exc}")
        else:
            self._emit(self.signals.finished, result)


_live: set[Job] = set()


def run_job(fn: Callable[[Progress], Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[str], None] | None = None,
            on_progress: Callable[[float, str], None] | None = None,
            on_cancel: Callable[[], None] | None = None,
            pool: QThreadPool | None = None) -> Job:
    job = Job(fn)
    _live.add(job)

    def release(*_: object) -> None:
        _live.discard(job)

    if on_progress:
        job.signals.progressed.connect(on_progress, Qt.QueuedConnection)
    if on_done:
        job.signals.finished.connect(on_done, Qt.QueuedConnection)
    if on_error:
        job.signals.failed.connect(on_error, Qt.QueuedConnection)
    if on_cancel:
        job.signals.cancelled.connect(on_cancel, Qt.QueuedConnection)
    for sig in (job.signals.finished, job.signals.failed, job.signals.cancelled):
        sig.connect(release, Qt.QueuedConnection)
    (pool or QThreadPool.globalInstance()).start(job)
    return job


def cancel_all(wait_ms: int = 10000) -> None:
    """Cancel every running job and wait for them to stop (the window is closing)."""
    for job in list(_live):
        job.progress.cancel()
    QThreadPool.globalInstance().waitForDone(wait_ms)


def run_with_dialog(parent: QWidget, title: str, fn: Callable[[Progress], Any], *,
                    on_done: Callable[[Any], None], on_error: Callable[[str], None],
                    on_cancel: Callable[[], None] | None = None) -> tuple[Job, QProgressDialog]:
    """A job with a modeless progress dialog whose Cancel button cancels the job."""
    dlg = QProgressDialog(title, "Cancel", 0, 1000, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModal)
    dlg.setMinimumDuration(300)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)

    def progressed(f: float, msg: str) -> None:
        dlg.setValue(int(f * 1000))
        if msg:
            dlg.setLabelText(msg)

    def finish(cb: Callable[..., None] | None) -> Callable[..., None]:
        def done(*args: object) -> None:
            dlg.close()
            dlg.deleteLater()
            if cb:
                cb(*args)
        return done

    job = run_job(fn, on_done=finish(on_done), on_error=finish(on_error),
                  on_progress=progressed, on_cancel=finish(on_cancel))
    dlg.canceled.connect(job.progress.cancel)
    return job, dlg
