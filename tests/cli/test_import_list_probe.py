"""``new``, ``import``, ``list --json``, ``probe --json`` on varied and broken inputs."""
from __future__ import annotations

import json

from cli.clirun import ok, run
from cli.conftest import BAD, GOOD_PDFS, GOOD_VIDEOS, SIZE

LIST_VIDEO = {"id", "kind", "name", "path", "sha256", "frame_count", "width", "height", "duration", "fps"}
LIST_PDF = {"id", "kind", "name", "path", "sha256", "page_count"}


def test_new_refuses_a_folder_that_holds_a_case_and_a_file(imported, inputs):
    case, _, _ = imported
    r = run("new", case)
    assert r.code == 1 and r.err.startswith("error:") and case.name in r.err
    r = run("new", inputs.base)
    assert r.code == 1 and r.err.startswith("error:")


def test_import_of_a_folder_imports_every_good_file_and_rejects_each_bad_one(imported, inputs):
    _, r, ids = imported
    assert r.code == 1  # some files were bad
    errors = r.err.splitlines()
    assert all(line.startswith("error: ") for line in errors), errors
    bad_names = sorted(getattr(inputs, b).name for b in BAD)
    assert sorted(line.split(": ")[1] for line in errors) == bad_names
    kinds = {line.split("\t")[2]: line.split("\t")[1] for line in r.lines}
    for key in GOOD_VIDEOS:
        assert kinds[getattr(inputs, key).name] == "video", key
    for key in GOOD_PDFS:
        assert kinds[getattr(inputs, key).name] == "pdf", key
    # the same name in two folders: two items
    assert len(ids["same.mp4"]) == 2


def test_reimport_prints_the_existing_id_and_adds_nothing(imported, inputs):
    case, _, ids = imported
    before = json.loads(ok("list", case, "--json").out)
    r = ok("import", case, inputs.base, inputs.base, inputs.folder / "." / inputs.base.name)
    assert r.lines == [f"{ids['base.mp4'][0]}\tvideo\tbase.mp4"] * 3
    assert json.loads(ok("list", case, "--json").out) == before


def test_one_missing_path_is_an_error_line_and_the_rest_is_imported(tmp_path, inputs):
    case = tmp_path / "c"
    ok("new", case)
    r = run("import", case, tmp_path / "nothing here.mp4", inputs.noaudio)
    assert r.code == 1
    assert r.err.strip() == "error: " + str(tmp_path / "nothing here.mp4") + ": no such file or folder"
    assert r.lines[0].endswith("\tvideo\tno audio.mp4")


def test_a_case_made_inside_the_production_folder_is_not_imported_as_evidence(tmp_path, inputs):
    import shutil

    prod = tmp_path / "production"
    prod.mkdir()
    shutil.copy(inputs.noaudio, prod / "clip.mp4")
    ok("new", prod / "case")
    r = run("import", prod / "case", prod)
    assert r.code == 0, r.err
    assert [line.split("\t")[2] for line in r.lines] == ["clip.mp4"]


def test_list_json_fields_and_displayed_sizes(imported, inputs):
    case, _, _ = imported
    rows = json.loads(ok("list", case, "--json").out)
    by_name = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
        assert set(row) == (LIST_VIDEO if row["kind"] == "video" else LIST_PDF), row
        assert len(row["sha256"]) == 64
    base = by_name["base.mp4"][0]
    assert (base["width"], base["height"], base["frame_count"]) == (*SIZE, 45)
    assert abs(base["duration"] - 1.5) < 1e-6 and abs(base["fps"] - 30) < 1e-6
    for rot in ("portrait90.mp4", "portrait270.mp4"):  # displayed: turned upright
        assert (by_name[rot][0]["width"], by_name[rot][0]["height"]) == (SIZE[1], SIZE[0])
    assert (by_name["odd.mp4"][0]["width"], by_name["odd.mp4"][0]["height"]) == (161, 121)
    assert by_name["one frame.mp4"][0]["frame_count"] == 1
    assert by_name["vfr.mkv"][0]["frame_count"] == 40
    assert by_name[inputs.odd_pdf.name][0]["page_count"] == 3
    assert by_name["owner only.pdf"][0]["page_count"] == 3


def test_probe_prints_the_list_fields_without_id(imported, inputs):
    case, _, _ = imported
    rows = {r["path"]: r for r in json.loads(ok("list", case, "--json").out)}
    for f in (inputs.base, inputs.portrait90, inputs.vfr_mkv, inputs.odd_pdf):
        probed = json.loads(ok("probe", f, "--json").out)
        listed = dict(rows[str(f.resolve())])
        listed.pop("id")
        assert probed == listed


def test_probe_of_bad_files_is_one_error_line(inputs, tmp_path):
    for f in (inputs.audio_only, inputs.junk, inputs.empty_pdf, inputs.user_pdf, tmp_path / "none.mp4"):
        r = run("probe", f, "--json")
        assert r.code == 1 and r.out == ""
        assert len(r.err.splitlines()) == 1 and r.err.startswith("error: ") and f.name in r.err


def test_media_by_ambiguous_name_is_refused_and_by_id_works(imported):
    case, _, ids = imported
    r = run("annotate", case, "same.mp4", "--frame", 0, "--text", "which one?")
    assert r.code == 1 and "same.mp4" in r.err and "more than one" in r.err
    a, b = ids["same.mp4"]
    assert ok("annotate", case, b, "--frame", 24, "--text", "second").out.strip().isdigit()
    r = run("annotate", case, a, "--frame", 24, "--text", "too far")  # the first has 20 frames
    assert r.code == 1 and "same.mp4" in r.err


def test_media_by_name_in_another_unicode_form_and_by_path(imported, inputs):
    import unicodedata

    case, _, _ids = imported
    nfd = unicodedata.normalize("NFD", inputs.odd_pdf.name)
    assert nfd != inputs.odd_pdf.name
    assert ok("annotate", case, nfd, "--page", 1, "--text", "nfd").out.strip().isdigit()
    assert ok("annotate", case, inputs.dup_b, "--frame", 24, "--text", "by path").out.strip().isdigit()


def test_a_file_name_that_is_not_utf8_is_rejected_alone(tmp_path, inputs):
    import os
    import shutil

    folder = tmp_path / "zip"
    folder.mkdir()
    shutil.copy(inputs.noaudio, os.fsencode(folder) + b"/caf\xe9 cam.mp4")
    shutil.copy(inputs.base, folder / "fine.mp4")
    case = tmp_path / "case"
    ok("new", case)
    r = run("import", case, folder)
    assert r.code == 1
    assert [line.split("\t")[2] for line in r.lines] == ["fine.mp4"]
    assert len(r.err.splitlines()) == 1 and r.err.startswith("error: caf") and "UTF-8" in r.err
    assert [row["name"] for row in json.loads(ok("list", case, "--json").out)] == ["fine.mp4"]
