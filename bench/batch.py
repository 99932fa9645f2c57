"""Batch benchmark (run: ``.venv/bin/python bench/batch.py [--clips N] [--seconds S]``).

Generates a small production (N body-cam clips with a real face at 640x360, 15 fps, plus
the demo's 8-page PDF), imports it, then times the CLI exactly as a user runs it:

1. ``detect faces CASE --jobs 1`` vs ``--jobs 2`` on fresh copies of the case: the ratio
   of wall times (2 jobs / 1 job; below 1.0 is faster), and that both found the same tracks;
2. ``export CASE --all --out DIR --jobs 1`` vs ``--jobs 2``: the same ratio;
3. the re-run of each (done and current: a no-op) against its first run.

Every ratio is of two runs measured in this same process, on this machine, one after the
other; the machine's other load moves both. Prints the core count it saw.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REVIEWER = Path(sys.executable).with_name("reviewer")


def cli(*argv: object) -> tuple[float, str]:
    cmd = [str(REVIEWER)] if REVIEWER.exists() else [sys.executable, "-m", "reviewer"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd + [str(a) for a in argv], capture_output=True, text=True)
    took = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"reviewer {' '.join(map(str, argv))} failed ({p.returncode}): {p.stderr}")
    return took, p.stdout


def make_case(folder: Path, clips: int, seconds: float) -> Path:
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip
    from reviewer.demo.production import make_production

    media = folder / "media"
    media.mkdir(parents=True)
    for i in range(clips):
        scene = BodycamScene(f"bwc_{i + 1:02d}.mp4", seconds, 640, 360, 15, "", "AB 123", "X100",
                             datetime(2023, 6, 1), 11 + i)
        make_bodycam_clip(media / scene.name, scene)
    make_production(media / "release.pdf")
    case = folder / "case"
    cli("new", case)
    cli("import", case, media)
    cli("redact", "text", case, "release.pdf", "--pattern", "email")
    return case


def tracks(case: Path) -> list[tuple]:
    with sqlite3.connect(case / "case.db") as conn:
        return conn.execute("SELECT r.media_id, r.frame_from, r.frame_to, k.frame, k.x, k.y, k.w, k.h "
                            "FROM redactions r JOIN keyframes k ON k.redaction_id = r.id "
                            "WHERE r.source = 'detect' ORDER BY 1, 2, 4").fetchall()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clips", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=4.0)
    args = ap.parse_args()
    from reviewer.batch.runners import cores

    with tempfile.TemporaryDirectory(prefix="reviewer-bench-batch-") as tmp:
        root = Path(tmp)
        base = make_case(root / "base", args.clips, args.seconds)
        frames = round(args.clips * args.seconds * 15)
        print(f"case: {args.clips} clips x {args.seconds:g} s at 640x360 15 fps ({frames} frames) "
              f"+ an 8-page PDF; {cores()} core(s) seen")
        results = {}
        for jobs in (1, 2):
            case = root / f"case-{jobs}"
            shutil.copytree(base, case)
            t_detect, out = cli("detect", "faces", case, "--jobs", jobs)
            t_again, again = cli("detect", "faces", case, "--jobs", jobs)
            assert again.strip() == "0", again
            t_export, _ = cli("export", case, "--all", "--out", root / f"out-{jobs}", "--jobs", jobs)
            t_export_again, lines = cli("export", case, "--all", "--out", root / f"out-{jobs}", "--jobs", jobs)
            assert all(ln.startswith("current ") for ln in lines.splitlines()), lines
            results[jobs] = {"detect": t_detect, "detect_again": t_again, "export": t_export,
                             "export_again": t_export_again, "tracks": tracks(case), "count": int(out)}
        one, two = results[1], results[2]
        same = one["tracks"] == two["tracks"]
        print(f"detect faces: --jobs 1 {one['detect']:.1f} s, --jobs 2 {two['detect']:.1f} s; "
              f"ratio 2/1 = {two['detect'] / one['detect']:.2f} ({frames / one['detect']:.0f} vs "
              f"{frames / two['detect']:.0f} frames/s); {one['count']} tracks; same tracks: {same}")
        print(f"export --all: --jobs 1 {one['export']:.1f} s, --jobs 2 {two['export']:.1f} s; "
              f"ratio 2/1 = {two['export'] / one['export']:.2f}")
        for jobs in (1, 2):
            r = results[jobs]
            print(f"re-run (no-op), --jobs {jobs}: detect {r['detect_again'] / r['detect']:.3f} of its "
                  f"first run, export {r['export_again'] / r['export']:.3f} of its first run")
        print(json.dumps({"detect_ratio_2_over_1": round(two["detect"] / one["detect"], 3),
                          "export_ratio_2_over_1": round(two["export"] / one["export"], 3),
                          "same_tracks": same}))


if __name__ == "__main__":
    main()
