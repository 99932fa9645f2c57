"""Writing one exhibit's files with every redaction of the case applied.

Clips and documents come from EXPORT's writers (the same code as ``reviewer export``), stills
from its redacted-frame renderer, so a bundle can never show less redaction than an export.
A clip larger than the court's size limit is split into frame-exact numbered parts.
"""
from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from reviewer.progress import Progress
from reviewer.store.db import CaseStore

# the result fields of EXPORT's writers that describe how a file was made (never paths or times)
_RESULT_KEYS = ("preset", "crf", "threads", "codec", "video_codec", "audio_codec", "encoder",
                "pix_fmt", "pixel_format", "profile", "audio", "audio_bitrate", "frame_count",
                "frames", "pages", "page_count", "rasterize", "redactions", "boxes_applied",
                "audio_spans", "stamp", "width", "height")


@dataclass(frozen=True)
class Part:
    first: int
    last: int
    path: Path
    settings: dict[str, Any] = field(default_factory=dict, hash=False)


def _no_sidecar(func: Any) -> dict[str, Any]:
    """EXPORT's writers can leave a verification sidecar beside the file; a bundle lists
    exactly its own files (the redaction log carries the same locations), so ask for none."""
    import inspect

    try:
        return {"sidecar": False} if "sidecar" in inspect.signature(func).parameters else {}
    except (TypeError, ValueError):
        return {}


def result_settings(result: Any) -> dict[str, Any]:
    """The reproducible description an export result gives of itself (whitelisted fields)."""
    if result is None:
        return {}
    if isinstance(result, dict):
        src = result
    elif hasattr(result, "__dataclass_fields__"):
        src = {k: getattr(result, k) for k in result.__dataclass_fields__}
    else:
        src = {k: getattr(result, k) for k in _RESULT_KEYS if hasattr(result, k)}
    out: dict[str, Any] = {}
    checks = src.get("checks")
    if isinstance(checks, (tuple, list)) and checks:
        # the writer verified its own output before renaming it into place
        out["verified_on_export"] = (
            f"{sum(1 for c in checks if getattr(c, 'ok', False))} of {len(checks)} checks of the "
            "written file found what the redactions ask for")
    for k in _RESULT_KEYS:
        v = src.get(k)
        if isinstance(v, (str, int, float, bool)) or v is None:
            if v is not None:
                out[k] = v
        elif isinstance(v, (tuple, list)) and all(isinstance(x, (int, str, float)) for x in v):
            out[k] = list(v)
    return out


def write_clip(store: CaseStore, media: dict[str, Any], first: int, last: int, dest: Path,
               *, max_bytes: int, preset: str, crf: int, progress: Progress) -> list[Part]:
    """Export frames first..last to ``dest`` (or ``dest`` stem + ``_partN`` when too large).

    Returns the parts in order; their frame ranges tile first..last exactly."""
    from reviewer.export.video import export_video

    work = dest.parent / f".{dest.stem}.work"
    work.mkdir()
    made: list[Part] = []

    def export(a: int, b: int, p: Progress) -> Part:
        out = work / f"{a:07d}-{b:07d}{dest.suffix}"
        result = export_video(store, media, out, frames=(a, b), preset=preset, crf=crf, progress=p,
                              **_no_sidecar(export_video))
        return Part(a, b, out, result_settings(result))

    def fit(part: Part, p: Progress) -> list[Part]:
        size = part.path.stat().st_size
        if size <= max_bytes or part.first == part.last:
            return [part]
        part.path.unlink()
        n = part.last - part.first + 1
        pieces = min(n, max(2, math.ceil(size / max_bytes)))
        bounds = [part.first + (n * i) // pieces for i in range(pieces + 1)]
        out: list[Part] = []
        for i in range(pieces):
            sub = p.sub(i / pieces, (i + 1) / pieces)
            out += fit(export(bounds[i], bounds[i + 1] - 1, sub), sub)
        return out

    made = fit(export(first, last, progress.sub(0.0, 0.5)), progress.sub(0.5, 1.0))
    final: list[Part] = []
    for i, part in enumerate(made, start=1):
        target = dest if len(made) == 1 else dest.with_name(f"{dest.stem}_part{i}{dest.suffix}")
        os.replace(part.path, target)
        final.append(Part(part.first, part.last, target, part.settings))
    work.rmdir()
    return final


def png_bytes(rgb: np.ndarray) -> bytes:
    """Lossless PNG of an RGB frame, exactly its pixels (zlib is deterministic)."""
    ok, buf = cv2.imencode(".png", cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGR))
    if not ok:
        raise ValueError("could not encode the frame as PNG")
    return buf.tobytes()


