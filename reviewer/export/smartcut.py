"""Re-encoding only what is redacted (a *smart cut*, as LosslessCut calls it).

A GOP of the original (an IDR picture and every picture decoded after it up to the next IDR)
that no box touches and no silenced span overlaps is copied into the export as the original's
own coded pictures: decoding them gives the very frames decoding the original gives, and the
export costs what its redactions cost, not what its length costs. The other frames are
decoded, redacted and encoded by x264, one fresh encoder per run of such GOPs so that every
run starts with an IDR picture and nothing refers across a join.

The joins: both parts live in one H.264 stream whose ``avcC`` record carries two sets of
parameter sets, the original's and x264's under another id (x264's ``sps-id``; the PPS id
follows it), so each picture names its own and a decoder switches at the IDR where a part
starts. The decoding times are laid anew over the whole stream (see :func:`_dts`), since the
two parts reorder frames differently.

Copied pictures keep only their slices (and in-band parameter sets equal to the record's):
SEI messages go, with whatever closed captions, GPS positions or serial numbers they carry.

Where the stream does not allow it (another codec, no ``avcC``, an edit list, 4:2:2, 10-bit,
interlaced, rotation or non-square pixels to apply, pictures that cross a GOP, parameter sets
that change mid-stream) nothing is copied and every frame is encoded as before; the plan says
why, and the export report repeats it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from reviewer.export.h264 import DROP, IDR, KEEP, PPS, SLICE, SPS, nal_type, pps_ids, split_length, \
    sps_info

LENGTH_SIZE = 4
# An encoded run starts a fresh x264 (an IDR picture) at the first GOP of the original after
# this long: the places where a run restarts depend on the plan alone, never on how many
# processes share the work, so an export split into chunks at those places is the same stream
# as the one-process export (:mod:`reviewer.export.chunks`). x264's own keyframe interval
# (250 frames) is about as long, so the restarts cost about nothing in size.
JOIN_S = 4


@dataclass(frozen=True)
class Gop:
    first: int  # source frame numbers (display order), inclusive
    last: int
    packets: int  # how many packets of the source it is made of, from its IDR on
    start: int  # the decode-order position of its IDR among the source's packets


@dataclass
class Plan:
    """What can be copied: ``reason`` says why nothing can (None when GOPs can be)."""

    reason: str | None
    gops: list[Gop] = field(default_factory=list)
    copy: set[int] = field(default_factory=set)  # indices into gops
    length_size: int = 4
    sps: list[bytes] = field(default_factory=list)
    pps: list[bytes] = field(default_factory=list)
    reorder: int = 0  # max frames a packet is decoded ahead of its display rank
    open_keys: int = 0  # keyframes that are not IDR pictures (open GOPs): not cut at
    free_id: int = 1
    join_frames: int = 0  # an encoded run restarts at the first GOP after this many frames (0: never)
    report: list[dict] = field(default_factory=list)  # each copied GOP, once written

    @property
    def copies(self) -> bool:
        return self.reason is None and bool(self.copy)

    def why_none(self) -> str:
        if self.reason is not None:
            return self.reason
        if not self.gops:
            return "the original has no GOP"
        why = "every GOP holds a box or a silenced span, or lies partly outside the export"
        if self.open_keys:
            why += (f"; {self.open_keys} keyframes are not IDR pictures (open GOPs), so GOPs run "
                    f"from IDR to IDR ({len(self.gops)} in the original)")
        return why


def _refuse(why: str) -> Plan:
    return Plan(reason=why)


def plan_copy(src: str | Path, index: Any, expect: Any) -> Plan:
    """Scan the original's packets (no decoding) for GOPs that can be copied into the export."""
    from reviewer.export.stream_verify import avcc_nals

    if index.rotation:
        return _refuse("the original is stored turned and the export turns the picture")
    if index.square_size is not None:
        return _refuse("the original has non-square pixels and the export rescales them")
    try:
        with av.open(str(src)) as c:
            vs = c.streams.video[0]
            cc = vs.codec_context
            if cc.name != "h264":
                return _refuse(f"the video is {cc.name}, not H.264")
            if cc.pix_fmt != "yuv420p":
                return _refuse(f"the picture format is {cc.pix_fmt}, not 8-bit 4:2:0 limited range")
            if (cc.width, cc.height) != (expect.width, expect.height) or cc.width % 2 or cc.height % 2:
                return _refuse("the coded picture is not the exported size")
            try:
                size, header = avcc_nals(bytes(cc.extradata or b""))
            except ValueError:
                return _refuse("the H.264 stream has no avcC record (not MP4 or MOV)")
            plan = _scan(c, vs, size, header, index)
    except (av.error.FFmpegError, OSError) as exc:
        return _refuse(f"the original's packets could not be read ({exc})")
    if plan.reason is None:
        plan.copy = _copyable(plan.gops, expect)
        span = (index.pts[-1] - index.pts[0]) * index.time_base
        fps = Fraction(index.count - 1) / span if index.count > 1 and span > 0 else Fraction(30)
        plan.join_frames = max(1, round(JOIN_S * fps))
    return plan


