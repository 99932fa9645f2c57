"""Entry point of the packaged app: the window, the command line, and a self-check.

One program serves three roles, so the packaged folder carries one copy of Python and Qt:

- ``Reviewer [CASE] [--demo]``: the window (``reviewer.ui.app.main``);
- ``reviewer-cli COMMAND ...`` or ``Reviewer COMMAND ...`` (a CLI command as first
  argument) or ``Reviewer --version``: the headless command line, which never imports Qt;
- ``Reviewer --selfcheck [VIDEO]``: prints what the build carries (JSON), for the smoke
  test; with a video, also plays it through libVLC into our own buffers;
- ``--smoke`` (with the window): open it, wait until it shows the case open (the demo is
  built off the GUI thread), let it paint, then exit 0; 1 on an error dialog or when the
  case is not open within two minutes. The smoke test uses this offscreen.

It also runs from the source tree: ``python build_spec/entry_app.py --demo --smoke``.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

SMOKE_MS = 120_000  # at most this long for the window to come up with the case open
SETTLE_MS = 1500


def _cli_commands() -> set[str]:
    from reviewer.cli import build_parser

    parser = build_parser()
    for action in parser._actions:  # argparse keeps subcommands on a private list
        if getattr(action, "choices", None) and isinstance(action.choices, dict):
            return set(action.choices)
    return set()


def _mapped(name: str) -> list[str]:
    """Files whose name contains ``name`` mapped into this process (Linux; else empty)."""
    try:
        with open("/proc/self/maps") as fh:
            return sorted({line.split()[-1] for line in fh if name in line and "/" in line})
    except OSError:
        return []


def _loaded(name: str) -> str | None:
    """The file a shared library was really loaded from (Linux), to prove which copy runs."""
    found = _mapped(name)
    return found[0] if found else None


def vlc_plays(path: str, timeout_s: float = 10.0) -> dict:
    """Play ``path`` through libVLC into our own buffers until a few pictures arrive: proves
    the (bundled) plugins can demux and decode, not only that libVLC loads."""
    import threading
    import time

    from reviewer.media.vlcplayer import VlcPlayer

    got: list[int] = []
    done = threading.Event()

    def on_frame(buf) -> None:  # noqa: ANN001 - VideoBuffer
        got.append(buf.time_ms)
        if len(got) >= 5:
            done.set()

    player = VlcPlayer(on_frame, audio=False)
    t0 = time.monotonic()
    try:
        player.load(path, 320, 180)
        player.play()
        done.wait(timeout_s)
        plugins = _mapped("_plugin")
    finally:
        player.stop()
        player.release()
    return {"frames": len(got), "seconds": round(time.monotonic() - t0, 2), "plugins": plugins}


def selfcheck() -> dict:
    """What this build can do, measured in this process."""
    from reviewer import __version__

    out: dict = {"version": __version__, "frozen": bool(getattr(sys, "frozen", False)),
                 "executable": sys.executable}
    try:
        import cv2

        from reviewer.media.faces import headless_problems

        out["cv2"] = {"version": cv2.__version__, "problems": headless_problems()}
    except Exception as exc:  # noqa: BLE001 - reported, not raised: this is a diagnosis
        out["cv2"] = {"error": str(exc)}
    try:
        from reviewer.media.faces import model_path

        out["face_model"] = str(model_path())
    except Exception as exc:  # noqa: BLE001
        out["face_model"] = {"error": str(exc)}
    try:
        import vlc

        inst = vlc.Instance(["--quiet", "--no-xlib"])
        out["vlc"] = {"version": vlc.libvlc_get_version().decode(), "started": inst is not None,
                      "lib": getattr(vlc.dll, "_name", None),
                      "plugins": os.environ.get("VLC_PLUGIN_PATH"), "loaded": _loaded("libvlccore")}
        if inst is not None:
            inst.release()
    except Exception as exc:  # noqa: BLE001
        out["vlc"] = {"error": str(exc)}
    from reviewer.paths import resources_dir

    # Where the code really came from: in a sound build, nothing outside the bundle.
    base = os.path.dirname(os.path.abspath(sys.executable)) if out["frozen"] else None
    files = {os.path.abspath(f) for m in list(sys.modules.values())
             if isinstance(f := getattr(m, "__file__", None), str)}
    # (PyInstaller's own bootstrap modules have made-up relative paths: not real files.)
    out["modules_outside_bundle"] = sorted(f for f in files
                                           if base and not f.startswith(base) and os.path.isfile(f))
    out["resources"] = str(resources_dir()) if resources_dir().is_dir() else None
    try:  # the files the app reads from resources/, found the way the app finds them
        from reviewer.annotate.reasons import BUILTIN_REASONS, EXEMPTIONS_FILE
        from reviewer.paths import resource, sample_face_clip

        out["resource_files"] = {
            "exemptions": str(resource(EXEMPTIONS_FILE)), "exemption_codes": len(BUILTIN_REASONS),
            "sample_face_clip": str(sample_face_clip()) if sample_face_clip().is_file() else None}
    except Exception as exc:  # noqa: BLE001 - reported, not raised: this is a diagnosis
        out["resource_files"] = {"error": str(exc)}
    return out


def run_window(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    argv = [a for a in argv if a != "--smoke"]
    from reviewer.ui.app import display_problem, launch_command

    problem = display_problem(command=launch_command())  # before any QApplication: without a display Qt aborts
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from reviewer.ui.app import main as app_main

    if not smoke:
        return app_main(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    verdict = {"code": 1}
    # The demo case is built off the GUI thread, so wait for the window to show it open
    # ("Reviewer — demo-case"), then let it paint a little longer before closing.
    want = "demo-case" if "--demo" in argv else ""
    deadline = time.monotonic() + int(os.environ.get("REVIEWER_SMOKE_MS", SMOKE_MS)) / 1000
    timer = QTimer()

    def check() -> None:
        tops = [w for w in app.topLevelWidgets() if w.isVisible()]
        dialogs = [w for w in tops if isinstance(w, QMessageBox)]
        titles = [w.windowTitle() for w in tops if not isinstance(w, QMessageBox)]
        opened = any(want in t for t in titles if t.startswith("Reviewer"))
        if not dialogs and not opened and time.monotonic() < deadline:
            return
        timer.stop()
        for w in dialogs:
            print(f"smoke: error dialog: {w.text()}", file=sys.stderr)
        print(f"smoke: windows {titles}", flush=True)
        verdict["code"] = 0 if opened and not dialogs else 1
        QTimer.singleShot(SETTLE_MS, lambda: app.exit(verdict["code"]))

    timer.timeout.connect(check)
    timer.start(250)
    code = app_main(argv)
    return verdict["code"] if code == verdict["code"] else code or verdict["code"]


def main() -> int:
    argv = sys.argv[1:]
    prog = Path(sys.argv[0]).stem.lower()
    if argv[:1] == ["--selfcheck"]:
        out = selfcheck()
        if len(argv) > 1:  # a video to play through libVLC as well
            try:
                out["vlc_playback"] = vlc_plays(argv[1])
            except Exception as exc:  # noqa: BLE001 - a diagnosis, not a crash
                out["vlc_playback"] = {"error": str(exc)}
        print(json.dumps(out, indent=2))
        return 0
    if prog.endswith("-cli") or argv[:1] == ["--version"] or (argv and argv[0] in _cli_commands()):
        from reviewer.cli import main as cli_main

        return cli_main(argv)
    return run_window(argv)


if __name__ == "__main__":
    multiprocessing.freeze_support()  # the import sandbox's children re-enter here when frozen
    if not getattr(sys, "frozen", False):  # from the source tree: the repo root holds reviewer/
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
