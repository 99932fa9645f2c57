"""Readers that are not the project's own: FFmpeg's decoder (imageio-ffmpeg) and tesseract."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="tesseract is not installed")


def ffmpeg_frames(path: Path, *_size: int) -> np.ndarray:
    """Every frame of ``path`` as FFmpeg decodes it (RGB, at the size FFmpeg reports)."""
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24")
    width, height = next(reader)["size"]
    frames = [np.frombuffer(f, np.uint8).reshape(height, width, 3) for f in reader]
    return np.stack(frames)


def tesseract(rgb: np.ndarray, zoom: int = 1, psm: str = "11") -> str:
    """What tesseract reads on a picture (enlarged ``zoom`` times, as a reader zooming in)."""
    import cv2

    img = rgb if zoom == 1 else cv2.resize(rgb, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "f.png"
        cv2.imwrite(str(png), np.ascontiguousarray(img[:, :, ::-1]))
        out = subprocess.run(["tesseract", str(png), "-", "--psm", psm], capture_output=True,
                             text=True, timeout=60, check=False).stdout
    return " ".join(out.split())


def squashed(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def shows_plate(text: str, plate: str = "7KQB 482") -> bool:
    """Whether a reading gives the plate away: either half of it, or four of its characters
    in a row."""
    s, p = squashed(text), squashed(plate)
    return any(p[i:i + 4] in s for i in range(len(p) - 3))
