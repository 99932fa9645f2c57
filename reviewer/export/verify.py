"""Independent re-checks of an export: decode what was written and confirm that what the case
says must be gone is gone (frames, times, boxes, silence, metadata, streams).

What is expected comes from the case (``--case``, and during ``reviewer export``) or from the
sidecar ``OUT.verify.json`` written beside the export.
"""
from __future__ import annotations

import hashlib
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from reviewer.errors import ReviewerError
from reviewer.export.burn import regions_for_frame
from reviewer.export.checks import Check
from reviewer.export.frame_checks import SOFT_DETAIL_MAX, SOLID_MAX_DIFF, SOLID_MEAN_DIFF, FrameChecks, soft_readback  # noqa: F401
from reviewer.export.readback import Readback
from reviewer.export.expect import (
    PdfExpect,
    VideoExpect,
    read_sidecar,
    sidecar_file_sha256,
    sidecar_path,
)
from reviewer.progress import Progress

# AAC smears a little energy of the audible neighbours over a frame's length (1024 samples)
# into the edges of a muted span; inside that margin the span must be silent
AAC_EDGE_SAMPLES = 1024
MUTE_MAX = 0.01  # -40 dBFS
SAMPLED_FRAMES = 12  # compared with the original when the case is at hand
MIN_PSNR_DB = 30.0
ALLOWED_CONTAINER_TAGS = {"major_brand", "minor_version", "compatible_brands", "encoder"}
ALLOWED_STREAM_TAGS = {"handler_name", "vendor_id", "language", "encoder"}
DEFAULT_HANDLERS = {"VideoHandler", "SoundHandler"}


def verify_path(path: str | Path, case: str | Path | None = None,
                progress: Progress | None = None) -> list[Check]:
    """Re-check one exported file, against the case when given, else against its sidecar."""
    path = Path(path)
    if not path.is_file():
        raise ReviewerError(f"{path}: no such file")
    checks: list[Check] = []
    expect = None
    if case is not None:
        expect, source_ok, source = _expect_from_case(path, case)
        checks.append(source_ok)
    else:
        side = sidecar_path(path)
        if not side.is_file():
            raise ReviewerError(f"{path.name}: no {side.name} beside it; pass --case CASE to check "
                                "it against the case")
        expect = read_sidecar(side)
        source = None
        checks.append(Check("sidecar", True, f"{side.name} ({expect.source_name})"))
    if sidecar_path(path).is_file():
        checks.append(_file_hash(path, sidecar_file_sha256(sidecar_path(path))))
    if isinstance(expect, PdfExpect):
        from reviewer.export.pdf_verify import verify_pdf

        return checks + verify_pdf(path, expect)
    return checks + verify_video(path, expect, progress=progress, source=source)


def _file_hash(path: Path, recorded: str | None) -> Check:
    if recorded is None:
        return Check("sha256", True, "no hash recorded in the sidecar (older export); not compared")
    actual = file_sha256(path)
    if actual != recorded:
        return Check("sha256", False, f"is {actual[:12]}, the export wrote {recorded[:12]}: the file "
                     "was changed after export")
    return Check("sha256", True, f"matches the exported file ({actual[:12]})")


def _expect_from_case(path: Path, case: str | Path) -> tuple[Any, Check, Any]:
    """The expectation for ``path`` built from the case: the item named by the sidecar's hash,
    else the item whose name matches."""
    from reviewer.export.expect import pdf_expect, video_expect
    from reviewer.export.source import load_source_index
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    side = None
    if sidecar_path(path).is_file():
        side = read_sidecar(sidecar_path(path))
    with CaseStore.open(case) as store:
        row = media_store.media_by_sha(store, side.source_sha256) if side else None
        if row is None:
            stem = path.stem
            rows = [r for r in media_store.list_media(store) if Path(r["name"]).stem == stem]
            if len(rows) != 1:
                raise ReviewerError(f"{path.name}: cannot tell which item of the case it was exported "
                                    "from (no sidecar, and no item with the same name)")
            row = rows[0]
        row = media_store.get_media(store, row["id"])
        source = None
        if row["kind"] == "pdf":
            pages = (side.pages[0], side.pages[-1]) if isinstance(side, PdfExpect) and side.pages else None
            exp = pdf_expect(store, row, pages, rasterized=bool(side and side.rasterized),
                             stamped=bool(side and side.stamped))
            from reviewer.export.pdf import with_original_text

            # with the case at hand, the redacted text itself is looked for
            exp = with_original_text(exp, row["path"])
        else:
            frames = side.frames if isinstance(side, VideoExpect) else None
            index = load_source_index(store, row)
            exp = video_expect(store, row, index, frames)
            if isinstance(side, VideoExpect) and side.copied_gops:
                from dataclasses import replace

                exp = replace(exp, copied_gops=side.copied_gops)  # what the export says it copied
            source = (row, index)
    return exp, Check("case", True, f"checked against {row['name']} in the case"), source


