"""The CLI contract for annotate, annotations, link and redact (box, audio, page, text)."""
from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from reviewer.cli import main
from reviewer.store import CaseStore

from .conftest import make_case


@pytest.fixture
def folder(tmp_path):
    store, _video, _doc = make_case(tmp_path / "case")
    store.close()
    return tmp_path / "case"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows(folder, sql, params=()):
    with CaseStore.open(folder) as store:
        return store.query(sql, params)


def test_annotate_prints_the_new_id_and_annotations_lists_it(folder, capsys):
    code, out, err = run(capsys, "annotate", folder, "bodycam.mp4", "--frame", 12, "--to", 40,
                         "--text", "officer draws", "--tag", "force", "--tag", "key")
    assert code == 0, err
    vid_note = int(out.strip())
    code, out, _ = run(capsys, "annotate", folder, 2, "--page", 2, "--rect", "72,100,300,130",
                       "--text", "report contradicts", "--tag", "key")
    assert code == 0
    doc_note = int(out.strip())
    code, out, _ = run(capsys, "annotate", folder, 2, "--page", 3, "--text", "whole page")
    page_note = int(out.strip())
    assert len({vid_note, doc_note, page_note}) == 3

    code, out, _ = run(capsys, "annotations", folder, "--json")
    listed = {a["id"]: a for a in json.loads(out)}
    v = listed[vid_note]
    assert (v["media"], v["text"], v["tags"], v["frame"], v["to"]) == (
        1, "officer draws", ["force", "key"], 12, 40)
    assert "page" not in v
    d = listed[doc_note]
    assert (d["media"], d["page"], d["rect"], d["tags"]) == (2, 2, [72, 100, 300, 130], ["key"])
    assert listed[page_note]["rect"] is None

    code, out, _ = run(capsys, "annotations", folder, "report.pdf", "--json")
    assert sorted(a["id"] for a in json.loads(out)) == sorted([doc_note, page_note])


def test_link_is_followed_both_ways(folder, capsys):
    _, a, _ = run(capsys, "annotate", folder, 1, "--frame", 5, "--text", "moment")
    _, b, _ = run(capsys, "annotate", folder, 2, "--page", 1, "--text", "passage")
    code, out, _ = run(capsys, "link", folder, a.strip(), b.strip())
    assert code == 0 and int(out.strip()) > 0
    listed = {x["id"]: x for x in json.loads(run(capsys, "annotations", folder, "--json")[1])}
    assert listed[int(a)]["links"] == [int(b)] and listed[int(b)]["links"] == [int(a)]
    code, _, err = run(capsys, "link", folder, b.strip(), a.strip())
    assert code == 1 and err.startswith("error:") and "already linked" in err
    code, _, err = run(capsys, "link", folder, a.strip(), 999)
    assert code == 1 and "999" in err


def test_redact_box_keyframes_at_both_ends_and_covers_the_range(folder, capsys):
    code, out, err = run(capsys, "redact", "box", folder, "bodycam.mp4", "--frames", "10:50",
                         "--rect", "10,20,40,40", "--rect-end", "200,100,60,80", "--shape",
                         "ellipse", "--style", "blur", "--reason", "(b)(7)(C)")
    assert code == 0, err
    rid = int(out.strip())
    (r,) = rows(folder, "SELECT * FROM redactions WHERE id = ?", (rid,))
    assert (r["kind"], r["frame_from"], r["frame_to"], r["shape"], r["style"], r["reason"]) == (
        "box", 10, 50, "ellipse", "blur", "b7C")
    kfs = rows(folder, "SELECT frame, x, y, w, h FROM keyframes WHERE redaction_id = ? "
                       "ORDER BY frame", (rid,))
    assert [tuple(k.values()) for k in kfs] == [(10, 10, 20, 40, 40), (50, 200, 100, 60, 80)]
    from reviewer.store.redactions import box_tracks
    with CaseStore.open(folder) as store:
        (track,) = box_tracks(store, 1)
    assert all(track.covers(f) for f in range(10, 51)) and not track.covers(51)
    assert track.box_at(30).x_px == pytest.approx(105)


def test_redact_audio_stores_exact_seconds(folder, capsys):
    code, out, _ = run(capsys, "redact", "audio", folder, 1, "--from", "0.1",
                       "--to", "00:00:01.250", "--mode", "bleep", "--reason", "b6")
    assert code == 0
    (r,) = rows(folder, "SELECT * FROM redactions WHERE id = ?", (int(out),))
    assert (Fraction(r["t_from"]), Fraction(r["t_to"]), r["mode"]) == (
        Fraction(1, 10), Fraction(5, 4), "bleep")


