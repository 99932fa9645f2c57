"""Captions written for release never carry a redacted word; transcripts people already have
(SRT, WebVTT, text with [hh:mm:ss] marks) are read, and a bad one is refused by name."""
from __future__ import annotations

import pytest

from reviewer.errors import ReviewerError
from reviewer.speech.captions import MARK, CaptionWord, parse_transcript, to_srt, to_vtt


def _words():
    said = "Officer Keisha Brown stopped the car on Elm Street".split()
    words = [CaptionWord(w, 0.5 + i * 0.4, 0.8 + i * 0.4, w in ("Keisha", "Brown")) for i, w in enumerate(said)]
    words.append(CaptionWord("Dispatch", 1.0, 1.4, False, track=1))
    return words


@pytest.mark.parametrize("write", [to_srt, to_vtt])
def test_a_redacted_word_is_a_mark_never_its_text(write):
    text = write(_words())
    assert "Keisha" not in text and "Brown" not in text
    assert text.count(MARK) == 1  # one mark for the run of two redacted words
    assert "Officer [redacted] stopped the car on Elm Street" in text
    assert "Dispatch" in text  # the second track has its own caption


def test_srt_and_vtt_are_read_back_by_their_own_rules(tmp_path):
    srt = tmp_path / "a.srt"
    srt.write_text(to_srt(_words()), encoding="utf-8")
    cues = parse_transcript(srt)
    assert cues[0].start_s == pytest.approx(0.5) and cues[0].text.startswith("Officer")
    vtt = tmp_path / "a.vtt"
    vtt.write_text("WEBVTT\n\nNOTE a comment\n\n00:01.000 --> 00:02.500 align:start\n<v Officer>Stop the "
                   "<b>car</b>\n\n00:00:03.000 --> 00:00:04.000\nLicence please\n", encoding="utf-8")
    cues = parse_transcript(vtt)
    assert [(c.start_s, c.end_s, c.text) for c in cues] == [(1.0, 2.5, "Stop the car"),
                                                              (3.0, 4.0, "Licence please")]


def test_text_with_time_marks_runs_each_cue_to_the_next_mark(tmp_path):
    txt = tmp_path / "notes.txt"
    txt.write_text("[00:00:01] Officer: Stop the car.\n[00:00:04.5] Keisha Brown, 1412 Elm Street.\n")
    cues = parse_transcript(txt)
    assert [(c.start_s, c.end_s) for c in cues] == [(1.0, 4.5), (4.5, None)]
    assert cues[1].text == "Keisha Brown, 1412 Elm Street."
    txt.write_text(txt.read_text() + "[00:00:07]\n")  # a mark alone ends the last cue
    assert [(c.start_s, c.end_s) for c in parse_transcript(txt)] == [(1.0, 4.5), (4.5, 7.0)]


def test_a_file_without_times_is_refused_by_name(tmp_path):
    bad = tmp_path / "plain.txt"
    bad.write_text("just words, no times\n")
    with pytest.raises(ReviewerError, match="plain.txt: no timed text"):
        parse_transcript(bad)