# --- video ------------------------------------------------------------------------------------
def verify_video(path: str | Path, expect: VideoExpect, progress: Progress | None = None,
                 source: tuple[dict, Any] | None = None, stream: Any = None,
                 label: str | None = None) -> list[Check]:
    """Decode ``path`` and check it against ``expect``; with ``source`` (media row, frame
    index) also compare sampled frames outside the boxes with the original. ``stream``: the
    :class:`reviewer.export.stream_verify.StreamVerifier` that decoded the packets while they
    were written; when the file holds exactly those, they are not decoded again. ``label``:
    the name to show for ``path`` (an export's final name, not its temporary one)."""
    import av

    progress = progress or Progress()
    path = Path(path)
    name = label or path.name
    try:
        c = av.open(str(path))
    except av.error.FFmpegError as exc:
        return [Check("readable", False, f"{name} cannot be opened ({exc})")]
    try:
        with c:
            checks = _streams(c, expect)
            decoded = stream.finish(path) if stream is not None else None
            samples: dict[int, np.ndarray] = {}
            if decoded is None:
                if source is not None:
                    count = expect.frame_count
                    samples = {int(n): None for n in np.linspace(0, count - 1, min(SAMPLED_FRAMES, count))}
                readback = soft_readback(expect)
                decoded = _frames(c, expect, progress, samples, readback) + [readback.check()]
            checks += decoded
    except av.error.FFmpegError as exc:
        return [Check("readable", False, f"{name}: decoding failed ({exc})")]
    if source is not None:
        checks.append(_compare_with_source(expect, source, samples))
    if expect.copied_gops and stream is None:  # a re-check: the copied GOPs the sidecar lists
        from reviewer.export.smartcheck import check_copied

        checks.append(check_copied(path, expect, source[0]["path"] if source is not None else None))
    for track in range(expect.n_audio):
        checks += _audio(path, expect, track)
    return checks


def _streams(c: Any, expect: VideoExpect) -> list[Check]:
    kinds = [s.type for s in c.streams]
    v = [s for s in c.streams if s.type == "video"]
    a = [s for s in c.streams if s.type == "audio"]
    other = [s for s in c.streams if s.type not in ("video", "audio")]
    ok = (len(v) == 1 and v[0].codec_context.name == "h264" and not other
          and all(s.codec_context.name == "aac" for s in a) and len(a) == expect.n_audio)
    want = "h264" + "".join(" + aac" for _ in range(expect.n_audio))
    out = [Check("streams", ok, ", ".join(f"{s.type}:{s.codec_context.name}" for s in c.streams)
                 if ok else f"expected {want} only, found {kinds}")]
    bad = {k: v for k, v in c.metadata.items() if k not in ALLOWED_CONTAINER_TAGS}
    for s in c.streams:
        for k, val in s.metadata.items():
            if k not in ALLOWED_STREAM_TAGS or (k == "handler_name" and val not in DEFAULT_HANDLERS):
                bad[f"stream {s.index} {k}"] = val
    chapters = len(c.chapters()) if hasattr(c, "chapters") else 0
    out.append(Check("metadata", not bad and not chapters,
                     "no titles, comments, places, times, devices or chapters" if not bad and not chapters
                     else f"left: {', '.join(sorted(bad))}{' chapters' if chapters else ''}"))
    return out


def _compare_with_source(expect: VideoExpect, source: tuple[dict, Any],
                         samples: dict[int, np.ndarray | None]) -> Check:
    """Sampled frames equal the original's outside their boxes (PSNR), read independently
    with MEDIA's exact frame reader."""
    from reviewer.export.checks import check_original
    from reviewer.media.frames import FrameReader

    row, index = source
    try:
        check_original(row)
    except ReviewerError as exc:
        return Check("same as the original", False, str(exc))
    worst, bad = 99.0, []
    with FrameReader(row["path"], index) as reader:
        for n, got in sorted(samples.items()):
            if got is None:
                bad.append(f"frame {n} missing")
                continue
            src = _as_exported(reader, expect.frames[0] + n)
            got = got[:src.shape[0], :src.shape[1]]
            keep = np.ones(src.shape[:2], bool)
            for r in regions_for_frame(expect.tracks, n, expect.width, expect.height):
                keep[max(r.y0 - 2, 0):r.y1 + 2, max(r.x0 - 2, 0):r.x1 + 2] = False
            d = got[keep].astype(np.float64) - src[keep].astype(np.float64)
            mse = float(np.mean(d * d)) if d.size else 0.0
            value = 99.0 if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)
            worst = min(worst, value)
            if value < MIN_PSNR_DB:
                bad.append(f"frame {n}: {value:.1f} dB")
    return Check("same as the original", not bad,
                 f"{len(samples)} sampled frames match outside the boxes (worst {worst:.1f} dB)"
                 if not bad else "; ".join(bad[:5]))