def test_redact_page_clips_to_the_page_and_normalizes_the_reason(folder, capsys):
    code, out, _ = run(capsys, "redact", "page", folder, "report.pdf", "--page", 1,
                       "--rect", "500,700,700,900", "--reason", "(b)(6)")
    assert code == 0
    (r,) = rows(folder, "SELECT * FROM redactions WHERE id = ?", (int(out),))
    assert json.loads(r["rect"]) == [500, 700, 612, 792] and r["reason"] == "b6"


def test_an_unknown_reason_becomes_a_case_code(folder, capsys):
    code, out, _ = run(capsys, "redact", "page", folder, 2, "--page", 1, "--rect", "1,1,9,9",
                       "--reason", "FRCP-5.2")
    assert code == 0
    assert rows(folder, "SELECT code, builtin FROM reasons WHERE code = 'FRCP-5.2'") == [
        {"code": "FRCP-5.2", "builtin": 0}]


@pytest.mark.parametrize("argv, names", [
    (["annotate", "{c}", "bodycam.mp4", "--frame", "90", "--text", "x"], "bodycam.mp4"),
    (["annotate", "{c}", "bodycam.mp4", "--frame", "9", "--to", "3", "--text", "x"], "bodycam.mp4"),
    (["annotate", "{c}", "bodycam.mp4", "--page", "1", "--text", "x"], "bodycam.mp4"),
    (["annotate", "{c}", "report.pdf", "--page", "4", "--text", "x"], "report.pdf"),
    (["annotate", "{c}", "report.pdf", "--page", "1", "--rect", "1,2,x,4", "--text", "x"], "report.pdf"),
    (["annotate", "{c}", "nosuch.mp4", "--frame", "1", "--text", "x"], "nosuch.mp4"),
    (["redact", "box", "{c}", "bodycam.mp4", "--frames", "5", "--rect", "1,1,0,5"], "bodycam.mp4"),
    (["redact", "box", "{c}", "bodycam.mp4", "--frames", "5:95", "--rect", "1,1,5,5"], "bodycam.mp4"),
    (["redact", "box", "{c}", "bodycam.mp4", "--frames", "a:b", "--rect", "1,1,5,5"], "bodycam.mp4"),
    (["redact", "box", "{c}", "bodycam.mp4", "--frames", "1:5", "--rect", "400,1,5,5"], "bodycam.mp4"),
    (["redact", "box", "{c}", "report.pdf", "--frames", "1:5", "--rect", "1,1,5,5"], "report.pdf"),
    (["redact", "audio", "{c}", "bodycam.mp4", "--from", "2", "--to", "1"], "bodycam.mp4"),
    (["redact", "audio", "{c}", "bodycam.mp4", "--from", "soon", "--to", "1"], "bodycam.mp4"),
    (["redact", "audio", "{c}", "bodycam.mp4", "--from", "4", "--to", "5"], "bodycam.mp4"),
    (["redact", "page", "{c}", "report.pdf", "--page", "1", "--rect", "700,0,800,10"], "report.pdf"),
    (["redact", "page", "{c}", "report.pdf", "--page", "1", "--rect", "9,9,1,1"], "report.pdf"),
    (["redact", "page", "{c}", "bodycam.mp4", "--page", "1", "--rect", "1,1,9,9"], "bodycam.mp4"),
    (["redact", "text", "{c}", "--pattern", "(unclosed"], "(unclosed"),
])
def test_bad_input_is_one_error_line_naming_the_item(folder, capsys, argv, names):
    before = rows(folder, "SELECT count(*) AS n FROM redactions")[0]["n"] + \
        rows(folder, "SELECT count(*) AS n FROM annotations")[0]["n"]
    code, out, err = run(capsys, *[a.replace("{c}", str(folder)) for a in argv])
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and names in lines[0]
    after = rows(folder, "SELECT count(*) AS n FROM redactions")[0]["n"] + \
        rows(folder, "SELECT count(*) AS n FROM annotations")[0]["n"]
    assert after == before


def test_python_m_reviewer_reports_errors_without_a_traceback(folder):
    ok = subprocess.run([sys.executable, "-m", "reviewer", "annotate", str(folder), "bodycam.mp4",
                         "--frame", "3", "--text", "via -m"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ok.stdout.strip().isdigit()
    bad = subprocess.run([sys.executable, "-m", "reviewer", "redact", "box", str(folder),
                          "bodycam.mp4", "--frames", "0:500", "--rect", "1,1,5,5"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("error: bodycam.mp4:")
    usage = subprocess.run([sys.executable, "-m", "reviewer", "redact", "box", str(folder)],
                           capture_output=True, text=True, check=False)
    assert usage.returncode == 2
