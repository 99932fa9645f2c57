"""``reviewer detect faces`` on a case: tracks that cover the face on every frame, one undo,
suggestions, the cached coverage review."""
from __future__ import annotations

import json

import pytest

from reviewer.cli import main
from reviewer.session import detect
from reviewer.session.session import Session
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store.redactions import box_tracks


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_detect_faces_covers_the_face_on_every_frame(foreman_case, foreman_detections, capsys):
    rc, out, err = _run(capsys, "detect", "faces", str(foreman_case), "foreman_h264.mp4")
    assert rc == 0, err
    assert out.strip().isdigit() and int(out) >= 1  # a number alone
    assert err == ""
    with CaseStore.open(foreman_case) as store:
        media = media_store.find_media(store, "foreman_h264.mp4")
        tracks = box_tracks(store, media["id"], "active")
        rows = store.query("SELECT * FROM redactions WHERE media_id = ?", (media["id"],))
    assert len(tracks) == int(out) == len(rows)
    assert all(r["source"] == "detect" and r["reason"] == "b6" and r["label"].startswith("Face ")
               for r in rows)
    # the reference detector (full frames, every frame, independent of the command's
    # decoder-side shrink and of its looking at one frame in six where its looks
    # agree) sees a face on nearly every frame; each one lies under a redaction on its frame
    seen = 0
    on = detect.shapes_on_frames(tracks, list(range(60)))
    for n, dets in enumerate(foreman_detections):
        for d in dets:
            seen += 1
            assert detect.is_covered(d.box, on[n], media["width"], media["height"]), \
                f"frame {n}: the face {d.box} is not covered"
    assert seen >= 57
    # and the track runs over every frame from the first face to the last: no gaps
    first = min(n for n, d in enumerate(foreman_detections) if d)
    last = max(n for n, d in enumerate(foreman_detections) if d)
    for n in range(first, last + 1):
        assert any(t.covers(n) for t in tracks), f"frame {n} is covered by no track"


def test_one_undo_removes_the_whole_run_and_redo_restores_it(foreman_case):
    from reviewer.session.undo import UndoHistory

    with CaseStore.open(foreman_case) as store:
        media = media_store.get_media(store, 1)
        history = UndoHistory(Session(store))
        cmd = detect.detect_faces_command(store, media, reason="b7C")
        changes = history.push(cmd)
        assert changes.touches("redactions") and media["id"] in changes.media_ids
        rows = store.query("SELECT * FROM redactions ORDER BY id")
        kfs = store.query("SELECT * FROM keyframes ORDER BY id")
        assert len(rows) == len(cmd.commands) >= 1 and all(r["reason"] == "b7C" for r in rows)
        assert detect.uncovered_face_frames(store, media) == []
        history.undo()
        assert store.query("SELECT id FROM redactions") == []
        assert store.query("SELECT id FROM keyframes") == []
        # every face the pass saw is listed again (where its looks agree, the pass looks
        # at one frame in six of a shot: ten or more of the 60)
        listed = detect.uncovered_face_frames(store, media)
        assert len(listed) == len(detect.find_faces(store, media)) >= 10
        history.redo()
        assert store.query("SELECT * FROM redactions ORDER BY id") == rows
        assert store.query("SELECT * FROM keyframes ORDER BY id") == kfs
        assert detect.uncovered_face_frames(store, media) == []


def test_progress_is_reported_and_cancel_stops_the_run(foreman_case):
    from reviewer.errors import Cancelled
    from reviewer.progress import Progress

    seen = []
    with CaseStore.open(foreman_case) as store:
        media = media_store.get_media(store, 1)
        progress = Progress(lambda f, m: seen.append(f))
        assert detect.detect_faces(store, media, progress=progress) >= 1
        assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 60
        for p in (store.cache_dir / "faces").glob("*.json"):
            p.unlink()
        before = store.query("SELECT * FROM redactions ORDER BY id")
        stopper = Progress(lambda f, m: stopper.cancel() if f > 0.3 else None)
        with pytest.raises(Cancelled):
            detect.detect_faces(store, media, progress=stopper)
        # the cancelled run added nothing and cached nothing
        assert store.query("SELECT * FROM redactions ORDER BY id") == before
        assert list((store.cache_dir / "faces").glob("*.json")) == []


