"""Killing a writer at any moment loses nothing it acknowledged and never corrupts the case."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

from reviewer.store import CaseStore
from reviewer.store import media as media_store

WRITER = textwrap.dedent("""
    import sys
    from reviewer.store import CaseStore
    from reviewer.store.db import now_iso

    store = CaseStore.open(sys.argv[1])
    media_id = int(sys.argv[2])
    n = 0
    while True:
        n += 1
        with store.write() as tx:
            note = tx.insert("annotations", {"media_id": media_id, "frame": n % 90,
                                             "text": "x" * (n % 700), "tags": "[]",
                                             "created": now_iso()})
            # a second row in the same transaction: both or neither must survive
            tx.insert("links", {"from_id": note, "to_id": note, "note": "pair"})
            tx.audit("edit.test", {"id": note})
        print(note, flush=True)  # acknowledged only once COMMIT has returned
""")


def _run_and_kill(folder, media_id: int, delay_s: float) -> list[int]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(media_id)],
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    acked: list[int] = []

    def read() -> None:
        for line in proc.stdout:
            if line.endswith("\n"):
                acked.append(int(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 20
    # wait until the writer is really writing, then kill it at a random moment
    while not acked and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(delay_s)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(5)
    return list(acked)


def test_sigkill_at_random_moments_keeps_every_acknowledged_write(tmp_path):
    folder = tmp_path / "case"
    store = CaseStore.create(folder)
    with store.write() as tx:
        media_id = media_store.add_media(tx, kind="video", name="v.mp4", path="/x/v.mp4",
                                         sha256="2" * 64, size=1, fields={"frame_count": 90},
                                         info={})
    store.close()
    rng = random.Random(int(os.environ.get("CRASH_SEED", "5")))
    acknowledged: list[int] = []
    for _round in range(5):
        got = _run_and_kill(folder, media_id, rng.uniform(0.0, 0.4))
        assert got, "the writer acknowledged nothing before it was killed"
        acknowledged += got
        check = CaseStore.open(folder)
        try:
            assert check.query_one("PRAGMA integrity_check")["integrity_check"] == "ok"
            assert check.query("PRAGMA foreign_key_check") == []
            have = {r["id"] for r in check.query("SELECT id FROM annotations")}
            assert set(acknowledged) <= have
            # no half transaction: every note has its link, every audit row its note
            pairs = check.query("SELECT count(*) AS n FROM links")[0]["n"]
            assert pairs == len(have)
            edits = check.query("SELECT count(*) AS n FROM audit WHERE op = 'edit.test'")[0]["n"]
            assert edits == len(have)
            assert check.verify_audit() == []
        finally:
            check.close()
