"""One video's face detection split into keyframe-aligned chunks that run in parallel, with
the very result of the one-process pass (:func:`reviewer.session.detect.scan_file`).

The whole pass is not local: the shot detector compares each frame with its neighbours, and
the network's stride walk restarts at every shot boundary. So the split is in two steps:
- the walk (:func:`walk_file`): the pass run with a network that finds nothing. It decodes
  every frame only down to the shot detector's thumbnail, and what it searches is exactly
  the frames the stride walk of the real pass stops at, with exactly its shot boundaries
  (the walk does not depend on what the network finds);
- the chunks (:func:`scan_chunk`): each runs the real pass from one walk point to a later
  one (:func:`reviewer.media.facescan.scan` with ``grid``); between two walk points the
  looks, halvings and transient tests depend on those frames alone, so they are the ones
  the whole pass makes there. Chunks start at the first walk point at or after a keyframe
  (GOP-aligned: no chunk decodes a GOP another chunk owns, beyond its one end frame).

The coordinator joins the chunks (:func:`join_chunks`) after checking that each names the
SHA-256 of the case's original and that their frame ranges tile the video with no gap and
no overlap; tracks are then joined over the whole video as for the one-process pass, so a
face crossing a chunk boundary is one track.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import numpy as np

from reviewer.annotate.tracks import Detection, Transition
from reviewer.errors import ReviewerError
from reviewer.progress import Progress

MIN_CHUNK_FRAMES = 60  # a chunk shorter than this costs more to start (model, seek, hash) than it saves


@dataclass(frozen=True)
class ChunkScan:
    """What one chunk returns: the file it read (its SHA-256), the frames it owns
    (``first``..``last`` inclusive) and the detections and searched frames in them."""

    sha256: str
    first: int
    last: int
    detections: tuple[Detection, ...]
    searched: tuple[int, ...]


def walk_file(path: str, name: str, index: Any, stride: int,
              progress: Progress | None = None,
              taps: tuple[Any, ...] = ()) -> tuple[tuple[int, ...], tuple[Transition, ...]]:
    """(the stride walk's frames, the shot boundaries) of the file: the pass with a network
    that finds nothing, on thumbnails only. ``taps``: others fed the same decoded frames
    (reviewer.media.shared_decode)."""
    from reviewer.media.decode import Scaler
    from reviewer.media.facescan import scan
    from reviewer.media.frames import FrameReader
    from reviewer.media.shots import THUMB

    count = index.count
    total = max(1, count)

    # as scan_file makes it: the same boundaries
    thumb = Scaler(width=THUMB[0], height=THUMB[1], format="rgb24", interpolation="AREA")

    def on_frame(n: int) -> None:
        if progress is not None:
            progress.update(min(1.0, (n + 1) / total), f"Finding shots: frame {n + 1} of {total}")

    with FrameReader(path, index) as reader:
        from reviewer.media.shared_decode import tapped

        result = scan(tapped(reader.iter_frames(0, count - 1, as_av=True), taps), count, name,
                      lambda frame, n: [], thumb, stride, on_frame,
                      probe=lambda frame: np.zeros((1, 1), np.uint8), size=(1, 1))
    return result.searched, result.transitions


def plan_chunks(index: Any, walk: tuple[int, ...], chunks: int,
                min_frames: int = MIN_CHUNK_FRAMES) -> list[tuple[int, int]]:
    """``(first, last)`` owned frames of up to ``chunks`` pieces of nearly equal length, each
    (but the first) starting at the first walk point at or after a keyframe."""
    count = index.count
    chunks = max(1, min(int(chunks), count // max(1, min_frames) or 1))
    walk = tuple(sorted(walk))
    keys = sorted(int(k) for k in index.keyframes)
    starts = [0]
    for i in range(1, chunks):
        want = count * i // chunks
        k = bisect.bisect_left(keys, want)  # the keyframe at or after the even split ...
        key = keys[k] if k < len(keys) else keys[-1] if keys else want
        w = bisect.bisect_left(walk, key)  # ... and the walk point at or after it
        if w < len(walk) and walk[w] > starts[-1] and walk[w] < count - 1:
            starts.append(walk[w])
    ends = [s - 1 for s in starts[1:]] + [count - 1]
    return list(zip(starts, ends))


def scan_chunk(path: str, name: str, index: Any, settings: Any, stride: int,
               walk: tuple[int, ...], first: int, last: int, sha256: str,
               progress: Progress | None = None) -> ChunkScan:
    """The real pass over frames ``first``..``last`` (and the next walk point, where the
    last pair of looks ends; its detections belong to the next chunk)."""
    from reviewer.session.detect import scan_file

    walk = tuple(sorted(walk))
    i = bisect.bisect_right(walk, last)
    end = walk[i] if i < len(walk) else index.count - 1
    result = scan_file(path, name, index, settings, stride, progress,
                       span=(first, end), grid=walk)
    return ChunkScan(sha256, first, last,
                     tuple(d for d in result.detections if first <= d.frame <= last),
                     tuple(f for f in result.searched if first <= f <= last))


def join_chunks(name: str, sha256: str, count: int, transitions: tuple[Transition, ...],
                parts: list[ChunkScan]) -> Any:
    """The whole pass from its chunks, refused (ReviewerError) when one read another file
    than the original, or when they leave a frame to no chunk or to two."""
    from reviewer.media.facescan import FaceScan

    at = 0
    for p in sorted(parts, key=lambda p: p.first):
        if p.sha256 != sha256:
            raise ReviewerError(f"{name}: a chunk (frames {p.first}-{p.last}) read a file whose "
                                f"SHA-256 is {p.sha256[:16]}..., not the original's; not used")
        if p.first != at or p.last < p.first:
            what = "a gap before" if p.first > at else "an overlap at"
            raise ReviewerError(f"{name}: the chunks leave {what} frame {min(at, p.first)} "
                                f"(a chunk claims frames {p.first}-{p.last}); not used")
        if any(not (p.first <= d.frame <= p.last) for d in p.detections) or \
                any(not (p.first <= f <= p.last) for f in p.searched):
            raise ReviewerError(f"{name}: a chunk (frames {p.first}-{p.last}) returned frames "
                                "outside its range; not used")
        at = p.last + 1
    if at != count:
        raise ReviewerError(f"{name}: the chunks end at frame {at - 1}, the video at frame "
                            f"{count - 1}; not used")
    ordered = sorted(parts, key=lambda p: p.first)
    return FaceScan(tuple(d for p in ordered for d in p.detections), tuple(transitions),
                    tuple(f for p in ordered for f in p.searched))
