"""Starting the window: ``python main.py [CASE]`` or ``python main.py --demo``."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from reviewer import __version__


def demo_folder() -> Path:
    from reviewer.paths import user_data_dir

    return user_data_dir() / "demo-case"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="reviewer-app", description="Reviewer: the window")
    p.add_argument("case", nargs="?", help="a case folder to open")
    p.add_argument("--demo", action="store_true", help="open the built-in demo case")
    p.add_argument("--version", action="version", version=f"Reviewer {__version__}")
    return p.parse_args(list(argv))




def qt_binding_problem() -> str | None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None (and True/False) on every call
    that returns nothing; the interpreter aborts after some thousands of paints. Say so in
    one line instead of crashing mid-review."""
    import PySide6

    major_minor = tuple(int(x) for x in PySide6.__version__.split(".")[:2])
    if major_minor == (6, 12) and sys.version_info < (3, 12):
        return (f"PySide6 {PySide6.__version__} crashes on Python {sys.version.split()[0]}: "
                "install PySide6-Essentials 6.11 (pip install 'PySide6-Essentials<6.12')")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    problem = qt_binding_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Reviewer")
    app.setOrganizationName("Reviewer")
    from reviewer.ui.icons import icon
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.theme import apply_theme

    apply_theme(app)
    app.setWindowIcon(icon("redact"))
    win = MainWindow()
    win.show()
    if args.demo:
        win.open_demo()  # built off the GUI thread with a progress dialog
    elif args.case:
        win.open_case(args.case)  # a bad case: one line in a message box; the window stays
    return app.exec()
