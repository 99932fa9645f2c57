"""Where batch tasks run: a local pool of sandboxed child processes, or a Dask cluster.

Both take the same tasks (reviewer.batch.tasks) and yield ``(task, outcome)`` as each one
finishes, ``outcome`` being the task's result or the exception that ended it, so the
coordinator writes each result the moment it arrives (and a cancelled batch keeps what
finished). Progress of the items in flight arrives through a :class:`BatchProgress`.
"""
from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from reviewer.errors import Cancelled, ReviewerError
from reviewer.progress import BatchProgress

# long enough for hours of 1080p; a hang on a hostile file still ends
TASK_TIMEOUT_S = 24 * 3600.0
TASK = "reviewer.batch.tasks:run_task"


class Runner(Protocol):
    def run(self, tasks: list[Any], batch: BatchProgress) -> Iterator[tuple[Any, Any]]: ...

    def close(self) -> None: ...


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def make_runner(jobs: int | None = None, cluster: str | None = None) -> Runner:
    """``cluster`` (``tcp://HOST:PORT``): a Dask scheduler; else ``jobs`` local processes
    (0 or None: one per core)."""
    if cluster:
        from reviewer.batch.dask_runner import DaskRunner

        return DaskRunner(cluster)
    if jobs is not None and jobs < 0:
        raise ReviewerError(f"--jobs {jobs}: give a number of jobs (0: one per core)")
    return LocalRunner(jobs or cores())


def failure_detail(row: Mapping[str, Any], out: BaseException) -> str:
    """The one line a job that failed on a worker leaves for item ``row`` (its ``name``): a
    ReviewerError already names the file and says why; anything else is named with its
    type. A cancel is no failure: it is raised again, to end the batch."""
    if isinstance(out, Cancelled):
        raise out
    return str(out) if isinstance(out, ReviewerError) else f"{row['name']}: {type(out).__name__}: {out}"


def _name(task: Any) -> str:
    return task.source.name


class LocalRunner:
    """``jobs`` threads, each owning one sandboxed child process (reviewer.sandbox): a
    decoder crash on a hostile file costs that item an error, and a fresh child takes the
    next one. Cancelling the batch ends the children at once."""

    def __init__(self, jobs: int, task: str = TASK) -> None:
        self.jobs = max(1, int(jobs))
        self.task = task  # "module:function" the children run on each task

    def run(self, tasks: list[Any], batch: BatchProgress) -> Iterator[tuple[Any, Any]]:
        from reviewer.sandbox import Sandbox

        todo: queue.Queue[Any] = queue.Queue()
        for t in tasks:
            todo.put(t)
        results: queue.Queue[tuple[Any, Any]] = queue.Queue()
        threads_each = max(1, cores() // min(self.jobs, max(1, len(tasks))))

        def work() -> None:
            with Sandbox(init=("reviewer.batch.tasks:limit_threads", (threads_each,))) as box:
                while not batch.cancelled:
                    try:
                        task = todo.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        out: Any = box.run(self.task, (task,), label=_name(task), timeout=TASK_TIMEOUT_S,
                                           progress=batch.item(task.key, _name(task)))
                    except Exception as exc:  # noqa: BLE001 - handed to the coordinator
                        out = exc
                    results.put((task, out))

        workers = [threading.Thread(target=work, name=f"batch-{i}", daemon=True)
                   for i in range(min(self.jobs, len(tasks)))]
        for w in workers:
            w.start()
        complete = False
        try:
            for _ in range(len(tasks)):
                while True:
                    if batch.cancelled:
                        raise Cancelled("cancelled")
                    try:
                        item = results.get(timeout=0.2)  # short waits: Ctrl+C gets through
                        break
                    except queue.Empty:
                        if not any(w.is_alive() for w in workers) and results.empty():
                            raise Cancelled("cancelled")
                yield item
            complete = True
        finally:
            if not complete:  # cancelled, failed or abandoned: what still runs stops now
                batch.progress.cancel()
            for w in workers:
                w.join(10)

    def close(self) -> None:
        pass
