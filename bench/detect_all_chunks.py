"""``detect all --chunks 2`` on 2 local processes: one walk for both passes, the text chunks
beside the face chunks, against the two passes split one after the other (each with its own
walk over the whole video).

    .venv/bin/python bench/detect_all_chunks.py [--seconds 20] [--restart-s 10]

One 1080p30 body-camera-like clip (reviewer.demo.clips: a face, a plate, a burned-in clock
and serial). The text pass restarts every ``--restart-s`` seconds here (60 in the product),
so a short clip has places to split its text pass at. In one run, in turns:

- ``apart``: ``chunked_scan`` (the face walk, then the face chunks), then ``chunked_text``
  (the text walk beside the text chunks): what ``detect all --chunks`` first did;
- ``together``: ``chunked_all`` (one walk giving both passes' shot boundaries, then the face
  and text chunks together);

CPU seconds (this process and its finished children) and wall seconds per second of
footage, and whether both give the same face detections and text tracks.

Measured 2026-12-08 (``--seconds 20``: 600 frames, the text pass split at frame 300):

    load 0.7-2.4, 2 rounds:  apart     cpu 2.77 s/s  wall 1.61 s/s
                             together  cpu 2.72 s/s  wall 1.52 s/s   (0.98x cpu, 0.94x wall)
    load 10-12, 1 round:     apart     cpu 3.40 s/s  wall 8.23 s/s
                             together  cpu 3.05 s/s  wall 9.04 s/s   (0.90x cpu; wall: the load)

The same detections and text tracks in every run. The saving is the second walk's decode
(a thumbnail-only decode of the whole video) and the face and text chunks sharing the
workers instead of waiting for each other.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _cpu() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def _key(scan, text) -> tuple:
    return (tuple(scan.detections), tuple(scan.transitions),
            tuple((t.frame_from, t.frame_to, tuple(sorted(t.reads)), tuple(sorted(
                (f, (b.x_px, b.y_px, b.w_px, b.h_px)) for f, b in t.boxes.items())),
                tuple(t.changes)) for t in text))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--restart-s", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()

    import reviewer.media.text_split as text_split
    from detect_costs import bodycam_1080
    from reviewer.batch.detect_all import plan_all
    from reviewer.batch.detect_chunks import chunked_scan
    from reviewer.batch.runners import LocalRunner
    from reviewer.batch.tasks import DetectTask
    from reviewer.batch.text_chunks import chunked_all, chunked_text
    from reviewer.media.index import FrameIndex
    from reviewer.progress import BatchProgress
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    text_split.RESTART_S = args.restart_s
    work = Path(tempfile.mkdtemp(prefix="bench-detect-all-chunks-"))
    try:
        clip = bodycam_1080(work, args.seconds)
        store = CaseStore.create(work / "case")
        (imp,) = import_paths(store, [clip])
        row = media_store.get_media(store, imp.id)
        task = plan_all(store, row, faces=True)
        index = FrameIndex.from_bytes(task.index)
        seconds = index.count / (index.fps or 30.0)
        print(f"clip: {index.count} frames 1920x1080 ({seconds:.1f} s), text restarts at "
              f"{len(task.text_restarts)} point(s), 2 chunks on 2 processes", flush=True)

        def apart():
            plan = DetectTask(task.source, task.index, task.threshold, task.max_side,
                              task.stride, task.frames)
            scan, _ = chunked_scan(plan, LocalRunner(2), BatchProgress(), 2)
            return scan, chunked_text(task, LocalRunner(2), BatchProgress(), 2, index)

        def together():
            return chunked_all(task, LocalRunner(2), BatchProgress(), 2, index)

        got: dict[str, list] = {"apart": [], "together": []}
        keys = {}
        for r in range(args.rounds):
            for name, fn in (("apart", apart), ("together", together)):
                c0, t0 = _cpu(), time.perf_counter()
                scan, text = fn()
                got[name].append((_cpu() - c0, time.perf_counter() - t0))
                keys[name] = _key(scan, text)
                print(f"  round {r + 1} {name:9} cpu {got[name][-1][0]:7.1f} s  wall "
                      f"{got[name][-1][1]:7.1f} s", flush=True)
        store.close()
        print("\nper second of footage (best of the rounds):")
        best = {k: (min(c for c, _ in v), min(w for _, w in v)) for k, v in got.items()}
        for name, (c, w) in best.items():
            print(f"  {name:9} cpu {c / seconds:5.2f} s/s  wall {w / seconds:5.2f} s/s")
        a, t = best["apart"], best["together"]
        print(f"  together / apart: cpu {t[0] / a[0]:.2f}x, wall {t[1] / a[1]:.2f}x; "
              f"{'same' if keys['apart'] == keys['together'] else 'OTHER'} detections and text tracks")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
