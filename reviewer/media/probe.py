"""Describe, index and check a video for import (runs in the import sandbox's child).

Rejects, with a one-line ``MediaError("NAME: why")``: empty, non-video (text, stills,
subtitles), truncated, damaged, encrypted and audio-only files. Besides indexing, it
decodes the first and the last frame; when that fails with the packet index, the index is
rebuilt by decoding every frame (:mod:`reviewer.media.decindex`) and the file is kept only
if that one checks out.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import av
import numpy as np

from reviewer.errors import MediaError
from reviewer.media.decindex import index_by_decoding
from reviewer.media.decode import open_input
from reviewer.media.frames import FrameReader
from reviewer.media.index import INDEX_VERSION, FrameIndex, NeedsDecoding, _index_container


def probe_for_import(path: str) -> dict[str, Any]:
    """What the importer runs in the sandbox child (it names this function): :func:`probe`."""
    return probe(path)


def probe(path: str) -> dict[str, Any]:
    """Describe and index a video for import (runs in the sandbox child; picklable result).

    Raises :class:`MediaError` ``"NAME: why"`` for empty, broken, truncated, encrypted and
    non-video files. Decodes the first and the last frame to prove the file is usable.
    """
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise MediaError(f"{name}: no such file")
    if p.stat().st_size == 0:
        raise MediaError(f"{name}: the file is empty")
    started = time.perf_counter()
    with open_input(p, name) as container:
        try:
            idx, extra = _index_container(container, name, None)
            problem: MediaError | None = None
        except NeedsDecoding as exc:
            idx, extra, problem = None, {}, exc
        if idx is not None:
            info = _stream_info(container, idx)
    index_s = time.perf_counter() - started
    if idx is not None:
        try:
            _check_decodes(p, idx, name)
        except MediaError as exc:
            problem = exc
    if problem is not None:
        # The packets misled us (field pictures, repeated or missing timestamps): index by
        # decoding every frame, and keep the file only if that index checks out.
        try:
            idx = index_by_decoding(p)
            _check_decodes(p, idx, name)
        except MediaError:
            raise problem from None
        extra = {"from": "decoding", "packet_index_problem": str(problem)}
        with open_input(p, name) as container:
            info = _stream_info(container, idx)
    fields = {"frame_count": idx.count, "width": idx.width, "height": idx.height,
              "duration": float(idx.duration_s), "fps": round(idx.fps, 6)}
    index_info = {"version": INDEX_VERSION, "seconds": round(index_s, 4), **extra}
    return {"fields": fields, "info": info, "index": idx.to_bytes(), "index_info": index_info}


def _stream_info(container: Any, idx: FrameIndex) -> dict[str, Any]:
    vs = container.streams[idx.stream_index]
    info: dict[str, Any] = {
        "codec": idx.codec, "rotation": idx.rotation, "container": idx.container,
        "coded_width": idx.coded_width, "coded_height": idx.coded_height,
        "pix_fmt": vs.codec_context.pix_fmt, "time_base": str(idx.time_base),
        "has_audio": bool(container.streams.audio), "audio_codec": None, "sample_rate": None,
        "channels": None, "variable_frame_rate": _is_vfr(idx),
        "sample_aspect_ratio": f"{idx.sar_num}:{idx.sar_den}",
        "audio_tracks": len(container.streams.audio),
    }
    if container.streams.audio:
        a = container.streams.audio[0]
        info.update(audio_codec=a.codec_context.name, sample_rate=a.codec_context.sample_rate,
                    channels=a.codec_context.channels)
    return info


def _is_vfr(idx: FrameIndex) -> bool:
    if idx.count < 3:
        return False
    d = np.diff(np.asarray(idx.pts, dtype=np.int64))
    return bool(d.max() - d.min() > max(1, int(d.min()) // 100))


def _check_decodes(path: Path, idx: FrameIndex, name: str) -> None:
    try:
        with FrameReader(path, idx) as reader:
            reader.frame(0)
            if idx.count > 1:
                reader.frame(idx.count - 1)
    except MediaError as exc:
        raise MediaError(f"{name}: {str(exc).split(': ', 1)[-1]}") from None
    except av.error.FFmpegError as exc:
        raise MediaError(f"{name}: the video cannot be decoded ({str(exc).splitlines()[0]})") from None


