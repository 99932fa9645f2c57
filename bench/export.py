"""Benchmark: redacted video export against FFmpeg's command line doing the same job.

A generated 1080p H.264 + AAC file (~10 s) with one box over every frame. Ours:
``reviewer.export.video.export_video`` (decode thread, burn into YUV planes, libx264, audio
stream-copied). Reference: the ``ffmpeg`` binary of imageio-ffmpeg with ``drawbox`` on every
frame, the same x264 preset and CRF, audio copied, metadata dropped. Taken in turns in one run
(A B A B ...), so machine load hits both alike; prints the ratio ours / ffmpeg of the medians
(target <= 1.0), without and with our independent verification, in wall time and in CPU
time (user + system of all threads: steadier on a shared, loaded machine).

The verification decodes the encoder's packets on its own thread while the encoder runs
(reviewer.export.stream_verify); what is left after the encoder finishes (demuxing the file
to match its packets, the audio, the streams) is printed as the "verification tail", against
ffmpeg's wall time. The box is on every frame, so every frame must be decoded and checked:
the worst case for verification.

A third contestant gives the floor of any verification that decodes every frame: FFmpeg's
re-encode with a second FFmpeg decoding its H.264 output through a pipe while it is written.
On a machine whose cores x264 already fills, that decode's CPU time is added to the job
whoever runs it; "ours+verify / that floor" says how close our verification comes to it.

    .venv/bin/python bench/export.py [--preset veryfast] [--crf 18] [--rounds 3] [--seconds 10]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BOX = (600, 300, 400, 300)  # x, y, w, h


def make_source(path: Path, seconds: int, ffmpeg: str) -> None:
    subprocess.run([ffmpeg, "-v", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                    "-g", "60", "-c:a", "aac", "-b:a", "128k", "-shortest", str(path)], check=True)


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def run_ffmpeg(ffmpeg: str, src: Path, out: Path, preset: str, crf: int) -> tuple[float, float]:
    x, y, w, h = BOX
    c = _cpu(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(src),
                    "-vf", f"drawbox=x={x}:y={y}:w={w}:h={h}:color=black:t=fill",
                    "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
                    "-c:a", "copy", "-map_metadata", "-1", "-sn", "-dn", str(out)], check=True)
    return time.perf_counter() - t, _cpu(resource.RUSAGE_CHILDREN) - c


TAIL: list[float] = []


def _time_the_tail() -> None:
    """Time ``verify_video`` (called once the encoder is done) inside each export."""
    import reviewer.export.verify as verify

    inner = verify.verify_video

    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return inner(*a, **k)
        finally:
            TAIL.append(time.perf_counter() - t)

    verify.verify_video = timed


def run_ffmpeg_checked(ffmpeg: str, src: Path, out: Path, preset: str, crf: int) -> tuple[float, float]:
    """FFmpeg's re-encode with a second FFmpeg decoding its video while it is written (the
    tee muxer feeds the H.264 stream through a pipe; the decoder on one thread, the cheapest
    in CPU): what any check that decodes every frame of the export costs, done by FFmpeg's
    own tools. The floor for ours+verify on a machine whose cores the encoder fills."""
    x, y, w, h = BOX
    c = _cpu(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    enc = subprocess.Popen([ffmpeg, "-v", "error", "-y", "-i", str(src),
                            "-vf", f"drawbox=x={x}:y={y}:w={w}:h={h}:color=black:t=fill",
                            "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
                            "-c:a", "copy", "-map", "0:v", "-map", "0:a", "-map_metadata", "-1",
                            "-f", "tee", f"[f=mp4]{out}|[f=h264:select=v]pipe:1"],
                           stdout=subprocess.PIPE)
    dec = subprocess.run([ffmpeg, "-v", "error", "-threads", "1", "-f", "h264", "-i", "pipe:0",
                          "-f", "null", "-"], stdin=enc.stdout)
    enc.stdout.close()
    if enc.wait() or dec.returncode:
        raise RuntimeError("ffmpeg's re-encode with a decode of its output failed")
    return time.perf_counter() - t, _cpu(resource.RUSAGE_CHILDREN) - c


def run_ours(store, media, out: Path, preset: str, crf: int, verify: bool) -> tuple[float, float]:
    from reviewer.export.video import export_video

    c = _cpu(resource.RUSAGE_SELF)
    t = time.perf_counter()
    res = export_video(store, media, out, preset=preset, crf=crf, verify=verify, sidecar=False)
    elapsed = time.perf_counter() - t
    if verify:
        assert all(c.ok for c in res.checks), [c.line() for c in res.checks]
        assert "written" in {c.name for c in res.checks}, "verification fell back to a full decode"
    return elapsed, _cpu(resource.RUSAGE_SELF) - c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="veryfast")
    ap.add_argument("--crf", type=int, default=18)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()

    import imageio_ffmpeg

    from reviewer.annotate.geometry import Box, Keyframe
    from reviewer.session.importer import import_paths
    from reviewer.session.redactions import add_box_track
    from reviewer.session.session import Session
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    _time_the_tail()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        tmp = Path(tmp)
        src = tmp / "src.mp4"
        make_source(src, args.seconds, ffmpeg)
        store = CaseStore.create(tmp / "case")
        (imp,) = import_paths(store, [src])
        media = media_store.get_media(store, imp.id)
        Session(store).apply(add_box_track(media["id"], 0, media["frame_count"] - 1,
                                           [Keyframe(0, Box(*BOX))]))
        print(f"source: {media['frame_count']} frames {media['width']}x{media['height']}, "
              f"x264 preset {args.preset} crf {args.crf}, {args.rounds} rounds in turns", flush=True)
        ours, ours_v, ref, dec = [], [], [], []
        for r in range(args.rounds):
            ref.append(run_ffmpeg(ffmpeg, src, tmp / "ff.mp4", args.preset, args.crf))
            ours.append(run_ours(store, media, tmp / "ours.mp4", args.preset, args.crf, False))
            ours_v.append(run_ours(store, media, tmp / "ours_v.mp4", args.preset, args.crf, True))
            dec.append(run_ffmpeg_checked(ffmpeg, src, tmp / "ff_checked.mp4", args.preset, args.crf))
            print(f"round {r + 1}: wall / cpu seconds: ffmpeg {ref[-1][0]:.2f} / {ref[-1][1]:.2f}  "
                  f"ours {ours[-1][0]:.2f} / {ours[-1][1]:.2f}  "
                  f"ours+verify {ours_v[-1][0]:.2f} / {ours_v[-1][1]:.2f}  "
                  f"ffmpeg+decode {dec[-1][0]:.2f} / {dec[-1][1]:.2f}", flush=True)
        store.close()
        for i, what in ((0, "wall time"), (1, "CPU time")):
            m_ref = statistics.median(x[i] for x in ref)
            print(f"ratio ours/ffmpeg, {what} (same job):           "
                  f"{statistics.median(x[i] for x in ours) / m_ref:.2f}")
            print(f"ratio ours+verify/ffmpeg, {what} (as 'export'): "
                  f"{statistics.median(x[i] for x in ours_v) / m_ref:.2f}")
        for i, what in ((0, "wall time"), (1, "CPU time")):
            m_ref = statistics.median(x[i] for x in ref)
            m_dec = statistics.median(x[i] for x in dec)
            print(f"floor, ffmpeg + a decode of its output while written / ffmpeg, {what}: "
                  f"{m_dec / m_ref:.2f}; ours+verify / that floor: "
                  f"{statistics.median(x[i] for x in ours_v) / m_dec:.2f}")
        print(f"verification tail after the encoder / ffmpeg wall time:  "
              f"{statistics.median(TAIL) / statistics.median(x[0] for x in ref):.2f} "
              f"({statistics.median(TAIL):.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
