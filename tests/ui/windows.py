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


def placed_window(qtbot, case, prefs_path: Path, available, restore: bool = False):
    """A MainWindow laid out by window_fit.place for a screen whose free area is
    ``available`` (a QRect), as the app places itself, then shown with ``case`` open (None:
    no case) and its start-up jobs done; the caller closes it."""
    from reviewer.ui import workers
    from reviewer.ui.case import window_fit
    from reviewer.ui.main_window import MainWindow

    win = MainWindow(prefs_path=prefs_path)
    qtbot.addWidget(win)
    window_fit.place(win, available, restore=restore)
    win.show()
    qtbot.waitExposed(win)
    if case is not None:
        assert win.open_case(case)
        qtbot.waitUntil(lambda: not workers._live, timeout=60000)
    qtbot.wait(50)  # the fit after show
    return win
