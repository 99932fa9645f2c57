"""Run untrusted-file work (probing, indexing, decoding) in a child process with a time limit.

A crash or a hang inside FFmpeg or MuPDF then costs one file, not the app: the child is
killed, the file is rejected with a clear error, and a fresh child takes the next job.
"""
from __future__ import annotations

import importlib
import multiprocessing as mp
import time
import traceback
from typing import Any

from reviewer.errors import Cancelled, MediaError, ReviewerError

_ctx = mp.get_context("spawn")


# a job's progress crosses to the parent at most this often (plus its last report)
PROGRESS_INTERVAL_S = 0.1


def _child_progress(conn) -> Any:
    """A Progress whose reports are sent to the parent (throttled); the parent cancels a job
    by ending the child, so the child never has to listen."""
    from reviewer.progress import Progress

    last = [0.0]

    def send(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL_S or fraction >= 1.0:
            last[0] = now
            conn.send(("progress", fraction, message))
    return Progress(send)


def _call(spec: str, args: tuple, kwargs: dict) -> Any:
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)(*args, **kwargs)


def _worker(conn, init: tuple[str, tuple] | None = None) -> None:  # runs in the child
    if init is not None:
        _call(init[0], init[1], {})
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        spec, args, with_progress = job
        try:
            kwargs = {"progress": _child_progress(conn)} if with_progress else {}
            result = _call(spec, args, kwargs)
            conn.send(("ok", result))
        except ReviewerError as exc:
            conn.send(("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported as a one-line rejection
            detail = f"{type(exc).__name__}: {exc}".strip()
            conn.send(("crash", detail or traceback.format_exc(limit=1)))


class Sandbox:
    """One reusable child process. ``run`` returns the function's result or raises
    :class:`MediaError` naming ``label``. ``init`` (``"module:function"``, args) runs once
    in each fresh child (e.g. to size its thread pools)."""

    def __init__(self, init: tuple[str, tuple] | None = None) -> None:
        self._proc: Any = None
        self._conn: Any = None
        self._init = init

    def _start(self) -> None:
        parent, child = _ctx.Pipe()
        self._proc = _ctx.Process(target=_worker, args=(child, self._init), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def run(self, spec: str, args: tuple, *, label: str, timeout: float = 120.0,
            progress: Any = None) -> Any:
        """With ``progress`` (a :class:`reviewer.progress.Progress`), the function is called
        with a ``progress`` keyword whose reports arrive here; cancelling ``progress`` ends
        the child (a fresh one takes the next job) and raises :class:`Cancelled`."""
        if self._proc is None or not self._proc.is_alive():
            self._start()
        deadline = time.monotonic() + timeout
        try:
            self._conn.send((spec, args, progress is not None))
            while True:
                wait = deadline - time.monotonic()
                if progress is not None:
                    wait = min(wait, 0.2)  # look at the cancel flag this often
                if wait <= 0 or not self._conn.poll(max(0.0, wait)):
                    if progress is not None and progress.cancelled:
                        self._kill()
                        raise Cancelled(f"{label}: cancelled")
                    if time.monotonic() < deadline:
                        continue
                    self._kill()
                    raise MediaError(f"{label}: took longer than {timeout:.0f} s to read; the file may be damaged")
                msg = self._conn.recv()
                if msg[0] != "progress":
                    break
                if progress is not None:
                    try:
                        progress.update(msg[1], msg[2])
                    except Cancelled:
                        self._kill()
                        raise
            status, payload = msg
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            code = self._proc.exitcode if self._proc is not None else None
            self._kill()
            raise MediaError(f"{label}: the decoder crashed reading this file (exit {code}); it is damaged or hostile") from None
        if status == "ok":
            return payload
        if status == "error":
            raise MediaError(payload)
        raise MediaError(f"{label}: cannot be read ({payload})")

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        self._proc = None
        self._conn = None

    def close(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            try:
                self._conn.send(None)
                self._proc.join(2)
            except (BrokenPipeError, OSError):
                pass
        self._kill()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
