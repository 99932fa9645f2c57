"""detect text on generated footage: a plate driving across, a house number, a vest that
says POLICE for one second, the camera's burned-in clock (reviewer.demo.text_clips)."""
from __future__ import annotations

import json

from cli.clirun import ok, run

from reviewer.annotate.geometry import Box


def _tracks(folder) -> list[dict]:
    return json.loads(ok("review", folder, "street.mp4", "--json").out)


def _contains(box: Box, ink: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = ink
    return (box.x_px <= x0 and box.y_px <= y0 and box.x_px + box.w_px >= x1
            and box.y_px + box.h_px >= y1)


def _track_boxes(folder, rid: int):
    from reviewer.store import CaseStore
    from reviewer.store.redactions import box_tracks

    with CaseStore.open(folder) as store:
        for status in ("active", "suggested", "rejected"):
            for t in box_tracks(store, 1, status):
                if t.id == rid:
                    return t
    raise AssertionError(f"no track {rid}")


def _by_text(tracks: list[dict], text: str) -> dict:
    found = [t for t in tracks if text in t["label"]]
    assert len(found) == 1, (text, [t["label"] for t in tracks])
    return found[0]


def test_it_prints_how_many_tracks_it_made_and_labels_each_with_what_it_says(detected):
    tracks = _tracks(detected.folder)
    assert detected.printed.strip() == str(len(tracks))
    labels = " | ".join(t["label"] for t in tracks)
    for text in ("7KQB 482", "1280", "POLICE", "2026-12-01"):
        assert text in labels, labels
    assert all(t["source"] == "detect-text" for t in tracks)


def test_matching_tracks_are_redactions_with_the_reason_the_rest_suggestions(detected):
    tracks = _tracks(detected.folder)
    plate = _by_text(tracks, "7KQB 482")
    assert (plate["status"], plate["reason"]) == ("active", "b7C")
    for text in ("1280", "POLICE", "10:14:00", "10:14:01", "10:14:02"):
        assert _by_text(tracks, text)["status"] == "suggested"


def test_the_plate_track_follows_the_moving_plate_on_every_frame(detected):
    clip = detected.clip
    t = _track_boxes(detected.folder, _by_text(_tracks(detected.folder), "7KQB 482")["id"])
    assert (t.frame_from, t.frame_to) == (0, clip.frame_count - 1)
    missed = [f for f, ink in clip.truth["plate"].items() if not _contains(t.box_at(f), ink)]
    assert not missed, missed
    # it follows rather than covering the whole path: on each frame the box is near the plate
    for f, (x0, y0, x1, y1) in clip.truth["plate"].items():
        b = t.box_at(f)
        assert b.w_px < 1.6 * (x1 - x0) + 20 and b.h_px < 2.2 * (y1 - y0) + 20, (f, b)


def test_the_vest_is_a_track_over_its_one_second_only(detected):
    clip = detected.clip
    t = _track_boxes(detected.folder, _by_text(_tracks(detected.folder), "POLICE")["id"])
    shown = sorted(clip.truth["vest"])
    assert t.frame_from <= shown[0] and t.frame_to >= shown[-1]
    # the ends are held to the frames the text is followed on (a look, then tracking)
    assert t.frame_from >= shown[0] - 3 and t.frame_to <= shown[-1] + 3
    assert all(_contains(t.box_at(f), clip.truth["vest"][f]) for f in shown)


def test_the_house_number_and_the_clock_are_followed_too(detected):
    clip = detected.clip
    tracks = _tracks(detected.folder)
    t = _track_boxes(detected.folder, _by_text(tracks, "1280")["id"])
    missed = [f for f, ink in clip.truth["house"].items() if not _contains(t.box_at(f), ink)]
    assert not missed, missed


def test_the_clock_is_one_track_per_reading_each_over_the_second_it_shows(detected):
    """A burned-in clock changes every second: one track per time shown, labelled with it,
    and together covering the clock on every frame."""
    clip = detected.clip
    clocks = [t for t in _tracks(detected.folder) if "2026-12-01" in t["label"]]
    assert len(clocks) == 3, [t["label"] for t in clocks]
    for t in clocks:
        second = int(t["label"].rsplit(":", 1)[1])
        assert (t["frame_from"], t["frame_to"]) == (second * clip.fps, second * clip.fps + clip.fps - 1)
    boxes = [_track_boxes(detected.folder, t["id"]) for t in clocks]
    missed = [f for f, ink in clip.truth["clock"].items()
              if not any(b.covers(f) and _contains(b.box_at(f), ink) for b in boxes)]
    assert not missed, missed


def test_accept_and_reject_suggestions_from_the_command_line(case_copy):
    tracks = _tracks(case_copy)
    clock, house = _by_text(tracks, "10:14:00"), _by_text(tracks, "1280")
    out = json.loads(ok("review", case_copy, "street.mp4", "--reject", clock["id"],
                        "--accept", house["id"], "--json").out)
    status = {t["id"]: t["status"] for t in out}
    assert status[clock["id"]] == "rejected" and status[house["id"]] == "active"
    r = run("review", case_copy, "street.mp4", "--accept", "999")
    assert r.code == 1 and r.err.startswith("error: ") and len(r.err.splitlines()) == 1


def test_a_second_run_replaces_open_suggestions_and_keeps_decisions(case_copy):
    before = _tracks(case_copy)
    clock = _by_text(before, "10:14:00")
    ok("review", case_copy, "street.mp4", "--reject", clock["id"])
    r = ok("detect", "text", case_copy, "street.mp4")
    after = _tracks(case_copy)
    # the rejected clock and the accepted plate stay as decided and are not suggested again;
    # the house number and the vest, still open, are suggested once, under new numbers
    assert int(r.out) == len(before) - 2
    assert len(after) == len(before)
    assert {t["id"]: t["status"] for t in after}[clock["id"]] == "rejected"
    for text in ("7KQB 482", "10:14:00", "10:14:01", "1280", "POLICE"):
        _by_text(after, text)
    numbers = [int(t["label"].split(":")[0][5:]) for t in after]
    assert len(set(numbers)) == len(numbers)


def test_bad_input_is_one_error_line(detected, tmp_path):
    r = run("detect", "text", detected.folder, "street.mp4", "--match", "(")
    assert r.code == 1 and r.err.startswith("error: --match") and len(r.err.splitlines()) == 1
    r = run("detect", "text", detected.folder, "nothing.mp4")
    assert r.code == 1 and "nothing.mp4" in r.err


def test_a_document_is_refused(tmp_path):
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parents[1]))
    from fixtures.pdfs import make_production_pdf

    pdf = tmp_path / "prod.pdf"
    make_production_pdf(pdf, n_pages=1)
    ok("new", tmp_path / "c")
    ok("import", tmp_path / "c", pdf)
    r = run("detect", "text", tmp_path / "c", "prod.pdf")
    assert r.code == 1 and "prod.pdf" in r.err and "videos" in r.err


def test_a_shaking_camera_is_followed_on_every_frame(tmp_path):
    """The picture jumps up to 12 px each frame (a running officer's camera): detection sees
    every sixth frame, tracking carries each piece of text over the frames between."""
    from reviewer.demo.text_clips import make_text_clip

    clip = make_text_clip(tmp_path / "shaky.mp4", shake_px=12)
    folder = tmp_path / "case"
    ok("new", folder)
    ok("import", folder, clip.path)
    ok("detect", "text", folder, "shaky.mp4")
    tracks = json.loads(ok("review", folder, "shaky.mp4", "--json").out)
    for name, text in (("plate", "7KQB 482"), ("house", "1280"), ("vest", "POLICE")):
        t = _track_boxes(folder, _by_text(tracks, text)["id"])
        missed = [f for f, ink in clip.truth[name].items()
                  if not (t.covers(f) and _contains(t.box_at(f), ink))]
        assert not missed, (name, missed)
