"""Re-encoding only what is redacted: the GOPs of the original that no box and no silenced span
touches are its own coded pictures in the export (checked with FFmpeg's program, not our
code), SEI messages (captions, GPS, serial numbers) are gone, and streams where it cannot be
done are encoded in full with the reason in the report."""
from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import pytest

from export.conftest import apply
from export.helpers import decode_rgb
from reviewer.annotate.geometry import Box, Keyframe
from reviewer.session.redactions import add_audio_span, add_box_track

MARKER = b"GPS 40.71N 74.00W SERIAL AXN-0042"


def _ffmpeg_frames(path: Path) -> list[str]:
    """Every frame's md5 as FFmpeg's own program decodes it (independent of the export code)."""
    import imageio_ffmpeg

    out = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-map",
                          "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"],
                         capture_output=True, check=True, text=True).stdout
    return [ln.rsplit(",", 1)[-1].strip() for ln in out.splitlines() if ln and not ln.startswith("#")]


def _with_sei(src: Path, out: Path) -> Path:
    """``src`` with a vendor SEI (user data unregistered: a GPS position and a serial number)
    before the pictures of every packet, as some body cameras write them."""
    payload = bytes(range(16)) + MARKER
    sei = bytes([6, 5, len(payload)]) + payload + b"\x80"
    with av.open(str(src)) as c, av.open(str(out), "w") as o:
        vs = c.streams.video[0]
        ov = o.add_stream_from_template(vs)
        oa = o.add_stream_from_template(c.streams.audio[0])
        for p in c.demux():
            if p.size == 0:
                continue
            if p.stream.type == "video":
                q = av.Packet(len(sei).to_bytes(4, "big") + sei + bytes(p))
                q.pts, q.dts, q.time_base, q.is_keyframe = p.pts, p.dts, p.time_base, p.is_keyframe
                q.stream = ov
                o.mux(q)
            else:
                p.stream = oa
                o.mux(p)
    return out


def _export(store, media, out, **kw):
    from reviewer.export.video import export_video

    result = export_video(store, media, out, preset="ultrafast", **kw)
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    return result, {c.name: c for c in result.checks}, json.loads(result.sidecar.read_text())


def test_untouched_gops_are_the_originals_pictures(video_file, make_case, tmp_path):
    from fixtures.videos import read_number

    from reviewer.export.verify import verify_path

    src = _with_sei(video_file("cfr"), tmp_path / "bodycam.mp4")
    assert MARKER in src.read_bytes()
    store, (media,) = make_case(src)
    h = media["height"]
    apply(store, add_box_track(media["id"], 5, 40, [Keyframe(5, Box(20, h * 0.6, 60, 40))]))
    out = tmp_path / "o.mp4"
    result, checks, side = _export(store, media, out)
    copied = side["copied_gops"]
    assert copied and not checks["copied GOPs"].detail.startswith("none"), checks["copied GOPs"].line()
    assert "second decoder" in checks and "encoded frames" in checks
    # FFmpeg's program: every frame of a copied GOP is the original's frame, bit for bit
    mine, theirs = _ffmpeg_frames(out), _ffmpeg_frames(src)
    assert len(mine) == len(theirs) == 60
    shown = [k for g in copied for k in range(g["frames"][0], g["frames"][1] + 1)]
    assert shown and all(not (5 <= k <= 40) for k in shown)
    assert all(mine[k] == theirs[k] for k in shown)
    # ... and the encoded ones are not (the x264 encoder re-made them, the box burned in)
    assert mine[10] != theirs[10]
    times, frames, _rot = decode_rgb(out)
    assert [read_number(f) for f in frames] == list(range(60))
    y0 = int(h * 0.6) + 3
    assert frames[20][y0:y0 + 30, 23:77].max() < 40  # under the box: black
    # no SEI left: the vendor's GPS position and serial number are not in the file
    assert MARKER not in out.read_bytes()
    # and the file re-checks from its sidecar alone (a full decode, by reviewer verify)
    again = verify_path(out)
    assert all(c.ok for c in again), [c.line() for c in again]
    assert "GOPs hold the slices the sidecar lists" in {c.name: c for c in again}["copied GOPs"].detail
    with_case = {c.name: c for c in verify_path(out, case=store.folder)}
    assert all(c.ok for c in with_case.values()), [c.line() for c in with_case.values()]
    assert "the original's own" in with_case["copied GOPs"].detail
    # a sidecar that claims another GOP was copied fails the re-check
    side_path = result.sidecar
    doc = json.loads(side_path.read_text())
    doc["copied_gops"][0]["sha256"] = "0" * 64
    side_path.write_text(json.dumps(doc))
    bad = {c.name: c for c in verify_path(out)}
    assert not bad["copied GOPs"].ok, bad["copied GOPs"].line()


def test_a_clip_and_a_silenced_span_encode_their_gops(video_file, make_case, tmp_path):
    store, (media,) = make_case(video_file("cfr"))
    # frames 30..33 of the original are heard muted: their GOP is encoded, not copied
    apply(store, add_audio_span(media["id"], Fraction(1), Fraction(11, 10)))
    _result, checks, side = _export(store, media, tmp_path / "clip.mp4", frames=(10, 59))
    copied = side["copied_gops"]
    assert copied, checks["copied GOPs"].line()
    for g in copied:
        lo, hi = g["source_frames"]
        assert lo > 10 and g["frames"] == [lo - 10, hi - 10]  # the clip's partial GOP is encoded
        assert hi < 30 or lo > 33, g
    assert checks["second decoder"].ok


