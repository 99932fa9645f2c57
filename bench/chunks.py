"""Chunked face detection of one video (run: ``.venv/bin/python bench/chunks.py [--seconds S]``).

Generates one body-cam clip with a real face (640x360, 15 fps, S seconds), re-encodes it with
a keyframe every 2 seconds, imports it, then times the CLI as a user runs it on fresh copies
of the case:

1. ``detect faces CASE --jobs 1``: the one-process pass;
2. ``detect faces CASE --jobs 2``: one video, so 2 keyframe-aligned chunks on 2 processes
   (after the thumbnail walk, which runs alone);

and prints wall seconds per second of footage for each, the speed-up (1 process / 2), and
whether both wrote the same tracks. Also the walk alone, in this process, against the
one-process pass: the share of the work that does not split. Every ratio is of runs made in
this same process one after the other on this machine, whose other load moves both.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from batch import cli  # noqa: E402  (bench/batch.py: the CLI as a subprocess, timed)


def cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far: the CLI and the
    batch workers it started."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def tracks(case: Path) -> list[tuple]:
    conn = sqlite3.connect(case / "case.db")
    try:
        rows = conn.execute("SELECT r.frame_from, r.frame_to, r.label, k.frame, k.x, k.y, k.w, k.h "
                            "FROM redactions r JOIN keyframes k ON k.redaction_id = r.id "
                            "WHERE r.source = 'detect' ORDER BY r.id, k.frame").fetchall()
    finally:
        conn.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=40.0)
    args = ap.parse_args()
    from imageio_ffmpeg import get_ffmpeg_exe

    from reviewer.batch.runners import cores
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip
    from reviewer.media.index import index_file
    from reviewer.session.detect import FACE_SETTINGS, scan_file
    from reviewer.session.detect_chunks import walk_file

    import subprocess

    with tempfile.TemporaryDirectory(prefix="bench-chunks-") as tmp:
        root = Path(tmp)
        media = root / "media"
        media.mkdir()
        scene = BodycamScene("long.mp4", args.seconds, 640, 360, 15, "", "AB 123", "X100",
                             datetime(2023, 6, 1), 21)
        raw = make_bodycam_clip(root / "raw.mp4", scene).path
        clip = media / "long.mp4"
        subprocess.run([get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(raw), "-c:v", "libx264",
                        "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-an", str(clip)],
                       check=True)
        case = root / "case"
        cli("new", case)
        cli("import", case, media)

        one, two = root / "one", root / "two"
        shutil.copytree(case, one)
        shutil.copytree(case, two)
        c0 = cpu()
        t1, n1 = cli("detect", "faces", one, "--jobs", "1", "-q")
        c1 = cpu()
        t2, n2 = cli("detect", "faces", two, "--jobs", "2", "-q")
        c2 = cpu()
        same = tracks(one) == tracks(two)

        index = index_file(clip)
        stride = max(1, round(index.fps * 0.2))
        t0 = time.perf_counter()
        walk_file(str(clip), clip.name, index, stride)
        tw = time.perf_counter() - t0
        t0 = time.perf_counter()
        scan_file(str(clip), clip.name, index, FACE_SETTINGS, stride)
        ts = time.perf_counter() - t0

    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    print(f"cores seen: {cores()}; clip: {args.seconds:g} s, 640x360, 15 fps, keyframe every 2 s")
    print(f"detect faces --jobs 1 (one process):   {t1:7.2f} s wall, "
          f"{t1 / args.seconds:.3f} s per s of footage, CPU {(c1 - c0) / args.seconds:.3f} s per s, "
          f"{n1.strip()} track(s)")
    print(f"detect faces --jobs 2 (2 chunks):      {t2:7.2f} s wall, "
          f"{t2 / args.seconds:.3f} s per s of footage, CPU {(c2 - c1) / args.seconds:.3f} s per s, "
          f"{n2.strip()} track(s)")
    print(f"speed-up with 2 processes: {t1 / t2:.2f}x; same tracks: {same}")
    print(f"the walk alone (does not split): {tw:.2f} s = {tw / ts:.0%} of the one-process pass "
          f"({ts:.2f} s, in this process)")


if __name__ == "__main__":
    main()
