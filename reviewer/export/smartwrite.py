"""Writing a smart cut (:mod:`reviewer.export.smartcut`): the original's packets of the copied
GOPs and x264's packets of the rest, in one H.264 stream with both sets of parameter sets.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from reviewer.errors import MediaError
from reviewer.export.h264 import KEEP, PPS, SPS, join_length, nal_type, split_length
from reviewer.export.smartcut import LENGTH_SIZE, Plan, gop_hash, segments
from reviewer.export.stream_verify import annexb_nals
from reviewer.progress import Progress

SEEK_AHEAD = 250  # packets: a copied GOP further ahead than this is sought, not read up to
GLOBAL_HEADER = 1 << 22
# x264's B-frames per preset (x264 --fullhelp): bounds how far its packets reorder
X264_BFRAMES = {"ultrafast": 0, "superfast": 3, "veryfast": 3, "faster": 3, "fast": 3,
                "medium": 3, "slow": 3, "slower": 3, "veryslow": 8, "placebo": 16}  # AV_CODEC_FLAG_GLOBAL_HEADER: parameter sets in extradata, not in-band


def x264_context(width: int, height: int, time_base: Fraction, rate: Fraction, preset: str,
                 crf: int, sps_id: int, threads: int = 0) -> Any:
    """An opened libx264 encoder whose parameter sets carry ``sps_id`` (and PPS id ``sps_id``).
    ``threads``: x264's thread count (0: x264 sizes it to this machine; x264's output depends
    on it, so chunks encoded elsewhere are given the coordinator's)."""
    ctx = av.CodecContext.create("libx264", "w")
    ctx.width, ctx.height, ctx.pix_fmt = width, height, "yuv420p"
    ctx.time_base = time_base
    ctx.framerate = rate
    ctx.flags |= GLOBAL_HEADER
    from reviewer.export.encoder import options_for

    ctx.options = {**options_for("libx264", preset, crf, width, height, rate),
                   "x264-params": f"sps-id={int(sps_id)}"}
    ctx.thread_type = "AUTO"
    ctx.thread_count = int(threads)
    ctx.open()
    return ctx


def encoder_headers(ctx: Any) -> tuple[list[bytes], list[bytes]]:
    nals = annexb_nals(bytes(ctx.extradata or b""))
    return [n for n in nals if nal_type(n) == SPS], [n for n in nals if nal_type(n) == PPS]


class _Copier:
    """The original's video packets in decode order, handed out GOP by GOP."""

    def __init__(self, src: str | Path, index: Any) -> None:
        self.c = av.open(str(src))
        self.vs = self.c.streams.video[0]
        self.index = index
        self.pos = 0
        self._it = self._packets()

    def _packets(self) -> Any:
        for p in self.c.demux(self.vs):
            if p.size:
                yield p

    def gop(self, start: int, count: int, first_pts: int) -> list[Any]:
        if start - self.pos > SEEK_AHEAD:  # far ahead: seek to its IDR, not read up to it
            self.c.seek(first_pts, stream=self.vs, backward=True)
            self._it = self._packets()
            p = next(self._it)
            while p.pts != first_pts:
                p = next(self._it)
            got = [p]
        else:
            while self.pos < start:
                next(self._it)
                self.pos += 1
            got = []
        while len(got) < count:
            got.append(next(self._it))
        self.pos = start + count
        return got

    def close(self) -> None:
        self.c.close()


