"""How far libVLC's seeks and clock are from the picture it delivers (docs/decisions/0002).

    .venv/bin/python bench/vlc_clock.py

A numbered 320x240 30 fps H.264 clip (900 frames, a keyframe every 150; made once in the
temp folder) is played headless through ``reviewer.media.vlcplayer`` with the dummy audio
output. Every picture VLC delivers is read back (``tests/fixtures/videos.read_number``).
Prints (1) for seeks while paused, the frame asked for and the frame shown; (2) while
playing, ``get_time()`` in frames minus the number of the newest delivered picture. No
timing target: the point is which frame, so nothing here depends on the machine's load
beyond the sampling moments.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import av
import numpy as np
from fixtures.videos import draw_frame, read_number

from reviewer.media.vlcplayer import VlcPlayer, vlc_unavailable_reason

W, H, N, GOP, FPS = 320, 240, 900, 150, 30
TARGETS = (90, 200, 333, 451, 600, 777, 840)


def make_clip() -> Path:
    path = Path(tempfile.gettempdir()) / "reviewer_bench" / f"vlc_clock_{N}_gop{GOP}.mp4"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part.mp4")
    with av.open(str(tmp), "w") as out:
        vs = out.add_stream("libx264", rate=FPS, options={"g": str(GOP), "preset": "veryfast", "crf": "18"})
        vs.width, vs.height, vs.pix_fmt = W, H, "yuv420p"
        vs.time_base = Fraction(1, FPS)
        for n in range(N):
            frame = av.VideoFrame.from_ndarray(draw_frame(n, W, H), format="rgb24")
            frame.pts = n
            for p in vs.encode(frame):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
    os.replace(tmp, path)
    return path


def main() -> int:
    why = vlc_unavailable_reason()
    if why:
        print(f"error: {why}", file=sys.stderr)
        return 1
    path = make_clip()
    latest: dict = {"n": None}

    def on_frame(buf) -> None:  # noqa: ANN001 - VideoBuffer, on VLC's thread
        bgra = np.frombuffer(buf.data, np.uint8).reshape(buf.height_px, buf.width_px, 4)
        try:
            latest["n"] = read_number(np.ascontiguousarray(bgra[:, :, 2::-1]))
        except ValueError:
            pass  # a picture the barcode cannot be read from (scaled, mid-transition)

    player = VlcPlayer(on_frame, audio=False)
    try:
        player.load(str(path), W, H)
        player.play()
        time.sleep(1.0)
        player.pause()
        time.sleep(0.5)
        print("1. set_time while paused, 1 ms inside the frame: asked -> shown (get_time vs asked, ms)")
        wrong = 0
        for target in TARGETS:
            ms = int(target * 1000 / FPS) + 1
            player.seek_ms(ms)
            time.sleep(1.0)
            shown = latest["n"]
            wrong += shown != target
            print(f"   {target:4d} -> {shown}   ({player.time_ms()} vs {ms})")
        print(f"   {wrong} of {len(TARGETS)} seeks showed another frame")
        player.seek_ms(0)
        player.play()
        time.sleep(0.5)
        diffs = []
        for _ in range(40):
            time.sleep(0.37)
            n, t_ms = latest["n"], player.time_ms()
            if n is not None:
                diffs.append(t_ms * FPS / 1000 - n)
    finally:
        player.release()
    d = np.asarray(diffs)
    print("2. playing: get_time() in frames minus the newest delivered picture's number")
    print(f"   median {np.median(d):.1f}, min {d.min():.1f}, max {d.max():.1f} frames ({len(d)} samples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
