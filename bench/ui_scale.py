"""How the notes panel and the timeline scale: 10,000 notes and 500 tracks against 100 of each.

Prints ratios (large / small) for loading the notes model, filtering it, painting the panel,
and loading and painting the timeline, each measured in this run against the small case.
A ratio near 1 for painting means only what is on screen is drawn; loading is expected to
grow with the number of rows (about 100x for 100x the rows) and no faster.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_scale.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def make_case(folder: Path, video: Path, n_notes: int, n_tracks: int) -> Path:
    from reviewer.annotate.geometry import Box, Keyframe
    from reviewer.session.edits import Batch, Insert
    from reviewer.session.importer import import_paths
    from reviewer.session.redactions import add_box_track
    from reviewer.session.session import Session
    from reviewer.store import CaseStore
    from reviewer.store.db import now_iso

    store = CaseStore.create(folder)
    media_id = import_paths(store, [video])[0].id
    session = Session(store)
    words = ["door", "warrant", "officer", "car", "street", "witness", "radio", "light"]
    notes = tuple(Insert("annotations", {
        "media_id": media_id, "frame": i % 60, "frame_to": min(59, i % 60 + i % 5),
        "text": f"note {i} about the {words[i % len(words)]}",
        "tags": json.dumps([words[i % 3]]), "created": now_iso()}) for i in range(n_notes))
    session.apply(Batch(notes, label="bench notes"))
    tracks = tuple(add_box_track(media_id, i % 50, i % 50 + 9,
                                 [Keyframe(i % 50, Box(10, 10, 40, 40)),
                                  Keyframe(i % 50 + 9, Box(60, 40, 40, 40))],
                                 status="suggested" if i % 2 else "active")
                   for i in range(n_tracks))
    session.apply(Batch(tracks, label="bench tracks"))
    store.close()
    return folder


def measure(case: Path) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from reviewer.timebase import FrameTimes
    from reviewer.ui.notes.annotations_panel import AnnotationsPanel
    from reviewer.ui.case.controller import CaseController
    from reviewer.ui.video.timeline import Span, Timeline

    QApplication.instance() or QApplication([])
    ctl = CaseController.open(case)
    media_id = ctl.media_list()[0]["id"]
    panel = AnnotationsPanel()
    panel.model.where = ctl.where
    panel.resize(420, 700)
    panel.show()
    out: dict[str, float] = {}

    def load() -> None:
        notes, total = ctl.notes()
        panel.set_notes(notes, total)
    out["notes: load model"] = best_of(load)
    out["notes: filter by text"] = best_of(lambda: panel.set_notes(*ctl.notes(text="warrant")))
    load()
    out["notes: paint panel"] = best_of(lambda: panel.grab())
    # a one-hour video at 30 fps, so tracks are short against the whole
    times = FrameTimes(list(range(0, 108000 * 512, 512)), Fraction(1, 15360), 108000 * 512)
    tl = Timeline()
    tl.resize(1200, tl.height())
    tl.set_times(times)
    tl.show()
    tracks = ctl.tracks(media_id)
    spans = [Span(t["id"], t["frame_from"] * 1800, t["frame_to"] * 1800 + 900, t["status"])
             for t in tracks]
    note_spans = [Span(i, a * 1800, b * 1800) for i, a, b in ctl.timeline_notes(media_id)]

    def load_tl() -> None:
        tl.set_tracks(spans)
        tl.set_notes(note_spans)
    out["timeline: load tracks+notes"] = best_of(load_tl)
    out["timeline: paint whole video"] = best_of(lambda: tl.grab())
    tl.zoom(200, 600)
    out["timeline: paint zoomed in"] = best_of(lambda: tl.grab())
    panel.close()
    tl.close()
    ctl.close()
    return out


def main() -> int:
    from fixtures.videos import make_video

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        video = make_video(tmp_path / "v.mp4", "cfr", n_frames=60, size=(160, 120), audio=False)
        small = measure(make_case(tmp_path / "small", video, 100, 100))
        large = measure(make_case(tmp_path / "large", video, 10_000, 500))
    print(f"{'':32} {'ratio large/small':>18}   (10,000 notes + 500 tracks vs 100 + 100)")
    for key in small:
        print(f"{key:32} {large[key] / max(small[key], 1e-9):18.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
