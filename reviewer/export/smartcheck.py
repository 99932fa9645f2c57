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


__all__ = ["smart_checks"]
