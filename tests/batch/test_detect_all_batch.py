"""``detect all`` and ``detect text`` on the batch runner's workers: in a sandboxed child, in
pieces on two, the tracks, keyframes, labels and readings are those of the pass run in one
process; a worker that read another file, or returns text on frames the video does not
have, is refused and nothing of it is written.

The text pass starts afresh at fixed points (reviewer.media.text_split.restart_points,
about every minute); here every 2 s, so an 8 s clip has points to split at and the
burned-in serial and clock cross the join."""
from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from batch.readers import db
from cli.clirun import ok
from faces.test_detect_all import _state as _read

NAME = "walk.mp4"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """A body-camera-like clip (reviewer.demo.clips): the sample's face, a parked car's
    plate, the camera's burned-in clock and serial; keyframes every 2 s."""
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip

    root = tmp_path_factory.mktemp("detect-all-batch")
    scene = BodycamScene(NAME, 8.0, 640, 360, 30, "Stop there.", "ABC 1234", "X81204417",
                         datetime(2023, 6, 14, 6, 12, 33), 11)
    (root / "media").mkdir()
    clip = make_bodycam_clip(root / "media" / NAME, scene).path
    folder = root / "case"
    ok("new", folder)
    ok("import", folder, clip)
    return folder


@pytest.fixture
def every_2s(monkeypatch):
    import reviewer.media.text_split as text_split

    monkeypatch.setattr(text_split, "RESTART_S", 2.0)


def _copy(case, tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(case, folder)
    return folder


def _media(store):
    from reviewer.store import media as media_store

    (media,) = media_store.list_media(store)
    return media


def _state(folder) -> dict:
    """Every redaction and suggestion with its keyframes, and what was read (no ids)."""
    with db(folder) as conn:
        tracks = [(r["source"], r["label"], r["status"], r["shape"], r["frame_from"],
                   r["frame_to"], tuple(tuple(k) for k in conn.execute(
                       "SELECT frame, x, y, w, h FROM keyframes WHERE redaction_id = ? "
                       "ORDER BY frame", (r["id"],))))
                  for r in conn.execute("SELECT * FROM redactions ORDER BY id")]
    return {"tracks": tracks, "seen": _read(folder)["seen"]}


def test_text_in_one_and_two_chunks_equals_the_pass_in_one_process(case, tmp_path, every_2s):
    from reviewer.batch.runners import LocalRunner
    from reviewer.batch.text_chunks import text_batch
    from reviewer.media.index import cached_index
    from reviewer.media.text_split import restart_points
    from reviewer.progress import BatchProgress
    from reviewer.session.detect_chunks import plan_chunks
    from reviewer.session.detect_text import detect_text
    from reviewer.store import CaseStore
    from reviewer.store.media import FrameIndexCache

    alone, one, two = (_copy(case, tmp_path, n) for n in ("alone", "one", "two"))
    with CaseStore.open(alone) as store:
        media = _media(store)
        made = detect_text(store, media, match="ABC").tracks
        index = cached_index(media["path"], FrameIndexCache(store, media["id"]))
    for folder, chunks in ((one, 1), (two, 2)):
        with CaseStore.open(folder) as store:
            got = text_batch(store, _media(store), LocalRunner(2), BatchProgress(), match="ABC",
                             chunks=chunks)
        assert got.tracks == made
    want = _state(alone)
    assert want["seen"], "no text was read: the clip tests nothing"
    assert _state(one) == want
    assert _state(two) == want
    # the split really happened, and a track crosses the join
    restarts = restart_points(index, 15)
    (_, b), (join, _) = plan_chunks(index, restarts, 2, min_frames=1)
    assert join == b + 1 and join in restarts
    assert any(t[4] < join <= t[5] for t in _state(two)["tracks"] if t[0] == "detect-text")


def test_detect_all_in_chunks_equals_detect_all_in_one_child(case, tmp_path, every_2s):
    from reviewer.batch.detect_all import detect_all_batch
    from reviewer.batch.runners import LocalRunner
    from reviewer.progress import BatchProgress
    from reviewer.store import CaseStore

    one, two = _copy(case, tmp_path, "one"), _copy(case, tmp_path, "two")
    results = []
    for folder, jobs, chunks in ((one, 1, 1), (two, 2, 2)):
        with CaseStore.open(folder) as store:
            r = detect_all_batch(store, _media(store), LocalRunner(jobs), BatchProgress(),
                                 match="ABC", chunks=chunks)
        results.append((r.faces.tracks, r.text.tracks))
    assert results[0] == results[1] and results[0][0] > 0 and results[0][1] > 0
    assert _state(two) == _state(one)
    # faces are recorded as searched: detect faces afterwards adds nothing
    assert ok("detect", "faces", two, NAME, "--quiet").lines[-1] == "0"


@pytest.mark.parametrize("lie, said", [
    ("detect-copy", "SHA-256"),
    ("text-frames", "name a frame the original does not have"),
])
def test_a_lying_child_is_refused_and_nothing_is_written(case, tmp_path, monkeypatch, every_2s,
                                                        lie, said):
    from reviewer.batch.detect_all import detect_all_batch
    from reviewer.batch.runners import LocalRunner
    from reviewer.errors import ReviewerError
    from reviewer.progress import BatchProgress
    from reviewer.store import CaseStore

    folder = _copy(case, tmp_path, "case")
    mode = tmp_path / "mode"
    mode.write_text(lie)
    monkeypatch.setenv("LIAR_MODE_FILE", str(mode))
    before = _state(folder)
    for chunks in (1, 2):
        with CaseStore.open(folder) as store:
            with pytest.raises(ReviewerError) as err:
                detect_all_batch(store, _media(store), LocalRunner(2, task="batch.liars:run_task"),
                                 BatchProgress(), match="ABC", chunks=chunks)
        assert err.value.args[0].startswith(f"{NAME}: ") and said in str(err.value), err.value
        assert _state(folder) == before
    # nothing recorded either: detect faces still searches
    assert int(ok("detect", "faces", folder, NAME, "--quiet").lines[-1]) > 0
