"""One video's export in chunks: workers encode the plan's runs, the coordinator joins them.

The smart cut's plan (:mod:`reviewer.export.smartcut`) already cuts the export into pieces
that share nothing: copied GOPs, and encoded runs that each start a fresh x264 at a GOP of
the original. A chunk is a handful of consecutive encoded runs; a worker decodes, redacts
and encodes them exactly as the one-process writer does (same encoder, same settings, same
thread count, same frames) and writes the packets to a *chunk file*. The coordinator then
writes the export as the one-process export does, copying the GOPs from the original
itself and taking each encoded run's packets from its chunk file instead of from x264; the
export is then checked exactly as a one-process export is (every frame decoded; FFmpeg's
program decodes the joins), so the result is that export, byte for byte on the same x264.

A chunk file is read as a claim: ``RVXCHNK1``, then per packet in decode order a big-endian
``pts`` (int64, the original's time base), a keyframe flag (uint8), a size (uint32) and
the packet in Annex B. Its runs must hold exactly their frames' times, each starting with
an IDR picture, nothing after the last; its pictures may hold slices only.
"""
from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from reviewer.errors import ReviewerError
from reviewer.export.h264 import IDR, KEEP, PPS, SPS, nal_type
from reviewer.export.smartwrite import SmartWriter, encoder_headers, x264_context
from reviewer.export.stream_verify import annexb_nals
from reviewer.progress import Progress

MAGIC = b"RVXCHNK1"
RECORD = struct.Struct(">qBI")
MAX_PACKET = 64 << 20  # an uncompressed 8K picture is smaller


class ChunkRefused(ReviewerError):
    """A chunk file that is not what its worker was asked for; the export is not made from it
    (deliberately not a MediaError: that would make the export encode everything itself)."""


def x264_threads(height: int) -> int:
    """The thread count x264 picks on this machine for a picture ``height`` pixels high (1.5
    per core it may use, at most one per two macroblock rows, as x264's own automatic choice
    in ``x264_validate_parameters``): given to every worker so that a chunk encoded on
    another machine is the same as one encoded here."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores * 3 // 2, (height + 15) // 16 // 2))


def encode_runs(plan: Any, a: int, b: int) -> list[tuple[int, int]]:
    from reviewer.export.smartcut import segments

    return [(lo, hi) for kind, lo, hi in segments(plan, a, b) if kind == "encode"]


def split_runs(runs: list[tuple[int, int]], chunks: int) -> list[list[tuple[int, int]]]:
    """Consecutive runs in up to ``chunks`` groups of about as many frames each (a run is the
    smallest piece: it starts at a GOP of the original and restarts x264)."""
    total = sum(hi - lo + 1 for lo, hi in runs)
    out: list[list[tuple[int, int]]] = []
    done = 0
    for run in runs:
        size = run[1] - run[0] + 1
        # a new group once the ones so far hold their share of the frames
        if not out or (len(out) < chunks and done >= total * len(out) / chunks):
            out.append([])
        out[-1].append(run)
        done += size
    return out


def encode_chunk(src: str, index: Any, expect: Any, runs: list[tuple[int, int]], preset: str,
                 crf: int, sps_id: int, threads: int, path: Path,
                 progress: Progress | None = None) -> tuple[bytes, ...]:
    """The worker's side: the runs' frames redacted and encoded into the chunk file ``path``
    (created, never overwritten). Returns x264's parameter sets (SPS then PPS)."""
    from reviewer.export.source import Decoder
    from reviewer.export.video import _even, _fps_guess, _redacted

    progress = progress or Progress()
    a, _b = expect.frames
    base, tb = index.pts[a], index.time_base
    width, height = _even(expect.width), _even(expect.height)
    rate = _fps_guess(expect)
    total = sum(hi - lo + 1 for lo, hi in runs)
    done = 0
    headers: tuple[bytes, ...] = ()
    dec = Decoder(src, index, runs[0][0], runs[-1][1], ranges=list(runs))
    frames = iter(dec)
    try:
        with open(path, "xb") as f:
            f.write(MAGIC)
            for lo, hi in runs:
                ctx = x264_context(expect.width, expect.height, tb, rate, preset, crf, sps_id, threads)
                sps, pps = encoder_headers(ctx)
                headers = tuple(sps + pps)
                for _ in range(hi - lo + 1):
                    n, item = next(frames)
                    frame = _redacted(item, index, expect, n - a, width, height)
                    frame.pts, frame.time_base = index.pts[n] - base, tb
                    _write(f, ctx.encode(frame), base, set(headers))
                    done += 1
                    if done % 10 == 0:
                        progress.update(done / total, f"Encoding frame {done} of {total}")
                _write(f, ctx.encode(None), base, set(headers))
    finally:
        dec.close()
    return headers


