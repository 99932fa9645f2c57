"""The frame index of a video: the pts of every displayed frame in display order, built in
one demux pass without decoding.

What counts as a frame is what a player shows:

- packets the container marks as discarded are not frames. MP4/MOV edit lists (a trim
  stream-copied with ``ffmpeg -ss X -i in -c copy``) keep the frames between the keyframe
  before X and X in the file; FFmpeg flags those packets ``discard`` (and gives them
  negative pts) and its decoder drops their pictures, so they are not counted;
- packets before the first keyframe (a stream cut mid-GOP) cannot be decoded and are not
  counted, nor are the leading pictures of the first keyframe (open GOP, pts before it);
- frame i is the i-th smallest pts, so VFR and B-frames need nothing special.

Seeking uses *seek points*: every keyframe packet (hidden ones too) with its pts and byte
position. MPEG-TS/PS are seeked by byte position: timestamp seeks there land late.

``reviewer.media.probe.probe_for_import`` runs inside the import sandbox's child process
and also decodes the first and the last frame, so broken, truncated, encrypted and non-video files are rejected
with a one-line :class:`MediaError` at import rather than at review time.
"""
from __future__ import annotations

import time
import zlib
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import av
import numpy as np

from reviewer.errors import MediaError
from reviewer.media.decindex import index_by_decoding
from reviewer.media.decode import frame_rotation, open_input, square_size, stream_sar
from reviewer.media.frameindex import (  # noqa: F401  (re-exported: callers name them here)
    INDEX_VERSION, FrameIndex, NeedsDecoding, video_stream)
from reviewer.progress import Progress

BYTE_SEEK_FORMATS = ("mpegts", "mpeg", "mpegvideo")


def index_file(path: str | Path, progress: Progress | None = None, *, fast: bool = True) -> FrameIndex:
    """Build the frame index of ``path`` in one demux pass (see the module docstring).
    ``fast``: for MP4/MOV read the sample tables instead, when they verifiably agree with
    FFmpeg (:mod:`reviewer.media.mp4index`)."""
    name = Path(path).name
    try:
        with open_input(path, name) as container:
            return _index_container(container, name, progress, fast)[0]
    except NeedsDecoding:
        return index_by_decoding(path, progress)


