"""The checks made on every decoded frame of an export: count, times, size, boxes (and the
read-back and source samples when asked). Shared by the two ways frames reach them: decoding
the written file (``reviewer verify``) and decoding the encoder's packets while the export is
written (:mod:`reviewer.export.stream_verify`)."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from reviewer.annotate.heads import CURVED
from reviewer.export.burn import FILL_YUV, regions_for_frame, shape_mask, soft_detail
from reviewer.export.checks import Check
from reviewer.export.expect import VideoExpect, times_hash
from reviewer.progress import Progress

# after lossy coding, the inside of a solid box (shrunk by 2 px) stays this close to the fill
SOLID_MAX_DIFF = 40
SOLID_MEAN_DIFF = 6.0
SOLID_OUTLIERS = 0.01  # the share of pixels allowed past SOLID_MAX_DIFF (ringing at an edge)
SOFT_DETAIL_MAX = {"pixelate": 8.0, "blur": 3.0}
SMALL_SOFT_PX = 16
SMALL_BLUR_DETAIL_MAX = 8.0


def _subset(expect: VideoExpect, keep: list[int]) -> VideoExpect:
    from dataclasses import replace

    blocks = tuple(expect.blocks[i] for i in keep if i < len(expect.blocks))
    return replace(expect, tracks=tuple(expect.tracks[i] for i in keep),
                   blocks=blocks if len(blocks) == len(keep) else ())


class BoxReadback:
    """The read-back (:class:`reviewer.export.readback.Readback`: the text reader and the
    face detector run over the boxes) of every soft box, and of a solid box only on a frame
    where it failed its colour check: a solid box within 40 of the fill on 99% of its pixels,
    mean within 6, has nothing left to read, so reading it again costs time and proves
    nothing more."""

    def __init__(self, expect: VideoExpect) -> None:
        from reviewer.export.readback import Readback

        soft = [i for i, t in enumerate(expect.tracks) if t.style != "solid"]
        solid = [i for i, t in enumerate(expect.tracks) if t.style == "solid"]
        self.soft = Readback(_subset(expect, soft))
        self.solid = Readback(_subset(expect, solid))
        self.has_solid = bool(solid)

    def wants(self, n: int) -> bool:
        return self.soft.wants(n) or self.solid.wants(n)

    def offer(self, n: int, frame: Any, solid_failed: bool = True) -> None:
        if self.soft.wants(n):
            self.soft.offer(n, frame)
        if solid_failed and self.solid.wants(n):
            self.solid.offer(n, frame)

    def check(self) -> Check:
        soft, solid = self.soft.check(), self.solid.check()
        bad = [c.detail for c in (soft, solid) if not c.ok]
        if bad:
            return Check("read back", False, "; ".join(bad))
        parts = [soft.detail] if self.soft.read else []
        if solid.detail != "no boxes to read":  # a solid box failed its colour and was read
            parts.append(solid.detail)
        elif self.has_solid:
            parts.append("solid boxes hold their fill: nothing left to read")
        return Check("read back", True, "; ".join(parts) or "no boxes to read")


def soft_readback(expect: VideoExpect) -> BoxReadback:
    return BoxReadback(expect)


class FrameChecks:
    """Feed every decoded frame in display order (``add``), then ask for the checks."""

    def __init__(self, expect: VideoExpect, progress: Progress | None = None,
                 samples: dict[int, np.ndarray | None] | None = None, readback: Any = None) -> None:
        self.expect = expect
        self.progress = progress or Progress()
        self.samples = samples
        self.readback = readback
        self.times: list[Fraction] = []
        self._first: Fraction | None = None
        self.size_ok = True
        self.rotated = False
        self.square = True
        self.boxes_checked = 0
        self.box_fail: list[str] = []
        self.want_w = expect.width + (expect.width & 1)
        self.want_h = expect.height + (expect.height & 1)

    def add(self, f: Any, t_s: Fraction) -> None:
        """Frame ``f`` (a decoded ``av.VideoFrame``) shown at ``t_s`` on the file's clock."""
        n = len(self.times)
        if self._first is None:
            self._first = t_s
        self.times.append(t_s - self._first)
        if (f.width, f.height) != (self.want_w, self.want_h):
            self.size_ok = False
        if getattr(f, "rotation", 0):
            self.rotated = True
        if self.samples is not None and n in self.samples:
            self.samples[n] = f.to_ndarray(format="rgb24")
        e = self.expect
        regions = regions_for_frame(e.tracks, n, e.width, e.height, e.blocks)
        solid_failed = False
        if regions:
            yuv = f if f.format.name == "yuv420p" else f.reformat(format="yuv420p")
            for r in regions:
                problem = check_region(yuv, r)
                if problem is None:
                    self.boxes_checked += 1
                    continue
                solid_failed = solid_failed or r.style == "solid"
                if len(self.box_fail) < 5:
                    self.box_fail.append(f"frame {n} box {r.x0},{r.y0},{r.width},{r.height}: {problem}")
        if self.readback is not None and self.readback.wants(n):
            if isinstance(self.readback, BoxReadback):
                self.readback.offer(n, f, solid_failed)
            else:
                self.readback.offer(n, f)
        if n % 25 == 0:
            self.progress.update(n / max(1, e.frame_count), f"Verifying frame {n}")

    def note_sar(self, sar: Any) -> None:
        """The stream's pixel aspect ratio: anything but square (or unset) would be stretched."""
        if sar is not None and sar.numerator and sar != 1:
            self.square = False

    def checks(self) -> list[Check]:
        e, times = self.expect, self.times
        want = e.times()
        out = [Check("frame count", len(times) == e.frame_count,
                     f"{len(times)} frames" + ("" if len(times) == e.frame_count
                                               else f", expected {e.frame_count}"))]
        same = times == want
        detail = f"every frame at its original time (sha256 {times_hash(times)[:12]})"
        if not same:
            diff = next((i for i, (x, y) in enumerate(zip(times, want)) if x != y), min(len(times), len(want)))
            got = f"{float(times[diff]):.6f}s" if diff < len(times) else "missing"
            exp = f"{float(want[diff]):.6f}s" if diff < len(want) else "none"
            detail = f"frame {diff} at {got}, expected {exp}"
        out.append(Check("frame times", same, detail))
        good = self.size_ok and self.square and not self.rotated
        out.append(Check("picture", good,
                         f"{self.want_w}x{self.want_h} square pixels, rotation applied to the picture"
                         if good else "wrong size, pixel aspect ratio or rotation metadata left"))
        n_boxes = sum(t.frame_to - t.frame_from + 1 for t in e.tracks)
        if e.tracks:
            out.append(Check("boxes", not self.box_fail, f"{self.boxes_checked} box-frames covered"
                             if not self.box_fail else "; ".join(self.box_fail)))
        else:
            out.append(Check("boxes", True, f"no video redactions ({n_boxes})"))
        return out


