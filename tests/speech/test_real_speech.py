"""Real read speech (LibriVox, public domain; tests/fixtures/librivox/README.md): the
recogniser's words against the reference text, searched and aligned through the command
line as a reviewer would."""
from __future__ import annotations

import json

import pytest

from cli.clirun import ok
from fixtures.speech import librivox_video


def _wer(ref: list[str], hyp: list[str]) -> float:
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)] / len(ref)


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    folder = tmp_path_factory.mktemp("librivox")
    video = folder / "austen.mp4"
    said = librivox_video(video)
    case = folder / "case"
    ok("new", case)
    ok("import", case, video)
    ok("transcribe", case)
    return case, said


def test_read_speech_is_transcribed_with_few_errors_at_the_right_times(read):
    from reviewer.speech.words import normalize

    case, said = read
    words = json.loads(ok("transcript", case, "austen.mp4", "--json").out)
    ref = [t for t in normalize(" ".join(s.text for s in said).split()) if t]
    hyp = [t for t in normalize([w["word"] for w in words]) if t]
    assert _wer(ref, hyp) < 0.15  # about 2% measured (docs/decisions/0008): tiny.en on clean speech
    ill = [w for w in words if w["word"].strip(".,").lower() == "selfish"]
    assert len(ill) == 1 and said[2].start_s <= ill[0]["start"] <= said[2].end_s


def test_a_spoken_phrase_is_found_with_a_pin_cite(read):
    case, said = read
    hits = [h for h in json.loads(ok("search", case, "ill disposed", "--json").out)
            if h.get("found_in") == "speech" and h["match"] == "exact"]
    assert len(hits) == 2  # "not an ill disposed young man", "is to be ill disposed"
    assert said[1].start_s - 0.5 <= hits[0]["start"] <= said[1].end_s
    assert hits[1]["cite"].startswith("austen.mp4 at 00:00:")


def test_the_reference_text_imported_with_time_marks_aligns_every_word(read, tmp_path):
    case, said = read
    text = tmp_path / "austen.txt"
    text.write_text("\n".join(f"[00:00:{s.start_s:06.3f}] {s.text}" for s in said))
    out = ok("transcript", case, "austen.mp4", "--import", text).out
    total = sum(len(s.text.split()) for s in said)
    assert f"{total} words from 5 cue(s); {total} aligned to the sound" in out
    words = json.loads(ok("transcript", case, "austen.mp4", "--json").out)
    assert [w["word"] for w in words] == " ".join(s.text for s in said).split()
    # each sentence's words stay inside that sentence's stretch of sound
    for s in said:
        first = s.text.split()[0]
        starts = [w["start"] for w in words if w["word"] == first and s.start_s - 0.3 <= w["start"] <= s.end_s]
        assert starts, s.text


def test_a_cue_the_aligner_cannot_place_takes_the_recognisers_word_times(read, tmp_path, monkeypatch):
    import reviewer.speech.align as align
    from reviewer.session.speech import import_transcript, media_words
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store
    from reviewer.store.transcripts import engine_word_times

    case, said = read
    # as when PocketSphinx drops a word or hears nothing in the noise
    monkeypatch.setattr(align, "align_cue", lambda audio, words, a, b: align.proportional(words, a, b))
    s = said[1]  # "he was not an ill disposed young man"
    text = tmp_path / "one.txt"
    text.write_text(f"[00:00:{s.start_s - 0.2:06.3f}] {s.text}\n[00:00:{s.end_s + 0.3:06.3f}] ")
    with CaseStore.open(case) as store:
        media = media_store.find_media(store, "austen.mp4")
        heard = [t for t in engine_word_times(store, media["id"], 0) if s.start_s - 0.2 <= sum(t) / 2 <= s.end_s + 0.3]
        assert len(heard) == len(s.text.split())  # the recogniser heard the sentence word for word
        counts = import_transcript(store, media, text)
        assert counts["engine"] == len(heard) and counts["aligned"] == 0
        words = media_words(store, media)
        assert [(w["start"], w["end"]) for w in words] == heard
        assert {w["confidence"] for w in words} == {0.8}
