"""The few facts of an H.264 stream that copying its coded pictures needs: NAL unit types, the
ids and profile in its parameter sets, and an ``avcC`` record (ISO/IEC 14496-15) holding
more than one of them.

A copied GOP keeps only the NAL units that make its pictures (slices, and the parameter sets
they name); SEI messages go, since they may carry closed captions, GPS positions or a camera's
serial number, and no decoder needs them to reconstruct a picture.
"""
from __future__ import annotations

from dataclasses import dataclass

SLICE, IDR, SEI, SPS, PPS, AUD, END_SEQ, END_STREAM, FILLER = 1, 5, 6, 7, 8, 9, 10, 11, 12
# what a copied picture keeps; SEI, access unit delimiters, end-of-sequence/stream and filler
# carry nothing a decoder needs to reconstruct the picture
KEEP = {SLICE, IDR, SPS, PPS}
DROP = {SEI, AUD, END_SEQ, END_STREAM, FILLER}
HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


def nal_type(nal: bytes) -> int:
    return nal[0] & 0x1F if nal else 0


def split_length(data: bytes, size: int) -> list[bytes]:
    """The NAL units of an MP4 sample (each prefixed with its ``size``-byte length)."""
    out, i = [], 0
    while i + size <= len(data):
        n = int.from_bytes(data[i:i + size], "big")
        out.append(data[i + size:i + size + n])
        i += size + n
    if i != len(data):
        raise ValueError("a sample's NAL lengths do not add up")
    return out


def join_length(nals: list[bytes], size: int = 4) -> bytes:
    return b"".join(len(n).to_bytes(size, "big") + n for n in nals)


class _Bits:
    """Reads an RBSP (emulation prevention bytes removed) bit by bit."""

    def __init__(self, nal: bytes) -> None:
        self.data = nal[1:].replace(b"\x00\x00\x03", b"\x00\x00")
        self.pos = 0

    def u(self, n: int) -> int:
        v = 0
        for _ in range(n):
            byte = self.data[self.pos >> 3] if (self.pos >> 3) < len(self.data) else 0
            v = (v << 1) | ((byte >> (7 - (self.pos & 7))) & 1)
            self.pos += 1
        return v

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
            if zeros > 31:
                raise ValueError("bad exp-Golomb code")
        return (1 << zeros) - 1 + self.u(zeros)


@dataclass(frozen=True)
class SpsInfo:
    sps_id: int
    profile: int
    level: int
    chroma_format: int
    bit_depth: int
    frame_mbs_only: bool


def sps_info(nal: bytes) -> SpsInfo:
    b = _Bits(nal)
    profile, _compat, level = b.u(8), b.u(8), b.u(8)
    sps_id = b.ue()
    chroma, depth, depth_c = 1, 8, 8
    if profile in HIGH_PROFILES:
        chroma = b.ue()
        if chroma == 3:
            b.u(1)
        depth, depth_c = b.ue() + 8, b.ue() + 8
        if b.u(1):  # qpprime_y_zero_transform_bypass
            pass
        if b.u(1):  # seq_scaling_matrix_present: lists follow, not parsed here, so
            # interlacing goes unread; the export's frame checks and FFmpeg's decode of the
            # joined stream still judge the result
            return SpsInfo(sps_id, profile, level, chroma, max(depth, depth_c), True)
    b.ue()  # log2_max_frame_num_minus4
    poc_type = b.ue()
    if poc_type == 0:
        b.ue()
    elif poc_type == 1:
        b.u(1)
        b.ue()
        b.ue()
        for _ in range(b.ue()):
            b.ue()
    b.ue()  # max_num_ref_frames
    b.u(1)
    b.ue()
    b.ue()
    return SpsInfo(sps_id, profile, level, chroma, max(depth, depth_c), bool(b.u(1)))


def pps_ids(nal: bytes) -> tuple[int, int]:
    """(pps id, the sps id it names)."""
    b = _Bits(nal)
    return b.ue(), b.ue()


def avcc_record(sps: list[bytes], pps: list[bytes], length_size: int = 4) -> bytes:
    """An ``avcC`` record holding every SPS and PPS given (a decoder keeps them all, by id)."""
    first = sps[0]
    profile = max(s[1] for s in sps)
    compat = 0xFF
    for s in sps:
        compat &= s[2]
    level = max(s[3] for s in sps)
    out = bytearray([1, profile, compat, level, 0xFC | (length_size - 1), 0xE0 | len(sps)])
    for s in sps:
        out += len(s).to_bytes(2, "big") + s
    out.append(len(pps))
    for p in pps:
        out += len(p).to_bytes(2, "big") + p
    if profile in (100, 110, 122, 144):
        info = sps_info(first)
        out += bytes([0xFC | info.chroma_format, 0xF8 | (info.bit_depth - 8),
                      0xF8 | (info.bit_depth - 8), 0])
    return bytes(out)


__all__ = ["avcc_record", "join_length", "nal_type", "pps_ids", "split_length", "sps_info"]
