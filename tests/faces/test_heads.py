"""Close-ups: the face redaction is the head the detector's landmarks lay out (hair, hard
hat, ears, chin), measured against the real sample at several frame sizes."""
from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from reviewer.annotate.geometry import Box
from reviewer.annotate.heads import HEAD, covers, head_box, shape_level
from reviewer.demo.cuts import SAMPLE_HAT_POINTS as HAT
from reviewer.demo.cuts import hidden_mask


def _radius(head: Box, x: float, y: float) -> float:
    """How far (x, y) lies from the head's middle, as drawn: 1 on its outline."""
    return math.sqrt(float(shape_level(HEAD, head.x_px, head.y_px, head.w_px, head.h_px, x, y)))


def _inside(head: Box, x: float, y: float) -> bool:
    return _radius(head, x, y) <= 1.0


def _sizes():
    """(label, how a 352x288 frame is shown, how a source point maps into it)."""
    def scaled(k):
        return (lambda rgb: cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC),
                lambda x, y: (x * k, y * k))

    def crop(rgb):  # a close-up: the top 200 rows of the middle, enlarged twice
        return cv2.resize(rgb[0:200, 60:300], (480, 400), interpolation=cv2.INTER_CUBIC)

    def small(rgb):  # the same shot small in a 1280x720 frame, on the building behind him
        out = cv2.resize(rgb[150:288, 250:352], (1280, 720), interpolation=cv2.INTER_CUBIC)
        out[200:200 + 216, 600:600 + 264] = cv2.resize(rgb, (264, 216), interpolation=cv2.INTER_AREA)
        return out

    return [("native 352x288", lambda rgb: rgb, lambda x, y: (x, y)),
            ("1080p", *scaled(1080 / 288)),
            ("close-up", crop, lambda x, y: ((x - 60) * 2, y * 2)),
            ("small in 720p", small, lambda x, y: (600 + x * 0.75, 200 + y * 0.75))]


@pytest.mark.parametrize("label, show, where", _sizes())
def test_the_hard_hat_and_the_face_are_inside_the_head_at_every_size(label, show, where,
                                                                     stored_frames, detector):
    for n, points in HAT.items():
        (d,) = [d for d in detector.detect(show(stored_frames[n]), n) if d.score >= 0.5]
        assert d.head is not None
        assert covers(HEAD, d.head, d.box)
        for x, y in points:
            assert _inside(d.head, *where(x, y)), f"{label} frame {n}: hat point {(x, y)} uncovered"


def test_the_head_hides_less_than_the_old_padded_box(stored_frames, detector):
    # the sample's face box padded 25% a side covered ~40% of the picture and cut off the
    # hat's dome; the head ellipse covers the hat with less of the picture
    old, new = [], []
    for n in range(0, 60, 3):
        (d,) = detector.detect(stored_frames[n], n)
        p, h = d.box.padded(0.25), d.head
        old.append(hidden_mask([("rect", (p.x_px, p.y_px, p.w_px, p.h_px))], (352, 288)).mean())
        new.append(hidden_mask([(HEAD, (h.x_px, h.y_px, h.w_px, h.h_px))], (352, 288)).mean())
        top = HAT.get(n)
        if top:
            assert not (p.y_px <= top[0][1]), "the old box did cover the dome: a weak test"
    assert np.mean(new) < np.mean(old) - 0.02, (np.mean(new), np.mean(old))


