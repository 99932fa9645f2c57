"""Batch tasks on a Dask distributed scheduler (``dask scheduler`` / ``dask worker``).

The originals and the output folder must be on storage every worker sees, at the same
paths. Workers get the task (path, SHA-256, settings), check the hash, compute, and send
the result back; they never open the case. Progress of a running task comes back as
worker events on a topic this batch subscribes to.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

from reviewer.errors import Cancelled, ReviewerError
from reviewer.progress import BatchProgress, Progress

CONNECT_TIMEOUT_S = 15  # REVIEWER_CLUSTER_TIMEOUT (seconds) overrides it
EVENT_INTERVAL_S = 0.5  # a worker reports a task's progress at most this often


def run_on_worker(task: Any, topic: str) -> Any:
    """Runs on a Dask worker: the task, reporting its progress as worker events."""
    from distributed import get_worker

    from reviewer.batch.runners import cores
    from reviewer.batch.tasks import limit_threads, run_task

    worker = get_worker()
    limit_threads(max(1, cores() // max(1, int(getattr(worker.state, "nthreads", 1) or 1))))
    last = [0.0]

    def report(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= EVENT_INTERVAL_S or fraction >= 1.0:
            last[0] = now
            worker.log_event(topic, {"key": task.key, "fraction": fraction, "message": message})
    return run_task(task, Progress(report))


def _connect_timeout() -> float:
    import os

    try:
        return max(1.0, float(os.environ.get("REVIEWER_CLUSTER_TIMEOUT", CONNECT_TIMEOUT_S)))
    except ValueError:
        return float(CONNECT_TIMEOUT_S)


class DaskRunner:
    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ReviewerError("--cluster: the 'distributed' package is not installed") from None
        if "://" not in address:
            address = f"tcp://{address}"
        self.address = address
        try:
            self.client = Client(address, timeout=_connect_timeout(), set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ReviewerError(f"{address}: cannot reach the Dask scheduler ({exc})") from None

    def run(self, tasks: list[Any], batch: BatchProgress) -> Iterator[tuple[Any, Any]]:
        topic = f"reviewer-progress-{uuid.uuid4().hex}"
        items = {t.key: batch.item(t.key, t.source.name) for t in tasks}

        def on_event(event: Any) -> None:
            msg = event[1] if isinstance(event, tuple) else event
            prog = items.get(msg.get("key")) if isinstance(msg, dict) else None
            if prog is not None:
                try:
                    prog.update(float(msg["fraction"]), str(msg.get("message", "")))
                except Cancelled:
                    pass  # seen by the loop below

        self.client.subscribe_topic(topic, on_event)
        pending = {self.client.submit(run_on_worker, t, topic, key=f"{t.key}-{uuid.uuid4().hex[:8]}",
                                      pure=False): t for t in tasks}
        complete = False
        try:
            while pending:
                if batch.cancelled:
                    raise Cancelled("cancelled")
                finished = [f for f in pending if f.done()]
                if not finished:
                    time.sleep(0.2)
                    continue
                for fut in finished:
                    task = pending.pop(fut)
                    try:
                        out: Any = fut.result()
                    except Exception as exc:  # noqa: BLE001 - handed to the coordinator
                        out = exc if isinstance(exc, ReviewerError) else ReviewerError(
                            f"{task.source.name}: failed on the cluster ({type(exc).__name__}: {exc})")
                    yield task, out
            complete = True
        finally:
            if pending:
                self.client.cancel(list(pending))
            try:
                self.client.unsubscribe_topic(topic)
            except Exception:  # noqa: BLE001 - the client may already be closing
                pass
            if not complete:
                batch.progress.cancel()

    def close(self) -> None:
        self.client.close()
