"""A killed or interrupted ``reviewer export`` is cancelled: nothing at the output name, then or
later; no process left running; no traceback; no temporary file left.

Kills land at random moments of the export (seeded, so a failure can be replayed), with
SIGKILL (nothing in the parent can react: the child must notice on its own) and SIGTERM
(the parent cancels)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LATER_S = 5.0


def _reviewer(*args: object, **kw) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "REVIEWER_DEBUG"}
    return subprocess.Popen([sys.executable, "-m", "reviewer", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            out.update(int(x) for x in text)
    except OSError:
        pass
    return out


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def long_case(tmp_path_factory):
    """A case with one clip long enough (a few seconds of export) to be killed mid-way."""
    from fixtures.videos import ffmpeg_exe

    folder = tmp_path_factory.mktemp("killed")
    src = folder / "long.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=640x360:rate=30:duration=12", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=12", "-c:v", "libx264", "-preset", "veryfast",
                    "-c:a", "aac", str(src)], check=True)
    case = folder / "case"
    for args in (("new", case), ("import", case, src),
                 ("redact", "box", case, "long.mp4", "--frames", "0:359", "--rect", "20,20,120,90"),
                 ("redact", "audio", case, "long.mp4", "--from", "1", "--to", "2")):
        p = _reviewer(*args)
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    return case, folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the child")
def test_killed_export_leaves_nothing(long_case):
    case, folder = long_case
    out_dir = folder / "out"
    out_dir.mkdir(exist_ok=True)
    # how long a whole export takes here, so that kills land inside it
    started = time.monotonic()
    p = _reviewer("export", case, "long.mp4", "--out", out_dir / "whole.mp4", "--preset", "ultrafast")
    _, err = p.communicate(timeout=600)
    whole_s = time.monotonic() - started
    assert p.returncode == 0 and "Traceback" not in err, err
    rng = random.Random(1305)
    rounds = [signal.SIGKILL, signal.SIGTERM, signal.SIGKILL, signal.SIGTERM]
    killed = 0
    for i, sig in enumerate(rounds):
        out = out_dir / f"cut{i}.mp4"
        p = _reviewer("export", case, "long.mp4", "--out", out, "--preset", "ultrafast")
        # from just after start-up to the last stretch (verification, the final rename)
        time.sleep(rng.uniform(0.1, 0.95) * whole_s)
        kids = _children(p.pid)
        if p.poll() is not None:
            continue  # finished before the kill: not a kill round
        p.send_signal(sig)
        killed += 1
        try:
            _, err = p.communicate(timeout=30)  # EOF only once the child closed stderr too
        except subprocess.TimeoutExpired:
            p.kill()
            pytest.fail(f"round {i} ({sig.name}): the export's processes did not end")
        assert not out.exists(), f"round {i} ({sig.name}): a file appeared at the output name"
        assert "Traceback" not in err, err
        if sig == signal.SIGTERM:
            assert p.returncode == 1 and err.startswith("error:") and "cancelled" in err, err
        time.sleep(LATER_S)
        assert not out.exists(), f"round {i} ({sig.name}): a file appeared {LATER_S} s later"
        assert not [k for k in kids if _running(k)], f"round {i} ({sig.name}): the child still runs"
        left = sorted(p.name for p in out_dir.glob(f".{out.name}*"))
        if sig == signal.SIGTERM:
            assert not left, left
        # whatever a SIGKILL left is removed by the next export to that name
        p = _reviewer("export", case, "long.mp4", "--out", out, "--preset", "ultrafast")
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        assert out.is_file() and not list(out_dir.glob(f".{out.name}*.part"))
    assert killed >= 3, "the kills missed the export; the clip is too short for this machine"


def test_window_jobs_cancelled_on_close_publish_nothing(long_case, qapp, tmp_path):
    """The window's export runs on a worker thread; closing the window cancels it
    (``workers.cancel_all``) and the export never reaches the output name."""
    from reviewer.export.video import export_video
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store
    from reviewer.ui.workers import cancel_all, run_job

    case, _ = long_case
    out = tmp_path / "window.mp4"
    seen: list[float] = []
    ended: list[str] = []

    def work(progress):
        with CaseStore.open(case) as store:
            row = media_store.find_media(store, "long.mp4")
            return export_video(store, row, out, preset="ultrafast", progress=progress)

    job = run_job(work, on_progress=lambda f, m: seen.append(f), on_done=lambda r: ended.append("done"),
                  on_cancel=lambda: ended.append("cancelled"), on_error=ended.append)
    deadline = time.monotonic() + 120
    while job.progress.fraction < 0.2 and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.02)
    assert job.progress.fraction >= 0.2, "the export did not start"
    cancel_all()
    for _ in range(50):
        qapp.processEvents()
        time.sleep(0.01)
    assert ended == ["cancelled"], ended
    time.sleep(1.0)
    assert not out.exists() and not list(tmp_path.glob(".window.mp4*"))


def test_a_cancelled_sandbox_job_stops_its_child():
    """What the window's jobs use: a cancel reaches the child within a fraction of a second
    (the child is stopped, not left to finish), instead of waiting out the job's time limit."""
    from reviewer.errors import Cancelled
    from reviewer.sandbox import Sandbox

    asked = time.monotonic()
    with Sandbox() as box:
        box.run("os:getpid", (), label="warm-up")
        pid = box.pid
        with pytest.raises(Cancelled):
            box.run("time:sleep", (60,), label="slow", timeout=120,
                    cancel=lambda: time.monotonic() - asked > 1.0)
        assert box.pid is None
    assert time.monotonic() - asked < 10
    if sys.platform.startswith("linux"):
        assert not _running(pid)
