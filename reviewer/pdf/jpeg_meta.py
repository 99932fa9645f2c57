"""A JPEG's own metadata, found and dropped at the byte level.

A JPEG keeps text of its own beside the picture: EXIF (APP1: ImageDescription, Artist,
XPAuthor, a thumbnail), an XMP packet (APP1), Photoshop/IPTC (APP13), comments (COM) and
other application segments. A PDF stores a JPEG whole (/DCTDecode), so all of it travels
into an export unless the stream is rewritten. The rewrite here copies every segment that
decoding needs (tables, frame and scan headers, restart intervals) and the entropy-coded
data byte for byte, and drops the rest, so the picture decodes to exactly the same pixels.

Kept besides what decoding needs: APP14 "Adobe" (it says whether the colours were
transformed; without it a CMYK or RGB JPEG decodes wrong) and APP2 "ICC_PROFILE" (a colour
profile). Anything before the start of image and after its end goes too.
"""
from __future__ import annotations

from dataclasses import dataclass

SOI, EOI, SOS, COM = 0xD8, 0xD9, 0xDA, 0xFE
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length


@dataclass(frozen=True)
class Segment:
    marker: int
    start: int  # index of the 0xFF
    end: int  # index after the segment (after the entropy-coded data for SOS)


def _kept(marker: int, body: bytes) -> bool:
    if marker == COM:
        return False
    if 0xE0 <= marker <= 0xEF:
        return (marker == 0xEE and body.startswith(b"Adobe")) or (
            marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00"))
    return True


def segments(data: bytes) -> list[Segment] | None:
    """The marker segments of a baseline or progressive JPEG, in order, SOI to EOI; None when
    ``data`` does not parse as one."""
    i = data.find(b"\xff\xd8")
    if i < 0:
        return None
    out = [Segment(SOI, i, i + 2)]
    i += 2
    n = len(data)
    while i < n:
        if data[i] != 0xFF:
            return None
        while i + 1 < n and data[i + 1] == 0xFF:  # fill bytes before a marker
            i += 1
        if i + 1 >= n:
            return None
        marker = data[i + 1]
        if marker == EOI:
            out.append(Segment(EOI, i, i + 2))
            return out
        if marker in _STANDALONE:
            out.append(Segment(marker, i, i + 2))
            i += 2
            continue
        if i + 4 > n:
            return None
        length = int.from_bytes(data[i + 2:i + 4], "big")
        end = i + 2 + length
        if length < 2 or end > n:
            return None
        if marker == SOS:  # entropy-coded data up to the next marker that is not a restart
            j = end
            while True:
                j = data.find(b"\xff", j)
                if j < 0 or j + 1 >= n:
                    return None
                nxt = data[j + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7 or nxt == 0xFF:
                    j += 1 if nxt == 0xFF else 2
                    continue
                break
            end = j
        out.append(Segment(marker, i, end))
        i = end
    return None


def metadata_segments(data: bytes) -> list[str]:
    """What in this JPEG carries text besides the picture (empty: nothing), e.g. ``APP1``,
    ``COM``, ``bytes after EOI``; ``["unparsable"]`` when it is not a JPEG we can read."""
    segs = segments(data)
    if segs is None:
        return ["unparsable"]
    found = []
    for s in segs:
        body = data[s.start + 4:s.end]
        if not _kept(s.marker, body):
            found.append("COM" if s.marker == COM else f"APP{s.marker - 0xE0}")
    if data[:segs[0].start].strip(b"\x00"):
        found.append("bytes before SOI")
    if data[segs[-1].end:].strip(b"\x00\r\n "):
        found.append("bytes after EOI")
    return found


def strip_metadata(data: bytes) -> bytes | None:
    """``data`` without its metadata segments (everything decoding needs copied byte for
    byte); None when it does not parse as a JPEG."""
    segs = segments(data)
    if segs is None:
        return None
    out = bytearray()
    for s in segs:
        if _kept(s.marker, data[s.start + 4:s.end]):
            out += data[s.start:s.end]
    return bytes(out)
