"""The job layer underneath the batch commands: progress crossing from the sandbox child,
cancelling it, the local pool, and tasks that carry nothing of the case."""
from __future__ import annotations

import pickle
import threading
import time

import pytest

from reviewer.errors import Cancelled, MediaError
from reviewer.progress import BatchProgress, Progress
from reviewer.sandbox import Sandbox


def test_progress_crosses_from_the_sandbox_child():
    seen: list[tuple[float, str]] = []
    with Sandbox() as box:
        got = box.run("batch.slow_jobs:count", (20, 0.02), label="count",
                      progress=Progress(lambda f, m: seen.append((f, m))))
    assert got == 20
    fractions = [f for f, _ in seen]
    assert len(seen) >= 2 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][1] == "step 20 of 20"


def test_cancelling_ends_the_child_and_the_sandbox_goes_on():
    progress = Progress()
    threading.Timer(0.5, progress.cancel).start()
    with Sandbox() as box:
        started = time.monotonic()
        with pytest.raises(Cancelled):
            box.run("batch.slow_jobs:count", (10_000, 0.01), label="long", progress=progress)
        assert time.monotonic() - started < 5  # not the 100 s the job would take
        assert box.run("batch.slow_jobs:count", (3, 0.0), label="next") == 3


def test_batch_progress_counts_units_and_items():
    snaps = []
    batch = BatchProgress(listener=snaps.append)
    batch.plan({"a": 30, "b": 10})
    batch.item("a").update(0.5)
    assert (snaps[-1].units_done, snaps[-1].units_total, snaps[-1].items_done) == (15, 40, 0)
    batch.finish("a")
    batch.finish("b")
    assert (snaps[-1].units_done, snaps[-1].items_done, snaps[-1].items_total) == (40, 2, 2)
    assert batch.progress.fraction == 1.0


def test_tasks_carry_nothing_of_the_case_and_a_wrong_hash_is_refused(case, tmp_path):
    """Workers never open case.db: a task names the original and its hash, never the case
    folder; a worker given a file with another hash refuses it, the other items go on."""
    from dataclasses import replace

    from reviewer.batch.detect_batch import plan_task
    from reviewer.batch.export_batch import plan_item
    from reviewer.batch.runners import LocalRunner
    from reviewer.batch.tasks import DetectOutcome
    from reviewer.session.detect import DetectSettings
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    with CaseStore.open(case) as store:
        rows = media_store.list_media(store)
        tasks = [plan_task(store, r, DetectSettings()) for r in rows if r["kind"] == "video"]
        exports = [plan_item(store, r, tmp_path / f"{r['id']}.out", "medium", 18, False)[0] for r in rows]
    for t in tasks + exports:
        assert str(case).encode() not in pickle.dumps(t)
    bad = replace(tasks[0], source=replace(tasks[0].source, sha256="0" * 64))
    batch = BatchProgress()
    results = {t.key: out for t, out in LocalRunner(2).run([bad] + tasks[1:], batch)}
    assert isinstance(results[bad.key], MediaError)
    assert "is not the case's original" in str(results[bad.key])
    assert all(isinstance(results[t.key], DetectOutcome) and results[t.key].scan.detections
               for t in tasks[1:])
    assert batch.snapshot().items_done == 0  # the coordinator marks items done, not the pool
