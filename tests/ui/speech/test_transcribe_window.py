"""Transcribe from the window with the real recogniser (Whisper tiny.en, offline) on a clip
whose sound says known things (espeak-ng): the command returns at once, the words arrive in
the Transcript panel when the background job ends, a second run does nothing, and Cancel
leaves no transcript behind."""
from __future__ import annotations

import shutil

import pytest

from fixtures.speech import have_espeak, speech_video

pytestmark = pytest.mark.skipif(not have_espeak(), reason="espeak-ng is not installed")

PHRASES = ["Officer Keisha Brown stopped the car.",
           "Her phone number is five five five, three one two, eight nine four zero."]


@pytest.fixture(scope="module")
def clip_case(tmp_path_factory):
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore

    folder = tmp_path_factory.mktemp("transcribe")
    video = folder / "bodycam.mp4"
    said = speech_video(video, PHRASES)
    case = folder / "case"
    with CaseStore.create(case) as store:
        import_paths(store, [video])
    return case, said


@pytest.fixture
def win(qtbot, clip_case, tmp_path):
    from windows import open_window

    case = tmp_path / "case"
    shutil.copytree(clip_case[0], case)
    w = open_window(qtbot, case, tmp_path / "prefs.json")
    yield w
    w.close()


def _transcripts(win) -> int:
    return win.ctl.store.query_one("SELECT count(*) AS n FROM transcripts")["n"]


def test_transcribing_runs_in_the_background_and_fills_the_panel(win, qtbot, clip_case):
    panel = win.speech.panel
    assert "not transcribed yet" in panel.summary.text() and panel.transcribe_button.isVisibleTo(panel)
    win.actions["transcribe"].trigger()
    # the command only started the job: the GUI thread did not wait for the recogniser
    assert _transcripts(win) == 0 and panel.model.rows == []
    qtbot.waitUntil(lambda: len(panel.model.rows) > 10, timeout=180000)
    words = [r["word"].lower().strip(".,") for r in panel.model.rows if r["kind"] == "word"]
    assert "phone" in words and "number" in words, words
    phone = next(r for r in panel.model.rows if r["word"].lower().strip(".,") == "phone")
    said = clip_case[1]
    assert said[1].start_s - 0.2 <= phone["start"] <= said[1].end_s
    assert win.statusBar().currentMessage().startswith("Transcribed: ")
    assert not panel.transcribe_button.isVisibleTo(panel)
    assert win.docks["transcript"].isVisible()
    # again: the same original, model and settings are not transcribed twice
    before = [(r["id"], r["word"]) for r in panel.model.rows]
    win.actions["transcribe_all"].trigger()
    qtbot.waitUntil(lambda: "already transcribed" in win.statusBar().currentMessage(), timeout=60000)
    assert [(r["id"], r["word"]) for r in panel.model.rows] == before
    assert _transcripts(win) == 1


def test_cancelling_keeps_no_half_transcript(win, qtbot):
    from PySide6.QtWidgets import QProgressDialog

    win.actions["transcribe_all"].trigger()
    job, dialog = win._job
    assert isinstance(dialog, QProgressDialog)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    qtbot.waitUntil(dialog.isVisible)  # shown after a moment, as a person would see it
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith(("Cancelled", "Transcription "
                                                                          "cancelled")),
                    timeout=60000)
    assert _transcripts(win) == 0
    assert "not transcribed yet" in win.speech.panel.summary.text()


def test_a_transcript_someone_had_is_aligned_and_shown(win, qtbot, clip_case, tmp_path):
    said = clip_case[1]

    def stamp(t):
        ms = round(t * 1000)
        return f"00:00:{ms // 1000:02d},{ms % 1000:03d}"
    srt = tmp_path / "given.srt"
    srt.write_text("\n".join(f"{i}\n{stamp(max(0, s.start_s - 0.3))} --> {stamp(s.end_s + 0.3)}\n"
                             f"{s.text}\n" for i, s in enumerate(said, 1)), encoding="utf-8")
    win.speech.import_transcript(str(tmp_path / "missing.srt"))
    qtbot.waitUntil(lambda: "missing.srt" in win.statusBar().currentMessage(), timeout=20000)
    win.speech.import_transcript(str(srt))
    panel = win.speech.panel
    qtbot.waitUntil(lambda: len(panel.model.rows) > 10, timeout=60000)
    words = [r["word"] for r in panel.model.rows if r["kind"] == "word"]
    assert words[:3] == ["Officer", "Keisha", "Brown"]
    first = next(r for r in panel.model.rows if r["word"] == "Officer")
    assert abs(first["start"] - said[0].start_s) < 0.25  # placed by the aligner, not the cue
    assert "aligned to the sound" in win.statusBar().currentMessage()
