"""Reading by OCR, in the background, the pages a search cannot see yet: pages that are only
a picture and pictures of text on typed pages (reviewer.session.page_ocr). Started after
each import and from File ▸ Read waiting pages by OCR; the status line says how many pages
wait, shows the reading's progress and has its Cancel button, and the Case list says how many
of each document's pages wait.

The job is the same call as ``reviewer ocr`` and opens its own connection to the case; each
page's reading is derived data committed as it is made (like a transcript), not an edit, so
it is not on the undo stack, and cancelling or closing keeps every page read.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QProgressBar, QToolButton

from reviewer.ui.workers import run_job


class OcrReading:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.job: Any = None
        self.waiting = 0
        self.label = QLabel("")
        self.label.setObjectName("ocr-waiting")
        self.bar = QProgressBar()
        self.bar.setObjectName("ocr-progress")
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(160)
        self.bar.setFormat("reading %p%")
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("ocr-cancel")
        self.cancel_button.setText("Cancel reading")
        self.cancel_button.setToolTip("Stop reading pages by OCR (the pages read so far are kept)")
        self.cancel_button.clicked.connect(self.cancel)
        bar = win.statusBar()
        for w in (self.label, self.bar, self.cancel_button):
            bar.addPermanentWidget(w)
        self._show_running(False)
        self.action = win.act("read_ocr", "Read waiting pages by &OCR", self.start, None, None, None)
        win.file_menu.insertAction(win.actions["export_all"], self.action)

    # -- the case -----------------------------------------------------------------------------
    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        self.refresh()

    def case_closed(self) -> None:
        self.cancel()  # it stops at its next page; what it read stays in that case
        self.job = None
        self.ctl = None
        self.waiting = 0
        self.label.setText("")
        self.win.items.set_ocr_waiting({})
        self._show_running(False)

    def refresh(self) -> int:
        """Count again the pages waiting, and say so on the status line and, for each
        document, in the Case list."""
        from reviewer.session.page_ocr import waiting

        counts = waiting(self.ctl.store) if self.ctl is not None else {}
        self.win.items.set_ocr_waiting(counts)
        self.waiting = sum(counts.values())
        self.label.setText(f"{self.waiting} page(s) waiting to be read by OCR" if self.waiting else "")
        self.label.setToolTip("Pages that are only a picture, or typed pages holding a picture of "
                              "text: search does not find their words until OCR reads them"
                              if self.waiting else "")
        self.action.setEnabled(self.ctl is not None and self.waiting > 0 and self.job is None)
        return self.waiting

    # -- the job ------------------------------------------------------------------------------
    def start(self, announce: bool = True) -> None:
        """Read every waiting page in the background (nothing to do: nothing started);
        ``announce``: say so on the status line (the bar and the count say it anyway)."""
        from reviewer.pdf.ocr import available

        if self.ctl is None or self.job is not None or not self.refresh():
            return
        if not available():
            self.win.status(f"{self.waiting} page(s) cannot be searched: tesseract (OCR) is not "
                            "installed to read them; check them by eye or box them by hand")
            return
        folder = Path(self.ctl.folder)

        def work(progress: Any) -> Any:
            from reviewer.errors import Cancelled, MediaError
            from reviewer.export.checks import check_original
            from reviewer.session.page_ocr import read_ahead, waiting
            from reviewer.store import CaseStore
            from reviewer.store import media as media_store

            read, skipped = 0, []
            with CaseStore.open(folder) as store:  # the job's own connection: one writer
                todo = [media_store.get_media(store, m) for m in waiting(store)]
                try:
                    for i, doc in enumerate(todo):
                        try:  # readings of another file than the one imported would mislead
                            check_original(doc, "not read by OCR")
                        except MediaError as exc:
                            skipped.append(str(exc))
                            continue
                        part = progress.sub(i / len(todo), (i + 1) / len(todo))
                        read += read_ahead(store, doc["id"], doc["path"], progress=part)
                except Cancelled:
                    return read, skipped, True
            return read, skipped, False

        def ours() -> bool:  # the window may have moved on to another case meanwhile
            return self.ctl is not None and Path(self.ctl.folder) == folder

        mine: list[Any] = []  # this run's job: a later run's is not this one's to forget

        def release() -> None:
            if mine and self.job is mine[0]:
                self.job = None
                self._show_running(False)

        def done(result: Any) -> None:
            release()
            if not ours():
                return
            read, skipped, cancelled = result
            left = self.refresh()
            self.win.status(("Reading cancelled: " if cancelled else "")
                            + f"{read} page(s) read by OCR; their words are searchable now"
                            + (f"; {left} still waiting" if left else "")
                            + (f"; not read: {'; '.join(skipped[:3])}" if skipped else ""))

        def failed(text: str) -> None:
            release()
            if ours():
                self.refresh()
                self.win.status(f"Reading pages by OCR failed: {text}")

        def progressed(fraction: float, message: str) -> None:
            if not mine or self.job is not mine[0]:
                return
            self.bar.setValue(int(fraction * 1000))
            if message:
                self.bar.setToolTip(message)

        self.job = run_job(work, on_done=done, on_error=failed, on_progress=progressed,
                           on_cancel=lambda: done((0, [], True)))
        mine.append(self.job)
        self._show_running(True)
        self.action.setEnabled(False)
        if announce:
            self.win.status(f"Reading {self.waiting} page(s) by OCR in the background…")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.progress.cancel()

    def _show_running(self, on: bool) -> None:
        self.bar.setVisible(on)
        self.cancel_button.setVisible(on)
        if on:
            self.bar.setValue(0)
