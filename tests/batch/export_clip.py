"""A clip whose export splits into chunks: numbered pictures, a moving box and a silenced
span that cross the places where the export restarts x264 (tests/batch/test_export_chunks.py
and the Dask cluster's test)."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from cli.clirun import ffmpeg, ok

NAME = "bodycam.mp4"
FPS = 30
BOX = (60, 300)  # frames
SPAN = (Fraction(294, FPS), Fraction(310, FPS))  # seconds: frames 294..309


def make_export_case(root: Path) -> tuple[Path, Path]:
    """420 frames (14 s) of numbered 320x240 pictures at 30 fps with audio, closed GOPs of
    exactly 15 frames with B-frames, as a body camera writes them; a moving box over frames
    60..300 and a silenced span over frames 294..309: the encoded stretch 60..314 is three x264
    runs (the plan restarts x264 at the first GOP after 4 s: 60, 180, 300), the rest is
    copied from the original. Returns (the case, the clip)."""
    from fixtures.videos import make_video

    made = make_video(root / "made.mp4", "cfr", n_frames=420)
    clip = root / NAME
    ffmpeg("-i", str(made), "-c:v", "libx264", "-preset", "veryfast", "-g", "15", "-keyint_min", "15",
           "-sc_threshold", "0", "-bf", "2", "-c:a", "copy", str(clip))
    made.unlink()
    case = root / "case"
    ok("new", case)
    ok("import", case, clip)
    ok("redact", "box", case, NAME, "--frames", f"{BOX[0]}:{BOX[1]}", "--rect", "20,100,60,40",
       "--rect-end", "200,150,60,40")
    ok("redact", "audio", case, NAME, "--from", str(float(SPAN[0])), "--to", str(float(SPAN[1])))
    return case, clip
