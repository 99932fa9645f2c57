"""Redacted video export: every frame at its time, boxes on exactly their frames, audio
silenced exactly, nothing left behind on failure."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from export.conftest import apply
from export.helpers import decode_rgb, psnr
from reviewer.annotate.geometry import Box, Keyframe
from reviewer.errors import Cancelled
from reviewer.export.burn import region_of
from reviewer.export.checks import Check, ExportFailed
from reviewer.export.video import export_video
from reviewer.media.frames import FrameReader
from reviewer.media.index import cached_index
from reviewer.session.redactions import add_audio_span, add_box_track
from reviewer.store.media import FrameIndexCache
from reviewer.store.redactions import box_tracks


def _index(store, media):
    return cached_index(media["path"], FrameIndexCache(store, media["id"]))


def _boxes(media: dict) -> list:
    """A moving rect over frames 10..25 and a still ellipse over 30..41, both in the lower half
    of the displayed frame (the upper half carries the frame number)."""
    w, h = media["width"], media["height"]
    y = h * 0.6
    return [
        add_box_track(media["id"], 10, 25, [Keyframe(10, Box(10.4, y, 50.3, 40.2)),
                                            Keyframe(25, Box(w - 80.7, y + 20, 60, 45))], reason="b6"),
        add_box_track(media["id"], 30, 41, [Keyframe(30, Box(w / 3, y, 70, 50))], shape="ellipse",
                      reason="b7C"),
    ]


@pytest.mark.parametrize("variant", ["cfr", "vfr", "rotated"])
def test_export_keeps_every_frame_and_covers_every_box(variant, video_file, make_case, tmp_path):
    store, (media,) = make_case(video_file(variant))
    apply(store, *_boxes(media))
    out = tmp_path / "out.mp4"
    result = export_video(store, media, out, preset="veryfast", crf=18)
    assert out.is_file() and all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert {c.name for c in result.checks} >= {"frame count", "frame times", "boxes", "metadata"}

    index = _index(store, media)
    times, frames, rotation = decode_rgb(out)
    assert rotation == 0, "rotation must be applied to the picture, not left as metadata"
    assert len(frames) == index.count
    assert times == [index.times.seconds(n) for n in range(index.count)]

    from fixtures.videos import read_number

    tracks = box_tracks(store, media["id"])
    with FrameReader(media["path"], index) as reader:
        for n, src in reader.iter_frames(0, index.count - 1):
            got = frames[n]
            assert got.shape == src.shape
            assert read_number(got) == read_number(src), f"frame {n} is not source frame {n}"
            mask = np.zeros(src.shape[:2], bool)  # pixels a box may touch (+2 px of coding bleed)
            for t in tracks:
                if not t.covers(n):
                    continue
                r = region_of(t.box_at(n), src.shape[1], src.shape[0])
                inner = got[r.y0 + 2:r.y1 - 2, r.x0 + 2:r.x1 - 2]
                if t.shape == "ellipse":
                    cy, cx = (r.y0 + r.y1) / 2, (r.x0 + r.x1) / 2
                    inner = got[int(cy) - 5:int(cy) + 5, int(cx) - 5:int(cx) + 5]
                assert inner.max() <= 40, f"frame {n}: box of track {t.id} not covered"
                mask[max(r.y0 - 2, 0):r.y1 + 2, max(r.x0 - 2, 0):r.x1 + 2] = True
            assert psnr(got, src, ~mask) > 32, f"frame {n} changed outside its boxes"
            if not mask.any():
                assert psnr(got, src) > 32


def test_clip_keeps_exactly_its_frames_and_timing(video_file, make_case, tmp_path):
    store, (media,) = make_case(video_file("vfr"))
    index = _index(store, media)
    t22, t30 = index.times.seconds(22), index.times.seconds(30)
    apply(store, *_boxes(media), add_audio_span(media["id"], t22, t30))
    out = tmp_path / "clip.mp4"
    result = export_video(store, media, out, frames=(20, 35), preset="veryfast")
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert any(c.name == "audio spans" for c in result.checks)
    times, frames, _ = decode_rgb(out)
    from fixtures.videos import read_number, shown_numbers

    assert [read_number(f) for f in frames] == shown_numbers("vfr", 60)[20:36]
    assert times == [index.times.seconds(n) - index.times.seconds(20) for n in range(20, 36)]
    from reviewer.export.verify import decode_audio

    samples, rate, start = decode_audio(out)
    clip_s = float(index.times.seconds(36) - index.times.seconds(20))
    assert abs(samples.shape[1] / rate - clip_s) < 0.03  # audio cut to the clip
    assert abs(float(start)) < 0.001
    # the span moved with the clip: silent from t22 - t20 to t30 - t20, sound around it
    t20 = index.times.seconds(20)
    lo, hi = round((t22 - t20) * rate), round((t30 - t20) * rate)
    x = np.abs(samples).max(axis=0)
    assert x[lo + 32:hi - 32].max() < 0.01
    assert x[max(lo - 300, 0):lo - 32].max() > 0.2 and x[hi + 32:hi + 300].max() > 0.2


def test_audio_is_muted_over_the_span_and_only_there(video_file, make_case, tmp_path):
    store, (media,) = make_case(video_file("cfr"))
    apply(store, add_audio_span(media["id"], Fraction(1, 2), Fraction(1)))
    out = tmp_path / "muted.mp4"
    result = export_video(store, media, out, preset="veryfast")
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    from reviewer.export.verify import decode_audio

    samples, rate, start = decode_audio(out)
    x = np.abs(samples).max(axis=0)
    k = lambda t: round(Fraction(t) * rate) - round(start * rate)
    lo, hi = k(Fraction(1, 2)), k(1)
    assert x[lo + 32:hi - 32].max() < 0.01, "sound left inside the muted span"
    # the 440 Hz tone (0.25 peak) is untouched right outside the span
    assert x[lo - 300:lo - 32].max() > 0.2 and x[hi + 32:hi + 300].max() > 0.2
    assert x[: lo - 1200].min() >= 0 and np.sqrt(np.mean(samples[:, :lo - 1200] ** 2)) > 0.15


def test_silence_is_sample_exact():
    from reviewer.annotate.geometry import AudioSpan
    from reviewer.export.audio import silence, span_samples

    rate = 48000
    span = AudioSpan(1, 1, Fraction(1, 2), Fraction(1), "mute")
    assert span_samples(span, rate) == (24000, 48001)
    buf = np.ones((2, 60000), np.float32)
    silence(buf[:, 20000:], 20000, [span], rate)  # a chunk that starts mid-file
    assert buf[:, 23999].min() == 1 and buf[:, 48001].min() == 1
    assert not buf[:, 24000:48001].any()
    bleep = AudioSpan(2, 1, Fraction(1, 10), Fraction(2, 10), "bleep")
    buf = np.zeros((1, 20000), np.float32)
    silence(buf, 0, [bleep], rate)
    spec = np.abs(np.fft.rfft(buf[0, 4800:9601]))
    assert abs(np.fft.rfftfreq(4801, 1 / rate)[spec.argmax()] - 1000) < 15
    assert not buf[0, :4800].any() and not buf[0, 9601:].any()


def test_bleep_passes_verification(video_file, make_case, tmp_path):
    store, (media,) = make_case(video_file("cfr"))
    apply(store, add_audio_span(media["id"], Fraction(1, 4), Fraction(3, 2), mode="bleep"))
    result = export_video(store, media, tmp_path / "bleep.mp4", preset="ultrafast")
    assert [c.name for c in result.checks if not c.ok] == []
    assert any(c.name == "audio spans" for c in result.checks)


def test_failed_verification_leaves_nothing(video_file, make_case, tmp_path, monkeypatch):
    store, (media,) = make_case(video_file("cfr"))
    apply(store, *_boxes(media))
    from reviewer.export import verify

    monkeypatch.setattr(verify, "verify_video", lambda *a, **k: [Check("boxes", False, "planted")])
    out = tmp_path / "bad.mp4"
    with pytest.raises(ExportFailed) as err:
        export_video(store, media, out, preset="ultrafast")
    assert "planted" in str(err.value)
    assert list(tmp_path.glob("bad.mp4*")) == [] and list(tmp_path.glob(".bad.mp4*")) == []


def test_cancel_leaves_nothing(video_file, make_case, tmp_path):
    from reviewer.progress import Progress

    store, (media,) = make_case(video_file("cfr"))
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        export_video(store, media, tmp_path / "c.mp4", preset="ultrafast", progress=progress)
    assert list(tmp_path.iterdir()) == [p for p in tmp_path.iterdir() if p.is_dir()]


def test_verify_catches_an_unredacted_copy(video_file, make_case, tmp_path):
    """Checking the original against the case's boxes must fail: the checks are not vacuous."""
    from reviewer.export.expect import video_expect
    from reviewer.export.verify import verify_video

    store, (media,) = make_case(video_file("cfr"))
    apply(store, *_boxes(media), add_audio_span(media["id"], Fraction(1, 2), Fraction(1)))
    exp = video_expect(store, media, _index(store, media), None)
    bad = {c.name for c in verify_video(media["path"], exp) if not c.ok}
    assert {"boxes", "audio spans"} <= bad


