"""A fast walker at a low frame rate, made from the real sample face: the foreman's head
(Xiph.org's foreman sequence, resources/demo/README.md), cut out of each of its frames with
his hard hat, pasted over the building behind him and moved about 70 px a frame at 10 fps,
across the picture and back, the way someone passes a 10 fps body or dash camera.

Where the pasted head is on every frame is returned, so a test knows where to look; whether
a face shows there is left to a detector of the test's choosing.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from reviewer.demo.cuts import source_frames

SIZE = (640, 360)
HEAD = (70, 0, 220, 270)   # the head and hat on the sample's stored frames (x, y, w, h)
SCALE = 0.62               # the pasted head's size: ~136x167 px, a face ~75 px wide


@dataclass(frozen=True)
class Walker:
    path: Path
    fps: int
    heads: tuple[tuple[float, float, float, float], ...]  # the pasted head per frame (x, y, w, h)
    step_px: float

    @property
    def frame_count(self) -> int:
        return len(self.heads)


def path_of(n_frames: int, step: float, width: int, head_w: float) -> list[tuple[float, float]]:
    """Top-left corners: across the picture at ``step`` px a frame, back, and across again,
    bobbing up and down a little as a walker's head does."""
    span = width - head_w
    out = []
    x, dx = 0.0, step
    for n in range(n_frames):
        out.append((x, 90 + 25 * np.sin(n * 1.3)))
        if not 0 <= x + dx <= span:
            dx = -dx
        x += dx
    return out


def make_walker(path: str | Path, fps: int = 10, n_frames: int = 40, step: float = 70.0,
                source: Path | None = None, crf: int = 16) -> Walker:
    path = Path(path)
    src = source_frames(source)
    hx, hy, hw, hh = HEAD
    w, h = round(hw * SCALE), round(hh * SCALE)
    back = cv2.resize(src[0][0:65, 272:352], SIZE, interpolation=cv2.INTER_CUBIC)
    # a soft-edged oval mask: a head, not a rectangle of the sample pasted on a wall
    mask = np.zeros((h, w), np.float32)
    cv2.ellipse(mask, (w // 2, h // 2), (w // 2 - 2, h // 2 - 2), 0, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (9, 9), 0)[:, :, None]
    heads = []
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=fps, options={"crf": str(crf), "preset": "veryfast"})
        vs.width, vs.height, vs.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        vs.time_base = Fraction(1, fps)
        for n, (x, y) in enumerate(path_of(n_frames, step, SIZE[0], w)):
            head = cv2.resize(src[(2 * n) % len(src)][hy:hy + hh, hx:hx + hw], (w, h),
                              interpolation=cv2.INTER_AREA).astype(np.float32)
            frame = back.astype(np.float32)
            xi, yi = int(round(x)), int(round(y))
            region = frame[yi:yi + h, xi:xi + w]
            region[:] = region * (1 - mask) + head * mask
            heads.append((float(xi), float(yi), float(w), float(h)))
            vf = av.VideoFrame.from_ndarray(np.clip(frame + 0.5, 0, 255).astype(np.uint8),
                                            format="rgb24")
            vf.pts = n
            for pkt in vs.encode(vf):
                out.mux(pkt)
        for pkt in vs.encode():
            out.mux(pkt)
    return Walker(path, fps, tuple(heads), step)
