"""Opening the real main window on a case folder, as the UI tests' fixtures do."""
from __future__ import annotations

from pathlib import Path


def open_window(qtbot, case: Path, prefs_path: Path, size: tuple[int, int] = (1600, 960)):
    """A themed, shown MainWindow with ``case`` open; the caller closes it."""
    from PySide6.QtWidgets import QApplication

    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.theme import apply_theme

    apply_theme(QApplication.instance())
    win = MainWindow(prefs_path=prefs_path)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_case(case)
    return win
