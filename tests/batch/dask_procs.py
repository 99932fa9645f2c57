"""A Dask scheduler and worker started here, on 127.0.0.1 only, with the commands an office
runs (``dask scheduler``, ``dask worker``); both are stopped (their process groups) at the end.
(distributed is not imported here: tests/packaging would shadow 'packaging'.)"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DASK = Path(sys.executable).with_name("dask")


def start(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    fh = open(log, "w")
    return subprocess.Popen([str(DASK), *args], stdout=fh, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, env=env)


def stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the nanny's worker process too
    except ProcessLookupError:
        pass


@contextmanager
def loopback_cluster(d: Path, worker_args: tuple[str, ...] = (),
                     env: dict[str, str] | None = None) -> Iterator[str]:
    """A scheduler and one single-threaded worker; yields the scheduler's address."""
    if not DASK.exists():
        pytest.fail("the 'dask' command is missing: distributed is a dependency (README set-up)")
    sched_file = d / "scheduler.json"
    sched = start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                   "--scheduler-file", str(sched_file)], d / "scheduler.log")
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not sched_file.is_file() and time.monotonic() < deadline and sched.poll() is None:
            time.sleep(0.2)
        assert sched_file.is_file(), (d / "scheduler.log").read_text()
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        worker = start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                        "--nworkers", "1", "--no-dashboard", "--memory-limit", "4GB",
                        *worker_args], d / "worker.log", env)
        log = d / "worker.log"
        deadline = time.monotonic() + 90
        while "Registered to" not in log.read_text() and time.monotonic() < deadline:
            assert worker.poll() is None, log.read_text()
            time.sleep(0.3)
        assert "Registered to" in log.read_text(), log.read_text()
        yield address
    finally:
        if worker is not None:
            stop(worker)
        stop(sched)
