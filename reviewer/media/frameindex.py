"""The frame index as a value: every displayed frame's pts, the keyframes and the seek
points of one video stream, and its compact byte form for the case's cache.

The bottom of MEDIA's import order (decode < frameindex < decindex < index < frames <
server, probe): everything that builds or reads an index shares these few names, so none of
them has to import another sideways. :mod:`reviewer.media.index` re-exports them.
"""
from __future__ import annotations

import json
import zlib
from bisect import bisect_left
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

import av
import numpy as np

from reviewer.errors import MediaError
from reviewer.media.decode import NOT_VIDEO_FORMATS
from reviewer.timebase import FrameTimes

INDEX_VERSION = 2  # 2: pixel aspect ratio; width/height in square pixels
_MAGIC = b"RVFI"


@dataclass(frozen=True)
class FrameIndex:
    """Every displayed frame of one video stream. ``pts`` are in ``time_base`` units and
    strictly increasing; ``keyframes`` are display indexes of shown keyframes; ``width`` and
    ``height`` are as displayed: the coded size scaled to square pixels by the pixel aspect
    ratio ``sar_num:sar_den``, then swapped for 90/270 rotation."""

    stream_index: int
    time_base: Fraction
    pts: tuple[int, ...]
    keyframes: tuple[int, ...]
    end_pts: int
    rotation: int
    width: int
    height: int
    coded_width: int
    coded_height: int
    seek_pts: tuple[int, ...] = ()
    seek_pos: tuple[int, ...] = ()
    seek_by_byte: bool = False
    container: str = ""
    codec: str = ""
    version: int = field(default=INDEX_VERSION)
    sar_num: int = 1
    sar_den: int = 1

    @property
    def square_size(self) -> tuple[int, int] | None:
        """The stored (unrotated) picture's size in square pixels, when it must be scaled to
        be shown (non-square pixels); None when the coded pixels are square."""
        if self.sar_num == self.sar_den:
            return None
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)

    @property
    def count(self) -> int:
        return len(self.pts)

    @property
    def times(self) -> FrameTimes:
        return FrameTimes(self.pts, self.time_base, self.end_pts)

    @property
    def duration_s(self) -> Fraction:
        return self.times.end_seconds()

    @property
    def fps(self) -> float:
        d = self.duration_s
        return float(self.count / d) if d > 0 else 0.0

    def frame_of_pts(self, pts: int) -> int | None:
        """The display index of a frame with exactly this pts, else None."""
        i = bisect_left(self.pts, pts)
        return i if i < len(self.pts) and self.pts[i] == pts else None

    def seek_point_for(self, frame: int) -> int:
        """Index into ``seek_pts`` of the last keyframe at or before ``frame`` (display);
        -1 when there is none (decode from the start of the file)."""
        return bisect_left(self.seek_pts, self.pts[frame] + 1) - 1

    def to_bytes(self) -> bytes:
        head = {k: v for k, v in asdict(self).items()
                if k not in ("pts", "keyframes", "seek_pts", "seek_pos")}
        head["time_base"] = [self.time_base.numerator, self.time_base.denominator]
        arrays = [np.asarray(getattr(self, k), dtype="<i8").tobytes()
                  for k in ("pts", "keyframes", "seek_pts", "seek_pos")]
        hb = json.dumps(head).encode()
        lens = np.asarray([len(hb)] + [len(a) for a in arrays], dtype="<i8").tobytes()
        return _MAGIC + zlib.compress(lens + hb + b"".join(arrays), 6)

    @classmethod
    def from_bytes(cls, data: bytes) -> FrameIndex:
        if not data.startswith(_MAGIC):
            raise ValueError("not a frame index")
        raw = zlib.decompress(data[len(_MAGIC):])
        lens = np.frombuffer(raw[:40], dtype="<i8").tolist()
        off = 40
        head = json.loads(raw[off:off + lens[0]])
        off += lens[0]
        arrays = []
        for n in lens[1:]:
            arrays.append(tuple(np.frombuffer(raw[off:off + n], dtype="<i8").tolist()))
            off += n
        head["time_base"] = Fraction(*head["time_base"])
        if head.get("version") != INDEX_VERSION:
            raise ValueError("frame index from another version")
        return cls(pts=arrays[0], keyframes=arrays[1], seek_pts=arrays[2], seek_pos=arrays[3], **head)


class NeedsDecoding(MediaError):
    """The packets do not tell the frames apart (repeated timestamps, field pictures): the
    index has to come from decoding (:mod:`reviewer.media.decindex`)."""


def video_stream(container: Any, name: str) -> Any:
    fmt = container.format.name
    if set(fmt.split(",")) & NOT_VIDEO_FORMATS or fmt.endswith("_pipe"):
        raise MediaError(f"{name}: not a video (it reads as {fmt!r}: a text, subtitle or still image file)")
    for s in container.streams.video:
        if not (s.disposition & av.stream.Disposition.attached_pic):
            return s
    raise MediaError(f"{name}: has no video track")
