"""The Transcript panel in the real window, on a video whose sound says known things
(espeak-ng). The words are stored through the case's own transcript store at the times the
phrases were said (the recogniser itself runs in test_transcribe_window.py), so each test
knows exactly which word is where: the panel lists them with their flags, follows the
playhead, goes to a clicked word, turns a typed correction into an undoable edit, mutes
selected words (the export, read back by FFmpeg, is silent there), finds them from the
Search panel, and lets go of the case when another one is opened."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from PySide6.QtCore import Qt

from fixtures.speech import have_espeak, speech_video

pytestmark = pytest.mark.skipif(not have_espeak(), reason="espeak-ng is not installed")

PHRASES = ["Officer Keisha Brown stopped the car.",
           "Her phone number is five five five, three one two, eight nine four zero.",
           "She lives at 1412 Elm Street."]


@pytest.fixture(scope="module")
def spoken_base(tmp_path_factory):
    """A case holding the clip, its words stored at the times they were said: each phrase's
    words spread evenly over its span; "Keisha" written "Kesha" at low confidence (as the
    recogniser writes a name it does not know), and a stretch of speech with no words."""
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store.transcripts import save_transcript

    folder = tmp_path_factory.mktemp("spoken")
    video = folder / "bodycam.mp4"
    said = speech_video(video, PHRASES)
    case = folder / "case"
    with CaseStore.create(case) as store:
        (item,) = import_paths(store, [video])
        row = store.query_one("SELECT * FROM media WHERE id = ?", (item.id,))
        words = []
        for s in said[:2]:
            parts = s.text.replace(",", "").replace(".", "").split()
            step = (s.end_s - s.start_s) / len(parts)
            for k, w in enumerate(parts):
                conf = 0.3 if w == "Keisha" else 0.9
                words.append(("Kesha" if w == "Keisha" else w, s.start_s + k * step,
                              s.start_s + (k + 1) * step, conf))
        save_transcript(store, item.id, 0, row["sha256"], "test-words", {}, said[-1].end_s + 1,
                        words, [(said[2].start_s, said[2].end_s)])
    return case, video, said


@pytest.fixture
def win(qtbot, spoken_base, tmp_path):
    from windows import open_window

    case = tmp_path / "case"
    shutil.copytree(spoken_base[0], case)
    w = open_window(qtbot, case, tmp_path / "prefs.json")
    w.speech.show_panel()
    yield w
    w.close()


def _rows(win):
    return win.speech.panel.model.rows


def _row_of(win, word):
    return next(k for k, r in enumerate(_rows(win)) if r["kind"] == "word" and r["word"] == word)


def test_the_panel_lists_the_words_with_times_and_shows_what_is_uncertain_or_not_transcribed(win):
    from reviewer.ui.speech.transcript_panel import WORD_COL

    model = win.speech.panel.model
    words = [r for r in _rows(win) if r["kind"] == "word"]
    assert [w["word"] for w in words[:4]] == ["Officer", "Kesha", "Brown", "stopped"]
    assert model.data(model.index(0, 0)).startswith("00:00:00.")
    k = _row_of(win, "Kesha")
    idx = model.index(k, WORD_COL)
    assert model.data(idx, Qt.FontRole).italic()
    assert "unsure" in model.data(idx, Qt.ToolTipRole) and "0.30" in model.data(idx, Qt.ToolTipRole)
    assert model.data(model.index(0, WORD_COL), Qt.FontRole) is None  # a sure word: plain
    gap = next(k for k, r in enumerate(_rows(win)) if r["kind"] == "gap")
    text = model.data(model.index(gap, WORD_COL))
    assert "speech not transcribed" in text
    assert "not silence" in model.data(model.index(gap, WORD_COL), Qt.ToolTipRole)
    assert "1 uncertain" in win.speech.panel.summary.text()
    assert "1 stretch of speech not transcribed" in win.speech.panel.summary.text()


def test_clicking_a_word_goes_to_its_frame_and_the_playhead_highlights_the_word(win, qtbot):
    from reviewer.ui.speech.transcript_panel import WORD_COL

    panel, video = win.speech.panel, win.video
    k = _row_of(win, "phone")
    rect = panel.table.visualRect(panel.model.index(k, WORD_COL))
    panel.table.scrollTo(panel.model.index(k, WORD_COL))
    rect = panel.table.visualRect(panel.model.index(k, WORD_COL))
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    start = _rows(win)[k]["start"]
    from fractions import Fraction

    want = video.times.frame_at_seconds(Fraction(start).limit_denominator(100000))
    qtbot.waitUntil(lambda: video.frame == want)
    assert want > 0 and float(video.times.seconds(want)) <= start
    assert panel.model.current == k
    # stepping to a later word moves the highlight there
    later = _row_of(win, "number")
    video.seek(video.times.frame_at_seconds(Fraction(_rows(win)[later]["start"] + 0.05)))
    qtbot.waitUntil(lambda: panel.model.current == later)


def test_a_typed_correction_is_an_audited_edit_that_ctrl_z_undoes(win, qtbot):
    from PySide6.QtWidgets import QApplication, QLineEdit

    from reviewer.ui.speech.transcript_panel import WORD_COL

    panel = win.speech.panel
    k = _row_of(win, "Kesha")
    idx = panel.model.index(k, WORD_COL)
    panel.table.scrollTo(idx)
    panel.table.setCurrentIndex(idx)
    panel.table.edit(idx)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Keisha")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: _rows(win)[k]["word"] == "Keisha")
    assert _rows(win)[k]["heard"] == "Kesha"
    assert "recogniser wrote “Kesha”" in panel.model.data(idx, Qt.ToolTipRole)
    audit = win.ctl.store.query("SELECT op FROM audit ORDER BY seq DESC LIMIT 1")[0]
    assert audit["op"] == "edit.correct word"
    win.activateWindow()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _rows(win)[k]["word"] == "Kesha")
    assert win.ctl.store.verify_audit() == []


def _pcm(path, rate=16000):
    from fixtures.videos import ffmpeg_exe

    raw = subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-i", str(path), "-map", "0:a:0",
                          "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"], capture_output=True,
                         check=True).stdout
    return np.frombuffer(raw, "<f4")


def test_muting_selected_words_makes_one_undoable_span_the_export_silences(win, qtbot, spoken_base,
                                                                          tmp_path):
    from reviewer.export.video import export_video
    from reviewer.store import CaseStore
    from reviewer.store.redactions import audio_spans

    panel = win.speech.panel
    said = spoken_base[2]
    digits = [k for k, r in enumerate(_rows(win)) if r["kind"] == "word"
              and r["word"] in ("five", "three", "one", "two", "eight", "nine", "four", "zero")]
    ids = [_rows(win)[k]["id"] for k in digits]
    panel.select_ids(ids)
    assert panel.mute_button.isEnabled()
    panel.reason.setCurrentIndex(panel.reason.findData("b7C"))
    qtbot.mouseClick(panel.mute_button, Qt.LeftButton)
    media_id = win.video.media["id"]
    spans = audio_spans(win.ctl.store, media_id)
    assert len(spans) == 1  # the digits padded by 0.5 s merge into one span
    s = spans[0]
    first, last = _rows(win)[digits[0]], _rows(win)[digits[-1]]
    assert float(s.t_from_s) == pytest.approx(first["start"] - 0.5, abs=0.002)
    assert float(s.t_to_s) == pytest.approx(last["end"] + 0.5, abs=0.002)
    row = win.ctl.store.query_one("SELECT reason, source, mode FROM redactions WHERE id = ?", (s.id,))
    assert (row["reason"], row["source"], row["mode"]) == ("b7C", "speech", "mute")
    assert all(_rows(win)[k]["redacted"] for k in digits)
    assert not _rows(win)[_row_of(win, "Officer")]["redacted"]
    font = panel.model.data(panel.model.index(digits[0], 2), Qt.FontRole)
    assert font.strikeOut()
    # the export, decoded by FFmpeg, is silent over every selected word; the name is heard
    out = tmp_path / "out.mp4"
    with CaseStore.open(win.ctl.folder) as store:
        media = store.query_one("SELECT * FROM media WHERE id = ?", (media_id,))
        export_video(store, media, out, preset="ultrafast")
    pcm, original = _pcm(out), _pcm(spoken_base[1])
    a, b = int(first["start"] * 16000), int(last["end"] * 16000)
    assert np.abs(original[a:b]).max() > 0.05
    assert np.abs(pcm[a:b]).max() < 0.01
    name = slice(int(said[0].start_s * 16000), int((said[0].end_s - 0.6) * 16000))
    assert np.abs(pcm[name]).max() > 0.05
    # captions saved from the window carry a mark where the words were muted, never the words
    srt = tmp_path / "captions.srt"
    win.speech.save_captions(str(srt))
    qtbot.waitUntil(srt.exists, timeout=20000)
    text = srt.read_text(encoding="utf-8")
    assert "[redacted]" in text and "her phone" in text.lower()
    assert not {"five", "three", "eight", "nine", "zero"} & set(text.lower().replace(",", " ").split())
    assert not list(tmp_path.glob(".*part"))
    # one undo step takes the span away again
    win.actions["undo"].trigger()
    assert audio_spans(win.ctl.store, media_id) == []
    qtbot.waitUntil(lambda: not any(r["redacted"] for r in _rows(win)))


def test_all_mentions_selects_exact_and_similar_words(win):
    panel = win.speech.panel
    k = _row_of(win, "five")
    panel.select_ids([_rows(win)[k]["id"]])
    panel.select_mentions()
    chosen = {_rows(win)[i]["word"] for i in range(len(_rows(win)))
              if _rows(win)[i]["id"] in panel.selected_ids()}
    assert chosen == {"five"} and len(panel.selected_ids()) == 3
    assert "3 exact mentions" in panel.summary.text()


def test_search_lists_spoken_hits_apart_from_near_misses_and_a_hit_goes_to_its_frame(win, qtbot):
    from reviewer.ui.speech.spoken_hits import SPOKEN_ROLE

    search = win.search
    win.video.seek(0)
    search.field.setText("phone number")
    qtbot.keyClick(search.field, Qt.Key_Return)
    qtbot.waitUntil(lambda: search.results.count() > 0, timeout=20000)
    spoken = [search.results.item(i) for i in range(search.results.count())
              if search.results.item(i).data(SPOKEN_ROLE)]
    assert len(spoken) == 1
    hit = spoken[0].data(SPOKEN_ROLE)
    assert hit["match"] == "exact" and "phone number" in hit["snippet"].lower()
    assert hit["cite"].startswith("bodycam.mp4 at ")
    assert "1 said in video" in search.summary.text()
    html = search.results.itemWidget(spoken[0]).text()
    assert "<b>phone</b> <b>number</b>" in html and "bodycam.mp4</b> 00:00:0" in html
    search.results.scrollToItem(spoken[0])
    qtbot.mouseClick(search.results.viewport(), Qt.LeftButton,
                     pos=search.results.visualItemRect(spoken[0]).center())
    qtbot.waitUntil(lambda: win.video.frame == hit["frame"])
    assert win.speech.panel.model.rows[win.speech.panel.model.current]["word"] in ("Her", "phone")
    # a name the recogniser spelled otherwise is listed apart, under its own heading
    search.field.setText("Keisha")
    qtbot.keyClick(search.field, Qt.Key_Return)
    qtbot.waitUntil(lambda: "sounds alike" in search.summary.text(), timeout=20000)
    texts = [search.results.item(i).text() for i in range(search.results.count())]
    assert any(t.startswith("Sounds like it") for t in texts)
    heading = search.results.item(next(i for i, t in enumerate(texts) if t.startswith("Sounds like")))
    frame = win.video.frame
    qtbot.mouseClick(search.results.viewport(), Qt.LeftButton,
                     pos=search.results.visualItemRect(heading).center())
    assert win.video.frame == frame  # the heading is no hit: clicking it goes nowhere
    near = [search.results.item(i).data(SPOKEN_ROLE) for i in range(search.results.count())
            if search.results.item(i).data(SPOKEN_ROLE)]
    assert [h["match"] for h in near] == ["near"]


# the offscreen platform cannot raise a popup menu nor grab the keyboard for it, and says so
@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise\(\)|grabbing the keyboard|"
                           r"propagateSizeHints\(\))$")
def test_every_mention_of_a_search_is_muted_from_the_search_panel_as_one_step(win, qtbot):
    from reviewer.store.redactions import audio_spans

    from reviewer.ui.speech.spoken_hits import SPOKEN_ROLE

    tools, search = win.speech, win.search
    search.field.setText("Keisha")
    qtbot.keyClick(search.field, Qt.Key_Return)
    qtbot.waitUntil(lambda: "sounds alike" in search.summary.text(), timeout=20000)
    item = next(search.results.item(i) for i in range(search.results.count())
                if search.results.item(i).data(SPOKEN_ROLE))
    # right-click on a spoken hit: mute or bleep every mention of the search
    search.results.customContextMenuRequested.emit(search.results.visualItemRect(item).center())
    actions = tools.search_menu.actions()
    assert [a.text() for a in actions] == ["Mute every mention of “Keisha”…",
                                           "Bleep every mention of “Keisha”…"]
    tools.search_menu.close()
    actions[0].trigger()
    dlg = tools.dialog
    assert dlg is not None and dlg.near.isVisible() and dlg.near.isChecked()  # no exact hit
    dlg.reasons.setCurrentIndex(dlg.reasons.findData("b6"))
    dlg.accept()
    media_id = win.video.media["id"]
    spans = audio_spans(win.ctl.store, media_id)
    assert len(spans) == 1
    qtbot.waitUntil(lambda: _rows(win)[_row_of(win, "Kesha")]["redacted"])
    win.actions["undo"].trigger()
    assert audio_spans(win.ctl.store, media_id) == []


def test_closing_the_case_lets_go_of_the_transcript_and_another_case_shows_its_own(win, tmp_path,
                                                                                  base_case):
    other = tmp_path / "other"
    shutil.copytree(base_case, other)
    win.close_case()
    assert win.speech.ctl is None and _rows(win) == []
    # this branch's window keeps the old case's tag colours past closing (fixed by the window's
    # case lifecycle on its own branch); not what is tested here
    win.notes.color_lookup = dict
    assert win.open_case(other)
    assert win.speech.ctl is win.ctl
    # the other case's video has no transcript: nothing of the first case is shown
    assert all(r["kind"] != "word" for r in _rows(win))
    assert "not transcribed yet" in win.speech.panel.summary.text()
    assert win.speech.panel.transcribe_button.isVisibleTo(win.speech.panel)


def test_the_export_sweep_stops_on_a_spoken_phone_number_until_it_is_muted(win, qtbot):
    tools = win.speech
    media_id = win.video.media["id"]
    went_on: list[bool] = []
    tools.gate([media_id], "bodycam.mp4", lambda: went_on.append(True))
    qtbot.waitUntil(lambda: tools.sweep.prompt is not None, timeout=20000)
    box = tools.sweep.prompt
    assert "Phone number (spoken)" in box.text() and not went_on
    next(b for b in box.buttons() if b.text() == "Review them").click()
    qtbot.waitUntil(lambda: tools.sweep.prompt is None)
    chosen = [r["word"] for r in _rows(win) if r["id"] in tools.panel.selected_ids()]
    assert chosen == ["five", "five", "five", "three", "one", "two", "eight", "nine", "four", "zero"]
    assert not went_on  # reviewing is not exporting
    qtbot.mouseClick(tools.panel.mute_button, Qt.LeftButton)
    tools.gate([media_id], "bodycam.mp4", lambda: went_on.append(True))
    qtbot.waitUntil(lambda: went_on == [True], timeout=20000)  # nothing left: straight on
    assert tools.sweep.prompt is None
    # the export itself goes through the sweep: undone, the number stops it again
    win.actions["undo"].trigger()
    win.redact.export_current(str(win.ctl.folder / "exports-test" / "out.mp4"))
    qtbot.waitUntil(lambda: tools.sweep.prompt is not None, timeout=20000)
    next(b for b in tools.sweep.prompt.buttons() if b.text() == "Cancel").click()


def test_a_bundle_is_swept_for_what_is_said_inside_its_clips_only(win, qtbot, spoken_base):
    from fractions import Fraction

    from reviewer.citation import exhibits as ex
    from reviewer.store.exhibits import next_seq

    said, media, times = spoken_base[2], win.video.media, win.video.times

    def frame(t):
        return times.frame_at_seconds(Fraction(t).limit_denominator(1000))
    # a clip of the officer's name only: nothing identifying is said in it
    win.ctl.apply(ex.declare_clip(media, frame(said[0].start_s), frame(said[0].end_s),
                                  next_seq(win.ctl.store)))
    went_on: list[bool] = []
    win.speech.gate_clips("the bundle's clips", lambda: went_on.append(True))
    qtbot.waitUntil(lambda: went_on == [True], timeout=20000)
    assert win.speech.sweep.prompt is None
    # a clip over the phone number stops the bundle with the question
    win.ctl.apply(ex.declare_clip(media, frame(said[1].start_s), frame(said[1].end_s),
                                  next_seq(win.ctl.store)))
    win.speech.gate_clips("the bundle's clips", lambda: went_on.append(True))
    qtbot.waitUntil(lambda: win.speech.sweep.prompt is not None, timeout=20000)
    assert "Phone number (spoken)" in win.speech.sweep.prompt.text() and went_on == [True]
    next(b for b in win.speech.sweep.prompt.buttons() if b.text() == "Go on anyway").click()
    qtbot.waitUntil(lambda: went_on == [True, True])


def test_a_transcript_exhibit_is_cited_in_the_exhibits_panel_as_the_bundle_cites_it(win, spoken_base):
    """A transcript excerpt is a span of time, from its first frame's start to its last
    frame's end: the Exhibits panel must not show it as a still (one timecode)."""
    from reviewer.citation.preview import exhibit_cites
    from reviewer.citation.transcript_exhibit import declare_transcript_excerpt

    said = spoken_base[2]
    media = win.ctl.media_list()[0]
    win.ctl.apply(declare_transcript_excerpt(win.ctl.store, media, said[1].start_s,
                                             said[1].end_s))
    (row,) = win.exhibits.panel.rows
    (cite,) = exhibit_cites(win.ctl.store)
    assert row["kind"] == "transcript" and cite.kind == "transcript"
    assert row["cite"] == cite.citation
    assert "–" in row["cite"] and row["cite"].endswith(cite.end_tc)
    assert row["where"].startswith(f"f{cite.first}–{cite.last}")
