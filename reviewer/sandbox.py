"""Run untrusted-file work (probing, indexing, decoding) in a child process with a time limit.

A crash or a hang inside FFmpeg or MuPDF then costs one file, not the app: the child is
killed, the file is rejected with a clear error, and a fresh child takes the next job.

The child never outlives its parent. A child still encoding after ``reviewer export`` was
killed would finish the file and put it in place seconds later: a reviewer who stopped an
export to fix a missed face would still get a releasable copy. So the child

- asks Linux to send it SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``), and
  watches its parent's pid from a thread elsewhere (macOS, Windows), as a second line;
- treats SIGTERM as "cancel": :class:`Stopped` unwinds the job (its ``finally`` blocks remove
  temporary files) and the child exits quietly, never with a traceback;
- ignores SIGINT (Ctrl-C reaches the whole process group): the parent decides, and stops
  the child with SIGTERM.

A hostile file may also ask for more than the machine has. Each child is limited to
:func:`memory_limit_mb` of address space (``RLIMIT_AS``, POSIX; ``REVIEWER_SANDBOX_MEMORY_MB``
overrides it, 0 lifts it): an allocation past it fails inside the child, which reports the
file as needing more memory than allowed, instead of the machine swapping or the kernel
killing the window. Each job has a time limit (``timeout``, wall clock, set by the caller for
the kind of work); past it the child is killed and the file rejected.
"""
from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from reviewer.errors import Cancelled, MediaError, ReviewerError

_ctx = mp.get_context("spawn")
PR_SET_PDEATHSIG = 1
WATCH_S = 0.25  # how often the child looks whether its parent is still there
GRACE_S = 5.0  # how long a stopped child may take to clean up before it is killed
# a job's progress crosses to the parent at most this often (plus its last report)
PROGRESS_INTERVAL_S = 0.1
# Address space of one child. A 1080p export peaks at 1.6 GB of it (0.6 GB resident) on a
# 2-core machine. Threads (x264, FFmpeg, OpenCV: about one and a half per core) each reserve
# a stack and a 64 MB malloc arena, so the limit grows with the cores: 8 GB up to 12 cores,
# then 512 MB more a core. That leaves a 4K export room and stops a decoding bomb (3.2 GB for
# one 16000x16000 picture, before the size limit refused it) from taking the machine.
MEMORY_LIMIT_MB = 8192
MEMORY_PER_CORE_MB = 512


