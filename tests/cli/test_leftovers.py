"""Kills at the dangerous moments leave nothing half-made for good: a SIGTERMed ``bundle``
removes its hidden folder; a SIGKILLed one's is removed by the next bundle written beside it
(while a bundle still being written is left alone); an export killed between putting its
sidecar and its file in place is completed by the next ``verify`` (or export), so the pair
is there and matches. Processes are held at those moments by ``REVIEWER_PAUSE_AT``
(reviewer.leftovers.pause_point) and killed there for real."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.clirun import ok, run

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _start(args: list[object], pause_at: str, pause_file: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "REVIEWER_DEBUG"}
    env.update(REVIEWER_PAUSE_AT=pause_at, REVIEWER_PAUSE_FILE=str(pause_file), REVIEWER_PAUSE_S="120")
    return subprocess.Popen([sys.executable, "-m", "reviewer", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _held(p: subprocess.Popen, pause_file: Path, what: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not pause_file.exists():
        if p.poll() is not None or time.monotonic() > deadline:
            p.kill()
            out, err = p.communicate()
            pytest.fail(f"{what} never reached the moment to kill it at (exit {p.returncode}): {err}")
        time.sleep(0.1)


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out.update(int(x) for x in (task / "children").read_text().split())
    except OSError:
        pass
    return out


def _wait_gone(pids: set[int]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        left = [p for p in pids if Path(f"/proc/{p}").exists()
                and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
        if not left:
            return
        time.sleep(0.1)
    pytest.fail(f"processes {pids} still run")


@pytest.fixture(scope="module")
def case_with_exhibits(inputs, tmp_path_factory):
    from fixtures.pdfs import make_production_pdf

    folder = tmp_path_factory.mktemp("leftovers")
    prod = make_production_pdf(folder / "production.pdf", n_pages=3, scanned_page=None,
                               rotated_page=None, split_page=None)
    case = folder / "case"
    ok("new", case)
    ok("import", case, inputs.base, prod.path)
    ok("redact", "box", case, inputs.base.name, "--frames", "2:40", "--rect", "0,0,60,40")
    ok("redact", "audio", case, inputs.base.name, "--from", "0.2", "--to", "0.6")
    ok("exhibit", case, inputs.base.name, "--frames", "1:30", "--label", "Ex. A")
    ok("exhibit", case, "production.pdf", "--pages", "1:2", "--label", "Ex. B")
    return case, folder


def _partials(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.endswith(".partial"))


def test_a_sigtermed_bundle_removes_its_hidden_folder(case_with_exhibits, tmp_path):
    case, _ = case_with_exhibits
    out = tmp_path / "bundle"
    p = _start(["bundle", case, "--out", out, "--quiet"], "bundle-written", tmp_path / "held")
    _held(p, tmp_path / "held", "bundle")
    assert len(_partials(tmp_path)) == 1  # exhibits and notes written, not yet renamed
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 1 and err.startswith("error: ") and "cancelled" in err, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not out.exists() and _partials(tmp_path) == []


def test_a_killed_bundle_is_cleaned_by_the_next_but_a_running_one_is_not(case_with_exhibits, tmp_path):
    case, _ = case_with_exhibits
    out = tmp_path / "bundle"
    dead = _start(["bundle", case, "--out", out, "--quiet"], "bundle-written", tmp_path / "dead")
    _held(dead, tmp_path / "dead", "bundle")
    dead.kill()
    dead.communicate(timeout=30)
    left = _partials(tmp_path)
    assert len(left) == 1 and left[0].startswith(".bundle.")
    assert (tmp_path / left[0] / "exhibits").is_dir()  # redacted exhibits, for anyone to find

    live = _start(["bundle", case, "--out", tmp_path / "other", "--quiet"], "bundle-written",
                  tmp_path / "live")
    try:
        _held(live, tmp_path / "live", "second bundle")
        ok("bundle", case, "--out", out, "--quiet")
        assert (out / "index.json").is_file()
        now = _partials(tmp_path)
        assert left[0] not in now, "the dead writer's folder is still there"
        assert len(now) == 1 and now[0].startswith(".other."), now  # a running writer's stays
    finally:
        live.send_signal(signal.SIGTERM)
        live.communicate(timeout=60)
    assert _partials(tmp_path) == []


def _pair_matches(out: Path) -> bool:
    side = out.with_name(out.name + ".verify.json")
    recorded = json.loads(side.read_text(encoding="utf-8"))["file_sha256"]
    return hashlib.sha256(out.read_bytes()).hexdigest() == recorded


@pytest.mark.parametrize("then", ["verify", "export"])
def test_an_export_killed_between_sidecar_and_file_is_completed_later(case_with_exhibits, inputs,
                                                                      tmp_path, then):
    case, _ = case_with_exhibits
    out = tmp_path / "redacted.mp4"
    side = out.with_name(out.name + ".verify.json")
    p = _start(["export", case, inputs.base.name, "--out", out, "--preset", "ultrafast", "--quiet"],
               "publish-between", tmp_path / "held")
    _held(p, tmp_path / "held", "export")
    kids = _children(p.pid)
    p.kill()
    p.communicate(timeout=30)
    _wait_gone(kids)  # the sandbox child follows its parent
    assert side.is_file() and not out.exists()  # the moment the kill cut: a sidecar, no file

    if then == "verify":
        r = run("verify", out)
        assert r.code == 0, r.err
        assert "sha256" in r.out and "matches the exported file" in r.out
    else:
        ok("export", case, inputs.base.name, "--out", out, "--preset", "ultrafast", "--quiet")
    assert out.is_file() and _pair_matches(out)
    assert [q.name for q in tmp_path.iterdir() if q.name.startswith(".")] == []
