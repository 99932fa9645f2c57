"""The whole video pipeline on one body-camera-like clip, end to end, as a user runs it
(``bench/video_pipeline.py``, its default mode, prints this).

The clip: the demo generator's street at 1080p30 (``reviewer.demo.clips``): a person whose real
face (the foreman sample) is in view for about the first half of each pan, a parked car's
plate later in it, a burned-in body-cam timestamp, and espeak-ng's voice naming a person;
one pan of ``SCENE_S`` seconds repeated (stream copy) to the length asked for. Each pass runs
as the command line runs it, one after the other on one case:

- faces: ``detect faces CASE --jobs 1``; text: ``detect text CASE MEDIA --match PLATE``;
  speech: ``transcribe CASE`` then ``redact speech ... --match NAME`` (muted spans);
- export: ``export CASE MEDIA --out FILE`` (default preset, smart cut, all its checks);
- verify: ``verify FILE --case CASE``;
- reference: the ``ffmpeg`` program's plain re-encode of the clip (libx264 at the export's
  preset and CRF, audio copied), which every ratio is against;
- then the two split runs: ``export ... --chunks 2`` (same bytes as the one-process export
  are required) and ``detect faces CASE2 --chunks 2 --jobs 2`` on a fresh copy of the case
  (same tracks required), each against its one-process run;
- faces and text on one shared decode (``detect all``) on a third copy of the fresh case,
  against the two passes run apart (same face tracks required);
- faces left: on every 10th frame (FFmpeg's decoder), the frames of the original where YuNet
  or MTCNN finds a face, and the frames of the export where either still finds one.

CPU seconds are of every finished child process (the CLI and its sandboxed workers), wall
seconds of each command; both per second of footage.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVIEWER = Path(sys.executable).with_name("reviewer")
SCENE_S = 30
SPEECH = "My name is Maria Lopez. I live at forty two Oak Street. My car is the red one."
PLATE = "ABC 1234"


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    out: str = ""


@dataclass
class Pipeline:
    seconds: float
    frames: int
    runs: dict[str, Run] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def timed(name: str, argv: list[object], runs: dict[str, Run], program: str | None = None) -> Run:
    cmd = [program] if program else ([str(REVIEWER)] if REVIEWER.exists() else
                                     [sys.executable, "-m", "reviewer"])
    c0, t0 = _cpu(), time.perf_counter()
    p = subprocess.run(cmd + [str(a) for a in argv], capture_output=True, text=True)
    run = Run(name, time.perf_counter() - t0, _cpu() - c0, p.stdout)
    if p.returncode != 0:
        sys.exit(f"{name}: {' '.join(map(str, argv))} failed ({p.returncode}): {p.stderr[-2000:]}")
    runs[name] = run
    print(f"  {name:28} wall {run.wall:8.1f} s  cpu {run.cpu:8.1f} s  "
          f"(load {os.getloadavg()[0]:.1f})", flush=True)
    return run


def make_clip(folder: Path, seconds: int, ffmpeg: str) -> Path:
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip

    scene = BodycamScene("pan.mp4", SCENE_S, 1920, 1080, 30, SPEECH, PLATE, "X81204417",
                         datetime(2023, 6, 14, 6, 12, 33), 11)
    pan = make_bodycam_clip(folder / "pan.mp4", scene).path
    clip = folder / "media" / "bodycam.mp4"
    clip.parent.mkdir()
    subprocess.run([ffmpeg, "-v", "error", "-y", "-stream_loop", "-1", "-i", str(pan), "-t",
                    str(seconds), "-c", "copy", str(clip)], check=True)
    pan.unlink()
    return clip


def tracks(case: Path, source: str) -> list[tuple]:
    conn = sqlite3.connect(case / "case.db")
    try:
        return conn.execute("SELECT r.frame_from, r.frame_to, k.frame, k.x, k.y, k.w, k.h FROM "
                            "redactions r JOIN keyframes k ON k.redaction_id = r.id WHERE "
                            "r.source = ? ORDER BY r.id, k.frame", (source,)).fetchall()
    finally:
        conn.close()


def detection_sweep(p: Pipeline, clip: Path, case: Path, fresh: Path) -> list[str]:
    """Faces and text on one shared decode (``detect all``) on ``fresh``, a copy of the case
    made before any pass ran, against the two passes run apart above: CPU and wall per second
    of footage, and whether the tracks are the same. The cheaper looks of the face network and
    their recall are measured by ``bench/detect_costs.py`` (none is the default)."""
    r = p.runs
    timed("faces + text, one decode", ["detect", "all", fresh, clip.name, "--match",
                                       PLATE.replace(" ", " ?"), "--quiet"], r)
    apart = r["faces"].cpu + r["text"].cpu
    both = r["faces + text, one decode"]
    same = tracks(fresh, "detect") == tracks(case, "detect")
    return [f"faces + text on one decode: cpu {both.cpu / p.seconds:.2f} s/s, wall "
            f"{both.wall / p.seconds:.2f} s/s ({both.cpu / apart:.2f}x the CPU of the two passes "
            f"apart); {'same' if same else 'OTHER'} face tracks"]


def recall(clip: Path, export: Path, every: int = 10) -> str:
    """Faces left: on every ``every``-th frame, read by FFmpeg's own decoder, the frames where
    YuNet or MTCNN (bench/faces_real.py's independent detectors) find a face in the original,
    and the frames where either still finds one in the export."""
    import imageio_ffmpeg
    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from faces_real import _detectors

    detectors = _detectors()

    def frames(path: Path):
        gen = imageio_ffmpeg.read_frames(str(path))
        meta = next(gen)
        w, h = meta["size"]
        for n, raw in enumerate(gen):
            if n % every == 0:
                yield np.frombuffer(raw, np.uint8).reshape(h, w, 3)

    seen = {k: 0 for k in detectors}
    left = {k: 0 for k in detectors}
    looked = 0
    for rgb_in, rgb_out in zip(frames(clip), frames(export)):
        looked += 1
        for k, det in detectors.items():
            seen[k] += bool(det(rgb_in))
            left[k] += bool(det(rgb_out))
    return (f"faces left (every {every}th frame, {looked} frames): " + "; ".join(
        f"{k} finds a face on {seen[k]} original frame(s) and {left[k]} exported" for k in detectors))


def run_pipeline(folder: Path, seconds: int, preset: str, crf: int) -> Pipeline:
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    clip = make_clip(folder, seconds, ffmpeg)
    info = json.loads(timed("probe", ["probe", clip, "--json"], {}).out)
    p = Pipeline(float(info["duration"]), int(info["frame_count"]))
    print(f"clip: {p.frames} frames, 1920x1080 at 30 fps, {p.seconds:.1f} s; load average "
          f"{os.getloadavg()[0]:.1f} at the start; cores seen {len(os.sched_getaffinity(0))}",
          flush=True)
    case, case2, case3 = folder / "case", folder / "case2", folder / "case3"
    r = p.runs
    timed("import", ["new", case], {})
    timed("import", ["import", case, clip.parent], r)
    shutil.copytree(case, case2)
    shutil.copytree(case, case3)
    timed("reference: ffmpeg re-encode", ["-v", "error", "-y", "-i", clip, "-c:v", "libx264",
          "-preset", preset, "-crf", crf, "-pix_fmt", "yuv420p", "-c:a", "copy", "-map_metadata",
          "-1", folder / "ffmpeg.mp4"], r, program=ffmpeg)
    timed("faces", ["detect", "faces", case, "--jobs", "1", "-q"], r)
    timed("text", ["detect", "text", case, clip.name, "--match", PLATE.replace(" ", " ?")], r)
    timed("speech", ["transcribe", case, "-q"], r)
    spans = timed("speech (redact)", ["redact", "speech", case, clip.name, "--match",
                                      "maria|lopez"], r)
    r["speech"].wall += spans.wall
    r["speech"].cpu += spans.cpu
    one = folder / "export.mp4"
    timed("export", ["export", case, clip.name, "--out", one, "--preset", preset, "--crf", crf,
                     "-q"], r)
    timed("verify", ["verify", one, "--case", case, "-q"], r)
    two = folder / "export-2.mp4"
    timed("export --chunks 2", ["export", case, clip.name, "--out", two, "--preset", preset,
                                "--crf", crf, "--chunks", "2", "-q"], r)
    p.notes.append("chunked export: " + ("same bytes as the one-process export"
                                         if two.read_bytes() == one.read_bytes() else
                                         "NOT the same bytes as the one-process export"))
    timed("faces --chunks 2", ["detect", "faces", case2, "--chunks", "2", "--jobs", "2", "-q"], r)
    same = tracks(case2, "detect") == tracks(case, "detect")
    p.notes.append("chunked detection: " + ("same face tracks" if same else "OTHER face tracks"))
    side = json.loads(Path(f"{one}.verify.json").read_text())
    copied = side.get("copied_gops") or []
    frames = sum(g["frames"][1] - g["frames"][0] + 1 for g in copied)
    p.notes.append(f"GOPs copied: {len(copied)} ({frames} of {p.frames} frames, "
                   f"{frames / max(1, p.frames):.0%}); {side.get('smart_cut') or ''}".rstrip("; "))
    n_faces = len({row[:2] for row in tracks(case, "detect")})
    p.notes.append(f"found: {n_faces} face track(s); sizes: export {one.stat().st_size / 1e6:.1f} MB, "
                   f"ffmpeg {(folder / 'ffmpeg.mp4').stat().st_size / 1e6:.1f} MB, "
                   f"source {clip.stat().st_size / 1e6:.1f} MB")
    p.notes += detection_sweep(p, clip, case, case3)
    p.notes.append(recall(clip, one))
    p.notes.append(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return p


PASSES = ("faces", "text", "speech", "export", "verify")


def report(p: Pipeline) -> None:
    s = p.seconds
    r = p.runs
    ref = r["reference: ffmpeg re-encode"]
    print(f"\nper second of footage ({s:.0f} s of 1080p30), one process each:")
    print(f"  {'pass':22} {'cpu s/s':>8} {'wall s/s':>9} {'cpu / ffmpeg':>13}")
    for name in PASSES:
        x = r[name]
        print(f"  {name:22} {x.cpu / s:8.2f} {x.wall / s:9.2f} {x.cpu / ref.cpu:13.2f}")
    cpu = sum(r[n].cpu for n in PASSES)
    wall = sum(r[n].wall for n in PASSES)
    print(f"  {'total':22} {cpu / s:8.2f} {wall / s:9.2f} {cpu / ref.cpu:13.2f}")
    print(f"  {'ffmpeg re-encode':22} {ref.cpu / s:8.2f} {ref.wall / s:9.2f} {1:13.2f}")
    e1, e2 = r["export"], r["export --chunks 2"]
    f1, f2 = r["faces"], r["faces --chunks 2"]
    print(f"\nwith 2 processes: export {e1.wall / e2.wall:.2f}x faster in wall time "
          f"(cpu {e2.cpu / e1.cpu:.2f}x the one-process run's), face detection "
          f"{f1.wall / f2.wall:.2f}x (cpu {f2.cpu / f1.cpu:.2f}x)")
    best = wall - e1.wall + e2.wall - f1.wall + f2.wall
    print(f"one hour of such footage, at this run's rates: {wall / s:.2f} h of wall time in one "
          f"process per pass, {best / s:.2f} h with faces and export in 2 chunks; "
          f"{cpu / s:.2f} CPU-hours, so at least {cpu / s / 2:.2f} h on 2 idle cores")
    for note in p.notes:
        print(f"  {note}")
