"""``reviewer frame FILE --frame N[,M,...] --out PATH``: exact displayed frames as PNG."""
from __future__ import annotations

import os
from argparse import Namespace
from pathlib import Path

from reviewer.errors import MediaError, ReviewerError, write_error


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
    from reviewer.media.index import index_file

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
    idx = index_file(src)
    for n in frames:
        if not 0 <= n < idx.count:
            raise MediaError(f"{src.name}: frame {n} is outside 0..{idx.count - 1}")
    if several:
        if out.exists() and not out.is_dir():
            raise ReviewerError(f"{out}: exists and is not a folder (several frames need a folder)")
        out.mkdir(parents=True, exist_ok=True)
    elif out.parent and not out.parent.exists():
        raise ReviewerError(f"{out.parent}: no such folder")
    try:
        _write(src, idx, frames, out, several)
    except MediaError:
        # The packets may have misled the index (field pictures, odd timestamps): the
        # decoder's own output is the authority; a frame outside it is still an error.
        from reviewer.media.decindex import index_by_decoding

        idx = index_by_decoding(src)
        for n in frames:
            if not 0 <= n < idx.count:
                raise MediaError(f"{src.name}: frame {n} is outside 0..{idx.count - 1}") from None
        _write(src, idx, frames, out, several)
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except OSError:
        return False


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
