"""The redacted copy of a video: MP4, H.264 (libx264) + AAC.

Every displayed frame is kept at its original presentation time (the encoder and the stream
use the source's time base and the source's pts, relative to the first exported frame), so
variable frame rate survives. Boxes are burned into exactly their frames, straight into fresh
YUV planes (decoded buffers may be the decoder's reference pictures, so they are copied,
never painted in place). Rotation is applied to the picture; metadata, subtitles, data and
extra tracks are not carried over. Audio is stream-copied when nothing is silenced, otherwise
decoded, silenced sample-exactly and re-encoded.

The file is written under a temporary name in the output folder, verified by an independent
decode (``verify.verify_video``), and only then renamed into place.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from reviewer.errors import MediaError, ReviewerError
from reviewer.export.audio import AudioReencoder
from reviewer.export.burn import FILL_YUV, burn_yuv420, regions_for_frame
from reviewer.export.checks import Check, ExportFailed, all_ok, check_original
from reviewer.export.expect import VideoExpect, sidecar_path, video_expect, write_sidecar
from reviewer.export.source import (
    AudioSource,
    Decoder,
    load_source_index,
    plane_array,
    rotate_plane,
)
from reviewer.progress import Progress

X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                "slower", "veryslow", "placebo")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    count: int  # frames or pages written
    sidecar: Path | None
    checks: tuple[Check, ...]


def temp_name(out: Path) -> Path:
    """A hidden name in the output's own folder, so the final rename is atomic."""
    return out.with_name(f".{out.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")


def finish(tmp: Path, out: Path, expect: Any, checks: list[Check], label: str, sidecar: bool) -> Path | None:
    """Rename a verified temporary file into place (with its sidecar); raise when it failed."""
    if not all_ok(checks):
        raise ExportFailed(label, checks)
    side = None
    if sidecar:
        side = sidecar_path(out)
        side_tmp = temp_name(side)
        try:
            from reviewer.hashing import sha256_file

            write_sidecar(side_tmp, expect, sha256_file(tmp))
            os.replace(side_tmp, side)
        finally:
            side_tmp.unlink(missing_ok=True)
    try:
        os.replace(tmp, out)
    except OSError:
        if side is not None:
            side.unlink(missing_ok=True)
        raise
    return side