def test_metadata_subtitles_and_data_are_dropped(video_file, make_case, tmp_path):
    import subprocess

    import av
    from fixtures.videos import ffmpeg_exe

    srt = tmp_path / "s.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nSUBTITLE-SECRET-77\n")
    src = tmp_path / "tagged.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(video_file("cfr")), "-i", str(srt),
                    "-map", "0", "-map", "1", "-c", "copy", "-c:s", "mov_text",
                    "-metadata", "title=TITLE-SECRET-11", "-metadata", "comment=COMMENT-SECRET-22",
                    "-metadata", "location=+40.7128-074.0060/", "-metadata", "creation_time=2023-05-01T10:00:00Z",
                    "-metadata:s:v", "handler_name=CAMERA-SECRET-33", "-metadata:s:a", "handler_name=MIC-SECRET-44",
                    str(src)], check=True)
    with av.open(str(src)) as c:
        assert len(c.streams) == 3 and "title" in c.metadata
    store, (media,) = make_case(src)
    out = tmp_path / "clean.mp4"
    result = export_video(store, media, out, preset="ultrafast")
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    raw = out.read_bytes()
    for secret in (b"SECRET", b"+40.7128", b"2023-05-01"):
        assert secret not in raw
    with av.open(str(out)) as c:
        assert [s.type for s in c.streams] == ["video", "audio"]
        assert set(c.metadata) <= {"major_brand", "minor_version", "compatible_brands", "encoder"}