def _index_container(container: Any, name: str, progress: Progress | None,
                     fast: bool = True) -> tuple[FrameIndex, dict]:
    vs = video_stream(container, name)
    ctx = vs.codec_context
    if vs.codec_context.name is None or vs.codec_context.codec is None:
        raise MediaError(f"{name}: the video codec is not supported")
    tb = vs.time_base or Fraction(1, 90000)
    pts_l: list[int] = []
    dur_l: list[int] = []
    key_l: list[bool] = []
    disc_l: list[bool] = []
    pos_l: list[int] = []
    size = Path(container.name).stat().st_size if Path(container.name).exists() else 0
    missing_ts = 0
    encrypted = False
    truncated = ""
    n = 0
    quick = None
    if fast:
        from reviewer.media.mp4index import fast_entries

        try:
            quick = fast_entries(container, vs, Path(container.name))
        except (OSError, ValueError, av.error.FFmpegError):
            quick = None
        if quick is not None:
            pts_l, dur_l = quick["pts"], quick["dur"]
            key_l, disc_l = quick["key"], quick["hidden"]
            pos_l = np.full(len(pts_l), -1, np.int64)
        elif "mp4" in container.format.name or "mov" in container.format.name:
            try:  # the fast path read some packets: start the demux from the top again
                container.seek(0, backward=True, any_frame=False)
            except av.error.FFmpegError:
                raise MediaError(f"{name}: cannot be read from the start again") from None
    try:
        for pkt in ([] if quick is not None else container.demux(vs)):
            if pkt.size == 0 and pkt.pts is None and pkt.dts is None:
                continue  # the flush packet at the end
            ts = pkt.pts if pkt.pts is not None else pkt.dts
            if ts is None:
                missing_ts += 1
                continue
            if n == 0 and pkt.has_sidedata("encryption_info"):
                encrypted = True
                break
            pts_l.append(ts)
            dur_l.append(pkt.duration or 0)
            key_l.append(pkt.is_keyframe)
            disc_l.append(pkt.is_discard)
            pos_l.append(pkt.pos if pkt.pos is not None else -1)
            n += 1
            if progress is not None and n % 2000 == 0 and size:
                progress.update(min(0.99, (pkt.pos or 0) / size), f"Indexing {name}")
    except av.error.FFmpegError as exc:
        truncated = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if encrypted:
        raise MediaError(f"{name}: the video is encrypted (DRM); it cannot be reviewed")
    if truncated and not len(pts_l):
        raise MediaError(f"{name}: damaged, no video can be read ({truncated})")
    if missing_ts and not len(pts_l):
        raise MediaError(f"{name}: the video has no timestamps; remux it into MP4 or MKV first")
    fmt_name = container.format.name
    declared_n = _declared_packets(vs, fmt_name, len(pts_l) + missing_ts)
    if declared_n and len(pts_l) + missing_ts < declared_n:
        truncated = truncated or f"{len(pts_l)} of {declared_n} frames present"
    declared = _declared_seconds(vs)
    if not truncated and declared and len(pts_l):
        # Matroska's DURATION is where the track ends on the file's clock, which need not
        # start at 0 (a camera or a cut whose timestamps begin at 7.25 s): compare the end we
        # read as well as the span, or every late-clock file reads as truncated
        read_s = float((int(np.max(pts_l)) - int(np.min(pts_l))) * tb)
        read_s = max(read_s, float(int(np.max(pts_l)) * tb))
        if read_s < declared * 0.9 - 0.25:
            truncated = f"{read_s:.2f} s of {declared:.2f} s present"
    if truncated:
        raise MediaError(f"{name}: the file is truncated or damaged ({truncated})")
    if not len(pts_l):
        raise MediaError(f"{name}: the video track has no frames")

    pts = np.asarray(pts_l, dtype=np.int64)
    key = np.asarray(key_l, dtype=bool)
    disc = np.asarray(disc_l, dtype=bool)
    dur = np.asarray(dur_l, dtype=np.int64)
    pos = np.asarray(pos_l, dtype=np.int64)
    if not key.any():
        raise MediaError(f"{name}: the video has no keyframe; it cannot be decoded")
    first_key = int(np.argmax(key))
    # Pictures before the first keyframe (decode order), and the first keyframe's leading
    # pictures (pts before it), cannot be decoded: players never show them.
    usable = np.arange(len(pts)) >= first_key
    usable &= pts >= pts[first_key]
    shown = usable & ~disc
    if not shown.any():
        raise MediaError(f"{name}: no frame of the video is shown (edit list hides everything)")
    shown_pts, first_at = np.unique(pts[shown], return_index=True)
    if len(shown_pts) != int(shown.sum()):
        raise NeedsDecoding(f"{name}: {int(shown.sum()) - len(shown_pts)} packets repeat a timestamp")
    shown_dur = dur[shown][first_at]
    seek = key & usable
    seek_pts, seek_pos = pts[seek], pos[seek]
    order = np.argsort(seek_pts, kind="stable")
    seek_pts, seek_pos = seek_pts[order], seek_pos[order]
    shown_keys = np.unique(pts[seek & ~disc])
    key_frames = np.searchsorted(shown_pts, shown_keys)

    last_d = int(shown_dur[-1])
    if last_d <= 0:
        diffs = np.diff(shown_pts)
        last_d = int(np.median(diffs)) if len(diffs) else max(1, int(Fraction(1, 30) / tb))
    end_pts = int(shown_pts[-1]) + last_d

    coded_w, coded_h = ctx.width, ctx.height
    rotation = quick.get("rotation") if quick is not None else None
    if rotation is None:
        rotation = _first_frame_rotation(container, vs)
    sar = stream_sar(vs)
    sq_w, sq_h = square_size(coded_w, coded_h, sar)
    w, h = (sq_h, sq_w) if rotation in (90, 270) else (sq_w, sq_h)
    fmt = container.format.name
    byte_seek = any(f in BYTE_SEEK_FORMATS for f in fmt.split(","))
    idx = FrameIndex(
        stream_index=vs.index, time_base=Fraction(tb), pts=tuple(shown_pts.tolist()),
        keyframes=tuple(key_frames.tolist()), end_pts=end_pts, rotation=rotation, width=w, height=h,
        coded_width=coded_w, coded_height=coded_h, seek_pts=tuple(seek_pts.tolist()),
        seek_pos=tuple(seek_pos.tolist()), seek_by_byte=byte_seek, container=fmt, codec=ctx.name or "",
        sar_num=sar[0], sar_den=sar[1])
    extra = {"packets": len(pts), "from": "sample tables" if quick is not None else "demux", "hidden": int((usable & disc).sum()),
             "undecodable": int((~usable).sum()), "no_timestamp": missing_ts}
    return idx, extra


