"""Verifying an export while it is written: the encoder's packets are decoded on their own
thread, by FFmpeg's H.264 decoder as a player would, at the same time as the encoder runs,
and every decoded frame gets the same checks as ``reviewer verify`` gives a file
(:class:`reviewer.export.frame_checks.FrameChecks`). Then the written file is only demuxed,
not decoded again: its video packets (bytes, times, keyframe flags, and the decoder set-up
in ``avcC``) must be exactly the packets that were decoded, so decoding the file would give
exactly the frames that were checked. Anything that does not match (or cannot be set up)
falls back to decoding the whole file: the shortcut never passes what a full decode would
fail.

Audio, streams and metadata are checked on the written file, as before.
"""
from __future__ import annotations

import hashlib
import queue
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

from reviewer.export.checks import Check
from reviewer.export.expect import VideoExpect
from reviewer.export.frame_checks import FrameChecks
from reviewer.export.h264 import split_length
from reviewer.progress import Progress

_END = object()


def _digest_item(h: Any, nals: list[bytes], t_s: Fraction | None, key: bool) -> None:
    for nal in nals:
        h.update(len(nal).to_bytes(8, "little"))
        h.update(nal)
    h.update(f"{t_s}|{int(key)}\n".encode())


def annexb_nals(data: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream (start codes, as x264 writes them), cut where
    FFmpeg's MP4 muxer cuts them when it rewrites them with length prefixes."""
    out = []
    starts = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        starts.append(i)
        i = data.find(b"\x00\x00\x01", i + 3)
    for k, s0 in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(data)
        if k + 1 < len(starts) and end > s0 + 3 and data[end - 1] == 0:
            end -= 1  # the zero_byte of a four-byte start code
        out.append(data[s0 + 3:end])
    return out if starts else [data]


def avcc_nals(extra: bytes) -> tuple[int, list[bytes]]:
    """The length size and the SPS and PPS of an ``avcC`` record."""
    if len(extra) < 7 or extra[0] != 1:
        raise ValueError("not an avcC record")
    size = (extra[4] & 3) + 1
    nals, i = [], 6
    for count_at_sps in (True, False):
        count = extra[5] & 31 if count_at_sps else extra[i]
        i += 0 if count_at_sps else 1
        for _ in range(count):
            n = int.from_bytes(extra[i:i + 2], "big")
            nals.append(extra[i + 2:i + 2 + n])
            i += 2 + n
    return size, nals


def frame_sha256(f: Any) -> str:
    """sha256 of a decoded frame's planes, rows without padding (what FFmpeg's ``framehash``
    muxer hashes for raw video)."""
    import numpy as np

    h = hashlib.sha256()
    for p in f.planes:
        rows = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:p.height, :p.width]
        h.update(np.ascontiguousarray(rows).tobytes())
    return h.hexdigest()


