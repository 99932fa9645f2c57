"""``detect all``: faces and text on one decode give what ``detect faces`` then ``detect text``
give (the same tracks, keyframes, labels, statuses and readings), and the video is decoded
once for both."""
from __future__ import annotations

import shutil
from datetime import datetime

import pytest
from cli.clirun import ok


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """A body-camera-like clip with the sample's face walking over a street, a plate and the
    camera's burned-in clock and serial (reviewer.demo.clips): both passes find something."""
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip

    scene = BodycamScene("both.mp4", 3.0, 640, 360, 30, "Stop there.", "ABC 1234",
                         "X81204417", datetime(2023, 6, 14, 6, 12, 33), 11)
    return make_bodycam_clip(tmp_path_factory.mktemp("detect-all") / scene.name, scene).path


@pytest.fixture(scope="module")
def empty_case(tmp_path_factory, clip):
    folder = tmp_path_factory.mktemp("detect-all-case") / "case"
    ok("new", folder)
    ok("import", folder, clip)
    return folder


def _state(folder) -> dict:
    """Every redaction with its keyframes, and what the text pass read, without row ids or
    times (two runs differ in those only)."""
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store
    from reviewer.store.annotations import keyframes_of
    from reviewer.store.redactions import all_redactions
    from reviewer.store.seen_text import seen_in

    with CaseStore.open(folder) as store:
        (media,) = media_store.list_media(store)
        tracks = sorted(
            (r["source"], r["label"], r["status"], r["shape"], r["frame_from"], r["frame_to"],
             tuple((k["frame"], k["x"], k["y"], k["w"], k["h"]) for k in keyframes_of(store, r["id"])))
            for r in all_redactions(store))
        seen = [{k: v for k, v in row.items() if k not in ("id", "media_id")}
                for row in seen_in(store, media["id"])]
    return {"tracks": tracks, "seen": seen}


def test_detect_all_equals_the_passes_run_apart(empty_case, tmp_path):
    apart, together = tmp_path / "apart", tmp_path / "together"
    shutil.copytree(empty_case, apart)
    shutil.copytree(empty_case, together)
    faces = ok("detect", "faces", apart, "both.mp4", "--quiet")
    text = ok("detect", "text", apart, "both.mp4", "--match", "ABC", "--quiet")
    both = ok("detect", "all", together, "both.mp4", "--match", "ABC", "--quiet")
    assert both.lines == [f"faces\t{faces.lines[-1]}", f"text\t{text.lines[-1]}"]
    a, b = _state(apart), _state(together)
    assert any(t[0] == "detect" for t in a["tracks"]), "no face was found: the clip tests nothing"
    assert a["seen"], "no text was read: the clip tests nothing"
    assert b == a
    # faces are recorded as searched: detect faces afterwards adds nothing
    assert ok("detect", "faces", together, "both.mp4", "--quiet").lines[-1] == "0"


def test_the_video_is_decoded_once(empty_case, tmp_path, monkeypatch):
    from reviewer.batch.detect_all import detect_all
    from reviewer.media.frames import FrameReader
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    folder = tmp_path / "case"
    shutil.copytree(empty_case, folder)
    decodes = []
    real = FrameReader.iter_frames

    def counted(self, *args, **kwargs):
        decodes.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(FrameReader, "iter_frames", counted)
    with CaseStore.open(folder) as store:
        (media,) = media_store.list_media(store)
        result = detect_all(store, media)
    assert len(decodes) == 1
    assert result.shared and result.faces.tracks > 0 and result.text.tracks > 0


def test_detect_all_refuses_a_bad_pattern_before_reading(empty_case, tmp_path):
    from cli.clirun import run

    r = run("detect", "all", empty_case, "both.mp4", "--match", "(")
    assert r.code != 0 and r.err.startswith("error: --match")


def test_a_failing_text_pass_stops_the_decode_and_writes_nothing(empty_case, tmp_path, monkeypatch):
    from reviewer.batch.detect_all import detect_all
    from reviewer.batch.detect_batch import is_current
    from reviewer.errors import ReviewerError
    from reviewer.media.text_pass import TextPass
    from reviewer.session.detect import FACE_SETTINGS
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store
    from reviewer.store.redactions import all_redactions

    folder = tmp_path / "case"
    shutil.copytree(empty_case, folder)
    real = TextPass.push
    pushed = []

    def failing(self, n, frame):
        if n == 10:
            raise ReviewerError("both.mp4: frame 10 could not be read")
        pushed.append(n)
        return real(self, n, frame)

    monkeypatch.setattr(TextPass, "push", failing)
    with CaseStore.open(folder) as store:
        (media,) = media_store.list_media(store)
        with pytest.raises(ReviewerError, match="frame 10"):
            detect_all(store, media)
        assert all_redactions(store) == [] and not is_current(store, media, FACE_SETTINGS)
    assert pushed == list(range(10))
