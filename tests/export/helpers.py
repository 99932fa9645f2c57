"""Independent readers for export tests (plain PyAV, not the code under test)."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def decode_rgb(path: str | Path) -> tuple[list[Fraction], list[np.ndarray], int]:
    """Every displayed frame of ``path`` as RGB with its time relative to the first frame,
    and the rotation the file still asks for (ccw degrees, 0 when none)."""
    times, frames = [], []
    rotation = 0
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        first = None
        for f in c.decode(vs):
            first = f.pts if first is None else first
            times.append((f.pts - first) * Fraction(vs.time_base))
            frames.append(f.to_ndarray(format="rgb24"))
            rotation = rotation or int(getattr(f, "rotation", 0) or 0)
    return times, frames, rotation


def psnr(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> float:
    d = a.astype(np.float64) - b.astype(np.float64)
    if mask is not None:
        d = d[mask]
    mse = float(np.mean(d * d)) if d.size else 0.0
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