def test_verify_against_the_original_catches_changed_pixels(video_file, make_case, tmp_path):
    """With the case at hand, sampled frames are compared with the original outside the
    boxes: pixels changed where the case has no box are caught."""
    from dataclasses import replace

    from reviewer.export.expect import video_expect
    from reviewer.export.verify import verify_video

    store, (media,) = make_case(video_file("cfr"))
    apply(store, *_boxes(media))
    out = tmp_path / "o.mp4"
    export_video(store, media, out, preset="ultrafast")
    index = _index(store, media)
    exp = video_expect(store, media, index, None)
    good = {c.name: c for c in verify_video(out, exp, source=(media, index))}
    assert good["same as the original"].ok, good["same as the original"].detail
    unboxed = replace(exp, tracks=())  # the burned boxes now count as changed pixels
    bad = {c.name: c for c in verify_video(out, unboxed, source=(media, index))}
    assert not bad["same as the original"].ok


def test_audio_past_the_last_frame_is_kept_and_silenced(video_file, make_case, tmp_path):
    import subprocess

    from fixtures.videos import ffmpeg_exe

    from reviewer.export.verify import decode_audio

    src = tmp_path / "long_audio.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(video_file("cfr")), "-f", "lavfi",
                    "-i", "sine=frequency=440:sample_rate=48000:duration=3", "-map", "0:v", "-map", "1:a",
                    "-c:v", "copy", "-c:a", "aac", str(src)], check=True)
    store, (media,) = make_case(src)
    apply(store, add_audio_span(media["id"], Fraction(22, 10), Fraction(28, 10)))
    out = tmp_path / "o.mp4"
    result = export_video(store, media, out, preset="ultrafast")
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    samples, rate, _ = decode_audio(out)
    assert samples.shape[1] / rate > 2.9  # the video ends at 2 s; its audio does not
    x = np.abs(samples).max(axis=0)
    lo, hi = round(Fraction(22, 10) * rate), round(Fraction(28, 10) * rate)
    assert x[lo + 32:hi - 32].max() < 0.01 and x[lo - 2000:lo - 32].max() > 0.05
