"""The decoder-side scaler kept across frames (:class:`reviewer.media.decode.Scaler`) gives
the very pixels PyAV's per-frame ``VideoFrame.reformat`` gives, and so the face and text
passes find the very same things with it as with a new swscale context for every frame."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

FOREMAN = Path(__file__).resolve().parents[2] / "resources" / "demo" / "foreman_h264.mp4"


@pytest.fixture(scope="module")
def bodycam(tmp_path_factory) -> Path:
    """The demo generator's body-camera street (a real face walking, a plate, the burned-in
    clock and serial) at 1280x720: the geometry the passes shrink a lot, as at 1080p."""
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip

    scene = BodycamScene("scaler.mp4", 2.0, 1280, 720, 30, "Stop there.", "ABC 1234",
                         "X81204417", datetime(2023, 6, 14, 6, 12, 33), 11)
    return make_bodycam_clip(tmp_path_factory.mktemp("scaler") / scene.name, scene).path


def _index(path: Path):
    from reviewer.media.index import index_file

    return index_file(path)


class PerFrame:
    """The old way: ``frame.reformat`` (a new reformatter, so a new swscale context) for
    every frame."""

    def __init__(self, **how) -> None:
        self.how = how

    def frame(self, frame):
        return frame.reformat(**self.how)

    def __call__(self, frame) -> np.ndarray:
        return self.frame(frame).to_ndarray()


@pytest.mark.parametrize("which", ["foreman", "bodycam"])
def test_same_pixels_as_reformat_every_frame(which, bodycam):
    import av

    from reviewer.media.decode import Scaler
    from reviewer.media.shots import THUMB

    path = FOREMAN if which == "foreman" else bodycam
    kinds = [dict(width=THUMB[0], height=THUMB[1], format="rgb24", interpolation="AREA"),
             dict(width=160, height=90, format="gray", interpolation="AREA"),
             dict(width=352, height=192, format="rgb24", interpolation="AREA"),
             dict(format="rgb24")]
    kept = [Scaler(**how) for how in kinds]
    with av.open(str(path)) as c:
        for n, frame in enumerate(c.decode(video=0)):
            for how, scaler in zip(kinds, kept):
                want = frame.reformat(**how).to_ndarray()
                got = scaler(frame)
                assert got.shape == want.shape and np.array_equal(got, want), (n, how)
    assert n >= 59


@pytest.mark.parametrize("which", ["foreman", "bodycam"])
def test_face_pass_unchanged(which, bodycam, monkeypatch):
    import reviewer.media.decode as decode
    from reviewer.session.detect import FACE_SETTINGS, scan_file

    path = FOREMAN if which == "foreman" else bodycam
    index = _index(path)
    kept = scan_file(str(path), path.name, index, FACE_SETTINGS, 6)
    monkeypatch.setattr(decode, "Scaler", PerFrame)
    old = scan_file(str(path), path.name, index, FACE_SETTINGS, 6)
    assert old.detections, "the clip must hold faces for the comparison to say anything"
    assert kept == old


@pytest.mark.parametrize("which", ["foreman", "bodycam"])
def test_text_pass_unchanged(which, bodycam, monkeypatch):
    import reviewer.media.decode as decode
    from reviewer.media.text import TextDetector, TextReader
    from reviewer.media.text_pass import TextPass, detect_side_for, stride_for

    path = FOREMAN if which == "foreman" else bodycam
    index = _index(path)

    def run():
        side = detect_side_for(index.width, index.height)
        return TextPass(str(path), index, TextDetector(max_side=side), TextReader(),
                        stride_for(index.fps or 30.0)).run()

    kept = run()
    monkeypatch.setattr(decode, "Scaler", PerFrame)
    old = run()
    if which == "bodycam":
        assert old, "the clip must hold text for the comparison to say anything"
    assert repr(kept) == repr(old)
