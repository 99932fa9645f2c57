"""Session-scoped material and the command runner for the acceptance tests: each clip and PDF
is built once per session in a temp folder, and every command runs through the installed
console script (``.venv/bin/reviewer``), exactly as docs/CLI.md says it is called."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from acceptance import material as m

SCRIPT = Path(sys.executable).with_name("reviewer")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def cli(*argv: object, timeout: float = 300) -> Result:
    """``reviewer ARGV...`` through the console script; a traceback is always a failure."""
    assert SCRIPT.exists(), "run python3 build_spec/dev.py setup first"
    env = {k: v for k, v in os.environ.items() if k != "REVIEWER_DEBUG"}
    p = subprocess.run([str(SCRIPT), *map(str, argv)], capture_output=True, text=True,
                       timeout=timeout, env=env, check=False)
    assert "Traceback" not in p.stderr, p.stderr
    return Result(p.returncode, p.stdout, p.stderr)


def ok(*argv: object, timeout: float = 300) -> Result:
    r = cli(*argv, timeout=timeout)
    assert r.code == 0, (argv, r.code, r.err)
    return r


@pytest.fixture(scope="session")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("acceptance")


@pytest.fixture(scope="session")
def clips(work) -> dict[str, Path]:
    d = work / "clips"
    d.mkdir()
    return {
        "bframes_editlist": m.bframes_editlist(d / "bframes_editlist.mp4"),
        "vfr": m.vfr_mkv(d / "vfr.mkv"),
        "rotated": m.rotated_phone(d / "rotated.mp4"),
        "anamorphic": m.anamorphic(d / "anamorphic.mp4"),
        "multitrack": m.multitrack(d / "multitrack.mp4", work),
        "cut": m.hard_cut(d / "cut.mp4"),
    }


@pytest.fixture(scope="session")
def prod_pdf(work) -> Path:
    return m.production_pdf(work / "production.pdf", work)


def import_ids(case: Path, *paths: Path) -> list[str]:
    r = ok("import", case, *paths)
    return [line.split("\t")[0] for line in r.out.splitlines()]
