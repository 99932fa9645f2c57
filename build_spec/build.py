#!/usr/bin/env python3
"""Build the packaged app into dist/Reviewer/ and smoke-test it.

    python3 build_spec/build.py [--no-smoke]

Sets up .venv like dev.py, installs PyInstaller into it when missing, builds from
build_spec/reviewer.spec, prints what takes the room, then runs build_spec/smoke.py.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import dev
import smoke

PYINSTALLER = "pyinstaller>=6.5"


def du(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def size_report(dist: Path, top: int = 14) -> str:
    inner = dist / "_internal" if (dist / "_internal").is_dir() else dist
    parts = sorted(((du(p), p.relative_to(dist)) for p in inner.iterdir()), reverse=True)
    lines = [f"{du(dist) / 2**20:8.1f} MB  {dist}"]
    lines += [f"{n / 2**20:8.1f} MB  {rel}" for n, rel in parts[:top]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    py = dev.setup()
    if subprocess.run([str(py), "-c", "import PyInstaller"], capture_output=True).returncode != 0:
        dev.say(f"installing {PYINSTALLER} into .venv")
        if subprocess.run([str(py), "-m", "pip", "install", PYINSTALLER]).returncode != 0:
            return 1
    t0 = time.monotonic()
    cmd = [str(py), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"),
           str(HERE / "reviewer.spec")]
    dev.say(" ".join(cmd[1:]))
    if subprocess.run(cmd, cwd=str(ROOT)).returncode != 0:
        return 1
    dist = ROOT / "dist" / "Reviewer"
    dev.say(f"built in {time.monotonic() - t0:.0f} s")
    print(size_report(dist), flush=True)
    if "--no-smoke" in argv:
        return 0
    return smoke.main([str(dist)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