@pytest.mark.parametrize("variant,why", [("editlist", "edit list"), ("hevc", "not H.264"),
                                         ("rotated", "turned"), ("bframes", "not IDR pictures"),
                                         ("ts", "avcC")])
def test_streams_that_cannot_be_cut_are_encoded_in_full(variant, why, video_file, make_case, tmp_path):
    store, (media,) = make_case(video_file(variant))
    apply(store, add_box_track(media["id"], 5, 40, [Keyframe(5, Box(20, 20, 40, 30))]))
    _result, checks, side = _export(store, media, tmp_path / "o.mp4")
    line = checks["copied GOPs"].detail
    assert line.startswith("none") and why in line, line
    assert why in side["smart_cut"] and "copied_gops" not in side


def test_the_second_decoder_catches_frames_that_are_not_the_originals(video_file, tmp_path):
    """The join check is not vacuous: against another original, copied frames differ."""
    from reviewer.export.ffcheck import FrameHashes, check_smart_cut

    cfr = video_file("cfr")
    ours = FrameHashes(cfr).result()
    report = [{"frames": [15, 29]}]
    assert check_smart_cut(cfr, FrameHashes(cfr), ours, report, 0, "o.mp4").ok
    bad = check_smart_cut(cfr, FrameHashes(video_file("vfr")), ours, report, 0, "o.mp4")
    assert not bad.ok and "is not the original's frame" in bad.detail
    shifted = check_smart_cut(cfr, FrameHashes(cfr), ours, report, 1, "o.mp4")
    assert not shifted.ok
    assert not check_smart_cut(cfr, FrameHashes(cfr), ours[:-1], report, 0, "o.mp4").ok


def test_copied_gops_far_ahead_are_sought(video_file, make_case, tmp_path, monkeypatch):
    """A long original: the copied GOP after a long encoded run is reached by seeking to its
    IDR picture (here: any GOP not next in line), and is still the original's, bit for bit."""
    from reviewer.export import smartwrite

    monkeypatch.setattr(smartwrite, "SEEK_AHEAD", 0)
    store, (media,) = make_case(video_file("vfr"))
    apply(store, add_box_track(media["id"], 0, 20, [Keyframe(0, Box(20, 20, 60, 40))]))
    out = tmp_path / "o.mp4"
    _result, checks, side = _export(store, media, out)
    assert side["copied_gops"] and checks["second decoder"].ok
    mine, theirs = _ffmpeg_frames(out), _ffmpeg_frames(video_file("vfr"))
    for g in side["copied_gops"]:
        lo, hi = g["frames"]
        assert mine[lo:hi + 1] == theirs[lo:hi + 1]


@pytest.mark.parametrize("profile", ["high", "baseline"])
def test_joins_both_ways_with_reordering_encoder(profile, video_file, make_case, tmp_path):
    """Copied, encoded, copied: a source with B-frames (high) or none (baseline, as many body
    cameras write), joined with x264 medium's B-frame pyramid; FFmpeg's program decodes every
    frame, the copied ones to the original's."""
    import imageio_ffmpeg

    from fixtures.videos import read_number

    src = tmp_path / f"{profile}.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(video_file("cfr")),
                    "-c:v", "libx264", "-profile:v", profile, "-g", "15", "-c:a", "copy", str(src)],
                   check=True)
    store, (media,) = make_case(src)
    apply(store, add_box_track(media["id"], 20, 35, [Keyframe(20, Box(20, 20, 60, 40))]))
    out = tmp_path / "o.mp4"
    from reviewer.export.video import export_video

    result = export_video(store, media, out, preset="medium")
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    side = json.loads(result.sidecar.read_text())
    spans = [g["frames"] for g in side["copied_gops"]]
    assert any(hi < 20 for _lo, hi in spans) and any(lo > 35 for lo, _hi in spans), spans
    mine, theirs = _ffmpeg_frames(out), _ffmpeg_frames(src)
    for lo, hi in spans:
        assert mine[lo:hi + 1] == theirs[lo:hi + 1]
    _times, frames, _rot = decode_rgb(out)
    assert [read_number(f) for f in frames] == list(range(60))


def test_a_smart_cut_that_cannot_be_written_is_encoded_in_full(video_file, make_case, tmp_path,
                                                             monkeypatch):
    """If the joins cannot be laid (here: x264 said to reorder less than it does, so decode
    times cannot be given), the export is encoded in full instead, and the report says why."""
    from reviewer.export import smartcut, smartwrite

    planned = smartcut.plan_copy

    def no_reordering(*args):
        plan = planned(*args)
        plan.reorder = 0
        return plan

    monkeypatch.setattr(smartwrite, "X264_BFRAMES", {"medium": 0})
    monkeypatch.setattr(smartcut, "plan_copy", no_reordering)
    store, (media,) = make_case(video_file("vfr"))
    apply(store, add_box_track(media["id"], 3, 20, [Keyframe(3, Box(20, 20, 60, 40))]))
    from reviewer.export.video import export_video

    result = export_video(store, media, tmp_path / "o.mp4", preset="medium")
    checks = {c.name: c for c in result.checks}
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert checks["copied GOPs"].detail.startswith("none") and "could not be written" in \
        checks["copied GOPs"].detail, checks["copied GOPs"].line()
