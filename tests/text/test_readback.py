"""Verify reads every exported box back: text still readable under a box (solid or soft)
fails, and so does a soft box over a face that the face detector still finds. Soft boxes
over a face are sized from the face (a sixth of its height a cell)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from cli.clirun import ok

from .ocr import ffmpeg_frames


def _expect_with_box(path, clip, rect, style="solid", rect_end=None):
    """What an export of ``path`` would have to be, with one box from ``rect`` on the first
    frame to ``rect_end`` on the last: here the file is the unredacted original, so the box's
    content is all still there."""
    import av

    from reviewer.annotate.geometry import Box, BoxTrack, Keyframe
    from reviewer.export.expect import VideoExpect

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        pts = [f.pts for f in c.decode(s)]
        tb = s.time_base
    kfs = (Keyframe(0, Box(*rect)),) + ((Keyframe(len(pts) - 1, Box(*rect_end)),) if rect_end else ())
    track = BoxTrack(1, 1, 0, len(pts) - 1, kfs, "rect", style, "b6")
    return VideoExpect(path.name, "0" * 64, (0, len(pts) - 1), clip.width, clip.height, tb,
                       tuple(p - pts[0] for p in pts), (track,), (), False, 0 * tb)


def test_text_left_under_a_box_fails_the_read_back(text_clip):
    from reviewer.export.verify import verify_video

    def around(frame):
        x0, y0, x1, y1 = text_clip.truth["house"][frame]
        return (x0 - 6, y0 - 6, x1 - x0 + 12, y1 - y0 + 12)

    for style in ("solid", "pixelate"):
        checks = {c.name: c for c in verify_video(text_clip.path, _expect_with_box(
            text_clip.path, text_clip, around(0), style, around(text_clip.frame_count - 1)))}
        assert not checks["read back"].ok, style
        assert "text still readable" in checks["read back"].detail
        assert not checks["boxes"].ok, style  # nor is it burned as its style says


def test_a_burned_box_reads_back_clean(text_clip):
    """The same check on an honest export: the read-back passes (no false alarm)."""
    from reviewer.export.verify import verify_video

    exp = _expect_with_box(text_clip.path, text_clip, (0, 0, 4, 4))
    exp = dataclasses.replace(exp, tracks=())
    checks = {c.name: c for c in verify_video(text_clip.path, exp)}
    assert checks["read back"].ok


@pytest.fixture
def face_case(tmp_path):
    from reviewer.paths import sample_face_clip

    folder = tmp_path / "case"
    ok("new", folder)
    ok("import", folder, sample_face_clip())
    # the face over its first second, with room for its movement
    ok("redact", "box", folder, "foreman_h264.mp4", "--frames", "0:29", "--rect", "95,70,175,215",
       "--style", "pixelate")
    return folder


def _faces_in_box(rgb: np.ndarray, box: tuple[int, int, int, int]) -> list[float]:
    """Faces an independent run of the detector finds at twice the size (another scale)."""
    import cv2

    from reviewer.media.faces import FaceDetector

    big = cv2.resize(rgb, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    x, y, w, h = box
    out = []
    for d in FaceDetector(max_side=2 * max(rgb.shape[:2])).detect(big):
        cx, cy = (d.x_px + d.w_px / 2) / 2, (d.y_px + d.h_px / 2) / 2
        if x <= cx <= x + w and y <= cy <= y + h:
            out.append(d.score)
    return out


def test_a_pixelated_face_exports_and_no_face_is_found_in_it(face_case, tmp_path):
    from reviewer.paths import sample_face_clip

    original = ffmpeg_frames(sample_face_clip(), 352, 288)
    assert max(_faces_in_box(original[0], (95, 70, 175, 215))) > 0.7  # the reader can see it
    out = tmp_path / "face.mp4"
    ok("export", face_case, "foreman_h264.mp4", "--out", out)
    assert "read back" in ok("verify", out).out
    frames = ffmpeg_frames(out, 352, 288)
    for n in (0, 15, 29):
        assert not [s for s in _faces_in_box(frames[n], (95, 70, 175, 215)) if s >= 0.5], n


def test_a_weak_pixelation_over_a_face_fails(face_case, tmp_path, monkeypatch):
    from reviewer.errors import ReviewerError
    from reviewer.export import strength
    from reviewer.export.video import export_video
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    monkeypatch.setattr(strength, "block_for", lambda style, w, h, t, f: 5)
    out = tmp_path / "weak.mp4"
    with CaseStore.open(face_case) as store:
        row = media_store.find_media(store, "foreman_h264.mp4")
        with pytest.raises(ReviewerError, match="a face is still found under it"):
            export_video(store, row, out)
    assert not out.exists()
