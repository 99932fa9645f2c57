"""A head moving ~70 px a frame at 10 fps (the real sample's head, reviewer.demo.walker):
joined into one track that stays on it, every frame covered, checked with YuNet and MTCNN.

At 10 fps the gate that joins detections was the one tuned for 30 fps: the walker's
detections fell into a dozen short tracks, and a frame was left showing the face."""
from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.annotate.track_merge import merge_beside, where
from reviewer.annotate.tracks import Detection, JoinParams, associate, join_tracks
from reviewer.demo.cuts import hidden_mask
from reviewer.demo.walker import SIZE, make_walker
from reviewer.session import detect
from reviewer.store import CaseStore
from reviewer.store.redactions import box_tracks

from .conftest import cli, faces_seen, ffmpeg_frames, yunet_faces

pytest.importorskip("yuface")


@pytest.fixture(scope="module")
def walker(tmp_path_factory):
    return make_walker(tmp_path_factory.mktemp("walker") / "walker.mp4")


@pytest.fixture(scope="module")
def walker_case(walker, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("walkcase") / "case"
    cli("new", folder)
    cli("import", folder, walker.path)
    cli("detect", "faces", folder, "walker.mp4")
    return folder


def test_a_fast_walker_at_10_fps_is_one_track_covering_every_frame(walker, walker_case):
    frames = ffmpeg_frames(walker.path, SIZE)
    with CaseStore.open(walker_case) as store:
        active, suggested = box_tracks(store, 1, "active"), box_tracks(store, 1, "suggested")
    assert len(active) == 1 and suggested == []
    assert (active[0].frame_from, active[0].frame_to) == (0, walker.frame_count - 1)
    on = detect.shapes_on_frames(active, list(range(len(frames))))
    seen = left = 0
    for n, rgb in enumerate(frames):
        hidden = hidden_mask([(s, (b.x_px, b.y_px, b.w_px, b.h_px)) for s, b in on[n]], SIZE)
        for box in yunet_faces(rgb):
            seen += 1
            left += bool((hidden_mask([("ellipse", box)], SIZE) & ~hidden).any())
    assert seen >= walker.frame_count - 2 and left == 0


def test_the_export_shows_no_face_to_two_other_detectors(walker, walker_case, mtcnn, tmp_path):
    out = tmp_path / "walker-redacted.mp4"
    cli("export", walker_case, "walker.mp4", "--out", out)
    redacted = ffmpeg_frames(out, SIZE)
    assert len(redacted) == walker.frame_count
    assert [n for n, rgb in enumerate(redacted) if yunet_faces(rgb)] == []
    assert [n for n, rgb in enumerate(redacted) if faces_seen(mtcnn, rgb)] == []


def _walk(frames, step=75.0, w=80.0, x0=20.0):
    out, x, dx = [], x0, step
    for n in frames:
        out.append(Detection(n, x, 150.0, w, 1.3 * w, 0.8))
        if not 0 <= x + dx <= 560:
            dx = -dx
        x += dx
    return out


def test_the_gate_widens_with_the_frame_interval():
    dets = _walk(range(20))
    at_10 = join_tracks(dets, 20, JoinParams(pad_frames=3, frame_scale=3.0), 640, 360)
    assert len(at_10) == 1 and not at_10[0].suggested
    # the same steps at 30 fps would be a head crossing the picture in a third of a second:
    # not joined (the narrow gate keeps a track from jumping to another face)
    assert len(join_tracks(dets, 20, JoinParams(pad_frames=3), 640, 360)) > 1


def test_a_short_chain_on_a_tracks_path_joins_it():
    long = _walk(range(0, 12))
    beside = [Detection(12, long[-1].x_px - 75.0, 150.0, 80.0, 104.0, 0.9)]  # it turned back
    p = JoinParams(frame_scale=3.0, min_detections=3, long_gap_frames=4)
    merged = merge_beside([(long, frozenset({0})), (beside, frozenset({0}))], p)
    assert len(merged) == 1 and [d.frame for d in merged[0][0]] == list(range(13))
    # far from where the track puts the head, or in another shot: its own
    away = [Detection(12, 20.0, 20.0, 80.0, 104.0, 0.9)]
    assert len(merge_beside([(long, frozenset({0})), (away, frozenset({0}))], p)) == 2
    assert len(merge_beside([(long, frozenset({0})), (beside, frozenset({1}))], p)) == 2


def test_where_a_chain_puts_the_head():
    chain = _walk([0, 2, 4])
    mid = where(chain, 1, 3)
    assert mid is not None and abs(mid.x_px - (chain[0].x_px + chain[1].x_px) / 2) < 1e-6
    ahead = where(chain, 5, 3)
    assert ahead is not None and abs(ahead.x_px - (chain[-1].x_px + 37.5)) < 1e-6  # its pace
    assert where(chain, 9, 3) is None
    assert [len(d) for d, _s in associate(chain, JoinParams(frame_scale=3.0))] == [3]