def redacted_frame(store: CaseStore, media: dict[str, Any], frame: int) -> np.ndarray:
    from reviewer.export.redact_frame import render_redacted_frame

    return render_redacted_frame(store, media, frame)


def captioned(rgb: np.ndarray, caption: str) -> np.ndarray:
    """The frame with a caption bar underneath (a copy for reading; the exhibit stays exact)."""
    h, w = rgb.shape[:2]
    scale = max(0.35, min(1.0, w / 900))
    bar = max(18, int(34 * scale))
    out = np.full((h + bar, w, 3), 255, np.uint8)
    out[:h] = rgb
    text = caption.encode("ascii", "replace").decode("ascii").replace("\u2013", "-")
    cv2.putText(out, text, (4, h + bar - int(10 * scale) - 2), cv2.FONT_HERSHEY_SIMPLEX, scale,
                (0, 0, 0), 1, cv2.LINE_AA)
    return out


def write_document(store: CaseStore, media: dict[str, Any], first: int, last: int, dest: Path,
                   *, stamp: str | None, progress: Progress) -> dict[str, Any]:
    from reviewer.export.pdf import export_pdf

    result = export_pdf(store, media, dest, pages=(first, last), stamp=stamp, progress=progress,
                        **_no_sidecar(export_pdf))
    settings = result_settings(result)
    settings["fixed_id"] = fix_pdf_id(dest)
    return settings


def write_document_parts(store: CaseStore, media: dict[str, Any], first: int, last: int,
                         dest: Path, *, max_bytes: int, stamp: str | None,
                         progress: Progress) -> list[Part]:
    """Export pages first..last to ``dest``, or, when the file is over ``max_bytes`` (a
    court's per-file limit), to ``dest`` stem + ``_partN`` split at page boundaries, each part
    holding as many pages as fit. A single page over the limit stays one part: pages are
    never cut.

    Returns the parts in order; their page ranges tile first..last exactly."""
    work = dest.parent / f".{dest.stem}.work"
    work.mkdir()
    tried: dict[tuple[int, int], Part] = {}

    def export(a: int, b: int) -> Part:
        if (a, b) not in tried:
            out = work / f"{a:06d}-{b:06d}{dest.suffix}"
            tried[(a, b)] = Part(a, b, out, write_document(store, media, a, b, out, stamp=stamp,
                                                           progress=Progress()))
        return tried[(a, b)]

    def size(a: int, b: int) -> int:
        return export(a, b).path.stat().st_size

    try:
        progress.update(0.0, "writing the document")
        whole = size(first, last)
        made: list[Part] = []
        start = first
        while start <= last:
            progress.update((start - first) / (last - first + 1), f"pages from {start}")
            # the largest end whose file fits (files grow with pages): a binary search that
            # first tries the pages-per-limit estimate, since that is usually close
            n_left = last - start + 1
            guess = start + max(0, min(n_left, int(n_left * max_bytes / max(1, whole))) - 1)
            lo, hi = start, last  # lo always fits or is the one page that cannot be cut
            if size(start, guess) <= max_bytes:
                lo = guess
            else:
                hi = guess - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if size(start, mid) <= max_bytes:
                    lo = mid
                else:
                    hi = mid - 1
            made.append(export(start, lo))
            start = lo + 1
        final: list[Part] = []
        for i, part in enumerate(made, start=1):
            target = dest if len(made) == 1 else dest.with_name(f"{dest.stem}_part{i}{dest.suffix}")
            os.replace(part.path, target)
            final.append(Part(part.first, part.last, target, part.settings))
        progress.update(1.0, "document written")
    finally:
        for left in work.glob("*"):
            left.unlink()
        work.rmdir()
    return final


def _pdf_string_end(data: bytes, i: int) -> int:
    """End (exclusive) of the PDF string starting at ``data[i]`` (``<hex>`` or ``(literal)``)."""
    if data[i:i + 1] == b"<":
        return data.index(b">", i) + 1
    if data[i:i + 1] != b"(":
        raise ValueError("not a string")
    depth, j = 0, i
    while True:
        c = data[j:j + 1]
        if not c:
            raise ValueError("unterminated string")
        if c == b"\\":
            j += 2
            continue
        depth += (c == b"(") - (c == b")")
        j += 1
        if depth == 0:
            return j