class SmartWriter:
    """Adds the video stream to ``out`` (before any other stream) and writes it."""

    def __init__(self, out: Any, src: str | Path, index: Any, expect: Any, plan: Plan,
                 preset: str, crf: int, rate: Fraction) -> None:
        self.src, self.index, self.expect, self.plan = src, index, expect, plan
        self.preset, self.crf, self.rate = preset, crf, rate
        probe = self._encoder()
        sps, pps = encoder_headers(probe)
        # how far x264 decodes a frame ahead of its display rank: at most its B-frame run
        # (PyAV reads back only whether it uses B-frames, not how many)
        self.enc_reorder = X264_BFRAMES.get(preset, 16) if probe.has_b_frames else 0
        from reviewer.export.h264 import pps_ids, sps_info

        if not sps or not pps or any(sps_info(x).sps_id != plan.free_id for x in sps) \
                or any(pps_ids(x) != (plan.free_id, plan.free_id) for x in pps):
            raise MediaError(f"{Path(src).name}: x264 did not give its parameter sets the id "
                             f"{plan.free_id} asked for")
        self.enc_headers = set(sps + pps)
        from reviewer.export.h264 import avcc_record

        self.extradata = avcc_record(plan.sps + sps, plan.pps + pps, LENGTH_SIZE)
        self.copier = _Copier(src, index)
        self.stream = out.add_stream_from_template(self.copier.vs)
        self.stream.codec_context.extradata = self.extradata
        self.stream.time_base = index.time_base
        self.copied_frames = 0
        plan.report.clear()  # a second attempt (audio re-encoded) starts the list anew

    def _encoder(self) -> Any:
        e = self.expect
        return x264_context(e.width, e.height, self.index.time_base, self.rate, self.preset,
                            self.crf, self.plan.free_id)

    def close(self) -> None:
        self.copier.close()

    def write(self, lead_pts: int, mux: Callable[[list[Any]], None],
              mux_audio: Callable[[Fraction | None], None], progress: Progress,
              render: Callable[[Any, int, int], Any],
              on_render: Callable[[int, Any], None] | None = None) -> None:
        """``render(frame, n_out)``: the redacted frame; ``on_render(pts, frame)`` sees each
        encoded frame (the verifier compares it with what the decoder gives back)."""
        from reviewer.export.source import Decoder

        index, e, plan = self.index, self.expect, self.plan
        a, b = e.frames
        base = index.pts[a]
        tb = index.time_base
        shown = [p - base + lead_pts for p in index.pts[a:b + 1]]
        reorder = max(plan.reorder, self.enc_reorder)
        step = shown[1] - shown[0] if len(shown) > 1 else 1
        start_s = (index.pts[a] - index.pts[0]) * tb
        order = [0]

        def stamp(data: bytes, pts: int, key: bool) -> Any:
            i = order[0]
            order[0] += 1
            dts = shown[i - reorder] if i >= reorder else shown[0] - (reorder - i) * step
            if dts > pts:
                raise MediaError(f"{Path(self.src).name}: the smart cut could not order packet {i}")
            pkt = av.Packet(data)
            pkt.pts, pkt.dts, pkt.time_base = pts, dts, tb
            pkt.is_keyframe = key
            pkt.stream = self.stream
            return pkt

        segs = segments(plan, a, b)
        runs = [(lo, hi) for kind, lo, hi in segs if kind == "encode"]
        dec = Decoder(self.src, index, a, b, ranges=runs) if runs and self.decodes(on_render) else None
        frames = iter(dec) if dec is not None else iter(())
        total, done = b - a + 1, 0
        try:
            for kind, lo, hi in segs:
                if kind == "copy":
                    g = plan.gops[lo]
                    nals_all: list[bytes] = []
                    for p in self.copier.gop(g.start, g.packets, index.pts[g.first]):
                        nals = [n for n in split_length(bytes(p), plan.length_size)
                                if nal_type(n) in KEEP]
                        nals_all += nals
                        pkt = stamp(join_length(nals, LENGTH_SIZE), p.pts - base + lead_pts,
                                    bool(p.is_keyframe))
                        mux([pkt])
                        mux_audio(start_s + (pkt.pts - lead_pts) * tb + 1)
                    plan.report.append({"frames": [g.first - a, g.last - a],
                                        "source_frames": [g.first, g.last],
                                        "sha256": gop_hash(nals_all)})
                    done += g.last - g.first + 1
                    self.copied_frames += g.last - g.first + 1
                else:
                    def put(packets: list[Any]) -> None:
                        self._mux_encoded(packets, stamp, mux, mux_audio, start_s, lead_pts, tb)

                    def rendered() -> Iterator[Any]:
                        for _ in range(hi - lo + 1):
                            if dec is None:  # nothing to render: the packets are made elsewhere
                                yield None
                                continue
                            n, item = next(frames)
                            frame = render(item, n - a)
                            frame.pts = shown[n - a]
                            frame.time_base = tb
                            if on_render is not None:
                                on_render(frame.pts, frame)
                            yield frame

                    for _ in self.encoded_run(lo, hi, rendered(), put, lead_pts - base):
                        done += 1
                        if done % 10 == 0:
                            progress.update(done / total, f"Encoding frame {done} of {total}")
                progress.update(done / total, f"Writing frame {done} of {total}")
        except StopIteration:
            raise MediaError(f"{Path(self.src).name}: only {done} of {total} frames could be read") from None
        finally:
            if dec is not None:
                dec.close()
        if order[0] != total:
            raise MediaError(f"{Path(self.src).name}: {order[0]} packets written for {total} frames")

    def decodes(self, on_render: Any) -> bool:
        """Whether the encoded runs' frames are decoded and redacted here (x264 needs them)."""
        return True

    def encoded_run(self, lo: int, hi: int, frames: Iterator[Any], put: Callable[[list[Any]], None],
                    shift: int) -> Iterator[None]:
        """Encode source frames ``lo..hi`` (``frames``: redacted, stamped with the export's pts,
        which are the source's plus ``shift``) with a fresh x264, handing its packets to
        ``put``; yields once per frame. :class:`reviewer.export.chunks.ChunkWriter` takes a
        worker's packets here instead."""
        ctx = self._encoder()
        for frame in frames:
            put(ctx.encode(frame))
            yield
        put(ctx.encode(None))

    def _mux_encoded(self, packets: list[Any], stamp: Any, mux: Any, mux_audio: Any,
                     start_s: Fraction, lead_pts: int, tb: Fraction) -> None:
        for p in packets:
            # x264's own SEI (its version and settings) goes too: the export carries no SEI
            nals = [n for n in annexb_nals(bytes(p)) if nal_type(n) in KEEP and n not in self.enc_headers]
            pkt = stamp(join_length(nals, LENGTH_SIZE), p.pts, bool(p.is_keyframe))
            mux([pkt])
            mux_audio(start_s + (pkt.pts - lead_pts) * tb + 1)


__all__ = ["SmartWriter", "encoder_headers", "x264_context"]
