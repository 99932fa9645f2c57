"""The text pass's tracks as they travel between a batch worker and the coordinator, and
the pass split into chunks (``detect text --chunks N``) with the one-process pass's tracks.

The pass is not local: a track carries its box, speed and the pictures it was last
detected and read on from look to look, for as long as the text stays in the picture, so
a chunk starting fresh would not know the tracks the pass has open there. So the pass,
however it runs, starts afresh at fixed points of the video
(:func:`reviewer.media.text_split.restart_points`: about every ``RESTART_S`` seconds, at
the first look after a keyframe, so a chunk starting there decodes from that keyframe): it
ends its tracks on the frame before and looks again.
A piece of text on screen across such a point is followed into it and found again at the
look there; the fragments are joined into one track (as the pass joins a track the
tracker lost and the detector found again next to it), and a reading that changed across
the point splits it as a change seen by the pass would. Chunks start at these points and
give exactly the tracks of the one-process pass over their frames; the coordinator puts
them end to end and finishes them as the pass finishes its own (:func:`finish_chunks`),
with the shot boundaries of one walk over the whole video.

A worker (a sandboxed child, or a Dask worker on another machine) runs the pass and sends
its tracks back; the coordinator stores what was read and makes the redactions. The tracks
are sent without the small grey pictures the pass keeps to follow them (they are only used
while the pass runs), and the coordinator takes them only in the shape the pass makes them:
a track's frames inside the video, boxes of finite numbers inside a generous margin of the
picture, readings as (frame, text, score).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from typing import Any

from reviewer.errors import ReviewerError

MAX_READ_CHARS = 1000  # far beyond any line of text a picture holds


@dataclass(frozen=True)
class FoundText:
    """The pass's tracks (reviewer.media.text_pass.TextTrack, finished) with the settings
    they were found with: detection's longer side and the frames between two looks."""

    tracks: tuple[Any, ...]
    side: int
    stride: int


def plain(tracks: Any) -> tuple[Any, ...]:
    """The tracks without the pictures the pass kept to follow them."""
    return tuple(replace(t, anchor=None, read_patch=None) for t in tracks)


def check_tracks(name: str, tracks: Any, frames: int, width: int, height: int) -> tuple[Any, ...]:
    """The tracks a worker returned, refused (ReviewerError naming ``name``) unless each is
    a text track over frames of this video, with finite boxes near the picture and
    readings that are text."""
    from reviewer.annotate.geometry import Box
    from reviewer.media.text_pass import TextTrack

    def bad(why: str) -> ReviewerError:
        return ReviewerError(f"{name}: the worker's text tracks {why}; not used")

    if not isinstance(tracks, tuple):
        raise bad("are not a list of tracks")
    margin = max(width, height)
    for t in tracks:
        if type(t) is not TextTrack or not isinstance(t.boxes, dict) or not t.boxes:
            raise bad("are not text tracks")
        for f, b in t.boxes.items():
            if type(f) is not int or not 0 <= f < frames:
                raise bad(f"name a frame the original does not have ({f})")
            if type(b) is not Box or not all(_number(v) for v in (b.x_px, b.y_px, b.w_px, b.h_px)):
                raise bad(f"hold a box that is not one (frame {f})")
            if (b.w_px < 0 or b.h_px < 0 or b.x_px < -margin or b.y_px < -margin
                    or b.x_px + b.w_px > width + margin or b.y_px + b.h_px > height + margin):
                raise bad(f"hold a box far outside the picture (frame {f})")
        for r in t.reads:
            if (not isinstance(r, tuple) or len(r) != 3 or type(r[0]) is not int
                    or not 0 <= r[0] < frames or not isinstance(r[1], str)
                    or len(r[1]) > MAX_READ_CHARS or not _number(r[2])):
                raise bad("hold a reading that is not one")
        for xs in (t.det_scores, t.line_heights):
            if not isinstance(xs, list) or not all(_number(x) for x in xs):
                raise bad("hold scores that are not numbers")
    return tracks


@dataclass(frozen=True)
class TextChunk:
    """What one chunk's worker returns: the SHA-256 of the file it read, the frames it ran
    (``first``..``last``, from one restart point to the frame before the next or the
    video's end), and its tracks, each ended (not yet cut: :func:`finish_chunks`)."""

    sha256: str
    first: int
    last: int
    tracks: tuple[Any, ...]


