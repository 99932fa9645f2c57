"""Running the ``reviewer`` command exactly as the acceptance tests do: the console script
(or ``python -m reviewer``) in a subprocess, so exit codes, stdout and stderr are the real ones
and a traceback anywhere fails the test."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("reviewer")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run(*argv: object, module: bool = False, timeout: float = 300) -> Result:
    """``reviewer ARGV...`` in a subprocess; never a traceback, whatever the outcome."""
    cmd = ([sys.executable, "-m", "reviewer"] if module or not SCRIPT.exists() else [str(SCRIPT)])
    env = {k: v for k, v in os.environ.items() if k != "REVIEWER_DEBUG"}
    p = subprocess.run(cmd + [str(a) for a in argv], capture_output=True, text=True, check=False,
                       timeout=timeout, env=env, cwd=str(ROOT))
    assert "Traceback" not in p.stderr, p.stderr
    return Result(p.returncode, p.stdout, p.stderr)


def ok(*argv: object) -> Result:
    r = run(*argv)
    assert r.code == 0, (argv, r.err)
    return r


def ffmpeg(*args: str) -> None:
    from fixtures.videos import ffmpeg_exe

    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args], check=True)
