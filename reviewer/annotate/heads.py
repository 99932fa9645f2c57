"""The whole head around a face box (pure): what a face redaction must hide.

A face detector's box runs from the brows to the chin; hair, a hat, the ears and the
back of a turned head are outside it and identify a person too. Padding the box evenly
(25% a side, as before) hid the chest and still left the top of a hard hat showing; here
the head is laid out along the face's own axes from the detector's landmarks.
"""
from __future__ import annotations

import numpy as np

from reviewer.annotate.geometry import Box

# Measured on the sample (a man in a hard hat, CenterFace's box on every frame): the hat's
# top is 0.45-0.5 of the box's height above the box, its brim 0.2 of the box's width beyond
# each side, the chin up to 0.08 of the height below it. The ratios below add a margin to
# that and are taken along the face's own axes (eye line, and across it), so a tilted head
# keeps its hat covered; the back of a turned head (away from the nose) gets more width, and
# its near side less: on the sample turned to his left (frames 7 and 10) the near brim tip
# lies 0.3 face widths per unit of turn inside what a frontal head is given, and still
# inside the head with NEAR_SIDE at 0.3 (demo.cuts.SAMPLE_TURNED_HAT_POINTS); 0.4 leaves it
# on the outline. The redaction is the head shape below drawn in the box these points span
# (decision 0016): with it and NEAR_SIDE, 2.7% of the picture is hidden outside a head-sized
# box (1.6x the face) on the sample's stored frames instead of 3.4% with one ellipse and a
# symmetric near side, the hat's extremities as far inside as before.
TOP_FROM_EYES = 0.86     # face heights from the eye line up to the top of a hat or hair
BRIM_FROM_EYES = 0.35    # face heights from the eye line up to a hat's brim / the temples
HALF_WIDTH = 0.74        # face widths either side of the nose line at the brim
CROWN_HALF_WIDTH = 0.45  # face widths either side at the top
CHIN_FROM_MOUTH = 0.42   # face heights below the mouth
BACK_OF_HEAD = 0.9       # extra face widths on the far side, per unit of turn
NEAR_SIDE = 0.3          # face widths less on the near (nose) side, per unit of turn


def head_box(face: Box, marks: np.ndarray | None = None) -> Box:
    """The box around a whole head (hair, hat, ears, chin) from the detector's face box and
    its five landmarks (``marks``: left eye, right eye, nose, mouth left, mouth right as
    (x, y) rows). Always contains ``face``. Without landmarks (or with landmarks that do not
    lie in the box), an upright, frontal face is assumed."""
    w, h = face.w_px, face.h_px
    x0, y0 = face.x_px, face.y_px
    eye_l = eye_r = nose = mouth = None
    if marks is not None and len(marks) == 5 and np.all(np.isfinite(marks)):
        inside = ((marks[:, 0] >= x0 - 0.25 * w) & (marks[:, 0] <= x0 + 1.25 * w)
                  & (marks[:, 1] >= y0 - 0.25 * h) & (marks[:, 1] <= y0 + 1.25 * h))
        if inside.all() and np.linalg.norm(marks[1] - marks[0]) > 0.15 * w:
            eye_l, eye_r, nose = marks[0], marks[1], marks[2]
            mouth = (marks[3] + marks[4]) / 2
    if eye_l is None:
        eye_l = np.array([x0 + 0.32 * w, y0 + 0.33 * h])
        eye_r = np.array([x0 + 0.68 * w, y0 + 0.33 * h])
        nose = np.array([x0 + 0.5 * w, y0 + 0.52 * h])
        mouth = np.array([x0 + 0.5 * w, y0 + 0.72 * h])
    eyes = (eye_l + eye_r) / 2
    # the face's size from its landmarks too: the box of a face cut off by the frame's edge
    # (a close-up) or half hidden is short, the distance between the eyes is not (on the
    # sample it is 0.37 of the box's height and 0.49 of its width; eyes to mouth 0.39 and
    # 0.52, which holds when the face turns and the eyes close up)
    iod = float(np.linalg.norm(eye_r - eye_l))
    em = float(np.linalg.norm(mouth - eyes))
    h = max(h, em / 0.39, iod / 0.40)
    w = max(w, em / 0.52, iod / 0.53)
    across = (eye_r - eye_l) / max(float(np.linalg.norm(eye_r - eye_l)), 1e-6)
    up = np.array([across[1], -across[0]])  # perpendicular to the eye line, towards the hair
    if up[1] > 0:
        up = -up
    eye_dist = float(np.linalg.norm(eye_r - eye_l))
    turn = float(np.dot(nose - eyes, across)) / max(eye_dist, 1e-6)  # > 0: nose to the right
    turn = max(-1.0, min(1.0, turn))
    left = HALF_WIDTH * w + BACK_OF_HEAD * w * max(0.0, turn) - NEAR_SIDE * w * max(0.0, -turn)
    right = HALF_WIDTH * w + BACK_OF_HEAD * w * max(0.0, -turn) - NEAR_SIDE * w * max(0.0, turn)
    brim = eyes + up * BRIM_FROM_EYES * h
    top = eyes + up * TOP_FROM_EYES * h
    chin = mouth - up * CHIN_FROM_MOUTH * h
    pts = np.array([brim - across * left, brim + across * right,
                    top - across * CROWN_HALF_WIDTH * w, top + across * CROWN_HALF_WIDTH * w,
                    chin - across * 0.5 * w, chin + across * 0.5 * w,
                    [x0, y0], [x0 + face.w_px, y0 + face.h_px]])
    hx0, hy0 = pts.min(axis=0)
    hx1, hy1 = pts.max(axis=0)
    box = Box(float(hx0), float(hy0), float(hx1 - hx0), float(hy1 - hy0))
    # the head is drawn with a domed top narrower than its box (HEAD below): a crown that a
    # tilt or a turn moves off the box's middle must still be under the dome, so the box
    # grows about its middle until it is (the crown in the middle needs nothing)
    for grow in np.arange(0.0, 0.5, 0.01):
        b = box.padded(grow / 2) if grow else box
        if shape_level(HEAD, b.x_px, b.y_px, b.w_px, b.h_px, top[0], top[1]) <= 1.0:
            return b
    return box.padded(0.25)