def run_text_chunk(path: str, index: Any, detector: Any, reader: Any, stride: int,
                   restarts: tuple[int, ...], first: int, last: int, sha256: str,
                   progress: Any = None) -> TextChunk:
    """The pass over frames ``first``..``last`` (``first``: 0 or a restart point)."""
    from reviewer.media.frames import FrameReader
    from reviewer.media.text_pass import TextPass, _ended

    class NoShots:  # the boundaries come from the walk over the whole video
        def push(self, thumb: Any) -> None:
            pass

    p = TextPass(path, index, detector, reader, stride, progress, restarts=restarts)
    p.shots = NoShots()
    p.last = first - 1
    with FrameReader(path, index) as frames:
        for n, frame in frames.iter_frames(first, last, as_av=True):
            p.push(n, frame)
    if p.last != last:
        raise ReviewerError(f"{path}: decoding stopped at frame {p.last + 1} of {index.count}")
    p.done.extend(_ended(t, last) for t in p.open_tracks)  # as a restart (or the end) ends them
    return TextChunk(sha256, first, last, plain(p.done))


def join_text_chunks(name: str, sha256: str, count: int, restarts: tuple[int, ...],
                     parts: list[TextChunk]) -> list[Any]:
    """The pass's ended tracks over the whole video from its chunks, refused (ReviewerError)
    when one read another file than the original, when they leave a frame to no chunk or
    to two, or when one starts elsewhere than at a restart point."""
    at = 0
    points = set(restarts)
    out: list[Any] = []
    for p in sorted(parts, key=lambda p: p.first):
        if p.sha256 != sha256:
            raise ReviewerError(f"{name}: a text chunk (frames {p.first}-{p.last}) read a file "
                                f"whose SHA-256 is {str(p.sha256)[:16]}..., not the original's; "
                                "not used")
        if p.first != at or p.last < p.first or (p.first and p.first not in points):
            raise ReviewerError(f"{name}: the text chunks leave a gap or an overlap at frame "
                                f"{min(at, p.first)}; not used")
        for t in p.tracks:
            if t.ended is None or not p.first <= min(t.boxes) <= max(t.boxes) <= p.last:
                raise ReviewerError(f"{name}: a text chunk (frames {p.first}-{p.last}) returned "
                                    "frames outside its range; not used")
        out.extend(p.tracks)
        at = p.last + 1
    if at != count:
        raise ReviewerError(f"{name}: the text chunks end at frame {at - 1}, the video at frame "
                            f"{count - 1}; not used")
    return out


def finish_chunks(tracks: list[Any], transitions: Any, count: int, stride: int,
                  restarts: tuple[int, ...]) -> list[Any]:
    """The tracks, as :meth:`reviewer.media.text_pass.TextPass.finish` makes them."""
    from reviewer.media.text_split import finish_tracks

    return finish_tracks([replace(t) for t in tracks], transitions, count, stride, restarts)


class ShotsTap:
    """The text pass's shot detector as a tap on another decode (its thumbnails, as
    displayed): fed every frame in order, then :meth:`finish`."""

    def __init__(self, rotation: int) -> None:
        from reviewer.media.shots import ShotDetector

        from reviewer.media.decode import Scaler
        from reviewer.media.shots import THUMB

        self.rotation = rotation
        self.shots = ShotDetector()
        self.thumb = Scaler(width=THUMB[0], height=THUMB[1], format="rgb24", interpolation="AREA")

    def __call__(self, n: int, frame: Any) -> None:
        from reviewer.media.decode import rotate_rgb

        self.shots.push(rotate_rgb(self.thumb(frame), self.rotation))

    def finish(self) -> tuple[Any, ...]:
        return tuple(self.shots.finish())


def text_shots(path: str, index: Any, progress: Any = None) -> tuple[Any, ...]:
    """The shot boundaries the whole pass finds, on a decode down to the thumbnail only."""
    from reviewer.media.frames import FrameReader

    tap = ShotsTap(index.rotation)
    count = index.count
    with FrameReader(path, index) as frames:
        for n, frame in frames.iter_frames(0, count - 1, as_av=True):
            tap(n, frame)
            if progress is not None and n % 30 == 0:
                progress.update(min(1.0, (n + 1) / max(1, count)), f"Finding shots: frame {n + 1}")
    return tap.finish()


def _number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(float(x))


__all__ = ["FoundText", "ShotsTap", "TextChunk", "check_tracks", "finish_chunks", "join_text_chunks", "plain",
           "run_text_chunk", "text_shots"]
