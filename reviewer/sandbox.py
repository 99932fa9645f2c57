"""Run untrusted-file work (probing, indexing, decoding) in a child process with a time limit.

A crash or a hang inside FFmpeg or MuPDF then costs one file, not the app: the child is
killed, the file is rejected with a clear error, and a fresh child takes the next job.
"""
from __future__ import annotations

import importlib
import multiprocessing as mp
import traceback
from typing import Any

from reviewer.errors import MediaError, ReviewerError

_ctx = mp.get_context("spawn")


def _worker(conn) -> None:  # runs in the child
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        spec, args = job
        try:
            module, func = spec.split(":")
            result = getattr(importlib.import_module(module), func)(*args)
            conn.send(("ok", result))
        except ReviewerError as exc:
            conn.send(("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported as a one-line rejection
            detail = f"{type(exc).__name__}: {exc}".strip()
            conn.send(("crash", detail or traceback.format_exc(limit=1)))


class Sandbox:
    """One reusable child process. ``run`` returns the function's result or raises
    :class:`MediaError` naming ``label``."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        parent, child = _ctx.Pipe()
        self._proc = _ctx.Process(target=_worker, args=(child,), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def run(self, spec: str, args: tuple, *, label: str, timeout: float = 120.0) -> Any:
        if self._proc is None or not self._proc.is_alive():
            self._start()
        try:
            self._conn.send((spec, args))
            if not self._conn.poll(timeout):
                self._kill()
                raise MediaError(f"{label}: took longer than {timeout:.0f} s to read; the file may be damaged")
            status, payload = self._conn.recv()
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
