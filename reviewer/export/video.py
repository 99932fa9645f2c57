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

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import errno
import math

import av
import numpy as np

from reviewer.errors import MediaError, ReviewerError
from reviewer.export.audio_tracks import AudioTrack, open_audio
from reviewer.export.burn import FILL_YUV, burn_yuv420, regions_for_frame
from reviewer.export.checks import Check, check_original
from reviewer.export.encoder import DEFAULT_PRESET, X264_PRESETS
from reviewer.export.expect import VideoExpect, video_expect
from reviewer.export.publish import finish, remove_partials, temp_name
from reviewer.export.source import (
    Decoder,
    load_source_index,
    plane_array,
    rotate_plane,
)
from reviewer.progress import Progress


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    count: int  # frames or pages written
    sidecar: Path | None
    checks: tuple[Check, ...]


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
                 frames: tuple[int, int] | None = None, preset: str = DEFAULT_PRESET, crf: int = 18,
                 progress: Progress | None = None, verify: bool = True,
                 sidecar: bool = True, publish: bool = True, smart: bool = True,
                 encoder: str = "auto") -> ExportResult:
    """Write the redacted copy of ``media_row`` (or of its frames a..b inclusive) to ``out_path``.

    ``publish=False``: leave the verified file and sidecar staged under their temporary names
    (``ExportResult.path``/``.sidecar``) for the caller to rename (:mod:`reviewer.export.publish`)."""
    check_options(preset, crf)
    out = Path(out_path)
    check_out(store, out)
    remove_partials(out)  # leftovers of an export that was killed
    index = load_source_index(store, media_row)
    if frames is not None:
        a, b = int(frames[0]), int(frames[1])
        if not 0 <= a <= b < index.count:
            raise ReviewerError(f"{media_row['name']}: frames {a}:{b} are outside 0..{index.count - 1}")
        frames = (a, b)
    expect = video_expect(store, media_row, index, frames)
    return export_video_file(media_row, index, expect, out, preset=preset, crf=crf,
                             progress=progress, verify=verify, sidecar=sidecar, publish=publish,
                             smart=smart, encoder=encoder)


def export_video_file(source: dict, index: Any, expect: VideoExpect, out: Path, *,
                      preset: str = DEFAULT_PRESET, crf: int = 18, progress: Progress | None = None,
                      verify: bool = True, sidecar: bool = True,
                      publish: bool = True, smart: bool = True,
                      encoder: str = "auto", writer: Any = None) -> ExportResult:
    """The export without the case: ``source`` (``name``, ``path``, ``sha256``), its frame
    index and what the case expects. Batch workers (reviewer.batch) run this part where
    case.db is out of reach (``publish=False``: the coordinator renames the staged file);
    the original's hash is checked here, before it is read. ``smart``: copy the GOPs no
    redaction touches from the original (:mod:`reviewer.export.smartcut`) where it can.
    ``encoder``: ``auto`` (a hardware H.264 encoder that works here, else libx264), or a name
    (:mod:`reviewer.export.encoder`). ``writer``: a :class:`reviewer.export.chunks.ChunkWriter`
    maker, whose ``plan`` the export follows: the encoded runs come from workers' chunks."""
    from reviewer.export.encoder import pick
    from reviewer.export.smartcut import plan_copy

    progress = progress or Progress()
    check_options(preset, crf)
    media_row = source
    original = check_original(media_row)
    tmp = temp_name(out)
    staged = False
    try:
        share = 0.95 if verify else 1.0  # verification runs alongside; only its tail is left
        plan = writer.plan if writer is not None else (
            plan_copy(media_row["path"], index, expect) if smart else None)
        enc = pick("libx264" if writer is not None or (plan is not None and plan.copies) else encoder, preset, crf,
                   _even(expect.width), _even(expect.height), _fps_guess(expect))
        copy_audio = True
        while True:
            try:
                stream = _encode(media_row["path"], tmp, index, expect, preset, crf,
                                 progress.sub(0.0, share), verify, copy_audio, plan=plan, enc=enc,
                                 writer=writer)
                break
            except MediaError as exc:
                tmp.unlink(missing_ok=True)
                if writer is None and plan is not None and plan.reason is None and not enc.hardware:
                    # whatever kept the joins from being written: every frame encoded instead
                    plan.reason, plan.copy = f"the smart cut could not be written ({exc})", set()
                    enc = pick(encoder, preset, crf, _even(expect.width), _even(expect.height),
                               _fps_guess(expect))
                elif writer is None and enc.hardware:
                    # opened for a test picture, failed on the real ones: libx264 instead
                    enc = enc.fallback(str(exc), preset, crf)
                elif expect.n_audio and copy_audio:
                    # a damaged audio packet (e.g. a bad ADTS header in a TS) cannot be copied
                    # as it is; the decoder conceals it, so try once more re-encoding the audio
                    copy_audio = False
                else:
                    raise
        checks: list[Check] = []
        if verify:
            from reviewer.export.verify import verify_video

            checks = [original] + verify_video(tmp, expect, progress=progress.sub(share, 1.0),
                                               stream=stream, label=out.name)
        if plan is not None:
            from reviewer.export.smartcheck import smart_checks

            extra, expect = smart_checks(tmp, media_row["path"], expect, plan, stream, out.name)
            checks += extra
        checks.append(Check("encoder", True, enc.describe(preset, crf)))
        side = finish(tmp, out, expect, checks if verify else [Check("written", True, "not verified")],
                      media_row["name"], sidecar, publish=publish, progress=progress)
        staged = not publish
    finally:
        if not staged:
            tmp.unlink(missing_ok=True)
    if not publish:
        return ExportResult(tmp, "video", expect.frame_count, side, tuple(checks))
    done(progress, out)
    return ExportResult(out, "video", expect.frame_count, side, tuple(checks))


