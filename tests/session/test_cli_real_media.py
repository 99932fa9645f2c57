"""annotate / redact on media really imported: pts stored from the frame index, rotated
frames checked as displayed, and ``redact text`` over a generated production."""
from __future__ import annotations

import json

import pytest

from reviewer.cli import main
from reviewer.store import CaseStore


@pytest.fixture(scope="session")
def media_files(tmp_path_factory):
    from fixtures.pdfs import make_production_pdf
    from fixtures.videos import make_video

    folder = tmp_path_factory.mktemp("edits_media")
    vfr = make_video(folder / "vfr", "vfr", n_frames=40, size=(160, 120), audio=False)
    rot = make_video(folder / "rot", "rotated", n_frames=30, size=(160, 120), audio=False)
    prod = make_production_pdf(folder / "production.pdf", n_pages=4, scanned_page=3,
                               rotated_page=None)
    return vfr, rot, prod


@pytest.fixture
def case(tmp_path, media_files, capsys):
    folder = tmp_path / "case"
    assert main(["new", str(folder)]) == 0
    assert main(["import", str(folder)] + [str(p) for p in media_files[:2]] +
                [str(media_files[2].path)]) == 0
    ids = {line.split("\t")[2]: int(line.split("\t")[0])
           for line in capsys.readouterr().out.splitlines()}
    return folder, ids


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out.strip(), err


def test_annotation_and_keyframes_on_a_vfr_video_carry_the_frame_pts(case, capsys, media_files):
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache

    folder, ids = case
    vid = ids[media_files[0].name]
    code, out, err = _run(capsys, "annotate", folder, vid, "--frame", 17, "--to", 30,
                          "--text", "on VFR")
    assert code == 0, err
    with CaseStore.open(folder) as store:
        media = store.query_one("SELECT * FROM media WHERE id = ?", (vid,))
        idx = cached_index(media["path"], FrameIndexCache(store, vid))
        note = store.query_one("SELECT * FROM annotations WHERE id = ?", (int(out),))
    assert note["pts"] == idx.pts[17]
    code, _, err = _run(capsys, "annotate", folder, vid, "--frame", idx.count, "--text", "past")
    assert code == 1 and media_files[0].name in err


def test_boxes_are_checked_against_the_displayed_rotated_frame(case, capsys, media_files):
    folder, ids = case
    rot = ids[media_files[1].name]
    with CaseStore.open(folder) as store:
        m = store.query_one("SELECT width, height FROM media WHERE id = ?", (rot,))
    assert (m["width"], m["height"]) == (120, 160)  # portrait once displayed
    code, _out, err = _run(capsys, "redact", "box", folder, rot, "--frames", "0:29",
                          "--rect", "10,130,20,20")
    assert code == 0, err
    code, _, err = _run(capsys, "redact", "box", folder, rot, "--frames", "0:29",
                        "--rect", "130,10,20,20")
    assert code == 1 and "outside the 120x160 frame" in err


def test_redact_text_marks_every_match_one_row_per_rect(case, capsys, media_files):
    from reviewer.pdf.search import find_matches

    folder, ids = case
    prod = media_files[2]
    doc = ids[prod.path.name]
    code, out, err = _run(capsys, "redact", "text", folder, "--pattern", "ssn", "--reason", "(b)(6)")
    assert code == 0, err
    expected = find_matches(prod.path, "ssn")
    assert int(out) == len(expected) == len(prod.of("ssn"))
    with CaseStore.open(folder) as store:
        rows = store.query("SELECT * FROM redactions WHERE media_id = ? ORDER BY id", (doc,))
    assert len(rows) == sum(len(m.rects) for m in expected)
    assert {r["source"] for r in rows} == {"text"} and {r["reason"] for r in rows} == {"b6"}
    assert {r["page_no"] for r in rows} == {p.page_no for p in prod.of("ssn")}
    got = sorted((r["page_no"], tuple(json.loads(r["rect"]))) for r in rows)
    assert got == sorted((m.page_no, tuple(map(float, rect))) for m in expected for rect in m.rects)
    # marking again finds the same matches and adds no second copy
    code, out, _ = _run(capsys, "redact", "text", folder, doc, "--pattern", "ssn", "--reason", "b6")
    assert int(out) == len(expected)
    with CaseStore.open(folder) as store:
        assert store.query_one("SELECT count(*) AS n FROM redactions")["n"] == len(rows)


def test_redact_text_with_a_regex_and_on_a_video_item(case, capsys, media_files):
    folder, ids = case
    code, out, err = _run(capsys, "redact", "text", folder, media_files[2].path.name,
                          "--pattern", r"Field Office Director")
    assert code == 0, err
    assert int(out) == 4  # once on every page, the scanned page's OCR layer included
    code, _, err = _run(capsys, "redact", "text", folder, ids[media_files[0].name],
                        "--pattern", "ssn")
    assert code == 1 and media_files[0].name in err


def test_annotations_json_gives_the_timecode_of_the_first_frame(case, capsys, media_files):
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache

    folder, ids = case
    vid = ids[media_files[0].name]
    _run(capsys, "annotate", folder, vid, "--frame", 23, "--text", "when")
    _code, out, _ = _run(capsys, "annotations", folder, vid, "--json")
    (note,) = json.loads(out)
    with CaseStore.open(folder) as store:
        path = store.query_one("SELECT path FROM media WHERE id = ?", (vid,))["path"]
        times = cached_index(path, FrameIndexCache(store, vid)).times
    assert note["timecode"] == times.timecode(23) and note["frame"] == note["to"] == 23
