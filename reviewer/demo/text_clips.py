"""A short clip with text in it, made by code, for detect text / search / soft-box tests.

Over a panning, textured street: a licence plate on a car that drives across the picture,
a house number that moves with the street, an officer's vest saying POLICE for exactly one
second, and the camera's burned-in clock. Where each piece of text is on every frame is
returned (the ground truth tests compare with).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

FONT = cv2.FONT_HERSHEY_SIMPLEX
FONT_BOLD = cv2.FONT_HERSHEY_DUPLEX


@dataclass(frozen=True)
class TextClip:
    path: Path
    frame_count: int
    fps: int
    width: int
    height: int
    # name -> {frame: (x0, y0, x1, y1)} of the text's own pixels (the ink)
    truth: dict[str, dict[int, tuple[int, int, int, int]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def _street(w: int, h: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.integers(60, 150, (h // 8, w // 8, 3), dtype=np.uint8)
    pano = cv2.resize(base, (w, h), interpolation=cv2.INTER_CUBIC)
    for x in range(0, w, 97):  # building edges: something for the tracker to lock on
        cv2.line(pano, (x, 0), (x + 20, h), (40, 40, 50), 3)
    return cv2.GaussianBlur(pano, (5, 5), 0)


def _text(frame: np.ndarray, text: str, org: tuple[int, int], font: int, scale: float,
          color: tuple[int, int, int], thick: int, plate: tuple[int, int, int] | None = None
          ) -> tuple[int, int, int, int]:
    (tw, th), base = cv2.getTextSize(text, font, scale, thick)
    x, y = org
    if plate is not None:
        cv2.rectangle(frame, (x - 8, y - th - 8), (x + tw + 8, y + base + 6), plate, -1)
    cv2.putText(frame, text, (x, y), font, scale, color, thick, cv2.LINE_AA)
    return x, y - th, x + tw, y + base


def _shaken(frame: np.ndarray, dx: int, dy: int):
    """The picture moved by (dx, dy) (edges repeated), and how a rectangle moves with it."""
    h, w = frame.shape[:2]
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    out = cv2.warpAffine(frame, m, (w, h), borderMode=cv2.BORDER_REPLICATE)

    def moved(r: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy)
    return np.ascontiguousarray(out), moved


def _clock(frame: np.ndarray, i: int, fps: int) -> tuple[int, int, int, int]:
    """The camera's burned-in clock, changing every second, top left."""
    return _text(frame, f"2026-12-01 10:14:{i // fps:02d}", (10, 26), FONT, 0.6, (255, 255, 255),
                 1, plate=(0, 0, 0))


def _write(path: Path, frames: Iterator[np.ndarray], fps: int, width: int, height: int,
           crf: int = 20, gop: int | None = None) -> None:
    """Encode ``frames`` (RGB, one per 1/fps second from 0) as H.264 in MP4 at ``path``."""
    with av.open(str(path), "w", format="mp4") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = width, height, "yuv420p"
        vs.codec_context.time_base = Fraction(1, fps)
        vs.options = {"crf": str(crf), "preset": "veryfast", **({"g": str(gop)} if gop else {})}
        for i, frame in enumerate(frames):
            vf = av.VideoFrame.from_ndarray(frame, format="rgb24")
            vf.pts = i
            vf.time_base = Fraction(1, fps)
            for pkt in vs.encode(vf):
                out.mux(pkt)
        for pkt in vs.encode(None):
            out.mux(pkt)


def make_text_clip(path: str | Path, *, seconds: float = 3.0, fps: int = 15, width: int = 640,
                   height: int = 360, plate: str = "7KQB 482", house: str = "1280",
                   vest: str = "POLICE", seed: int = 7, shake_px: int = 0) -> TextClip:
    """Write the clip at ``path`` (H.264 in MP4, no audio) and return where the text is.
    ``shake_px``: the whole picture but the clock jumps by up to this much each frame, as a
    body camera on a running officer does."""
    path = Path(path)
    n = round(seconds * fps)
    pan = 120
    pano = _street(width + pan, height, seed)
    truth: dict[str, dict[int, tuple[int, int, int, int]]] = {k: {} for k in
                                                               ("plate", "house", "vest", "clock")}
    vest_from, vest_to = fps, 2 * fps - 1  # frames of second 1..2: exactly one second
    jolts = np.random.default_rng(seed + 1).integers(-shake_px, shake_px + 1, (n, 2)) if shake_px \
        else np.zeros((n, 2), int)

    def frames() -> Iterator[np.ndarray]:
        for i in range(n):
            u = i / max(1, n - 1)
            ox = int(u * pan)
            frame = np.ascontiguousarray(pano[:, ox:ox + width])
            # house number on a wall: moves with the street
            truth["house"][i] = _text(frame, house, (150 - ox + 40, 120), FONT_BOLD, 1.0,
                                      (20, 20, 20), 2, plate=(200, 190, 160))
            # the car drives across, its plate with it
            cx = int(30 + u * (width - 260))
            cy = int(285 + 4 * np.sin(i / 2.0))
            cv2.rectangle(frame, (cx - 30, cy - 55), (cx + 190, cy + 30), (30, 30, 140), -1)
            truth["plate"][i] = _text(frame, plate, (cx, cy), FONT, 0.9, (20, 20, 20), 2,
                                      plate=(235, 235, 235))
            if vest_from <= i <= vest_to:
                vx = 430 - ox // 2
                cv2.rectangle(frame, (vx - 20, 150), (vx + 150, 330), (25, 30, 30), -1)
                truth["vest"][i] = _text(frame, vest, (vx, 230), FONT_BOLD, 1.1, (40, 230, 230), 2)
            if shake_px:
                frame, moved = _shaken(frame, int(jolts[i, 0]), int(jolts[i, 1]))
                for name in ("house", "plate", "vest"):
                    if i in truth[name]:
                        truth[name][i] = moved(truth[name][i])
            truth["clock"][i] = _clock(frame, i, fps)
            yield frame
    _write(path, frames(), fps, width, height, gop=fps * 2)
    return TextClip(path, n, fps, width, height, truth,
                    {"plate": plate, "house": house, "vest": vest, "clock": "2026-12-01"})


