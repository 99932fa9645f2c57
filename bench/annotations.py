"""How the annotation panel and the timeline scale: a case with 56 videos, 10,000 notes and 500
redaction tracks against the same case with 100 notes (and 5 tracks), measured in one run.

    .venv/bin/python bench/annotations.py [--notes 10000] [--tracks 500] [--repeat 15]

Prints, for each operation, the ratio large/small (1.0 = no slower at scale). Media rows are
inserted directly (no files): only the database is under test.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reviewer.store import CaseStore
from reviewer.store import annotations as notes_store
from reviewer.store import media as media_store
from reviewer.store import tags as tags_store
from reviewer.store.db import now_iso

VIDEOS = 56
FRAMES = 27_000  # 15 minutes at 30 fps
WORDS = ["officer", "vehicle", "door", "window", "suspect", "arrest", "knock", "warrant", "child", "mother", "hallway", "bedroom", "flashlight", "radio", "handcuffs", "statement", "consent", "search", "plate", "face"]
TAGS = [f"tag{i}" for i in range(20)]


def build(folder: Path, n_notes: int, n_tracks: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    store = CaseStore.create(folder)
    with store.write() as tx:
        vids = [media_store.add_media(
            tx, kind="video", name=f"cam{i:02d}.mp4", path=f"/nowhere/cam{i:02d}.mp4",
            sha256=f"{i:064x}", size=1, info={},
            fields={"frame_count": FRAMES, "width": 1280, "height": 720, "duration": 900.0,
                    "fps": 30.0}) for i in range(VIDEOS)]
        for _ in range(n_notes):
            f = rng.randrange(FRAMES - 300)
            tx.insert("annotations", {
                "media_id": rng.choice(vids), "frame": f,
                "frame_to": f + rng.randrange(1, 300) if rng.random() < 0.5 else None,
                "pts": f * 512, "text": " ".join(rng.choices(WORDS, k=rng.randrange(3, 25))),
                "tags": rng.sample(TAGS, rng.randrange(0, 3)), "created": now_iso()})
        for _ in range(n_tracks):
            f0 = rng.randrange(FRAMES - 600)
            f1 = f0 + rng.randrange(10, 600)
            notes_store.insert_track(tx, {
                "media_id": rng.choice(vids), "kind": "box", "reason": "b6", "frame_from": f0,
                "frame_to": f1, "source": "faces", "created": now_iso()},
                [(f, 100.0, 100.0, 50.0, 50.0, None) for f in range(f0, f1 + 1, 30)])
    store.close()


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def measure(folder: Path, repeat: int) -> dict[str, float]:
    def open_case():
        with CaseStore.open(folder) as s:
            notes_store.ensure_indexes(s)
            notes_store.count_annotations(s)
            notes_store.list_annotations(s, limit=100)
            tags_store.list_tags(s)

    store = CaseStore.open(folder)
    notes_store.ensure_indexes(store)
    video = 17
    total = notes_store.count_annotations(store)
    out = {
        "open (+ first panel page, tags)": timed(open_case, repeat),
        "filter by item": timed(lambda: notes_store.list_annotations(store, video, limit=100), repeat),
        "filter by tag": timed(lambda: notes_store.list_annotations(store, tag="tag3", limit=100), repeat),
        "count by tag": timed(lambda: notes_store.count_annotations(store, tag="tag3"), repeat),
        "filter by text": timed(lambda: notes_store.list_annotations(store, text="handcuffs", limit=100), repeat),
        "panel page (middle)": timed(lambda: notes_store.list_annotations(
            store, offset=total // 2, limit=100), repeat),
        "timeline of one video": timed(lambda: (
            notes_store.timeline_annotations(store, video),
            notes_store.timeline_tracks(store, video)), repeat),
        "timeline window (10 s)": timed(lambda: (
            notes_store.timeline_annotations(store, video, 9000, 9300),
            notes_store.timeline_tracks(store, video, 9000, 9300)), repeat),
    }
    store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--tracks", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        build(small, 100, max(1, args.tracks // 100))
        build(large, args.notes, args.tracks)
        ref = measure(small, args.repeat)
        big = measure(large, args.repeat)
    print(f"{VIDEOS} videos; {args.notes} notes and {args.tracks} tracks vs 100 notes and "
          f"{max(1, args.tracks // 100)} tracks (ratio large/small, medians of {args.repeat})")
    for name in ref:
        print(f"  {name:34s} x{big[name] / ref[name]:6.2f}")


if __name__ == "__main__":
    main()