def _write(f: BinaryIO, packets: list[Any], base: int, headers: set[bytes]) -> None:
    for p in packets:
        nals = [n for n in annexb_nals(bytes(p)) if nal_type(n) in KEEP and n not in headers]
        data = b"".join(b"\x00\x00\x00\x01" + n for n in nals)
        f.write(RECORD.pack(int(p.pts) + base, 1 if p.is_keyframe else 0, len(data)))
        f.write(data)


class _Packet:
    """A worker's packet as :meth:`SmartWriter._mux_encoded` takes x264's."""

    def __init__(self, data: bytes, pts: int, key: bool) -> None:
        self.data, self.pts, self.is_keyframe = data, pts, key

    def __bytes__(self) -> bytes:
        return self.data


class ChunkFile:
    """One worker's chunk file, checked against the runs it was asked for (``name``: the
    worker's, for messages). Packets are read from the file as they are written out."""

    def __init__(self, path: str | Path, runs: list[tuple[int, int]], index: Any, name: str) -> None:
        self.path, self.name = Path(path), name
        self.runs: dict[tuple[int, int], list[tuple[int, int, int, bool]]] = {}
        self._f = open(self.path, "rb")
        try:
            self._index(runs, index)
        except BaseException:
            self._f.close()
            raise

    def _refuse(self, why: str) -> ChunkRefused:
        return ChunkRefused(f"{self.name}: {why}; the chunks were not joined")

    def _index(self, runs: list[tuple[int, int]], index: Any) -> None:
        f = self._f
        if f.read(len(MAGIC)) != MAGIC:
            raise self._refuse("is not a chunk file")
        for lo, hi in runs:
            want = sorted(index.pts[lo:hi + 1])
            got: list[tuple[int, int, int, bool]] = []
            for _ in range(hi - lo + 1):
                head = f.read(RECORD.size)
                if len(head) < RECORD.size:
                    raise self._refuse(f"holds {len(got)} of the {hi - lo + 1} frames of {lo}..{hi}")
                pts, key, size = RECORD.unpack(head)
                if size > MAX_PACKET or key > 1:
                    raise self._refuse("holds a packet that cannot be one")
                got.append((f.tell(), size, pts, bool(key)))
                f.seek(size, 1)
            if sorted(g[2] for g in got) != want:
                raise self._refuse(f"does not hold the frames {lo}..{hi} at their times")
            if not got[0][3]:
                raise self._refuse(f"does not start frames {lo}..{hi} with a keyframe")
            self.runs[(lo, hi)] = got
        end = f.tell()
        if f.seek(0, 2) != end:
            raise self._refuse("holds more than the frames it was given")

    def packets(self, lo: int, hi: int, shift: int) -> list[_Packet]:
        """The run's packets, their pts moved by ``shift``; slices only, IDR first."""
        out = []
        for i, (offset, size, pts, key) in enumerate(self.runs[(lo, hi)]):
            self._f.seek(offset)
            data = self._f.read(size)
            try:
                types = [nal_type(n) for n in annexb_nals(data)]
            except (ValueError, IndexError):
                types = []
            if not types or set(types) - KEEP or {SPS, PPS} & set(types) or (i == 0 and IDR not in types):
                raise self._refuse(f"holds a packet of frames {lo}..{hi} that is not an H.264 picture "
                                   "(slices only, an IDR picture first)")
            out.append(_Packet(data, pts + shift, key))
        return out

    def close(self) -> None:
        self._f.close()


class ChunkWriter(SmartWriter):
    """The smart cut's writer, with each encoded run's packets taken from its worker's chunk
    file. The run's frames are still decoded and redacted here when the export checks them
    against what was given to the encoder; nothing is encoded here."""

    def __init__(self, files: dict[tuple[int, int], ChunkFile], headers: set[bytes],
                 *args: Any) -> None:
        super().__init__(*args)
        self.files = files
        if headers != self.enc_headers:
            raise ChunkRefused(f"{Path(self.src).name}: a worker's x264 made other parameter sets "
                               "than the coordinator's (another x264 or other settings); the chunks "
                               "were not joined")

    def decodes(self, on_render: Any) -> bool:
        return on_render is not None  # only to compare with what the export decodes

    def encoded_run(self, lo: int, hi: int, frames: Iterator[Any], put: Callable[[list[Any]], None],
                    shift: int) -> Iterator[None]:
        chunk = self.files.get((lo, hi))
        if chunk is None:
            raise ChunkRefused(f"{Path(self.src).name}: no chunk holds frames {lo}..{hi}; the "
                               "chunks were not joined")
        for _frame in frames:  # rendered (and handed to the checks) by the caller
            yield
        put(chunk.packets(lo, hi, shift))


__all__ = ["ChunkFile", "ChunkRefused", "ChunkWriter", "encode_chunk", "encode_runs", "split_runs",
           "x264_threads"]
