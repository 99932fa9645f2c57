"""Bad input as users give it: exit 1 with one `error:` line naming the file or item, exit 2
for a wrong command line, never a traceback, nothing half made. `new` and `import` rules."""
from __future__ import annotations

import hashlib

import pytest

from acceptance import material as m
from acceptance.conftest import cli, import_ids, ok


@pytest.fixture(scope="session")
def small_case(work, clips, prod_pdf):
    case = work / "err_case"
    ok("new", case)
    ids = import_ids(case, clips["vfr"], prod_pdf)
    return case, ids


def _err(r, code, *names):
    assert r.code == code, (r.code, r.out, r.err)
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    assert lines and all(ln.startswith(("error:", "usage:", "reviewer")) or code == 2
                         for ln in lines), r.err
    for name in names:
        assert name in r.err, (name, r.err)


def test_version():
    r = ok("--version")
    assert r.out.strip()


def test_new_refuses_existing_case(small_case):
    case, _ = small_case
    before = hashlib.sha256((case / "case.db").read_bytes()).hexdigest()
    r = cli("new", case)
    _err(r, 1, case.name)
    assert hashlib.sha256((case / "case.db").read_bytes()).hexdigest() == before


def test_import_prints_id_kind_name_and_dedups(work, clips, prod_pdf, tmp_path):
    case = work / "import_case"
    ok("new", case)
    r = ok("import", case, clips["rotated"], prod_pdf)
    rows = [ln.split("\t") for ln in r.out.splitlines()]
    assert [(k, n) for _, k, n in rows] == [("video", "rotated.mp4"), ("pdf", "production.pdf")]
    # same bytes under another name: the existing id, nothing added
    twin = m.copy_of(clips["rotated"], tmp_path / "renamed_copy.mp4")
    again = ok("import", case, twin)
    assert again.out.split("\t")[0] == rows[0][0]
    assert len(ok("list", case, "--json").json()) == 2


def test_import_rejects_bad_files_one_by_one(work, clips, tmp_path):
    case = work / "import_bad"
    ok("new", case)
    folder = tmp_path / "prod"
    (folder / "sub").mkdir(parents=True)
    m.copy_of(clips["anamorphic"], folder / "sub" / "good.mp4")
    m.broken_video(folder / "broken.mp4", clips["anamorphic"])
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n garbage")
    r = cli("import", case, folder)
    _err(r, 1, "broken.mp4", "notes.pdf")
    assert [ln.split("\t")[2] for ln in r.out.splitlines()] == ["good.mp4"]
    assert [x["name"] for x in ok("list", case, "--json").json()] == ["good.mp4"]


def test_probe_broken_file(clips, tmp_path):
    bad = m.broken_video(tmp_path / "cracked.mp4", clips["vfr"])
    _err(cli("probe", bad, "--json"), 1, "cracked.mp4")
    _err(cli("probe", tmp_path / "missing.mp4", "--json"), 1, "missing.mp4")


def test_frame_broken_file(clips, tmp_path):
    bad = m.broken_video(tmp_path / "cracked.mkv", clips["vfr"])
    out = tmp_path / "o.png"
    _err(cli("frame", bad, "--frame", 0, "--out", out), 1, "cracked.mkv")
    assert not out.exists()


def test_missing_case(tmp_path):
    _err(cli("list", tmp_path / "nocase", "--json"), 1, "nocase")
    assert not (tmp_path / "nocase").exists()


def test_wrong_media(small_case):
    case, _ = small_case
    _err(cli("annotate", case, "nosuch.mp4", "--frame", 1, "--text", "x"), 1, "nosuch.mp4")
    _err(cli("redact", "box", case, "9999", "--frames", "0:3", "--rect", "1,1,10,10"), 1, "9999")


def test_bad_rect_and_ranges(small_case):
    case, (vid, pdf) = small_case
    for rect in ("1,2,x", "0,0,0,0", "-50,-50,10,10", "5000,5000,10,10"):
        r = cli("redact", "box", case, vid, "--frames", "0:3", "--rect", rect)
        # malformed or empty: the command line (2) or the input (1) is wrong, never stored
        assert r.code in (1, 2) and "error" in r.err and "Traceback" not in r.err, (rect, r)
    _err(cli("redact", "box", case, vid, "--frames", "0:40", "--rect", "1,1,10,10"), 1, "vfr.mkv")
    _err(cli("redact", "box", case, vid, "--frames", "5:2", "--rect", "1,1,10,10"), 1)
    _err(cli("redact", "page", case, pdf, "--page", 9, "--rect", "10,10,50,50"), 1,
         "production.pdf")
    _err(cli("annotate", case, vid, "--frame", 400, "--text", "late"), 1, "vfr.mkv")
    # a page note on a video, a frame note on a PDF: the item is the wrong kind
    assert cli("annotate", case, vid, "--page", 1, "--text", "p").code == 1
    assert cli("annotate", case, pdf, "--frame", 1, "--text", "f").code == 1
    # nothing of the above was stored
    assert ok("annotations", case, "--json").json() == []


def test_wrong_command_line_is_exit_2(small_case):
    case, (vid, _) = small_case
    assert cli("nosuchcommand").code == 2
    assert cli("redact", "box", case, vid).code == 2
    assert cli("redact", "audio", case, vid, "--from", "1", "--to", "2", "--mode", "loud").code == 2


def test_export_to_missing_folder_leaves_nothing(small_case, tmp_path):
    case, (vid, _) = small_case
    out = tmp_path / "no" / "such" / "dir" / "x.mp4"
    r = cli("export", case, vid, "--out", out)
    assert r.code == 1 and r.err.startswith("error:")
    assert not out.exists()