def check_out(store: Any, out: Path) -> None:
    """Never write over an original of the case (evidence), nor into a missing folder."""
    from reviewer.store import media as media_store
    from reviewer.store.db import DB_NAME

    if not out.parent.is_dir():
        raise ReviewerError(f"{out}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise ReviewerError(f"{out}: is a folder; give the file to write")
    target = out.resolve()
    case = Path(store.folder).resolve()
    if target.parent == case and target.name.startswith(DB_NAME):
        raise ReviewerError(f"{out}: is the case's own database; choose another output name")
    for row in media_store.list_media(store):
        if Path(row["path"]).resolve() == target:
            raise ReviewerError(f"{out}: is the original of {row['name']} in the case; originals are "
                                "never overwritten (choose another output name)")


def check_options(preset: str, crf: int) -> None:
    if preset not in X264_PRESETS:
        raise ReviewerError(f"--preset {preset}: not an x264 preset (one of {', '.join(X264_PRESETS)})")
    if not 0 <= int(crf) <= 51:
        raise ReviewerError(f"--crf {crf}: must be between 0 and 51")


def export_video(store: Any, media_row: dict, out_path: str | Path, *,
                 frames: tuple[int, int] | None = None, preset: str = "medium", crf: int = 18,
                 progress: Progress | None = None, verify: bool = True,
                 sidecar: bool = True) -> ExportResult:
    """Write the redacted copy of ``media_row`` (or of its frames a..b inclusive) to ``out_path``."""
    progress = progress or Progress()
    check_options(preset, crf)
    out = Path(out_path)
    check_out(store, out)
    original = check_original(media_row)
    index = load_source_index(store, media_row)
    if frames is not None:
        a, b = int(frames[0]), int(frames[1])
        if not 0 <= a <= b < index.count:
            raise ReviewerError(f"{media_row['name']}: frames {a}:{b} are outside 0..{index.count - 1}")
        frames = (a, b)
    expect = video_expect(store, media_row, index, frames)
    tmp = temp_name(out)
    try:
        try:
            encode_video(media_row["path"], tmp, index, expect, preset=preset, crf=crf,
                         progress=progress.sub(0.0, 0.8 if verify else 1.0))
        except MediaError:
            if not expect.has_audio:
                raise
            # a damaged audio packet (e.g. a bad ADTS header in a TS) cannot be copied as it
            # is; the decoder conceals it, so try once more re-encoding the audio
            tmp.unlink(missing_ok=True)
            encode_video(media_row["path"], tmp, index, expect, preset=preset, crf=crf,
                         progress=progress.sub(0.0, 0.8 if verify else 1.0), copy_audio=False)
        checks: list[Check] = []
        if verify:
            from reviewer.export.verify import verify_video

            checks = [original] + verify_video(tmp, expect, progress=progress.sub(0.8, 1.0))
        side = finish(tmp, out, expect, checks if verify else [Check("written", True, "not verified")],
                      media_row["name"], sidecar)
    finally:
        tmp.unlink(missing_ok=True)
    done(progress, out)
    return ExportResult(out, "video", expect.frame_count, side, tuple(checks))


def done(progress: Progress, out: Path) -> None:
    """Report completion; a cancel arriving after the rename no longer undoes the export."""
    from reviewer.errors import Cancelled

    try:
        progress.update(1.0, f"Exported {out.name}")
    except Cancelled:
        pass


def _even(n: int) -> int:
    return n + (n & 1)


def _fps_guess(expect: VideoExpect) -> Fraction:
    if expect.frame_count > 1 and expect.pts[-1] > 0:
        fps = Fraction(expect.frame_count - 1) / (expect.pts[-1] * expect.time_base)
        return fps.limit_denominator(1001)
    return Fraction(30)


def encode_video(src: str, tmp: Path, index: Any, expect: VideoExpect, *, preset: str,
                 crf: int, progress: Progress, copy_audio: bool = True) -> None:
    a, b = expect.frames
    name = Path(src).name
    t0 = index.pts[0] * index.time_base  # absolute time of source frame 0
    start_s = (index.pts[a] - index.pts[0]) * index.time_base
    end_s = start_s + expect.end_s
    try:
        out = av.open(str(tmp), "w", format="mp4")
    except (av.error.FFmpegError, OSError) as exc:
        raise ReviewerError(f"{tmp.parent}: cannot write there ({exc})") from None
    dec = aud = None
    try:
        width, height = _even(expect.width), _even(expect.height)
        vs = out.add_stream("libx264", rate=_fps_guess(expect))
        vs.width, vs.height, vs.pix_fmt = width, height, "yuv420p"
        vs.time_base = index.time_base
        vs.codec_context.time_base = index.time_base
        # a53cc off: never pass closed captions from the source's SEI into the copy
        vs.codec_context.options = {"preset": preset, "crf": str(int(crf)), "a53cc": "0"}
        # PyAV's default is SLICE, which makes x264 use sliced threads (slower, and worse
        # compression); FFmpeg's own default (frame threads) is what x264 is tuned for
        vs.codec_context.thread_type = "AUTO"
        vs.codec_context.thread_count = 0
        aout = reenc = None
        a_off = 0
        whole = a == 0 and b == index.count - 1
        if expect.has_audio:
            aud = _open_audio(src, t0, start_s, end_s, expect, whole, copy_audio)
        if aud is not None and not aud._decode:
            aout = out.add_stream_from_template(aud.stream)
            a_off = round(t0 / aud.time_base)
        elif aud is not None:
            # a whole export keeps the audio past the last frame too; a clip is cut to its frames
            reenc = AudioReencoder(out, aud.stream, t0, start_s, None if whole else end_s,
                                   [_shift(s, start_s) for s in expect.audio_spans])
        for s in out.streams:
            s.metadata.clear()
        out.metadata.clear()

        def mux_audio(until_s: Fraction | None) -> None:
            if aud is None:
                return
            for item in aud.until(until_s):
                if aout is not None:
                    item.pts = None if item.pts is None else item.pts - a_off
                    item.dts = None if item.dts is None else item.dts - a_off
                    item.stream = aout
                    out.mux(item)
                else:
                    out.mux(reenc.push(item))

        dec = Decoder(src, index, a, b)
        base = index.pts[a]
        total = b - a + 1
        done = 0
        for n, item in dec:
            frame = _redacted(item, index, expect, n - a, width, height)
            frame.pts = index.pts[n] - base
            frame.time_base = index.time_base
            out.mux(vs.encode(frame))
            done += 1
            mux_audio(start_s + frame.pts * index.time_base + 1)
            if done % 10 == 0:
                progress.update(done / total, f"Encoding frame {done} of {total}")
        if done != total:
            raise MediaError(f"{name}: only {done} of {total} frames could be decoded")
        out.mux(vs.encode(None))
        mux_audio(None)
        if reenc is not None:
            out.mux(reenc.flush())
    except av.error.FFmpegError as exc:
        raise MediaError(f"{name}: export failed in FFmpeg ({exc})") from None
    finally:
        if dec is not None:
            dec.close()
        if aud is not None:
            aud.close()
        out.close()


def _open_audio(src: str, t0: Fraction, start_s: Fraction, end_s: Fraction,
                expect: VideoExpect, whole: bool, allow_copy: bool = True) -> AudioSource | None:
    """The source audio, as packets to copy when nothing changes, else as frames to re-encode."""
    with av.open(src) as probe:
        if not probe.streams.audio:
            return None
        codec = probe.streams.audio[0].codec_context.name
    copy = allow_copy and whole and not expect.audio_spans and codec == "aac"
    # a whole export keeps all of the audio, even past the last frame
    return AudioSource(src, t0, start_s, end_s if not whole else Fraction(10**9), decode=not copy)


def _shift(span: Any, start_s: Fraction) -> Any:
    """A span relative to the export's frame 0 as one relative to source frame 0."""
    from dataclasses import replace

    return replace(span, t_from_s=Fraction(span.t_from_s) + start_s, t_to_s=Fraction(span.t_to_s) + start_s)


def _redacted(src: Any, index: Any, expect: VideoExpect, n_out: int, width: int,
              height: int) -> Any:
    """A fresh yuv420p frame holding ``src`` as displayed, with frame ``n_out``'s boxes burned in."""
    frame = av.VideoFrame(width, height, "yuv420p")
    for p in frame.planes:
        # A fresh frame's row padding is uninitialised memory that x264 reads; zero it so
        # the same case exports to the same bytes (BUNDLE's reproducibility).
        full = np.frombuffer(p, np.uint8).reshape(-1, p.line_size)
        full[:, p.width:] = 0
    planes = [plane_array(frame, i) for i in range(3)]  # a fresh frame: ours to write
    for i, dst in enumerate(planes):
        pic = rotate_plane(plane_array(src, i), index.rotation)
        h, w = min(pic.shape[0], dst.shape[0]), min(pic.shape[1], dst.shape[1])
        dst[:h, :w] = pic[:h, :w]
        if h < dst.shape[0] or w < dst.shape[1]:  # odd sizes: pad with black
            dst[h:, :] = FILL_YUV[i]
            dst[:, w:] = FILL_YUV[i]
    regions = regions_for_frame(expect.tracks, n_out, expect.width, expect.height, expect.blocks)
    if regions:
        burn_yuv420(planes[0], planes[1], planes[2], regions)
    return frame
