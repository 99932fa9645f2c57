"""Joining detections into tracks: no frame of a face left uncovered, ever."""
from __future__ import annotations

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reviewer.annotate.geometry import Box, Keyframe, box_at
from reviewer.annotate.tracks import (
    Detection,
    JoinParams,
    contains,
    iou,
    join_tracks,
    simplify,
    uncovered,
)

W, H = 640, 480


def _path(frame: int, x0: float, y0: float, vx: float, vy: float, size: float, wobble: float):
    """A face moving with constant velocity plus a sinusoidal wobble."""
    x = x0 + vx * frame + wobble * math.sin(frame / 3.0)
    y = y0 + vy * frame + wobble * math.cos(frame / 4.0)
    return x, y, size, size * 1.3


@st.composite
def scenes(draw):
    """One or two faces, each with its true box on every frame it is in the picture and
    the detections a detector with misses (up to 8 frames in a row) reports."""
    n_frames = draw(st.integers(10, 120))
    faces = []
    for _k in range(draw(st.integers(1, 2))):
        start = draw(st.integers(0, n_frames - 1))
        end = draw(st.integers(start, n_frames - 1))
        size = draw(st.floats(20, 80))
        x0 = draw(st.floats(0, W - size * 2))
        y0 = draw(st.floats(0, H - size * 2))
        vx = draw(st.floats(-1.5, 1.5))
        vy = draw(st.floats(-1.5, 1.5))
        wobble = draw(st.floats(0, 2))
        miss = draw(st.lists(st.booleans(), min_size=end - start + 1, max_size=end - start + 1))
        truth: dict[int, Box] = {}
        dets = []
        run = 0
        for i, f in enumerate(range(start, end + 1)):
            truth[f] = Box(*_path(f - start, x0, y0, vx, vy, size, wobble))
            missed = miss[i] and f not in (start, end) and run < 8
            run = run + 1 if missed else 0
            if not missed:
                b = truth[f]
                dets.append(Detection(f, b.x_px, b.y_px, b.w_px, b.h_px, draw(st.floats(0.55, 0.99))))
        faces.append((truth, dets))
    if len(faces) == 2:  # two faces that never come near each other (no identity swaps)
        (ta, _), (tb, _) = faces
        for f in set(ta) & set(tb):
            assume(iou(ta[f].padded(0.5), tb[f].padded(0.5)) == 0)
    return n_frames, faces


@settings(max_examples=150, deadline=None)
@given(scenes())
def test_every_frame_between_detections_is_covered(scene):
    n_frames, faces = scene
    tracks = join_tracks([d for _t, dets in faces for d in dets], n_frames)
    for truth, dets in faces:
        # the face's true box on every frame from its first to its last detection, the
        # frames the detector missed included, lies inside a track's box on that frame
        for f in range(dets[0].frame, dets[-1].frame + 1):
            covering = [t for t in tracks if t.frame_from <= f <= t.frame_to]
            assert covering, f"frame {f} of a face is covered by no track"
            assert any(contains(box_at(t.keyframes, f), truth[f]) for t in covering), \
                f"the face on frame {f} is not inside any track's box"
    for t in tracks:
        assert uncovered(t) == []
        assert 0 <= t.frame_from <= t.frame_to <= n_frames - 1


def test_missed_frames_are_bridged_by_a_box_that_follows_the_face():
    # a face detected on frames 0-4, missed 5-14, seen again 15-20 a little to the right:
    # over the gap the box moves with it; it is never the hull of both places
    def truth(f):
        return Box(10 + 2 * f, 100, 40, 50)

    dets = [Detection(f, *_rect(truth(f)), 0.9) for f in (*range(5), *range(15, 21))]
    (track,) = join_tracks(dets, 30, JoinParams(pad_frames=3))
    assert (track.frame_from, track.frame_to) == (0, 23)
    spread = max(d.box.x_px for d in dets) - min(d.box.x_px for d in dets) + 40
    for f in range(5, 15):
        box = box_at(track.keyframes, f)
        assert contains(box, truth(f)), (f, box)
        assert box.w_px < spread, f"frame {f}: {box.w_px:.0f} px wide, a hull of both places"


def test_temporal_padding_clipped_to_the_video():
    dets = [Detection(f, 100, 100, 40, 40, 0.9) for f in range(2, 8)]
    (track,) = join_tracks(dets, 9, JoinParams(pad_frames=5, pad_fraction=0.25))
    assert (track.frame_from, track.frame_to) == (0, 8)
    box = box_at(track.keyframes, 0)
    assert contains(box, Box(90, 90, 60, 60))
    # boxes are kept as drawn at the edge (clipping keyframes would shrink the path between)
    dets = [Detection(f, 0, 0, 40, 40, 0.9) for f in range(3)]
    (track,) = join_tracks(dets, 3, width=320, height=240)
    assert track.keyframes[0].box.x_px < 0 and track.keyframes[0].box.y_px < 0


