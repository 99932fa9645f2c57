"""Licence plates with hard cuts between cars (reviewer.demo.text_clips.make_plates_clip):
text tracks stop at cuts as face tracks do, each shot's plate is its own track with its own
reading, and ``search`` cites the frames where that reading is on screen.

Before, one track ran across all three cars, labelled with one plate, and a search for the
second car's plate cited a span running into the third car's shot."""
from __future__ import annotations

import json

import pytest
from cli.clirun import ok

from reviewer.demo.text_clips import PLATES, make_plates_clip


@pytest.fixture(scope="module")
def plates_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plates") / "case"
    clip = make_plates_clip(folder.parent / "plates.mp4")
    ok("new", folder)
    ok("import", folder, clip.path)
    ok("detect", "text", folder, "plates.mp4")
    return folder, clip


def _shots(clip) -> list[range]:
    per = clip.frame_count // len(PLATES)
    return [range(k * per, (k + 1) * per) for k in range(len(PLATES))]


def test_no_text_track_crosses_a_cut(plates_case):
    folder, clip = plates_case
    tracks = json.loads(ok("review", folder, "plates.mp4", "--json").out)
    shots = _shots(clip)
    for t in tracks:
        inside = [s for s in shots if t["frame_from"] in s]
        assert inside and t["frame_to"] in inside[0], (t["label"], t["frame_from"], t["frame_to"])


def test_each_cars_plate_is_its_own_track_with_its_own_reading(plates_case):
    folder, clip = plates_case
    tracks = json.loads(ok("review", folder, "plates.mp4", "--json").out)
    for plate, shot in zip(PLATES, _shots(clip)):
        mine = [t for t in tracks if plate in t["label"]]
        assert len(mine) == 1, (plate, [t["label"] for t in tracks])
        assert (mine[0]["frame_from"], mine[0]["frame_to"]) == (shot[0], shot[-1])


def test_search_cites_the_frames_where_the_reading_is_on_screen(plates_case):
    folder, clip = plates_case
    for plate, shot in zip(PLATES, _shots(clip)):
        hits = json.loads(ok("search", folder, plate.split()[0], "--json").out)
        assert len(hits) == 1, (plate, hits)
        assert (hits[0]["frame"], hits[0]["frame_to"]) == (shot[0], shot[-1]), (plate, hits)
    # the burned-in clock: each time cited over the frames it shows, never past them
    for second in range(clip.frame_count // clip.fps):
        for hit in json.loads(ok("search", folder, f"10:14:{second:02d}", "--json").out):
            assert hit["frame"] >= second * clip.fps and hit["frame_to"] < (second + 1) * clip.fps, hit
