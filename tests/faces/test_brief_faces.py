"""A real face in the picture for less than a fifth of a second, between two looks of the
detection pass that both saw nothing: someone crossing a still camera's view. The pass must
still find it (its transient test sends the network to that frame), and the redaction must
cover it on every frame it shows, as a different detector (MTCNN) sees it in the source."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from reviewer.cli import main
from reviewer.session import detect
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store.redactions import box_tracks

from fixtures.videos import write_rgb_clip

from .conftest import faces_seen

SIZE = (640, 360)
BRIEF = range(20, 24)  # four frames at 30 fps; the pass looks at 18 and 24


def _room(rng: np.random.Generator) -> np.ndarray:
    """A still room: a wall with a gradient, a door, some texture."""
    w, h = SIZE
    y, x = np.mgrid[0:h, 0:w]
    wall = (90 + 60 * x / w + 20 * np.sin(y / 23.0))[..., None] * np.array([1.0, 0.95, 0.85])
    img = np.clip(wall + rng.normal(0, 4, (h, w, 3)), 0, 255).astype(np.uint8)
    cv2.rectangle(img, (60, 80), (160, 340), (70, 50, 40), -1)  # a door
    cv2.circle(img, (130, 210), 6, (200, 190, 60), -1)
    return img


@pytest.fixture(scope="module")
def brief_clip(tmp_path_factory, foreman_frames, detector):
    rng = np.random.default_rng(7)
    room = _room(rng)
    face_frame = foreman_frames[0]
    (d,) = detector.detect(face_frame, 0)[:1]
    fh, fw = face_frame.shape[:2]
    x0, y0 = max(0, int(d.x_px - 0.3 * d.w_px)), max(0, int(d.y_px - 0.4 * d.h_px))
    x1, y1 = min(fw, int(d.x_px + 1.3 * d.w_px)), min(fh, int(d.y_px + 1.2 * d.h_px))
    head = face_frame[y0:y1, x0:x1]  # the face with some hair and neck
    scale = 110 / head.shape[0]
    head = cv2.resize(head, (int(head.shape[1] * scale), 110), interpolation=cv2.INTER_AREA)
    frames = []
    for n in range(48):
        img = room.copy()
        if n in BRIEF:  # walking past the camera, left to right
            x = 300 + 25 * (n - BRIEF[0])
            img[120:120 + head.shape[0], x:x + head.shape[1]] = head
        frames.append(np.clip(img.astype(np.int16) + rng.integers(-2, 3, img.shape), 0, 255).astype(np.uint8))
    path = write_rgb_clip(tmp_path_factory.mktemp("brief") / "hallway.mp4", frames)
    return path, frames


@pytest.fixture(scope="module")
def brief_case(brief_clip, tmp_path_factory):
    folder = tmp_path_factory.mktemp("briefcase") / "case"
    assert main(["new", str(folder)]) == 0
    assert main(["import", str(folder), str(brief_clip[0])]) == 0
    return folder


def test_the_other_detector_sees_the_face_only_on_the_brief_frames(brief_clip, mtcnn):
    _path, frames = brief_clip
    seen = [n for n, img in enumerate(frames) if faces_seen(mtcnn, img)]
    assert set(BRIEF) <= set(seen) and set(seen) <= set(range(BRIEF[0] - 1, BRIEF[-1] + 2)), seen


def test_detect_faces_covers_a_face_seen_for_four_frames(brief_clip, brief_case, mtcnn):
    _path, frames = brief_clip
    assert main(["detect", "faces", str(brief_case), "hallway.mp4"]) == 0
    with CaseStore.open(brief_case) as store:
        tracks = box_tracks(store, 1, "active") + box_tracks(store, 1, "suggested")
    assert tracks, "the face crossing the hallway was not found"
    on = detect.shapes_on_frames(tracks, list(range(len(frames))))
    for n, img in enumerate(frames):
        for x, y, w, h in faces_seen(mtcnn, img):
            assert detect.is_covered(detect.Box(x, y, w, h), on[n], *SIZE), \
                f"frame {n}: the face at {x:.0f},{y:.0f} is not under a redaction"


def test_without_the_transient_test_the_same_pass_misses_it(brief_case, monkeypatch):
    import reviewer.media.facescan as facescan

    monkeypatch.setattr(facescan, "TRANSIENT_AREA", 10**9)  # never fires
    with CaseStore.open(brief_case) as store:
        (row,) = media_store.list_media(store)
        off = detect.scan_faces(store, row, use_cache=False)
    assert not any(d.frame in BRIEF for d in off.detections), "the fixture is not brief enough"
    monkeypatch.undo()
    with CaseStore.open(brief_case) as store:
        (row,) = media_store.list_media(store)
        on = detect.scan_faces(store, row, use_cache=False)
    assert any(d.frame in BRIEF for d in on.detections)
    assert len(on.searched) <= len(off.searched) + 6  # a few looks more, not every frame