def test_padding_frames_follow_a_face_entering_and_leaving():
    # a face walks right at 6 px a frame; the detector sees it only on frames 10..30
    def truth(f):
        return Box(-40 + 6 * f, 100, 40, 50)

    dets = [Detection(f, *_rect(truth(f)), 0.9) for f in range(10, 31)]
    (track,) = join_tracks(dets, 60, JoinParams(pad_frames=5))
    assert (track.frame_from, track.frame_to) == (5, 35)
    for f in range(5, 36):
        assert contains(box_at(track.keyframes, f), truth(f)), f


def _rect(b: Box) -> tuple[float, float, float, float]:
    return (b.x_px, b.y_px, b.w_px, b.h_px)


def test_two_faces_crossing_paths_stay_two_covered_tracks():
    # one face moves right, the other left, along different rows; each must stay covered
    a = [Detection(f, 10 + 6 * f, 50, 40, 50, 0.9) for f in range(40)]
    b = [Detection(f, 250 - 6 * f, 200, 40, 50, 0.9) for f in range(40)]
    tracks = join_tracks(a + b, 40)
    assert len(tracks) == 2
    for face in (a, b):
        for d in face:
            assert any(t.frame_from <= d.frame <= t.frame_to and contains(box_at(t.keyframes, d.frame), d.box)
                       for t in tracks)


def test_weak_blips_become_suggestions_and_strong_tracks_do_not():
    blip = [Detection(7, 300, 300, 20, 20, 0.25)]
    face = [Detection(f, 10, 10, 50, 60, 0.9) for f in range(20)]
    tracks = join_tracks(blip + face, 20)
    by_len = sorted(tracks, key=lambda t: len(t.detections))
    assert [t.suggested for t in by_len] == [True, False]
    # a face on one frame only, however sure, is offered, not imposed (at a cut, in a
    # dissolve, on a poster: the reviewer decides; the coverage review still lists it)
    (once,) = join_tracks([Detection(3, 10, 10, 50, 60, 0.95)], 20)
    assert once.suggested
    (twice,) = join_tracks([Detection(3, 10, 10, 50, 60, 0.95), Detection(4, 11, 10, 50, 60, 0.9)], 20)
    assert not twice.suggested
    # weak is short in frames, not in looks: the pass looks at one frame in six where its
    # looks agree, so two weak looks six frames apart are a face seen for seven frames
    (sparse,) = join_tracks([Detection(0, 10, 10, 50, 60, 0.3), Detection(6, 12, 10, 50, 60, 0.3)], 20)
    assert not sparse.suggested
    (brief,) = join_tracks([Detection(3, 10, 10, 50, 60, 0.3), Detection(4, 12, 10, 50, 60, 0.3)], 20)
    assert brief.suggested


def test_far_apart_in_time_starts_a_new_track():
    dets = [Detection(f, 10, 10, 50, 60, 0.9) for f in range(5)]
    dets += [Detection(f, 10, 10, 50, 60, 0.9) for f in range(100, 105)]
    tracks = join_tracks(dets, 200, JoinParams(max_gap_frames=30))
    assert len(tracks) == 2


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 300), st.floats(0, 300), st.floats(5, 80), st.floats(5, 80)),
                min_size=2, max_size=60),
       st.floats(0.5, 10))
def test_simplify_keeps_ends_and_coverage(rects, tol):
    kfs = [Keyframe(i, Box(*r)) for i, r in enumerate(rects)]
    raw = {k.frame: Box(k.box.x_px + 2, k.box.y_px + 2, max(0.1, k.box.w_px - 4),
                        max(0.1, k.box.h_px - 4)) for k in kfs}
    out = simplify(kfs, tol, raw)
    assert out[0] == kfs[0] and out[-1] == kfs[-1]
    for k in kfs:
        got = box_at(out, k.frame)
        assert contains(got, raw[k.frame], 1e-6)
        assert abs(got.x_px - k.box.x_px) <= tol + 1e-6


def test_simplify_collapses_linear_motion():
    kfs = [Keyframe(i, Box(10 + 3 * i, 20 + i, 50, 60)) for i in range(100)]
    assert len(simplify(kfs, 0.5)) == 2
