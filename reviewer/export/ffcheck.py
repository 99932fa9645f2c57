"""A second decoder's word on a smart cut: FFmpeg's own program (the one imageio-ffmpeg ships)
decodes the export, and the original, and hashes every frame (its ``framehash`` muxer). The
export's frames must be the frames the export's own verifier decoded and checked, and every
frame of a copied GOP the very frame the original gives.
"""
from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from reviewer.export.checks import Check


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


class FrameHashes:
    """Every displayed frame's sha256 of ``path``'s first video stream, computed by FFmpeg in a
    child process (started at once; :meth:`result` waits for it)."""

    def __init__(self, path: str | Path) -> None:
        self.name = Path(path).name
        self.hashes: list[str] = []
        self.error: str | None = None
        cmd = [ffmpeg_exe(), "-v", "error", "-nostdin", "-i", str(path), "-map", "0:v:0",
               "-an", "-sn", "-dn", "-fps_mode", "passthrough", "-f", "framehash", "-hash",
               "sha256", "-"]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      stdin=subprocess.DEVNULL)
        self._thread = threading.Thread(target=self._read, name="ffmpeg-framehash", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        err = b""
        try:
            out, err = self._proc.communicate()
        except OSError as exc:
            self.error = str(exc)
            return
        for line in out.decode("ascii", "replace").splitlines():
            if not line or line.startswith("#"):
                continue
            self.hashes.append(line.rsplit(",", 1)[-1].strip())
        if self._proc.returncode != 0:
            self.error = (err.decode("utf-8", "replace").strip().splitlines() or ["failed"])[-1]

    def result(self) -> list[str] | None:
        self._thread.join()
        return None if self.error else self.hashes

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._thread.join(10)


def check_smart_cut(export: str | Path, original: FrameHashes, ours: list[str] | None,
                    report: list[dict], first: int, label: str) -> Check:
    """``ours``: the export's frames as its verifier decoded them; ``report``: the copied GOPs
    (export frames); ``first``: the original's frame that is the export's frame 0."""
    mine = FrameHashes(export)
    theirs = mine.result()
    source = original.result()
    if theirs is None:
        return Check("second decoder", False, f"FFmpeg could not decode {label} ({mine.error})")
    if source is None:
        return Check("second decoder", False, f"FFmpeg could not decode the original ({original.error})")
    if ours is None or theirs != ours:
        n = len(ours or [])
        at = next((i for i, (x, y) in enumerate(zip(theirs, ours or [])) if x != y), min(len(theirs), n))
        return Check("second decoder", False, f"FFmpeg's decode of {label} differs from the checked "
                     f"frames at frame {at} ({len(theirs)} frames, {n} checked)")
    copied = 0
    for r in report:
        lo, hi = r["frames"]
        for k in range(lo, hi + 1):
            if k >= len(theirs) or first + k >= len(source) or theirs[k] != source[first + k]:
                return Check("second decoder", False, f"frame {k} of {label} (copied from the "
                             f"original's frame {first + k}) is not the original's frame")
            copied += 1
    return Check("second decoder", True, f"FFmpeg's own decoder gives the {len(theirs)} frames checked "
                 f"here, and the {copied} frames of copied GOPs equal the original's, bit for bit")


__all__ = ["FrameHashes", "check_smart_cut", "ffmpeg_exe"]