# -- the head's shape ---------------------------------------------------------------------
# A face redaction is drawn as a head, not as the ellipse inscribed in its box: below its
# widest line (the hat's brim, the temples: WIDEST of the box's height from the top) it is
# the lower half of an ellipse down to the chin; above, a dome, |u|^DOME_SIDES +
# |dv|^DOME_TOP <= 1, whose shoulders fall in faster than an ellipse's (DOME_SIDES < 2) and
# whose crown is flatter (DOME_TOP > 2), as a hard hat's dome or a head of hair does. One
# ellipse, widest at the box's middle, must reach past the dome on both sides to hold the
# brim's tips higher up; the dome leaves that background out. Chosen on the sample (a man in a
# hard hat, tests/faces/test_heads.py): among the shapes of this family (widest line 0.4-0.55,
# both exponents 1.25-3) that keep every measured hat point as far inside as the ellipse did
# (the close-up's hat top binds), this one hid the least outside a head-sized box, through
# tracks on the sample's displayed frames (bench/faces_real.py's measure). The shape alone is
# worth a tenth of a point there; the narrower near side of a turned head most of the rest.
HEAD = "head"                 # the redaction shape drawn from this module's outline
CURVED = ("ellipse", HEAD)    # shapes drawn inside their box (the rest fill it)
WIDEST = 0.5                  # the widest line, as a share of the box's height from its top
DOME_SIDES = 1.5
DOME_TOP = 2.5


def shape_level(shape: str, x: float, y: float, w: float, h: float,
                xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """How far each point (``xs``, ``ys``) lies from the middle of ``shape`` drawn in the box
    (``x``, ``y``, ``w``, ``h``): <= 1 inside. "ellipse": the inscribed ellipse; "head": the
    head described above; anything else: the box (the larger of the two axes' fractions)."""
    xs = np.asarray(xs, float)
    ys = np.asarray(ys, float)
    u = np.abs((xs - x - w / 2) / max(w / 2, 1e-9))
    if shape == "ellipse":
        return u ** 2 + ((ys - y - h / 2) / max(h / 2, 1e-9)) ** 2
    v = (ys - y) / max(h, 1e-9)
    if shape == HEAD:
        below = u ** 2 + ((v - WIDEST) / (1 - WIDEST)) ** 2
        above = u ** DOME_SIDES + np.abs((WIDEST - v) / WIDEST) ** DOME_TOP
        return np.where(v >= WIDEST, below, above)
    return np.maximum(u, np.abs(2 * v - 1))


def shape_mask(shape: str, x: float, y: float, w: float, h: float,
               xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Whether each point lies under ``shape`` drawn in the box: the one rule the exporter,
    its checks, the window's preview, the coverage review and the benchmarks draw by."""
    if shape not in CURVED:
        return (xs >= x) & (xs < x + w) & (ys >= y) & (ys < y + h)
    return shape_level(shape, x, y, w, h, xs, ys) <= 1.0


def head_outline(x: float, y: float, w: float, h: float, points: int = 96) -> np.ndarray:
    """The head's boundary as a closed polygon ((x, y) rows), for drawing it where only
    paths can be drawn (the window's preview)."""
    t = np.linspace(0.0, 2.0 * np.pi, points, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    # below the widest line: the half ellipse; above: the dome, from its own equation
    # (|u|^a + |dv|^b = 1 is met by u = sign(c)|c|^(2/a), dv = sign(s)|s|^(2/b))
    u = np.where(s >= 0, c, np.sign(c) * np.abs(c) ** (2 / DOME_SIDES))
    dv = np.where(s >= 0, s * (1 - WIDEST), np.sign(s) * np.abs(s) ** (2 / DOME_TOP) * WIDEST)
    return np.stack([x + w / 2 * (1 + u), y + h * (WIDEST + dv)], axis=1)


_ANGLES = np.linspace(0.0, 2.0 * np.pi, 48, endpoint=False)


def covers(shape: str, outer: Box, inner: Box, slack: float = 1e-6) -> bool:
    """Whether the ellipse inscribed in ``inner`` (the face) lies inside ``shape`` drawn in
    ``outer``. Checked on 48 points of the inner boundary; a head holds the face's ellipse
    with a margin (on the sample the face's boundary reaches 0.82 of the head's level at
    most), far more than what could slip out between two samples."""
    px = inner.x_px + inner.w_px / 2 + inner.w_px / 2 * np.cos(_ANGLES)
    py = inner.y_px + inner.h_px / 2 + inner.h_px / 2 * np.sin(_ANGLES)
    level = shape_level(shape, outer.x_px, outer.y_px, outer.w_px, outer.h_px, px, py)
    return bool(np.all(level <= 1.0 + slack))


def ellipse_covers(outer: Box, inner: Box, slack: float = 1e-6) -> bool:
    """Whether the ellipse inscribed in ``inner`` lies inside the ellipse inscribed in
    ``outer`` (a redaction drawn as an ellipse)."""
    return covers("ellipse", outer, inner, slack)
