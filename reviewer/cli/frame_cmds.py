"""``reviewer frame FILE --frame N[,M,...] --out PATH``: exact displayed frames as PNG."""
from __future__ import annotations

import os
from argparse import Namespace
from pathlib import Path

from reviewer.errors import MediaError, ReviewerError

FRAME_TIMEOUT_S = 3600.0  # indexing and decoding up to a few frames of hours of video


def parse_frame_list(text: str) -> list[int]:
    frames: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise ReviewerError(f"--frame: {part!r} is not a frame number (use N or N,M,...)")
        frames.append(int(part))
    if not frames:
        raise ReviewerError("--frame: no frame number given")
    return frames


def cmd_frame(args: Namespace) -> int:
    src = Path(args.file)
    if not src.is_file():
        why = ("is a folder; give a file" if src.is_dir() else
               "not a regular file" if src.exists() else "no such file")
        raise MediaError(f"{args.file}: {why}")
    frames = parse_frame_list(args.frame)
    out = Path(args.out)
    several = len(frames) > 1 or out.is_dir()  # a folder given for one frame: frame_NNNNNN.png in it
    targets = [out / f"frame_{n:06d}.png" for n in frames] if several else [out]
    for target in targets:
        if _same_file(target, src):
            # the source is evidence: a PNG written over it would destroy the original
            raise ReviewerError(f"{target}: is the video being read; choose another output name")
    from reviewer.sandbox import Sandbox

    # decoded in the sandbox child, within its memory and time limits (reviewer.sandbox)
    with Sandbox() as box:
        box.run("reviewer.media.stills:write_frames",
                (str(src), frames, str(out), several),
                label=src.name, timeout=FRAME_TIMEOUT_S)
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except OSError:
        return False