def _scan(c: Any, vs: Any, size: int, header: list[bytes], index: Any) -> Plan:
    sps = [n for n in header if nal_type(n) == SPS]
    pps = [n for n in header if nal_type(n) == PPS]
    if not sps or not pps:
        return _refuse("the avcC record holds no parameter sets")
    try:
        infos = [sps_info(s) for s in sps]
        pids = [pps_ids(p) for p in pps]
    except (ValueError, IndexError):
        return _refuse("the parameter sets could not be read")
    for info in infos:
        if info.chroma_format != 1 or info.bit_depth != 8:
            return _refuse("the stream is not 8-bit 4:2:0")
        if not info.frame_mbs_only:
            return _refuse("the stream is interlaced")
    known = set(header)
    rank = {p: i for i, p in enumerate(index.pts)}
    gops: list[list[int]] = []  # display ranks of each GOP's packets, in decode order
    starts: list[int] = []
    reorder = 0
    open_keys = 0
    i = 0
    for pkt in c.demux(vs):
        if pkt.size == 0:
            continue
        if pkt.is_discard:
            return _refuse("an edit list hides some of the original's frames")
        r = rank.get(pkt.pts)
        if r is None:
            return _refuse("a packet's time is not one of the frames shown")
        try:
            nals = split_length(bytes(pkt), size)
        except ValueError:
            return _refuse("a packet's NAL units do not add up")
        types = {nal_type(n) for n in nals}
        odd = types - KEEP - DROP
        if odd:
            return _refuse(f"the stream holds NAL unit types {sorted(odd)} that are not copied")
        if any(nal_type(n) in (SPS, PPS) and n not in known for n in nals):
            return _refuse("the stream changes its parameter sets mid-stream")
        if pkt.is_keyframe and IDR not in types:
            open_keys += 1
        if IDR in types:
            gops.append([])
            starts.append(i)
        elif not gops:
            return _refuse("the stream does not start with an IDR picture")
        gops[-1].append(r)
        reorder = max(reorder, i - r)
        i += 1
    if i != index.count:
        return _refuse(f"{i} packets for {index.count} frames shown")
    out = []
    for g, ranks, start in zip(range(len(gops)), gops, starts):
        lo = ranks[0]
        if sorted(ranks) != list(range(lo, lo + len(ranks))):
            return _refuse(f"pictures cross GOP {g} (open GOPs or a B-frame pyramid across an IDR)")
        out.append(Gop(lo, lo + len(ranks) - 1, len(ranks), start))
    used = {info.sps_id for info in infos} | {p for p, _s in pids}
    free = next((k for k in range(32) if k not in used), None)
    if free is None:
        return _refuse("every parameter set id is taken")
    return Plan(None, out, set(), size, sps, pps, reorder=reorder, free_id=free, open_keys=open_keys)


def _copyable(gops: list[Gop], expect: Any) -> set[int]:
    a, b = expect.frames
    tb = expect.time_base
    out = set()
    for i, g in enumerate(gops):
        if g.first < a or g.last > b:
            continue
        lo, hi = g.first - a, g.last - a
        if any(t.frame_from <= hi and t.frame_to >= lo for t in expect.tracks):
            continue
        t0 = expect.pts[lo] * tb
        t1 = expect.pts[hi + 1] * tb if hi + 1 < expect.frame_count else expect.end_s
        # a silenced span re-encodes its GOPs too: only pictures no redaction touched are copied
        if any(Fraction(s.t_from_s) < t1 and Fraction(s.t_to_s) > t0 for s in expect.audio_spans):
            continue
        out.add(i)
    return out


def segments(plan: Plan, a: int, b: int) -> list[tuple[str, int, int]]:
    """The export in decode order: ("copy", gop index, 0) and ("encode", first, last) runs of
    source frames, each run cut at the first GOP after ``plan.join_frames`` frames."""
    out: list[tuple[str, int, int]] = []
    for i, g in enumerate(plan.gops):
        if g.last < a or g.first > b:
            continue
        if i in plan.copy:
            out.append(("copy", i, 0))
            continue
        lo, hi = max(g.first, a), min(g.last, b)
        if out and out[-1][0] == "encode" and out[-1][2] == lo - 1 and (
                not plan.join_frames or out[-1][2] - out[-1][1] + 1 < plan.join_frames):
            out[-1] = ("encode", out[-1][1], hi)
        else:
            out.append(("encode", lo, hi))
    return out


def gop_hash(nals: list[bytes]) -> str:
    """The sha256 of a GOP's slice NAL units in decode order, each after its 4-byte big-endian
    length: the same in the original and the export, whatever their containers."""
    h = hashlib.sha256()
    for n in nals:
        if nal_type(n) in (SLICE, IDR):
            h.update(len(n).to_bytes(4, "big"))
            h.update(n)
    return h.hexdigest()


def summary(plan: Plan | None, gops_in_export: int) -> str:
    if plan is None or not plan.copies:
        return "none: every frame was encoded again (" + ("not tried" if plan is None else plan.why_none()) + ")"
    frames = sum(r["frames"][1] - r["frames"][0] + 1 for r in plan.report)
    h = hashlib.sha256("\n".join(r["sha256"] for r in plan.report).encode()).hexdigest()
    return (f"{len(plan.report)} of {gops_in_export} GOPs ({frames} frames) are the original's coded "
            f"pictures, SEI removed; their hashes are listed in the sidecar (sha256 of the list "
            f"{h[:12]})")


__all__ = ["Gop", "Plan", "gop_hash", "plan_copy", "segments", "summary"]
