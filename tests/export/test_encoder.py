"""Choosing the H.264 encoder: a hardware one when it opens and encodes, else libx264. This
machine has none, so the choice and the fallback are tested with an opener that stands in
for the hardware, and with the real opener (which must find none usable and fall back)."""
from __future__ import annotations

from fractions import Fraction

import pytest

from export.conftest import apply
from reviewer.annotate.geometry import Box, Keyframe
from reviewer.session.redactions import add_box_track


def test_the_first_hardware_encoder_that_opens_is_chosen():
    from reviewer.export.encoder import HARDWARE, pick

    asked = []

    def opener(name, options, w, h, rate):
        asked.append((name, options))
        return None if name == "h264_qsv" else "no such device"

    enc = pick("auto", "medium", 18, 1920, 1080, Fraction(30), opener=opener)
    assert enc.name == "h264_qsv" and enc.hardware
    assert [n for n, _o in asked] == list(HARDWARE[:HARDWARE.index("h264_qsv") + 1])
    assert enc.options["global_quality"] == "18"
    assert "h264_nvenc: no such device" in enc.describe("medium", 18)


def test_without_hardware_libx264_is_chosen_with_the_reasons():
    from reviewer.export.encoder import HARDWARE, pick, try_open

    enc = pick("auto", "veryfast", 20, 640, 360, Fraction(30), opener=lambda *a: "absent")
    assert enc.name == "libx264" and enc.options == {"preset": "veryfast", "crf": "20", "a53cc": "0"}
    assert len(enc.tried) == len(HARDWARE)
    # the real opener on this machine: libx264 encodes a test picture, the hardware ones do not
    assert try_open("libx264", enc.options, 640, 360, Fraction(30)) is None
    real = pick("auto", "veryfast", 20, 640, 360, Fraction(30))
    assert real.name == "libx264" and len(real.tried) == len(HARDWARE), real.tried
    with pytest.raises(Exception, match="--encoder"):
        pick("x265", "medium", 18, 640, 360, Fraction(30))


def test_an_encoder_that_fails_on_the_export_falls_back_to_libx264(video_file, make_case, tmp_path,
                                                                   monkeypatch):
    """The opener claims NVENC works; the export's own encoder cannot open it, so the export is
    written by libx264, verified the same way, and the report says what happened."""
    from reviewer.export import encoder
    from reviewer.export.video import export_video

    real_pick = encoder.pick
    monkeypatch.setattr(encoder, "pick", lambda choice, *a, **k: real_pick(
        choice, *a, opener=lambda name, *_: None if name == "h264_nvenc" else "absent"))
    store, (media,) = make_case(video_file("cfr"))
    apply(store, add_box_track(media["id"], 0, 59, [Keyframe(0, Box(20, 20, 60, 40))]))
    result = export_video(store, media, tmp_path / "o.mp4", preset="ultrafast")
    checks = {c.name: c for c in result.checks}
    assert all(c.ok for c in result.checks), [c.line() for c in result.checks]
    assert checks["encoder"].detail.startswith("libx264"), checks["encoder"].line()
    assert "h264_nvenc" in checks["encoder"].detail
    assert checks["boxes"].ok and "box-frames covered" in checks["boxes"].detail
