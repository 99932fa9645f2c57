"""Before an export, which automatic passes ran on the item (faces, text) and with which
settings; the export's sidecar lists them; results are worded as what was checked.

A video exported once said "10 of 10 checks passed" with its licence plate readable: text
had never been looked for on it, and nothing said so."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.session.passes import missing_passes, passes_run
from reviewer.store import CaseStore
from reviewer.store import media as media_store

ROOT = Path(__file__).resolve().parents[2]
FOREMAN = ROOT / "resources" / "demo" / "foreman_h264.mp4"


@pytest.fixture
def case(tmp_path) -> Path:
    folder = tmp_path / "case"
    assert main(["new", str(folder)]) == 0
    assert main(["import", str(folder), str(FOREMAN)]) == 0
    return folder


def _passes(folder: Path) -> tuple[list, list[str]]:
    with CaseStore.open(folder) as store:
        row = media_store.find_media(store, "foreman_h264.mp4")
        return passes_run(store, row), missing_passes(store, row)


def _export(folder: Path, out: Path, capsys) -> tuple[list[str], dict]:
    capsys.readouterr()
    assert main(["export", str(folder), "foreman_h264.mp4", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    return lines, json.loads(out.with_name(out.name + ".verify.json").read_text())


def test_export_says_which_passes_ran_with_their_settings(case, tmp_path, capsys):
    runs, missing = _passes(case)
    assert [p.name for p in runs] == ["faces", "text"] and missing == ["faces", "text"]
    lines, side = _export(case, tmp_path / "before.mp4", capsys)
    said = [ln for ln in lines if ln.startswith("pass ")]
    assert len(said) == 2 and all("not run on this item" in ln for ln in said), lines
    assert any(ln.startswith("not looked for on this item: faces, text") for ln in lines)
    assert [(p["name"], p["ran"]) for p in side["passes"]] == [("faces", False), ("text", False)]

    assert main(["detect", "faces", str(case), "foreman_h264.mp4"]) == 0
    runs, missing = _passes(case)
    assert missing == ["text"]
    faces = runs[0]
    assert faces.ran and faces.current and faces.settings["threshold"] == 0.2
    lines, side = _export(case, tmp_path / "faces.mp4", capsys)
    line = next(ln for ln in lines if ln.startswith("pass faces:"))
    assert "the face detector (CenterFace) ran on this item" in line and "threshold 0.2" in line
    assert "pass text: not run on this item" in lines[1]
    assert side["passes"][0]["ran"] and side["passes"][0]["settings"]["threshold"] == 0.2
    assert not side["passes"][1]["ran"]

    assert main(["detect", "text", str(case), "foreman_h264.mp4"]) == 0
    runs, missing = _passes(case)
    assert missing == [] and runs[1].settings["model"].startswith("PP-OCRv4")
    lines, side = _export(case, tmp_path / "both.mp4", capsys)
    assert not any(ln.startswith("not looked for") for ln in lines)
    assert all(p["ran"] for p in side["passes"])


def test_undoing_a_run_forgets_its_record(case):
    from reviewer.batch.detect_batch import find_faces
    from reviewer.batch.runners import make_runner
    from reviewer.progress import BatchProgress, Progress
    from reviewer.session.session import Session

    made = []
    runner = make_runner(1)
    try:
        with CaseStore.open(case) as store:
            row = media_store.find_media(store, "foreman_h264.mp4")
            list(find_faces(store, [row], runner, BatchProgress(Progress()), apply=made.append))
            assert made and missing_passes(store, row) == ["faces", "text"]  # not applied yet
            inverse, _changes = Session(store).apply(made[0])
            assert missing_passes(store, row) == ["text"]
            Session(store).apply(inverse)  # the undo step of the run
            assert missing_passes(store, row) == ["faces", "text"]
    finally:
        runner.close()


def test_a_record_for_another_original_does_not_count(case, tmp_path):
    assert main(["detect", "faces", str(case), "foreman_h264.mp4"]) == 0
    with CaseStore.open(case) as store:
        row = dict(media_store.find_media(store, "foreman_h264.mp4"))
        row["sha256"] = "0" * 64
        assert missing_passes(store, row) == ["faces", "text"]


CLAIMS = re.compile(r"checks passed|every face (the detector sees )?is covered|all checks pass"
                    r"|no (text or )?face left|nothing readable left", re.IGNORECASE)


def test_no_message_claims_more_than_was_checked():
    found = []
    for path in (ROOT / "reviewer").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if ('"' in code or "'" in code) and CLAIMS.search(code):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_a_clip_with_sound_lists_speech_until_it_is_transcribed(tmp_path, capsys):
    """Speech is a pass too: an export of a clip whose sound was never transcribed says that
    what was said was not looked for. A clip with no sound (foreman above) has no such pass."""
    from fixtures.speech import have_espeak, speech_video

    if not have_espeak():
        pytest.skip("espeak-ng makes the speech")
    from reviewer.store.transcripts import save_transcript

    video = tmp_path / "bodycam.mp4"
    said = speech_video(video, ["Her name is Maria Lopez."])
    folder = tmp_path / "case"
    assert main(["new", str(folder)]) == 0
    assert main(["import", str(folder), str(video)]) == 0
    with CaseStore.open(folder) as store:
        row = media_store.find_media(store, "bodycam.mp4")
        assert [p.name for p in passes_run(store, row)] == ["faces", "text", "speech"]
        assert missing_passes(store, row) == ["faces", "text", "speech"]
        line = passes_run(store, row)[2].line()
        assert "spoken words were not looked for (reviewer transcribe)" in line
        words = [(w, said[0].start_s + k * 0.3, said[0].start_s + k * 0.3 + 0.25, 0.9)
                 for k, w in enumerate("Her name is Maria Lopez".split())]
        save_transcript(store, row["id"], 0, row["sha256"], "test-model", {}, 3.0, words, [])
        speech = passes_run(store, row)[2]
        assert speech.ran and missing_passes(store, row) == ["faces", "text"]
        assert "the speech recogniser ran on this item" in speech.line()
        other = dict(row, sha256="0" * 64)  # a transcript of another original does not count
        assert "speech" in missing_passes(store, other)
