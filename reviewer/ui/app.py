"""Starting the window: ``python main.py [CASE]`` or ``python main.py --demo``."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
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


# Qt platforms that draw into memory or straight onto a framebuffer: no display server needed.
_NO_SERVER = {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}


def launch_command(argv: Sequence[str] | None = None) -> str:
    """How this window was started, for advice a user can paste back (a launcher such as
    build_spec/dev.py says how it was run in REVIEWER_LAUNCHED_AS)."""
    given = os.environ.get("REVIEWER_LAUNCHED_AS")
    if given:
        return given
    args = list(sys.argv if argv is None else argv)
    if getattr(sys, "frozen", False):
        return " ".join([Path(args[0]).name, *args[1:]]) if args else "Reviewer"
    return " ".join([sys.executable, *args]) if args else f"{sys.executable} main.py"


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None,
                    command: str = "COMMAND") -> str | None:
    """Why the window cannot open here, in one line, or None. Without a display Qt prints
    half a page and aborts the process (SIGABRT), so we look first: on Linux and the BSDs a
    window needs an X server (DISPLAY) or a Wayland compositor, unless QT_QPA_PLATFORM names
    a platform that needs neither. macOS and Windows always have a screen to ask for."""
    env = os.environ if env is None else env
    if (platform or sys.platform) in ("win32", "darwin"):
        return None
    has_x = bool(env.get("DISPLAY"))
    wayland_socket = Path(env.get("XDG_RUNTIME_DIR") or "/nonexistent") / (env.get("WAYLAND_DISPLAY") or "wayland-0")
    has_wayland = bool(env.get("WAYLAND_DISPLAY")) or wayland_socket.exists()
    # QT_QPA_PLATFORM may list fallbacks ("wayland;xcb") and options ("offscreen:size=...").
    wanted = [p.split(":", 1)[0].strip().lower() for p in env.get("QT_QPA_PLATFORM", "").split(";")]
    wanted = [p for p in wanted if p]
    if not wanted:
        if has_x or bool(env.get("WAYLAND_DISPLAY")):
            return None
        why = "neither DISPLAY nor WAYLAND_DISPLAY is set"
    else:
        for name in wanted:
            if name in _NO_SERVER or (name == "xcb" and has_x) or (name.startswith("wayland") and has_wayland):
                return None
            if name != "xcb" and not name.startswith("wayland"):
                return None  # a platform we do not know: let Qt decide
        why = f"QT_QPA_PLATFORM={env.get('QT_QPA_PLATFORM')} but neither DISPLAY nor WAYLAND_DISPLAY is set"
    return (f"no display ({why}); run it under Xvfb (xvfb-run -a {command}) "
            f"or offscreen (QT_QPA_PLATFORM=offscreen {command})")


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
    problem = display_problem(command=launch_command()) or qt_binding_problem()
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
