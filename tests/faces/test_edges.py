"""Faces where detectors lose them, on edited footage of the real sample (Xiph.org's foreman,
resources/demo/README.md): half out of the picture at the right edge, turned in perspective,
half out at the left edge, and whole again, each shot joined by a hard cut so the last frame
before a cut and the first after it show a face (``reviewer.demo.cuts.EDGE_SHOTS``). Checked
with YuNet (libfacedetection, in the ``yuface`` wheel), which sees these faces, and MTCNN.

A face cut by the edge has a box three times as tall as wide; its track was once made a mere
suggestion for that shape, and so left out of the export."""
from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.demo.cuts import EDGE_SHOTS, hidden_mask, make_cut_clip
from reviewer.session import detect
from reviewer.store import CaseStore
from reviewer.store.redactions import box_tracks

from .conftest import cli, faces_seen, ffmpeg_frames, yunet_faces

pytest.importorskip("yuface")


@pytest.fixture(scope="module")
def edge_clip(tmp_path_factory):
    return make_cut_clip(tmp_path_factory.mktemp("edges") / "edges.mp4", EDGE_SHOTS)


@pytest.fixture(scope="module")
def edge_case(edge_clip, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("edgecase") / "case"
    cli("new", folder)
    cli("import", folder, edge_clip.path)
    cli("detect", "faces", folder, "edges.mp4")
    return folder


@pytest.fixture(scope="module")
def original(edge_clip):
    return ffmpeg_frames(edge_clip.path, edge_clip.size)


def uncovered(frames, tracks, size) -> list[tuple[int, tuple[float, ...]]]:
    """(frame, YuNet's face box) for each face whose inscribed ellipse the redactions, as
    drawn, leave partly showing."""
    on = detect.shapes_on_frames(tracks, list(range(len(frames))))
    out = []
    for n, rgb in enumerate(frames):
        hidden = hidden_mask([(s, (b.x_px, b.y_px, b.w_px, b.h_px)) for s, b in on[n]], size)
        for box in yunet_faces(rgb):
            if (hidden_mask([("ellipse", box)], size) & ~hidden).any():
                out.append((n, box))
    return out


def test_every_face_yunet_sees_at_edges_and_cuts_is_covered(edge_clip, edge_case, original):
    seen = [n for n, rgb in enumerate(original) if yunet_faces(rgb)]
    # the reader works: it sees the face on nearly every frame, at both edges and on both
    # sides of every cut
    assert len(seen) >= 55
    for new_from, old_to in edge_clip.cuts:
        assert old_to in seen or old_to - 1 in seen
        assert new_from in seen
    with CaseStore.open(edge_case) as store:
        tracks = box_tracks(store, 1, "active")
    assert uncovered(original, tracks, edge_clip.size) == []


def test_a_face_cut_by_the_edge_is_a_redaction_not_a_suggestion(edge_case):
    with CaseStore.open(edge_case) as store:
        assert box_tracks(store, 1, "suggested") == []
        first = [t for t in box_tracks(store, 1, "active") if t.frame_from == 0]
    assert first and first[0].frame_to >= 14  # the right-edge shot, to its last frame


def test_the_export_shows_no_face_to_two_other_detectors(edge_clip, edge_case, original, mtcnn,
                                                         tmp_path):
    out = tmp_path / "redacted.mp4"
    cli("export", edge_case, "edges.mp4", "--out", out)
    redacted = ffmpeg_frames(out, edge_clip.size)
    assert len(redacted) == len(original)
    assert [n for n, rgb in enumerate(redacted) if yunet_faces(rgb)] == []
    assert [n for n, rgb in enumerate(redacted) if faces_seen(mtcnn, rgb)] == []