def check_region(frame: Any, r: Any) -> str | None:
    """None when the box on this decoded frame is burned as its style says, else why not."""
    from reviewer.export.source import plane_array

    y = plane_array(frame, 0)
    inset = 2
    x0, y0, x1, y1 = r.x0 + inset, r.y0 + inset, r.x1 - inset, r.y1 - inset
    if x1 <= x0 or y1 <= y0:
        return None  # too small to tell after lossy coding; covered by construction
    luma = y[y0:y1, x0:x1].astype(np.int16)
    if r.shape in CURVED:
        mask = shape_mask(r, inset_px=inset)[inset:inset + luma.shape[0], inset:inset + luma.shape[1]]
    else:
        mask = np.ones(luma.shape, bool)
    if not mask.any():
        return None
    if r.style == "solid":
        diffs = [np.abs(luma[mask] - FILL_YUV[0]) if r.shape in CURVED else np.abs(luma - FILL_YUV[0])]
        cx0, cy0, cx1, cy1 = (x0 + 1) // 2, (y0 + 1) // 2, x1 // 2, y1 // 2
        if r.shape == "rect" and cx1 > cx0 and cy1 > cy0:
            for i in (1, 2):
                diffs.append(np.abs(plane_array(frame, i)[cy0:cy1, cx0:cx1].astype(np.int16) - FILL_YUV[i]))
        # at most 1% of the pixels past the limit (the 99th percentile, counted rather than
        # sorted for): at high CRF a few pixels ring next to a curved edge; anything left of
        # the picture underneath moves the bulk, not a stray pixel
        outliers = max(float(np.count_nonzero(d > SOLID_MAX_DIFF)) / d.size for d in diffs)
        mean = max(float(d.mean()) for d in diffs)
        if outliers > SOLID_OUTLIERS or mean > SOLID_MEAN_DIFF:
            worst = max(float(np.percentile(d, 99)) for d in diffs)
            return f"not the fill colour (99% within {worst:.0f} of it, mean {mean:.1f})"
        return None
    full = y[r.y0:r.y1, r.x0:r.x1]
    limit = SOFT_DETAIL_MAX.get(r.style, 3.0)
    if r.style == "blur":
        # the encoder's ringing where the blur meets the sharp picture beside it is not detail
        # left under the box: measured inside the inset, and on a box a macroblock or less
        # across (ringing all over it) against a looser limit, still far below what a line
        # of text or a face measures unblurred (40-60); the read-back judges the content
        full = y[y0:y1, x0:x1]
        if min(full.shape[:2]) < SMALL_SOFT_PX:
            limit = SMALL_BLUR_DETAIL_MAX
    res = soft_detail(full, r.style, r.block_px)
    if res > limit:
        return f"more detail than {r.style} leaves ({res:.1f})"
    return None
