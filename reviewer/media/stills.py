"""``reviewer frame``'s work: exact displayed frames of a video file written as PNG.

Runs in the sandbox child (reviewer.sandbox), as every decoding of an untrusted file does:
a file built to exhaust memory or to crash FFmpeg then costs one error line, within the
child's memory and time limits, not the command.
"""
from __future__ import annotations

import os
from pathlib import Path

from reviewer.errors import MediaError, ReviewerError, write_error


def write_frames(src: str, frames: list[int], out: str, several: bool) -> int:
    """Write ``frames`` of ``src`` to ``out`` (a PNG, or a folder of ``frame_NNNNNN.png``
    when ``several``); returns how many were written."""
    from reviewer.media.index import index_file

    path, target = Path(src), Path(out)
    idx = index_file(path)
    _in_range(path, frames, idx.count)
    if several:
        if target.exists() and not target.is_dir():
            raise ReviewerError(f"{target}: exists and is not a folder (several frames need a folder)")
        target.mkdir(parents=True, exist_ok=True)
    elif target.parent and not target.parent.exists():
        raise ReviewerError(f"{target.parent}: no such folder")
    try:
        _write(path, idx, frames, target, several)
    except MediaError as exc:
        if "larger than the" in str(exc):
            raise  # refused by size: decoding every frame would not change that
        # The packets may have misled the index (field pictures, odd timestamps): the
        # decoder's own output is the authority; a frame outside it is still an error.
        from reviewer.media.decindex import index_by_decoding

        idx = index_by_decoding(path)
        _in_range(path, frames, idx.count)
        _write(path, idx, frames, target, several)
    return len(set(frames))


def _in_range(path: Path, frames: list[int], count: int) -> None:
    for n in frames:
        if not 0 <= n < count:
            raise MediaError(f"{path.name}: frame {n} is outside 0..{count - 1}")


def _write(src: Path, idx, frames: list[int], out: Path, several: bool) -> None:
    import cv2

    from reviewer.media.frames import FrameReader

    # Decode in file order so one forward walk serves frames that share a GOP; each PNG is
    # written under a temporary name and renamed, so no partial file is left behind.
    with FrameReader(src, idx) as reader:
        for n in sorted(set(frames)):
            rgb = reader.frame(n)
            target = out / f"frame_{n:06d}.png" if several else out
            tmp = target.with_name(target.name + ".part.png")
            ok, png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
            if not ok:
                raise ReviewerError(f"{target}: could not be encoded as PNG")
            # written by Python, not cv2.imwrite: on a full disk imwrite left an empty PNG
            # and said it had succeeded
            try:
                with open(tmp, "wb") as fh:
                    fh.write(png.tobytes())
                    fh.flush()
                    os.fsync(fh.fileno())
                tmp.replace(target)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise write_error(exc, target, "the frame was not written") from None