def memory_limit_mb() -> int:
    """The children's address-space limit in MB (0: none)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    default = max(MEMORY_LIMIT_MB, 2048 + MEMORY_PER_CORE_MB * cores)
    try:
        return max(0, int(os.environ.get("REVIEWER_SANDBOX_MEMORY_MB", default)))
    except ValueError:
        return default


def _limit_memory(mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still holds
        return
    if mb <= 0 or not hasattr(resource, "RLIMIT_AS"):
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = mb << 20
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft != resource.RLIM_INFINITY and soft <= want:
        return  # already as strict (a limit set from outside stays)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):
        pass


class Stopped(BaseException):
    """The child was told to stop (SIGTERM, or its parent died). A BaseException, so that
    the ``except Exception`` of job code does not swallow it; ``finally`` blocks still run."""


def _on_term(signum: int, frame: Any) -> None:
    # raise once: a second signal during clean-up must not abort the clean-up itself
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Stopped()


def _die_with_parent(parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher below still notices
    if os.getppid() != parent_pid:  # the parent died before the prctl took effect
        os._exit(0)

    def watch() -> None:
        import _thread
        import time

        while os.getppid() == parent_pid:
            time.sleep(WATCH_S)
        # orphaned: cancel the job on the main thread, and exit even if it is stuck in C
        try:
            _thread.interrupt_main(signal.SIGTERM)
        except (TypeError, ValueError, RuntimeError):
            os._exit(1)
        time.sleep(GRACE_S)
        os._exit(1)

    threading.Thread(target=watch, name="sandbox-parent-watch", daemon=True).start()


def _send(conn: Any, message: Any) -> bool:
    try:
        conn.send(message)
        return True
    except (BrokenPipeError, ConnectionResetError, EOFError, OSError):
        return False  # the parent is gone: nobody to tell


def _child_progress(conn: Any) -> Any:
    """A Progress whose reports are sent to the parent (throttled); the parent cancels the
    job by stopping the child (SIGTERM), so the child never has to listen."""
    from reviewer.progress import Progress

    last = [0.0]

    def send(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL_S or fraction >= 1.0:
            last[0] = now
            _send(conn, ("progress", fraction, message))
    return Progress(send)


def _call(spec: str, args: tuple, kwargs: dict[str, Any]) -> Any:
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)(*args, **kwargs)


def _worker(conn: Any, parent_pid: int | None = None,
            init: tuple[str, tuple] | None = None) -> None:  # runs in the child
    try:
        if parent_pid is not None:
            _die_with_parent(parent_pid)
        _limit_memory(memory_limit_mb())
        if init is not None:
            _call(init[0], init[1], {})
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            if job is None:
                return
            spec, args, *with_progress = job
            try:
                kwargs = {"progress": _child_progress(conn)} if any(with_progress) else {}
                message: tuple[str, Any] = ("ok", _call(spec, args, kwargs))
            except ReviewerError as exc:
                message = ("error", str(exc))
            except MemoryError:
                message = ("memory", memory_limit_mb())
            except OSError as exc:
                # name the file the system named (an output folder, say), never "cannot be
                # read" about the input the job was given
                where = exc.filename or ""
                message = ("error", f"{where}: {exc.strerror or exc}") if where else ("crash", str(exc))
            except Exception as exc:  # noqa: BLE001 - reported as a one-line rejection
                detail = f"{type(exc).__name__}: {exc}".strip()
                message = ("crash", detail or traceback.format_exc(limit=1))
            if not _send(conn, message):
                return
    except (Stopped, KeyboardInterrupt):
        return  # cancelled: the job's own clean-up has run; exit without a word


class Sandbox:
    """One reusable child process. ``run`` returns the function's result or raises
    :class:`MediaError` naming ``label``. ``init`` (``"module:function"``, args) runs once
    in each fresh child (e.g. to size its thread pools)."""

    def __init__(self, init: tuple[str, tuple] | None = None) -> None:
        self._proc: Any = None
        self._conn: Any = None
        self._init = init

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _start(self) -> None:
        parent, child = _ctx.Pipe()
        self._proc = _ctx.Process(target=_worker, args=(child, os.getpid(), self._init), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def run(self, spec: str, args: tuple, *, label: str, timeout: float = 120.0,
            cancel: Callable[[], bool] | None = None, progress: Any = None) -> Any:
        """``cancel``: asked a few times a second; when it says True the child is stopped (it
        cleans up) and :class:`reviewer.errors.Cancelled` is raised. With ``progress`` (a
        :class:`reviewer.progress.Progress`) the function is called with a ``progress``
        keyword whose reports arrive here, and cancelling ``progress`` cancels the job."""
        if self._proc is None or not self._proc.is_alive():
            self._start()
        if progress is not None and cancel is None:
            cancel = lambda: progress.cancelled  # noqa: E731
        deadline = time.monotonic() + timeout
        try:
            self._conn.send((spec, args, progress is not None))
            while True:
                if not self._wait(max(0.0, deadline - time.monotonic()), cancel):
                    self._kill()
                    raise MediaError(f"{label}: took longer than {timeout:.0f} s to read; the file may be damaged")
                message = self._conn.recv()
                if message[0] != "progress":
                    break
                if progress is not None:
                    progress.update(message[1], message[2])  # raises Cancelled when cancelled
            status, payload = message
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            code = self._proc.exitcode if self._proc is not None else None
            self._kill()
            raise MediaError(f"{label}: the decoder crashed reading this file (exit {code}); it is damaged or hostile") from None
        except BaseException:
            # cancelled here (SIGTERM, Ctrl-C, a cancel from the caller): the child must stop
            # too, and get the time to remove its temporary files
            self.stop()
            raise
        if status == "ok":
            return payload
        if status == "error":
            raise MediaError(payload)
        if status == "memory":
            raise MediaError(f"{label}: reading it needs more than the {payload} MB of memory a "
                             "reading process may use; refused (the file may be built to exhaust memory)")
        raise MediaError(f"{label}: cannot be read ({payload})")

    def _wait(self, timeout: float, cancel: Callable[[], bool] | None) -> bool:
        if cancel is None:
            return self._conn.poll(timeout)
        deadline = time.monotonic() + timeout
        while not self._conn.poll(min(0.2, max(0.0, deadline - time.monotonic()))):
            if cancel():
                raise Cancelled("cancelled")
            if time.monotonic() >= deadline:
                return False
        return True

    def stop(self, grace_s: float = GRACE_S) -> None:
        """Cancel the child's job (SIGTERM: it cleans up), killing it if it does not end."""
        if self._proc is not None and self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(grace_s)
        self._kill()

    def _kill(self) -> None:
        if self._proc is not None:
            try:
                if self._proc.is_alive():
                    self._proc.kill()
                self._proc.join(5)
            except (AssertionError, ValueError, AttributeError):
                pass  # it never started
        if self._conn is not None:
            self._conn.close()
        self._proc = None
        self._conn = None

    def close(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            try:
                self._conn.send(None)
                self._proc.join(2)
            except (BrokenPipeError, OSError):
                pass
        self.stop()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