def fix_pdf_id(path: Path, *, keep_first: bool = True) -> bool:
    """Make the trailer's /ID a function of the file's content, in place, so the same case
    gives the same bytes. MuPDF writes a random second ID on every save (and two for a new
    document), as ``<hex>`` or, when the random bytes happen to look printable (about one
    save in seventy), as a ``(literal)`` of another width; so the replacement is always
    ``<32 hex digits>``, whatever was there. ``keep_first`` keeps the first ID (for an
    exhibit, the source's permanent ID) as written; otherwise it gets the same hash.

    Only in the classic layout, where the trailer follows the last xref table and its length
    can change without moving an offset. False when there is no such trailer /ID to fix."""
    data = path.read_bytes()
    tail = data.rfind(b"trailer")
    if tail < 0 or data.rfind(b"xref", 0, tail) < 0 or \
            data.find(b"xref", tail) != data.find(b"startxref", tail) + len(b"start"):
        return False  # no trailer, or an xref after it: leave the file as written
    at = data.find(b"/ID", tail)
    if at < 0:
        return False
    try:
        i = at + 3
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] != b"[":
            return False
        spans = []
        i += 1
        for _ in range(2):
            while data[i:i + 1].isspace():
                i += 1
            end = _pdf_string_end(data, i)
            spans.append((i, end))
            i = end
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] != b"]":
            return False
    except ValueError:
        return False
    close = i + 1
    first = data[spans[0][0]:spans[0][1]] if keep_first else b""
    blank = data[:at] + b"/ID[" + first + b"]" + data[close:]
    digest = b"<" + hashlib.sha256(blank).hexdigest()[:32].upper().encode() + b">"
    fixed = data[:at] + b"/ID[" + (first or digest) + digest + b"]" + data[close:]
    if fixed != data:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(fixed)
        os.replace(tmp, path)
    return True


# --- what `reviewer verify` re-checks in each exhibit file (index.json "checks") -------------
# EXPORT's own expectation format: geometry and reason codes only, never notes or redacted text
CHECKS_FORMAT = "reviewer-bundle-checks/1"


def clip_expect(store: CaseStore, media: dict[str, Any], first: int, last: int) -> dict[str, Any]:
    """EXPORT's sidecar expectation for frames first..last: boxes per frame range relative to
    the file's frame 0, audio spans relative to it, frame count and frame times."""
    from reviewer.export.expect import video_expect
    from reviewer.export.source import load_source_index

    index = load_source_index(store, media)
    return video_expect(store, media, index, (first, last)).to_json()


def document_expect(store: CaseStore, media: dict[str, Any], first: int, last: int,
                    *, stamped: bool) -> dict[str, Any]:
    """EXPORT's sidecar expectation for pages first..last: boxes on pages of the file (1 = first),
    and how many strings the boxes take from the original (the count only: never the text)."""
    from dataclasses import replace

    from reviewer.export.expect import pdf_expect
    from reviewer.export.pdf import with_original_text

    exp = pdf_expect(store, media, (first, last), rasterized=False, stamped=stamped)
    if exp.boxes:
        exp = with_original_text(exp, media["path"])
        exp = replace(exp, redacted=None, text_strings=len(exp.redacted or ()))
    return exp.to_json()


def still_expect(store: CaseStore, media: dict[str, Any], frame: int, width: int,
                 height: int) -> dict[str, Any]:
    """The boxes burned into a still, in whole pixels of the displayed frame, as the renderer
    (EXPORT's redact_rgb) places them."""
    from reviewer.export.burn import region_of
    from reviewer.store.redactions import box_tracks

    boxes = []
    for t in box_tracks(store, media["id"]):
        if not t.covers(frame):
            continue
        r = region_of(t.box_at(frame), width, height, t.shape, t.style)
        if r is not None:
            box = {"rect": [r.x0, r.y0, r.x1, r.y1], "shape": r.shape, "style": r.style,
                   "reason": t.reason}
            if r.ellipse is not None:  # cut by the picture's edge: the whole shape's box
                box["ellipse"] = list(r.ellipse)
            boxes.append(box)
    return {"kind": "still", "source": {"name": media["name"], "sha256": media["sha256"],
                                        "frames": [frame, frame]},
            "width": width, "height": height, "boxes": boxes}
