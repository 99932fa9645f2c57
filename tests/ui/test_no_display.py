"""Without a display the window says so in one line and how to run it (xvfb-run, offscreen),
and exits 1, instead of Qt's half page of plugin messages and an abort (exit 134)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.ui.app import display_problem

ROOT = Path(__file__).resolve().parents[2]


def _no_display_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "REVIEWER_LAUNCHED_AS")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)  # no Wayland socket in here
    env["HOME"] = str(tmp_path)
    env.update(extra)
    return env


def _assert_one_line_advice(proc: subprocess.CompletedProcess, command: str) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("error: no display (")
    assert f"xvfb-run -a {command}" in line and f"QT_QPA_PLATFORM=offscreen {command}" in line
    assert "qt.qpa" not in proc.stderr and "Aborted" not in proc.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="there is always a screen to ask for there")
def test_main_py_without_a_display(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=str(ROOT), env=_no_display_env(tmp_path),
                          capture_output=True, text=True, timeout=120)
    _assert_one_line_advice(proc, f"{sys.executable} {ROOT / 'main.py'}")
    assert proc.stdout == ""


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="there is always a screen to ask for there")
def test_dev_demo_smoke_without_a_display(tmp_path):
    # dev.py's own set-up lines go to stdout; the one stderr line is the advice, naming dev.py
    proc = subprocess.run([sys.executable, str(ROOT / "build_spec" / "dev.py"), "demo", "--smoke"], cwd=str(ROOT),
                          env=_no_display_env(tmp_path), capture_output=True, text=True, timeout=300)
    _assert_one_line_advice(proc, "python3 build_spec/dev.py demo --smoke")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="there is always a screen to ask for there")
def test_packaged_entry_asked_for_x11_without_a_display(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "build_spec" / "entry_app.py"), "--demo"], cwd=str(ROOT),
                          env=_no_display_env(tmp_path, QT_QPA_PLATFORM="xcb"),
                          capture_output=True, text=True, timeout=120)
    _assert_one_line_advice(proc, f"{sys.executable} {ROOT / 'build_spec' / 'entry_app.py'} --demo")
    assert "QT_QPA_PLATFORM=xcb but" in proc.stderr


@pytest.mark.parametrize("env, opens", [
    ({}, False),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-1"}, True),
    ({"QT_QPA_PLATFORM": "offscreen"}, True),
    ({"QT_QPA_PLATFORM": "offscreen:size=800x600"}, True),
    ({"QT_QPA_PLATFORM": "minimal"}, True),
    ({"QT_QPA_PLATFORM": "xcb"}, False),
    ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":99"}, True),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, True),
    ({"QT_QPA_PLATFORM": "wayland"}, False),
    ({"QT_QPA_PLATFORM": "someday-platform"}, True),  # unknown to us: Qt decides
])
def test_which_environments_have_a_display(env, opens, tmp_path):
    full = {"XDG_RUNTIME_DIR": str(tmp_path), **env}
    problem = display_problem(full, platform="linux", command="reviewer-app")
    assert (problem is None) is opens, problem
    if problem:
        assert "xvfb-run -a reviewer-app" in problem and "\n" not in problem


def test_a_wayland_socket_is_a_display(tmp_path):
    (tmp_path / "wayland-0").touch()
    assert display_problem({"XDG_RUNTIME_DIR": str(tmp_path), "QT_QPA_PLATFORM": "wayland"}, platform="linux") is None


def test_macos_and_windows_are_not_second_guessed():
    assert display_problem({}, platform="darwin") is None
    assert display_problem({}, platform="win32") is None