def test_a_tilted_head_keeps_its_crown_and_a_turned_head_its_back():
    face = Box(100, 100, 100, 130)
    upright = np.array([[132, 143], [168, 143], [150, 168], [135, 194], [165, 194]], float)
    base = head_box(face, upright)
    assert base.y_px < face.y_px - 0.5 * face.h_px  # hair and hat above the brows
    assert base.y_px + base.h_px < face.y_px + 1.2 * face.h_px  # not down the chest
    # tilted 30 degrees: the crown moves sideways, and stays inside
    a = math.radians(30)
    centre = upright.mean(axis=0)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    tilted = (upright - centre) @ rot.T + centre
    eyes = tilted[:2].mean(axis=0)
    up = np.array([math.sin(a), -math.cos(a)])  # the face's own up, tilted
    crown = eyes + up * 0.85 * face.h_px
    assert _inside(head_box(face, tilted), *crown)
    # turned to the right (nose off the eyes' middle): more room on the left, the back; on
    # the nose side no more than the crown, now off the middle, needs to stay under the dome
    turned = upright.copy()
    turned[2, 0] += 14
    t = head_box(face, turned)
    assert t.x_px < base.x_px - 5 and (t.x_px + t.w_px) - (base.x_px + base.w_px) < 0.05 * base.w_px
    # landmarks that make no sense for the box fall back to an upright, frontal face
    assert head_box(face, upright + 500) == head_box(face)


def test_the_head_hides_little_beyond_a_head_sized_box_and_keeps_the_hat_inside(
        stored_frames, detector, mtcnn):
    # The sample (Xiph.org's foreman, resources/demo/README.md): every third frame, the head
    # as a track draws it (padded 4% a side for motion) against the faces two other models
    # find (YuNet and MTCNN) enlarged 1.6 times about their centre, a head-sized box. One
    # ellipse laid out from the landmarks hid 3.4% of the picture outside those boxes on
    # average; the head with a domed top, narrower on the nose side of a turned face, hides
    # 2.7%, with the hat's extremities as far inside as before (under 0.98 of the way out).
    from tests.faces.conftest import faces_seen, yunet_faces

    excess = []
    for n in range(0, 60, 3):
        rgb = stored_frames[n]
        (d,) = [d for d in detector.detect(rgb, n) if d.score >= 0.5]
        h = d.head.padded(0.04)
        hidden = hidden_mask([(HEAD, (h.x_px, h.y_px, h.w_px, h.h_px))], (352, 288))
        faces = yunet_faces(rgb) + faces_seen(mtcnn, rgb)
        assert faces, f"frame {n}: neither independent model sees the face"
        allowed = hidden_mask([("rect", (x - 0.3 * w, y - 0.3 * fh, 1.6 * w, 1.6 * fh))
                               for x, y, w, fh in faces], (352, 288))
        excess.append((hidden & ~allowed).mean())
    assert np.mean(excess) < 0.030, np.mean(excess)
    worst = 0.0
    for label, show, where in _sizes():
        for n, points in HAT.items():
            (d,) = [d for d in detector.detect(show(stored_frames[n]), n) if d.score >= 0.5]
            worst = max(worst, *(_radius(d.head, *where(x, y)) for x, y in points))
    assert worst < 0.98, f"a hat point at {worst:.3f} of the head ellipse's radius"


@pytest.mark.parametrize("label, show, where", [s for s in _sizes() if s[0] != "close-up"])
def test_a_turned_head_narrower_on_the_nose_side_keeps_that_side_of_the_hat(label, show, where,
                                                                          stored_frames, detector):
    # Frames 7 and 10 of the sample: turned to his left, the hat's brim tip on the near side
    # read off the picture by eye (SAMPLE_TURNED_HAT_POINTS). The head is narrower on that side
    # than on a frontal face (heads.NEAR_SIDE); the tip stays inside. Not checked in the
    # close-up: there the detector's landmarks of this face tipped back put the dome itself
    # outside the head (a limit measured, written down beside the points).
    from reviewer.demo.cuts import SAMPLE_TURNED_HAT_POINTS

    for n, (_top, _far, near) in SAMPLE_TURNED_HAT_POINTS.items():
        (d,) = [d for d in detector.detect(show(stored_frames[n]), n) if d.score >= 0.5]
        assert _radius(d.head, *where(*near)) < 0.98, f"{label} frame {n}: near brim tip"