PLATES = ("ABC 1234", "7KQB 482", "XR5 0917")


def make_plates_clip(path: str | Path, *, plates: tuple[str, ...] = PLATES, shot_s: float = 1.4,
                     fps: int = 15, width: int = 640, height: int = 360) -> TextClip:
    """Licence plates with hard cuts between cars, the way a parking-lot or traffic camera's
    clips are spliced: one car per shot, each plate near where the last one was (the hard
    case: a tracker carried across the cut lands on the next car's plate), on another
    street; the camera's burned-in clock (changing every second) runs across all of them.
    ``truth`` has ``plate0``, ``plate1``, ... and ``clock``; ``texts`` their text, and
    ``extra`` holds the cuts (first frame of each new shot)."""
    path = Path(path)
    per = round(shot_s * fps)
    n = per * len(plates)
    truth: dict[str, dict[int, tuple[int, int, int, int]]] = {f"plate{k}": {} for k in range(len(plates))}
    truth["clock"] = {}
    # each car on another street, in another light (a cut changes the whole picture)
    tints = [(1.0, 1.0, 1.0), (0.55, 0.75, 1.25), (1.35, 1.1, 0.6)]
    streets = [np.clip(_street(width, height, 11 + 5 * k) * np.float32(tints[k % 3]), 0, 255)
               .astype(np.uint8) for k in range(len(plates))]
    colours = [(30, 30, 140), (150, 40, 30), (40, 110, 40)]

    def frames() -> Iterator[np.ndarray]:
        for i in range(n):
            k, j = divmod(i, per)
            frame = streets[k].copy()
            cx = 200 + 12 * k + 3 * j
            cy = 250 + 6 * k
            cv2.rectangle(frame, (cx - 40, cy - 70), (cx + 220, cy + 40), colours[k % 3], -1)
            truth[f"plate{k}"][i] = _text(frame, plates[k], (cx, cy), FONT, 1.0, (20, 20, 20), 2,
                                          plate=(235, 235, 235))
            truth["clock"][i] = _clock(frame, i, fps)
            yield frame
    _write(path, frames(), fps, width, height, gop=fps * 2)
    texts = {f"plate{k}": p for k, p in enumerate(plates)}
    texts["clock"] = "2026-12-01"
    return TextClip(path, n, fps, width, height, truth, texts)


def make_car_park_clip(path: str | Path, *, plate: str = "98 KX 12", seconds: float = 2.0,
                       fps: int = 10, width: int = 640, height: int = 360,
                       plate_scale: float = 0.28) -> TextClip:
    """A car park filmed from above: asphalt, painted bays, cars as roofs, and one car's
    plate far away, its letters ~7 px tall (``plate_scale``): too small to read, still a
    plate to cover. The camera drifts slowly. ``truth['plate']`` is the plate's ink box."""
    path = Path(path)
    n = round(seconds * fps)
    rng = np.random.default_rng(3)
    pano_w = width + 40
    lot = np.clip(rng.normal(95, 12, (height, pano_w, 3)), 0, 255).astype(np.uint8)
    lot = cv2.GaussianBlur(lot, (3, 3), 0)
    for x in range(20, pano_w, 70):  # painted bays
        cv2.line(lot, (x, 40), (x, 150), (230, 230, 220), 3)
        cv2.line(lot, (x, 210), (x, 320), (230, 230, 220), 3)
    for k, x in enumerate(range(30, pano_w - 60, 70)):  # roofs in every other bay
        if k % 2 == 0:
            colour = tuple(int(c) for c in rng.integers(40, 220, 3))
            cv2.rectangle(lot, (x + 8, 55), (x + 52, 140), colour, -1)
            cv2.rectangle(lot, (x + 14, 75), (x + 46, 115), tuple(c // 2 for c in colour), -1)
    truth: dict[str, dict[int, tuple[int, int, int, int]]] = {"plate": {}}

    def frames() -> Iterator[np.ndarray]:
        for i in range(n):
            ox = int(i / max(1, n - 1) * 40)
            frame = np.ascontiguousarray(lot[:, ox:ox + width])
            # the one car seen from behind at the far end of the lot, its plate small
            cx, cy = 300 - ox, 262
            cv2.rectangle(frame, (cx - 14, cy - 30), (cx + 44, cy + 6), (150, 40, 30), -1)
            truth["plate"][i] = _text(frame, plate, (cx - 4, cy), FONT, plate_scale, (20, 20, 20), 1,
                                      plate=(235, 235, 235))
            yield frame
    _write(path, frames(), fps, width, height, crf=18)
    return TextClip(path, n, fps, width, height, truth, {"plate": plate})