def test_suggest_flag_adds_suggestions_to_accept_person_by_person(foreman_case, capsys):
    rc, out, err = _run(capsys, "detect", "faces", str(foreman_case), "1", "--suggest",
                        "--reason", "b7C")
    assert rc == 0, err
    with CaseStore.open(foreman_case) as store:
        media = media_store.get_media(store, 1)
        assert box_tracks(store, media["id"], "active") == []
        suggested = box_tracks(store, media["id"], "suggested")
        assert len(suggested) == int(out) >= 1
        # a second run names its tracks after the first run's
        labels = [r["label"] for r in store.query("SELECT label FROM redactions ORDER BY id")]
        assert detect.detect_faces(store, media, status="suggested") == len(labels)
        again = [r["label"] for r in store.query("SELECT label FROM redactions ORDER BY id")]
        assert again[:len(labels)] == labels and len(set(again)) == len(again)
        suggested = box_tracks(store, media["id"], "suggested")
        # suggestions do not count as covered: the review still lists the face
        assert len(detect.uncovered_face_frames(store, media)) == len(detect.find_faces(store, media))
        from reviewer.session.redactions import set_status
        Session(store).apply(set_status([t.id for t in suggested], "active"))
        assert detect.uncovered_face_frames(store, media) == []


def test_coverage_review_uses_the_cache_not_the_detector(foreman_case, monkeypatch):
    with CaseStore.open(foreman_case) as store:
        media = media_store.get_media(store, 1)
        first = detect.uncovered_face_frames(store, media)
        cache = list((store.cache_dir / "faces").glob("*.json"))
        assert [p.stem for p in cache] == [media["sha256"]]
        assert len(json.loads(cache[0].read_text())["detections"]) == len(first)

        def no_detector(*a, **k):
            raise AssertionError("the detector ran again")

        monkeypatch.setattr("reviewer.media.faces.FaceDetector", no_detector)
        assert detect.uncovered_face_frames(store, media) == first
        # a face covered only partly is still reported
        frame, box = first[len(first) // 2]
        from reviewer.annotate.geometry import Box, Keyframe
        from reviewer.session.redactions import add_box_track
        half = Box(box.x_px, box.y_px, box.w_px / 2, box.h_px)
        Session(store).apply(add_box_track(media["id"], frame, frame, [Keyframe(frame, half)]))
        assert (frame, box) in detect.uncovered_face_frames(store, media)
        full = box.padded(0.05)
        Session(store).apply(add_box_track(media["id"], frame, frame, [Keyframe(frame, full)]))
        assert (frame, box) not in detect.uncovered_face_frames(store, media)


def test_ellipse_redaction_covers_the_face_ellipse():
    from reviewer.annotate.geometry import Box, BoxTrack, Keyframe

    face = Box(100, 100, 60, 80)
    ellipse = BoxTrack(1, 1, 0, 0, (Keyframe(0, face.padded(0.05)),), shape="ellipse")
    small = BoxTrack(2, 1, 0, 0, (Keyframe(0, face.padded(-0.1)),), shape="ellipse")
    on = detect.shapes_on_frames([ellipse, small], [0, 1])
    assert on[1] == []  # neither is on frame 1
    assert detect.is_covered(face, on[0][:1], 320, 240)
    assert not detect.is_covered(face, on[0][1:], 320, 240)
    assert not detect.is_covered(face, [], 320, 240)
    # two rectangles side by side, each half the face, cover it together
    left = ("rect", Box(95, 95, 36, 90))
    right = ("rect", Box(130, 95, 36, 90))
    assert detect.is_covered(face, [left, right], 320, 240)
    assert not detect.is_covered(face, [left], 320, 240)


def test_shapes_on_frames_matches_box_at():
    from reviewer.annotate.geometry import Box, BoxTrack, Keyframe

    kfs = (Keyframe(3, Box(10, 10, 40, 40)), Keyframe(9, Box(70, 40, 60, 50)),
           Keyframe(20, Box(0, 0, 30, 30)))
    track = BoxTrack(1, 1, 0, 25, kfs)
    on = detect.shapes_on_frames([track], list(range(30)))
    for f in range(30):
        if f <= 25:
            ((shape, box),) = on[f]
            want = track.box_at(f)
            assert shape == "rect"
            assert all(abs(a - b) < 1e-9 for a, b in zip(
                (box.x_px, box.y_px, box.w_px, box.h_px), (want.x_px, want.y_px, want.w_px, want.h_px)))
        else:
            assert on[f] == []


def test_errors_are_one_line(foreman_case, capsys):
    rc, out, err = _run(capsys, "detect", "faces", str(foreman_case), "nosuch.mp4")
    assert rc == 1 and out == "" and err.startswith("error: nosuch.mp4")
    with pytest.raises(SystemExit):  # no case: the command line is wrong (without MEDIA
        main(["detect", "faces"])    # it does every video: tests/batch)


def test_rotated_phone_video_boxes_are_in_displayed_pixels(stored_frames, detector, tmp_path):
    """Stored on its side with a display matrix (as phones do): the decoder-side shrink must
    happen in stored orientation and the boxes come back where the face is *displayed*."""
    from fractions import Fraction

    import av
    import numpy as np

    from reviewer.annotate.tracks import iou
    from reviewer.session.importer import import_paths

    path = tmp_path / "phone.mp4"
    with av.open(str(path), "w") as out:
        vs = out.add_stream("libx264", rate=30, options={"crf": "18", "preset": "veryfast"})
        vs.width, vs.height, vs.pix_fmt = 288, 352, "yuv420p"  # coded on its side
        vs.time_base = Fraction(1, 30)
        vs.set_display_rotation(-90)  # shown turned 90 degrees clockwise
        for n, rgb in enumerate(stored_frames[:15]):  # square pixels, 352x288
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(np.rot90(rgb, 1)), format="rgb24")
            frame.pts = n
            for pkt in vs.encode(frame):
                out.mux(pkt)
        for pkt in vs.encode():
            out.mux(pkt)
    with CaseStore.create(tmp_path / "case") as store:
        (imported,) = import_paths(store, [path])
        media = media_store.get_media(store, imported.id)
        assert (media["width"], media["height"]) == (352, 288)
        dets = detect.find_faces(store, media, settings=detect.DetectSettings(stride=1))
    by_frame = {d.frame: d for d in dets}
    assert len(by_frame) >= 14
    for n, d in by_frame.items():
        (upright,) = detector.detect(stored_frames[n], n)
        assert iou(d.box, upright.box) >= 0.7, (n, d.box, upright.box)


