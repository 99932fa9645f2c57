"""The pieces the window's tools share: the "Review them / Go on anyway" question (the
identifier sweep and the spoken sweep ask it), the reason picker, and a failed job's line."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

from reviewer.errors import Cancelled, ReviewerError


@pytest.mark.parametrize("answer", ["Review them", "Go on anyway", "Cancel"])
def test_review_or_go_on(qtbot, answer):
    from reviewer.ui.questions import review_or_go_on

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    heard: list[str] = []
    box = review_or_go_on(parent, "Identifiers still readable", "2 identifiers are readable",
                          lambda: heard.append("review"), lambda: heard.append("go on"),
                          lambda: heard.append("closed"))
    assert box.isVisible() and box.icon() == QMessageBox.Warning
    assert box.defaultButton().text() == "Review them"  # Enter takes the safe choice
    assert {b.text() for b in box.buttons()} >= {"Review them", "Go on anyway"}
    button = next(b for b in box.buttons() if b.text().replace("&", "") == answer)
    button.click()
    qtbot.waitUntil(lambda: not box.isVisible())
    assert heard == ["closed"] + {"Review them": ["review"], "Go on anyway": ["go on"],
                                  "Cancel": []}[answer]


def test_reason_picker(qtbot):
    from reviewer.ui.reason_list import fill_reasons

    combo = QComboBox()
    qtbot.addWidget(combo)
    reasons = [("b6", "personal privacy"), ("b7c", "law enforcement privacy")]
    fill_reasons(combo, reasons, "b7c")
    assert combo.currentData() == "b7c" and combo.currentText() == "b7c"
    assert combo.itemData(0, 3) == "personal privacy"  # Qt.ToolTipRole
    fill_reasons(combo, reasons, "nope", described=True)
    assert combo.currentData() == "b6" and combo.currentText() == "b6 — personal privacy"
    assert combo.count() == 2  # filled afresh, not added to


def test_failure_detail():
    from reviewer.batch.runners import failure_detail

    row = {"name": "bodycam.mp4"}
    assert failure_detail(row, ReviewerError("bodycam.mp4: damaged frame 12")) == \
        "bodycam.mp4: damaged frame 12"
    assert failure_detail(row, MemoryError("out of memory")) == "bodycam.mp4: MemoryError: out of memory"
    with pytest.raises(Cancelled):
        failure_detail(row, Cancelled("cancelled"))
