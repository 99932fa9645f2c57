"""One decode of a video feeding every pass that looks at its pictures.

Decoding 1080p H.264 costs ~8 ms a frame on this project's machine, about what the face
pass spends on everything but its network; each pass decoding the whole video again paid
that once per pass. A shared decode reads the video once and hands each decoded frame (a PyAV frame, as
stored) to every pass, and each pass shrinks it to the size it needs with the decoder's own
scaler: the face pass to the network's input and its small probes, the text pass to its
640 px grey tracking picture on every frame and to full size on the frames it samples.

The face pass (:func:`reviewer.media.facescan.scan`) already decodes on a thread of its own
ahead of the network; the other passes are *taps* on that thread's frames, so their work runs
beside the face network on the second core rather than after it. A tap sees every frame in
order, once, or the shared decode fails: what a tap raises stops the decode and is raised by the
face pass, as a decoding error would be.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

Tap = Callable[[int, Any], None]


def tapped(frames: Iterable[tuple[int, Any]], taps: Iterable[Tap]) -> Iterator[tuple[int, Any]]:
    """``frames`` (``(n, frame)`` in display order) as they are, each handed first to every
    tap in ``taps``: one decode feeding several passes."""
    taps = tuple(taps)
    for n, frame in frames:
        for tap in taps:
            tap(n, frame)
        yield n, frame


__all__ = ["Tap", "tapped"]