def _encode(src: str, tmp: Path, index: Any, expect: VideoExpect, preset: str, crf: int,
            progress: Progress, verify: bool, copy_audio: bool, plan: Any = None,
            enc: Any = None, writer: Any = None) -> Any:
    """Encode, decoding and checking the encoder's packets on another thread meanwhile
    (:mod:`reviewer.export.stream_verify`) when ``verify``; returns that verifier."""
    stream = None
    smart = plan is not None and plan.copies
    if verify:
        from reviewer.export.frame_checks import soft_readback
        from reviewer.export.stream_verify import StreamVerifier

        stream = StreamVerifier(expect, readback=soft_readback(expect), hashes=smart)
        if smart:
            from reviewer.export.ffcheck import FrameHashes

            # FFmpeg's program decodes the original meanwhile, for the frames of copied GOPs
            stream.original = FrameHashes(src)
    try:
        encode_video(src, tmp, index, expect, preset=preset, crf=crf, progress=progress,
                     copy_audio=copy_audio, on_packet=None if stream is None else stream.feed,
                     plan=plan, on_render=stream.rendered if stream is not None and smart else None,
                     encoder=enc, writer=writer)
    except BaseException:
        if stream is not None:
            stream.close()
            if getattr(stream, "original", None) is not None:
                stream.original.close()
        raise
    return stream


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
                 crf: int, progress: Progress, copy_audio: bool = True,
                 on_packet: Any = None, plan: Any = None, on_render: Any = None,
                 encoder: Any = None, writer: Any = None) -> None:
    """Encode frames a..b of ``src`` with their boxes burned in, and every audio track.

    ``on_packet(packet)`` sees every video packet as it is muxed (the export's own verifier
    decodes them while the encoder runs). ``plan`` (:func:`reviewer.export.smartcut.plan_copy`):
    copy its GOPs from the original instead of encoding them; ``on_render(pts, frame)`` then
    sees each frame given to the encoder. ``encoder``: :func:`reviewer.export.encoder.pick`'s
    choice for frames that are encoded in full (default libx264). Where the plan allows a smart
    cut and the encoder is libx264, the plan's writer runs even when nothing is copied, so the
    encoded runs restart where the plan says (``writer`` makes it; default SmartWriter)."""
    a, b = expect.frames
    name = Path(src).name
    t0 = index.pts[0] * index.time_base  # absolute time of source frame 0
    start_s = (index.pts[a] - index.pts[0]) * index.time_base
    end_s = start_s + expect.end_s
    whole = a == 0 and b == index.count - 1
    try:
        out = av.open(str(tmp), "w", format="mp4")
    except (av.error.FFmpegError, OSError) as exc:
        raise ReviewerError(f"{tmp.parent}: the output folder cannot be written to ({_why(exc)})") from None
    dec = None
    tracks: list[AudioTrack] = []
    payload = [0]  # bytes of every packet muxed: the file must hold at least that many
    smart = None
    try:
        width, height = _even(expect.width), _even(expect.height)
        if plan is not None and plan.reason is None and (encoder is None or not encoder.hardware):
            from reviewer.export.smartwrite import SmartWriter

            smart = (writer or SmartWriter)(out, src, index, expect, plan, preset, crf,
                                            _fps_guess(expect))
        else:
            from reviewer.export.encoder import add_stream, pick

            # a53cc off (in every encoder's options): never pass captions into the copy
            enc = encoder or pick("libx264", preset, crf, width, height, _fps_guess(expect))
            vs = add_stream(out, enc, _fps_guess(expect), width, height, index.time_base)
        lead = Fraction(0)
        if expect.n_audio:
            tracks, lead = open_audio(out, src, t0, start_s, end_s, expect, whole, copy_audio)
        lead_pts = math.ceil(lead / index.time_base)  # audio before frame 0 keeps its place
        for st in out.streams:
            st.metadata.clear()
        out.metadata.clear()

        def mux_video(packets: list[Any]) -> None:
            for pkt in packets:
                if on_packet is not None:
                    on_packet(pkt)
                payload[0] += pkt.size
                out.mux(pkt)

        def mux_audio(until_s: Fraction | None) -> None:
            for track in tracks:
                for pkt in track.until(until_s):
                    payload[0] += pkt.size
                    out.mux(pkt)

        if smart is not None:
            smart.write(lead_pts, mux_video, mux_audio, progress,
                        lambda item, n_out: _redacted(item, index, expect, n_out, width, height),
                        on_render)
            return _finish(out, tracks, payload, tmp, name, on_packet)
        dec = Decoder(src, index, a, b)
        base = index.pts[a]
        total = b - a + 1
        done = 0
        for n, item in dec:
            frame = _redacted(item, index, expect, n - a, width, height)
            frame.pts = index.pts[n] - base + lead_pts
            frame.time_base = index.time_base
            if vs.pix_fmt != "yuv420p":  # a hardware encoder's own layout
                frame = frame.reformat(format=vs.pix_fmt)
            mux_video(vs.encode(frame))
            done += 1
            mux_audio(start_s + (index.pts[n] - base) * index.time_base + 1)
            if done % 10 == 0:
                progress.update(done / total, f"Encoding frame {done} of {total}")
        if done != total:
            raise MediaError(f"{name}: only {done} of {total} frames could be decoded")
        mux_video(vs.encode(None))
        _finish(out, tracks, payload, tmp, name, on_packet)
    except av.error.FFmpegError as exc:
        if _is_write_error(exc):
            raise ReviewerError(f"{tmp.parent}: the export of {name} could not be written to the "
                                f"output folder ({_why(exc)})") from None
        raise MediaError(f"{name}: export failed in FFmpeg ({exc})") from None
    except OSError as exc:
        raise ReviewerError(f"{tmp.parent}: the export of {name} could not be written to the "
                            f"output folder ({_why(exc)})") from None
    finally:
        if dec is not None:
            dec.close()
        if smart is not None:
            smart.close()
        for track in tracks:
            track.close()
        try:
            out.close()
        except (av.error.FFmpegError, OSError):
            pass  # already failing; the temporary file is removed by the caller


