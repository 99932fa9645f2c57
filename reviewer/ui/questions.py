"""Questions the window asks before it goes on, built once so they read and behave alike."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def review_or_go_on(parent: QWidget, title: str, text: str, review: Callable[[], None],
                    go_on: Callable[[], None], closed: Callable[[], None]) -> QMessageBox:
    """Something found is still exposed: "Review them" (the default, the safe choice), "Go on
    anyway" or Cancel. Shown window-modal with ``open()``, never ``exec()``: the GUI thread
    does not wait on a question. ``closed()`` runs first whatever the answer; then ``go_on()``
    or ``review()`` as chosen. Returns the shown box (tests and callers keep it)."""
    box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.NoButton, parent)
    review_btn = box.addButton("Review them", QMessageBox.AcceptRole)
    anyway = box.addButton("Go on anyway", QMessageBox.DestructiveRole)
    box.addButton(QMessageBox.Cancel)
    box.setDefaultButton(review_btn)
    box.setWindowModality(Qt.WindowModal)

    def chosen(_result: int) -> None:
        closed()
        if box.clickedButton() is anyway:
            go_on()
        elif box.clickedButton() is review_btn:
            review()
    box.finished.connect(chosen)
    box.open()
    return box