def _as_exported(reader: Any, n: int) -> np.ndarray:
    """The original's frame ``n`` as displayed, made the way the export makes it: a picture
    stored with non-square pixels is scaled in YUV 4:2:0 (reviewer.export.source), and
    scaling in RGB instead differs by about 28 dB on saturated colour edges, which would
    read as a changed picture."""
    from reviewer.media.decode import rotate_rgb

    size = reader.index.square_size
    frame = reader.av_frame(n)
    if size is None or (frame.width, frame.height) == tuple(size):
        return reader.frame(n)
    yuv = frame.reformat(width=size[0], height=size[1], format="yuv420p", interpolation="BICUBIC")
    return rotate_rgb(yuv.reformat(format="rgb24").to_ndarray(), reader.index.rotation)


def _frames(c: Any, expect: VideoExpect, progress: Progress,
            samples: dict[int, np.ndarray | None] | None = None,
            readback: Readback | None = None) -> list[Check]:
    vs = c.streams.video[0]
    vs.thread_type = "AUTO"
    tb = Fraction(vs.time_base)
    frames = FrameChecks(expect, progress, samples, readback)
    for f in c.decode(vs):
        frames.add(f, f.pts * tb)
    frames.note_sar(vs.codec_context.sample_aspect_ratio)
    return frames.checks()


def decode_audio(path: str | Path, track: int = 0) -> tuple[np.ndarray, int, Fraction] | None:
    """All audio of ``path``'s ``track``-th audio track (channels x samples, float) with its
    rate and the time of its first sample relative to the first video frame."""
    import av

    vt0 = None
    with av.open(str(path)) as c:
        if len(c.streams.audio) <= track:
            return None
        for f in c.decode(c.streams.video[0]):
            vt0 = f.pts * Fraction(f.time_base)
            break
    # a second pass from the very start: seeking back can shift where some decoders begin
    with av.open(str(path)) as c:
        a = c.streams.audio[track]
        rs = av.AudioResampler(format="fltp")
        chunks = []
        at0 = None
        for f in c.decode(a):
            if at0 is None:
                at0 = f.pts * Fraction(f.time_base) if f.pts is not None else Fraction(0)
            for g in rs.resample(f):
                chunks.append(g.to_ndarray())
        for g in rs.resample(None):
            chunks.append(g.to_ndarray())
        rate = a.codec_context.sample_rate
    if not chunks:
        return np.zeros((1, 0), np.float32), rate, Fraction(0)
    return np.concatenate(chunks, axis=1), rate, (at0 or 0) - (vt0 or 0)


def _audio(path: Path, expect: VideoExpect, track: int = 0) -> list[Check]:
    from reviewer.export.audio import BLEEP_HZ, span_samples

    label = "" if expect.n_audio == 1 else f" (track {track + 1} of {expect.n_audio})"
    got = decode_audio(path, track)
    if got is None:
        return [Check("audio" + label, False, "the audio track is missing")]
    samples, rate, start = got
    if not expect.audio_spans:
        return [Check("audio" + label, samples.shape[1] > 0, f"{samples.shape[1] / rate:.2f} s kept")]
    first = round(start * rate)
    problems = []
    for s in expect.audio_spans:
        lo, hi = span_samples(s, rate)
        a, b = max(lo + AAC_EDGE_SAMPLES - first, 0), min(hi - AAC_EDGE_SAMPLES - first, samples.shape[1])
        if b <= a:
            continue
        seg = samples[:, a:b]
        if s.mode == "bleep":
            spec = np.abs(np.fft.rfft(seg.mean(axis=0)))
            peak = float(np.fft.rfftfreq(seg.shape[1], 1 / rate)[int(np.argmax(spec))])
            if abs(peak - BLEEP_HZ) > 20:
                problems.append(f"{float(s.t_from_s):.3f}-{float(s.t_to_s):.3f}s: no bleep (peak {peak:.0f} Hz)")
        else:
            peak = float(np.abs(seg).max())
            if peak > MUTE_MAX:
                problems.append(f"{float(s.t_from_s):.3f}-{float(s.t_to_s):.3f}s: not silent (peak {peak:.3f})")
    out = [Check("audio spans" + label, not problems,
                 f"{len(expect.audio_spans)} span(s) silenced" if not problems else "; ".join(problems))]
    from reviewer.export.speech_check import heard_in_spans

    listened = heard_in_spans(samples, rate, first, expect.audio_spans, label, AAC_EDGE_SAMPLES)
    return out + ([listened] if listened is not None else [])


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


__all__ = ["decode_audio", "file_sha256", "verify_path", "verify_video"]