def _declared_packets(vs: Any, fmt_name: str, read: int) -> int:
    """How many packets the header promises. For MP4/MOV that is FFmpeg's own sample index
    after edit lists (a stream-copied trim keeps samples FFmpeg never reads, so the
    ``stsz`` count would cry "truncated"). AVI: its idx1 index when complete (the header's
    frame count also counts empty "dropped frame" chunks), else that frame count (a cut
    AVI has lost its idx1, which sits at the end). MPEG-TS promises nothing."""
    if fmt_name.startswith(("mpegts", "mpeg")):
        return 0
    try:
        entries = len(vs.index_entries)
    except Exception:  # noqa: BLE001 - no index
        entries = 0
    if "mp4" in fmt_name or "mov" in fmt_name:
        return entries
    if fmt_name == "avi" and entries >= read:
        return entries
    return vs.frames or 0


def _declared_seconds(vs: Any) -> float | None:
    """The video track's length as its header declares it (Matroska's DURATION tag)."""
    tag = (vs.metadata or {}).get("DURATION") or (vs.metadata or {}).get("duration")
    if not tag or ":" not in str(tag):
        return None
    try:
        h, m, sec = str(tag).split(":")
        return int(h) * 3600 + int(m) * 60 + float(sec)
    except ValueError:
        return None


def _first_frame_rotation(container: Any, vs: Any) -> int:
    """The display rotation, read from the first decoded frame's display matrix (FFmpeg
    attaches the stream's matrix to every frame)."""
    try:
        container.seek(0, backward=True, any_frame=False)
    except av.error.FFmpegError:
        return 0
    try:
        for frame in container.decode(vs):
            return frame_rotation(frame)
    except av.error.FFmpegError:
        return 0
    return 0


class IndexCache(Protocol):
    """Where a case keeps an item's index (the store's ``frame_index`` row, passed in by the
    caller so MEDIA never imports the store): ``load`` gives the stored bytes or None,
    ``save`` replaces them."""

    def load(self) -> bytes | None: ...

    def save(self, data: bytes, info: dict[str, Any]) -> None: ...


def cached_index(path: str | Path, cache: IndexCache, progress: Progress | None = None) -> FrameIndex:
    """The stored index of a case item; rebuilt from the original (and stored) when it is
    missing or from another version, so reopening a case never re-demuxes."""
    stored = cache.load()
    if stored is not None:
        try:
            return FrameIndex.from_bytes(stored)
        except (ValueError, zlib.error, TypeError, KeyError):
            pass
    started = time.perf_counter()
    idx = index_file(path, progress)
    cache.save(idx.to_bytes(), {"version": INDEX_VERSION,
                                "seconds": round(time.perf_counter() - started, 4)})
    return idx
