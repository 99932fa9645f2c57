"""The detection pass's scheduling: which frames the network looks at, decoding on its own
thread, errors and cancelling."""
from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest

from reviewer.annotate.tracks import Detection
from reviewer.errors import Cancelled, ReviewerError
from reviewer.media.facescan import agree, scan


def _scene(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return cv2_resize(rng.integers(0, 255, (9, 16, 3), dtype=np.uint8))


def cv2_resize(a: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(a, (128, 72), interpolation=cv2.INTER_NEAREST)


def _frames(count: int, cut: int):
    a, b = _scene(1), _scene(2)
    for n in range(count):
        yield n, (a if n < cut else b)


def _face_at(n: int) -> list[Detection]:
    # still until frame 40, then moving fast (30 px a frame) until 55, then still again
    x = 10 + 30 * min(max(n - 40, 0), 15)
    return [Detection(n, x, 20, 40, 50, 0.9)]


def test_looks_every_stride_frames_at_both_sides_of_a_cut_and_halfway_where_looks_disagree():
    looked = []

    def detect(frame, n):
        looked.append(n)
        return _face_at(n)

    result = scan(_frames(80, 30), 80, "clip", detect, stride=6)
    assert [(t.new_from, t.old_to) for t in result.transitions] == [(30, 29)]
    assert len(looked) == len(set(looked)) and sorted(looked) == list(result.searched)  # once each
    looked.sort()
    assert {0, 29, 30, 79} <= set(looked)  # the ends of the clip and of each shot
    still = [n for n in looked if n < 29]
    assert still == [0, 6, 12, 18, 24], still  # a still face: one look in six
    # where the face moves, the looks between agree pairwise (IoU) everywhere
    for a, b in itertools.pairwise(looked):
        if b - a > 1 and b != 30:
            assert agree(_face_at(a), _face_at(b)), (a, b)
    assert len(looked) < 80 * 0.6
    assert len(result.detections) == len(looked)


def test_stride_one_looks_at_every_frame():
    looked = []
    scan(_frames(25, 10), 25, "clip", lambda f, n: looked.append(n) or [], stride=1)
    assert looked == list(range(25))


def test_a_frame_left_out_by_the_decoder_is_an_error():
    def gappy():
        for n, f in _frames(20, 100):
            if n != 7:
                yield n, f

    with pytest.raises(ReviewerError, match="frame 7 could not be decoded"):
        scan(gappy(), 20, "clip", lambda f, n: [], stride=3)
    with pytest.raises(ReviewerError, match="stopped at frame 20 of 30"):
        scan(_frames(20, 100), 30, "clip", lambda f, n: [], stride=3)


def test_cancelling_stops_the_decoding_thread_too():
    def on_frame(n):
        if n == 12:
            raise Cancelled("stop")

    before = threading.active_count()
    with pytest.raises(Cancelled):
        scan(_frames(10_000, 5000), 10_000, "clip", lambda f, n: [], stride=3, on_frame=on_frame)
    assert threading.active_count() == before


def test_a_decoding_error_reaches_the_caller():
    def broken():
        yield 0, _scene(1)
        raise ReviewerError("clip: the file is damaged")

    with pytest.raises(ReviewerError, match="damaged"):
        scan(broken(), 5, "clip", lambda f, n: [], stride=2)


def test_agree_needs_the_same_faces_at_nearly_the_same_places():
    a = [Detection(0, 10, 10, 40, 50, 0.9)]
    assert agree(a, [Detection(6, 12, 11, 40, 50, 0.9)])
    assert not agree(a, [Detection(6, 40, 10, 40, 50, 0.9)])  # moved most of a box
    assert not agree(a, [])
    assert not agree(a, a + [Detection(6, 200, 10, 40, 50, 0.9)])
    assert agree([], [])


# -- a face that comes and goes between two looks -------------------------------------------
def _textured(seed: int = 3) -> np.ndarray:
    import cv2

    rng = np.random.default_rng(seed)
    # at the probe's own size, so a pixel here is a pixel of the transient test
    return cv2.resize(rng.integers(40, 200, (18, 32, 3), dtype=np.uint8), (160, 90),
                      interpolation=cv2.INTER_LINEAR)


def _patch_at(frame: np.ndarray, x: int, y: int) -> np.ndarray:
    out = frame.copy()
    out[y:y + 6, x:x + 5] = (250, 220, 200)  # a pale face, brighter than anything around
    return out


def _seen_patch(frame: np.ndarray, n: int) -> list[Detection]:
    hit = np.argwhere((frame == (250, 220, 200)).all(axis=2))
    if not len(hit):
        return []
    y, x = hit.min(axis=0)
    return [Detection(n, float(x), float(y), 5.0, 6.0, 0.9)]


def test_a_face_between_two_looks_that_saw_none_is_looked_at():
    base = _textured()
    brief = {8, 9, 10}  # three frames, between the looks at 6 and 12

    def frames():
        for n in range(30):
            yield n, (_patch_at(base, 60, 30) if n in brief else base)

    looked = []

    def detect(frame, n):
        looked.append(n)
        return _seen_patch(frame, n)

    result = scan(frames(), 30, "clip", detect, stride=6)
    seen = {d.frame for d in result.detections}
    assert seen and seen <= brief, (sorted(looked), seen)
    # found once, the halving between it and each look finds its first and last frame (the
    # track joiner covers those between, as for any two agreeing looks)
    assert min(seen) == 8 and max(seen) == 10
    assert len(looked) <= 30 // 6 + 1 + 6


def test_no_extra_looks_for_a_still_scene_a_shaking_camera_or_a_change_of_exposure():
    base = _textured()
    rng = np.random.default_rng(5)

    def shaking():
        for n in range(60):
            # a hand-held camera: a pixel or two of the probe (up to ~25 px at 1080p)
            dx, dy = (n % 3) - 1, ((n // 2) % 3) - 1
            f = np.roll(base, (dy, dx), axis=(0, 1)).astype(np.int16)
            f += rng.integers(-3, 4, f.shape)  # sensor noise
            f += n // 3  # auto exposure brightening
            yield n, np.clip(f, 0, 255).astype(np.uint8)

    looked = []
    scan(shaking(), 60, "clip", lambda f, n: looked.append(n) or [], stride=6)
    assert sorted(looked) == list(range(0, 60, 6)) + [59]


def test_a_known_face_moving_between_agreeing_looks_is_no_reason_to_look_again():
    base = _textured()

    def frames():
        for n in range(30):
            yield n, _patch_at(base, 40 + n // 6, 30)  # creeping right, a pixel every 6 frames

    looked = []
    scan(frames(), 30, "clip", lambda f, n: looked.append(n) or _seen_patch(f, n), stride=6)
    assert sorted(looked) == [0, 6, 12, 18, 24, 29]


def test_transient_counts_only_what_neither_look_had_nearby():
    from reviewer.media.facescan import transient

    base = _textured()[..., 1]
    assert transient(base, base, base) == 0
    face = base.copy()
    face[30:36, 60:65] = 250
    assert transient(base, face, base) >= 20
    assert transient(base, face, base, known=[(57, 27, 68, 39)]) == 0  # a face the looks saw
    shifted = np.roll(base, 2, axis=1)
    assert transient(base, np.roll(base, 1, axis=1), shifted) == 0  # the camera moved between
