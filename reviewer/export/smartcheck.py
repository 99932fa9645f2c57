"""The export report's lines on a smart cut (:mod:`reviewer.export.smartcut`): which GOPs are
the original's own pictures, that the encoded frames are the redacted pictures given to the
encoder, and FFmpeg's program's word on the joins (:mod:`reviewer.export.ffcheck`)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from reviewer.export.checks import Check

# the encoded frames, decoded and shrunk 8x, against the redacted pictures given to x264
MIN_RENDER_PSNR_DB = 30.0


def smart_checks(tmp: Path, src: str | Path, expect: Any, plan: Any, stream: Any,
                 label: str) -> tuple[list[Check], Any]:
    """The report lines, and ``expect`` carrying the copied GOPs for the sidecar."""
    from reviewer.export.smartcut import summary

    a, b = expect.frames
    in_export = sum(1 for g in plan.gops if g.last >= a and g.first <= b)
    checks = [Check("copied GOPs", True, summary(plan, in_export))]
    original = getattr(stream, "original", None) if stream is not None else None
    if plan.copies and stream is not None:
        if stream.render_compared:
            ok = stream.render_psnr >= MIN_RENDER_PSNR_DB
            checks.append(Check("encoded frames", ok, f"{stream.render_compared} encoded frames decode "
                                f"to the redacted pictures given to the encoder (worst "
                                f"{stream.render_psnr:.1f} dB, 1/8 size luma)"))
        if original is not None:
            from reviewer.export.ffcheck import check_smart_cut

            checks.append(check_smart_cut(tmp, original, stream.frame_hashes, plan.report, a, label))
    elif original is not None:
        original.close()
    note = None if plan.copies else plan.why_none()
    return checks, replace(expect, copied_gops=tuple(plan.report) if plan.copies else (),
                           smart_cut=note or "")


def _gops_of(path: str | Path) -> dict[int, tuple[int, str]]:
    """Each IDR-to-IDR GOP of ``path``'s H.264 video: first display frame -> (last, sha256 of
    its slices as :func:`reviewer.export.smartcut.gop_hash` hashes them)."""
    import av

    from reviewer.export.h264 import IDR, nal_type, split_length
    from reviewer.export.smartcut import gop_hash
    from reviewer.export.stream_verify import avcc_nals

    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        size = avcc_nals(bytes(vs.codec_context.extradata or b""))[0]
        items = []  # (pts, nals) in decode order
        for p in c.demux(vs):
            if p.size:
                items.append((p.pts, split_length(bytes(p), size)))
    rank = {pts: i for i, pts in enumerate(sorted(pts for pts, _n in items))}
    out: dict[int, tuple[int, str]] = {}
    group: list[tuple[int, list[bytes]]] = []
    for pts, nals in items + [(None, [bytes([IDR])])]:
        if any(nal_type(n) == IDR for n in nals) and group:
            ranks = [rank[p] for p, _n in group]
            out[min(ranks)] = (max(ranks), gop_hash([n for _p, ns in group for n in ns]))
            group = []
        group.append((pts, nals))
    return out


def check_copied(path: str | Path, expect: Any, original: str | Path | None = None) -> Check:
    """The GOPs the sidecar says were copied are in the file, each with the slices it lists
    (sha256); with the original at hand, they are the original's own."""
    listed = list(expect.copied_gops)
    try:
        mine = _gops_of(path)
        theirs = _gops_of(original) if original is not None else None
    except (ValueError, KeyError, OSError) as exc:
        return Check("copied GOPs", False, f"the GOPs could not be read ({exc})")
    except Exception as exc:  # noqa: BLE001 - av errors: the file is not what the sidecar says
        return Check("copied GOPs", False, f"the GOPs could not be read ({exc})")
    for g in listed:
        lo, hi = g["frames"]
        if mine.get(lo) != (hi, g["sha256"]):
            return Check("copied GOPs", False, f"frames {lo}-{hi}: not the copied GOP the sidecar "
                         "lists (sha256 of its slices differs)")
        if theirs is not None:
            slo, shi = g["source_frames"]
            if theirs.get(slo) != (shi, g["sha256"]):
                return Check("copied GOPs", False, f"frames {lo}-{hi}: not the original's GOP at "
                             f"its frames {slo}-{shi}")
    whose = " and the original's own" if theirs is not None else ""
    return Check("copied GOPs", True, f"{len(listed)} GOPs hold the slices the sidecar lists "
                 f"(sha256){whose}")


__all__ = ["check_copied", "smart_checks"]