def _finish(out: Any, tracks: list[Any], payload: list[int], tmp: Path, name: str,
            on_packet: Any) -> None:
    """The rest of the audio, then close the file and make sure all of it was written."""
    for track in tracks:
        for pkt in track.until(None):
            payload[0] += pkt.size
            out.mux(pkt)
        for pkt in track.flush():
            payload[0] += pkt.size
            out.mux(pkt)
    out.close()
    _check_written(tmp, payload[0], name)
    if on_packet is not None:
        on_packet(None)


def _check_written(tmp: Path, payload: int, name: str) -> None:
    """FFmpeg's writer remembers a failed write (a full disk) instead of raising it: a file
    smaller than the packets muxed into it was cut short by the output folder."""
    import shutil

    try:
        size = tmp.stat().st_size
    except OSError as exc:
        raise ReviewerError(f"{tmp.parent}: the export of {name} could not be written to the "
                            f"output folder ({_why(exc)})") from None
    if size < payload:
        free = shutil.disk_usage(tmp.parent).free
        raise ReviewerError(f"{tmp.parent}: the disk is full: the output folder ran out of space writing the export "
                            f"of {name} ({size} of at least {payload} bytes written, {free} bytes "
                            "free); free some space or choose another folder")


WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EDQUOT,
                errno.EFBIG}


def _is_write_error(exc: Exception) -> bool:
    return getattr(exc, "errno", None) in WRITE_ERRNOS


def _why(exc: Exception) -> str:
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full; free some space on that disk or choose another folder"
    text = getattr(exc, "strerror", None) or str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


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
