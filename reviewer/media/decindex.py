"""The frame index by decoding every frame: the slow, sure fallback.

Used when the packets cannot be trusted to tell frames apart: repeated timestamps, field
pictures sent as separate packets, or a packet index whose first/last frame the decoder
never produces. What the decoder outputs, in order, is by definition what a player shows.
Seeks then use timestamps only (no byte positions), and the reader falls back to earlier
keyframes or the start of the file when a seek lands late, so access stays exact.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from reviewer.errors import MediaError
from reviewer.media.decode import (check_picture_size, configure_decoder, frame_rotation, open_input,
                                   square_size, stream_sar)
from reviewer.media.frameindex import FrameIndex, video_stream
from reviewer.progress import Progress


def index_by_decoding(path: str | Path, progress: Progress | None = None) -> FrameIndex:
    name = Path(path).name
    pts: list[int] = []
    keys: list[bool] = []
    durs: list[int] = []
    rotation = 0
    with open_input(path, name) as container:
        vs = video_stream(container, name)
        configure_decoder(vs, True)
        total = vs.frames or 0
        tb = vs.time_base or Fraction(1, 90000)
        try:
            for frame in container.decode(vs):
                check_picture_size(frame.width, frame.height, name)
                if frame.pts is None:
                    raise MediaError(f"{name}: the video has no timestamps; remux it into MP4 or MKV first")
                if not pts:
                    rotation = frame_rotation(frame)
                pts.append(int(frame.pts))
                keys.append(bool(frame.key_frame))
                durs.append(int(frame.duration or 0))
                if progress is not None and total and len(pts) % 500 == 0:
                    progress.update(min(0.99, len(pts) / total), f"Indexing {name} (decoding)")
        except av.error.FFmpegError as exc:
            why = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise MediaError(f"{name}: the video cannot be decoded ({why})") from None
        coded_w, coded_h = vs.codec_context.width, vs.codec_context.height
        sar = stream_sar(vs)
        fmt, codec = container.format.name, vs.codec_context.name or ""
        stream_index = vs.index
    if not pts:
        raise MediaError(f"{name}: no frame of the video can be decoded")
    arr = np.asarray(pts, dtype=np.int64)
    if len(arr) > 1 and np.any(np.diff(arr) <= 0):
        raise MediaError(f"{name}: frame timestamps repeat or go backwards; the file's timing is broken")
    key_idx = [i for i, k in enumerate(keys) if k] or [0]
    last_d = durs[-1] if durs[-1] > 0 else (int(np.median(np.diff(arr))) if len(arr) > 1 else 1)
    sq_w, sq_h = square_size(coded_w, coded_h, sar)
    w, h = (sq_h, sq_w) if rotation in (90, 270) else (sq_w, sq_h)
    return FrameIndex(
        stream_index=stream_index, time_base=Fraction(tb), pts=tuple(pts), keyframes=tuple(key_idx),
        end_pts=pts[-1] + last_d, rotation=rotation, width=w, height=h, coded_width=coded_w,
        coded_height=coded_h, seek_pts=tuple(pts[i] for i in key_idx),
        seek_pos=tuple(-1 for _ in key_idx), seek_by_byte=False, container=fmt, codec=codec,
        sar_num=sar[0], sar_den=sar[1])