@pytest.mark.parametrize("variant", ["vfr", "rotated", "editlist", "bframes", "ts"])
def test_every_displayed_frame_is_searched_under_its_own_number(variant, tmp_path, monkeypatch):
    """The detector sees frame n of the index as frame n: edit lists, B-frames, VFR, rotation
    and MPEG-TS included (each fixture frame carries its own number)."""
    from fixtures.videos import make_video, read_number, shown_numbers

    from reviewer.media.faces import FaceDetector
    from reviewer.session.importer import import_paths

    seen: list[tuple[int, int, tuple[int, int]]] = []
    real_detect = FaceDetector.detect

    def recording(self, rgb, frame=0, display_size=None):
        seen.append((frame, read_number(rgb), display_size))
        return real_detect(self, rgb, frame, display_size)

    monkeypatch.setattr(FaceDetector, "detect", recording)
    path = make_video(tmp_path / "v", variant, n_frames=30, audio=False)
    with CaseStore.create(tmp_path / "case") as store:
        (imported,) = import_paths(store, [path])
        media = media_store.get_media(store, imported.id)
        assert detect.detect_faces(store, media) == 0  # numbers and blocks, no faces
        shown = shown_numbers(variant, 30)
        # the default pass looks at some frames only: each under its own number, the first
        # and the last among them
        assert seen[0][0] == 0 and seen[-1][0] == len(shown) - 1
        assert all(n == shown[f] for f, n, _s in seen)
        seen.clear()
        every = detect.DetectSettings(stride=1)
        assert detect.find_faces(store, media, settings=every, use_cache=False) == []
    assert [f for f, _n, _s in seen] == list(range(len(shown)))
    assert [n for _f, n, _s in seen] == shown
    assert {s for _f, _n, s in seen} == {(media["width"], media["height"])}