def _small_luma(f: Any) -> Any:
    import cv2
    import numpy as np

    p = f.planes[0]
    y = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:p.height, :p.width]
    return cv2.resize(y, (max(1, p.width // 8), max(1, p.height // 8)), interpolation=cv2.INTER_AREA)


def _psnr(a: Any, b: Any) -> float:
    import numpy as np

    d = a.astype(np.float64) - b.astype(np.float64)
    mse = float(np.mean(d * d))
    return 99.0 if mse == 0 else float(10 * np.log10(255.0 ** 2 / mse))


class StreamVerifier:
    """``feed(packet)`` every encoded video packet before it is muxed, ``feed(None)`` at the
    end; ``finish(path)`` then returns the checks of the written file."""

    def __init__(self, expect: VideoExpect, progress: Progress | None = None, readback: Any = None,
                 hashes: bool = False) -> None:
        self.expect = expect
        self.frames = FrameChecks(expect, progress, readback=readback)
        self.readback = readback
        self._q: queue.Queue = queue.Queue(maxsize=256)
        self._digest = hashlib.sha256()
        self._first_t: Fraction | None = None
        self.packets = 0
        self.extradata: bytes | None = None
        self.error: BaseException | None = None
        self._tb = Fraction(1, 90000)
        self._length = 0  # NAL length size of the packets fed; 0: Annex B (the encoder's own)
        # each decoded frame's sha256 (planes without padding, as FFmpeg's framehash hashes
        # them), so another decoder's frames can be compared with these
        self.frame_hashes: list[str] | None = [] if hashes else None
        # the frames given to the encoder, by pts, small: each decoded frame is compared with
        # its own (:meth:`rendered`); the worst PSNR and how many were compared
        self._renders: dict[int, Any] = {}
        self.render_psnr = 99.0
        self.render_compared = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="export-verify", daemon=True)
        self._thread.start()

    # -- encoding thread --------------------------------------------------------------
    def feed(self, pkt: Any) -> None:
        if pkt is None:
            self._put(_END)
            return
        if self.extradata is None:
            extra = pkt.stream.codec_context.extradata if pkt.stream is not None else None
            self.extradata = bytes(extra) if extra else b""
            if self.extradata[:1] == b"\x01":  # an avcC record: length-prefixed packets (smart cut)
                self._length = avcc_nals(self.extradata)[0]
        data = bytes(pkt)
        tb = Fraction(pkt.time_base)
        t = None if pkt.pts is None else pkt.pts * tb
        if self._first_t is None and t is not None:
            self._first_t = t
        rel = None if t is None else t - self._first_t
        nals = split_length(data, self._length) if self._length else annexb_nals(data)
        _digest_item(self._digest, nals, rel, bool(pkt.is_keyframe))
        self.packets += 1
        self._put((data, pkt.pts, pkt.dts, tb, bool(pkt.is_keyframe)))

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.2)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(30)

    # -- verify thread ----------------------------------------------------------------
    def _run(self) -> None:
        import av

        ended = False
        try:
            ctx = None
            while True:
                try:
                    item = self._q.get(timeout=0.2)
                except queue.Empty:
                    if self._stop.is_set():
                        return  # abandoned: the export failed or was cancelled
                    continue
                if item is _END:
                    ended = True
                    break
                data, pts, dts, tb, key = item
                self._tb = tb
                if ctx is None:
                    ctx = av.CodecContext.create("h264", "r")
                    if self.extradata:
                        ctx.extradata = self.extradata
                    ctx.thread_type = "AUTO"
                    ctx.thread_count = 0
                pkt = av.Packet(data)
                pkt.pts, pkt.dts, pkt.time_base = pts, dts, tb
                for f in ctx.decode(pkt):
                    self._frame(f)
            if ctx is not None:
                for f in ctx.decode(None):
                    self._frame(f)
        except BaseException as exc:  # noqa: BLE001 - handed to the encoding thread
            self.error = exc
            while not ended and not self._stop.is_set():  # keep the producer from blocking
                try:
                    ended = self._q.get(timeout=0.2) is _END
                except queue.Empty:
                    continue

    def rendered(self, pts: int, frame: Any) -> None:
        """The frame given to the encoder at ``pts`` (encoding thread)."""
        self._renders[pts] = _small_luma(frame)

    def _frame(self, f: Any) -> None:
        # a bare decoder's frames carry the pts of their packets, in the packets' time base
        base = Fraction(f.time_base) if f.time_base is not None else self._tb
        self.frames.add(f, f.pts * base)
        if self.frame_hashes is not None:
            self.frame_hashes.append(frame_sha256(f))
        want = self._renders.pop(f.pts, None)
        if want is not None:
            self.render_psnr = min(self.render_psnr, _psnr(_small_luma(f), want))
            self.render_compared += 1

    # -- after the file is closed -----------------------------------------------------
    def finish(self, path: str | Path) -> list[Check] | None:
        """The checks of the written ``path``; None when its packets are not the ones decoded
        (the caller then decodes the whole file)."""
        self._thread.join()
        if self.error is not None:
            return None
        import av

        with av.open(str(path)) as c:
            vs = c.streams.video[0]
            try:
                size, header = avcc_nals(bytes(vs.codec_context.extradata or b""))
            except ValueError:
                return None
            mine = avcc_nals(self.extradata)[1] if self._length else annexb_nals(self.extradata or b"")
            if header != mine:
                return None  # another decoder set-up than the one the frames were decoded with
            h = hashlib.sha256()
            first = None
            n = 0
            for pkt in c.demux(vs):
                if pkt.size == 0 and pkt.pts is None:
                    continue
                if pkt.is_discard:
                    return None  # an edit list would hide frames from a player
                t = None if pkt.pts is None else pkt.pts * Fraction(vs.time_base)
                if first is None and t is not None:
                    first = t
                try:
                    nals = split_length(bytes(pkt), size)
                except ValueError:
                    return None
                _digest_item(h, nals, None if t is None else t - first, bool(pkt.is_keyframe))
                n += 1
            self.frames.note_sar(vs.codec_context.sample_aspect_ratio)
        if n != self.packets or h.digest() != self._digest.digest():
            return None
        checks = self.frames.checks()
        checks.insert(0, Check("written", True, f"{n} video packets in the file are the ones "
                                                "decoded and checked while encoding"))
        if self.readback is not None:
            checks.append(self.readback.check())
        return checks
