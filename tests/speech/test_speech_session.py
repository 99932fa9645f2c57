"""The core API a transcript panel stands on: words with times and flags, corrections and
redactions as undoable, audited edits; what the batch and the model refuse; the verify
check that listens to redacted spans again."""
from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from reviewer.errors import ReviewerError
from reviewer.session.session import Session
from reviewer.session.speech import (
    correct_word,
    media_words,
    redact_speech,
    redact_words,
    excerpt,
    retime_word,
    spoken_identifiers,
    untranscribed,
)
from reviewer.session.undo import UndoHistory
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store.transcripts import save_transcript

SAID = [("Her", 1.0, 1.2), ("number", 1.2, 1.5), ("is", 1.5, 1.6), ("five", 1.7, 1.9),
        ("five", 1.9, 2.1), ("five", 2.1, 2.3), ("three", 2.5, 2.7), ("one", 2.7, 2.9),
        ("two", 2.9, 3.1), ("eight", 3.3, 3.5), ("nine", 3.5, 3.7), ("four", 3.7, 3.9),
        ("zero", 3.9, 4.1), ("thanks", 6.0, 6.3), ("Keisha", 8.0, 8.4)]


@pytest.fixture
def case(tmp_path):
    store = CaseStore.create(tmp_path / "case")
    with store.write() as tx:
        vid = media_store.add_media(tx, kind="video", name="bodycam.mp4", path=str(tmp_path / "x.mp4"),
                                    sha256="a" * 64, size=1, fields={"frame_count": 300, "width": 320,
                                    "height": 240, "duration": 10.0, "fps": 30.0}, info={})
    media = media_store.get_media(store, vid)
    save_transcript(store, vid, 0, "a" * 64, "test-model", {"beam": 5}, 10.0,
                    [(w, a, b, 0.9 if w != "Keisha" else 0.3) for w, a, b in SAID], [(4.5, 5.5)])
    yield store, media
    store.close()


def test_the_words_of_an_item_come_with_times_confidence_and_flags(case):
    store, media = case
    words = media_words(store, media)
    assert [w["word"] for w in words] == [w for w, _, _ in SAID]
    assert words[0]["start"] == 1.0 and words[0]["end"] == 1.2 and words[0]["track"] == 0
    assert [w["low"] for w in words].count(True) == 1 and words[-1]["low"]
    assert not any(w["redacted"] for w in words)
    assert untranscribed(store, media) == [{"start": 4.5, "end": 5.5, "track": 0}]


def test_a_correction_is_an_undoable_audited_edit_that_keeps_what_was_heard(case):
    store, media = case
    history = UndoHistory(Session(store))
    kid = media_words(store, media)[-1]["id"]
    history.push(correct_word(store, kid, "  Keesha "))
    after = media_words(store, media)[-1]
    assert after["word"] == "Keesha" and after["heard"] == "Keisha"
    audit = store.query("SELECT op, payload FROM audit ORDER BY seq DESC LIMIT 1")[0]
    assert audit["op"] == "edit.correct word" and json.loads(audit["payload"])["id"] == kid
    history.push(retime_word(store, kid, 8.1, 8.5))
    assert media_words(store, media)[-1]["start"] == 8.1
    history.undo()
    history.undo()
    assert media_words(store, media)[-1]["word"] == "Keisha"
    assert media_words(store, media)[-1]["start"] == 8.0
    with pytest.raises(ReviewerError):
        correct_word(store, kid, "   ")
    assert store.verify_audit() == []


def test_redact_speech_makes_padded_merged_spans_as_one_undo_step(case):
    store, media = case
    history = UndoHistory(Session(store))
    cmd, n = redact_speech(store, media, "555-312-8940", reason="b6")
    assert n == 1
    history.push(cmd)
    rows = store.query("SELECT * FROM redactions WHERE kind = 'audio'")
    assert len(rows) == 1
    r = rows[0]
    assert (Fraction(r["t_from"]), Fraction(r["t_to"])) == (Fraction(12, 10), Fraction(46, 10))
    assert r["reason"] == "b6" and r["source"] == "speech" and "5" not in r["label"]
    words = media_words(store, media)
    assert [w["word"] for w in words if w["redacted"]] == [w for w, _, _ in SAID[1:13]]
    history.undo()
    assert store.query("SELECT * FROM redactions") == []


def test_words_chosen_in_a_panel_are_redacted_as_one_step(case):
    store, media = case
    words = media_words(store, media)
    ids = [words[-1]["id"], words[3]["id"], words[4]["id"]]  # Keisha, and "five five"
    cmd, n = redact_speech(store, media, "zzz")
    assert (cmd, n) == (None, 0)
    cmd, n = redact_words(store, media, ids, mode="bleep", reason="b7C", pad_s=0.25)
    assert n == 2
    Session(store).apply(cmd)
    spans = sorted((Fraction(r["t_from"]), Fraction(r["t_to"]), r["mode"]) for r in
                   store.query("SELECT * FROM redactions WHERE kind = 'audio'"))
    assert spans == [(Fraction(145, 100), Fraction(235, 100), "bleep"),
                     (Fraction(775, 100), Fraction(865, 100), "bleep")]
    with pytest.raises(ReviewerError, match="not in its transcript"):
        redact_words(store, media, [99999])


def test_an_excerpt_cites_its_span_and_never_carries_a_redacted_word(case):
    store, media = case
    Session(store).apply(redact_speech(store, media, "555-312-8940")[0])
    ex = excerpt(store, media, 0.9, 6.5)
    assert ex["cite"] == "bodycam.mp4 at 00:00:00.900\u201300:00:06.500"
    assert ex["text"] == "Her [redacted] thanks"
    with pytest.raises(ReviewerError, match="empty"):
        excerpt(store, media, 3.0, 3.0)


def test_the_sweep_lists_spoken_identifiers_until_they_are_silenced(case):
    store, media = case
    found = spoken_identifiers(store, media)
    assert [h["kind"] for h in found] == ["Phone number (spoken)"]
    assert (found[0]["start"], found[0]["end"]) == (1.7, 4.1)
    assert found[0]["text"] == "five five five three one two eight nine four zero"
    assert found[0]["track"] == 0 and len(found[0]["words"]) == 10
    # the window sweeps what is about to leave the case: a clip before or after says nothing
    assert spoken_identifiers(store, media, within=(0.0, 1.5)) == []
    assert spoken_identifiers(store, media, within=(4.0, 9.0)) == found
    # what it lists is what redact_words silences
    Session(store).apply(redact_words(store, media, found[0]["words"])[0])
    assert spoken_identifiers(store, media) == []


def test_redact_speech_before_transcribing_is_refused_by_name(tmp_path):
    store = CaseStore.create(tmp_path / "c")
    with store.write() as tx:
        vid = media_store.add_media(tx, kind="video", name="quiet.mp4", path="/nowhere", sha256="c" * 64,
                                    size=1, fields={"duration": 3.0}, info={})
    with pytest.raises(ReviewerError, match="quiet.mp4: not transcribed yet"):
        redact_speech(store, media_store.get_media(store, vid), "x")
    store.close()


def test_words_a_worker_heard_in_another_file_are_not_kept(tmp_path):
    from cli.clirun import ok
    from fixtures.videos import make_video

    from reviewer.batch.speech_tasks import TrackWords, TranscribeOutcome
    from reviewer.batch.transcribe_batch import transcribe_batch
    from reviewer.progress import BatchProgress

    video = make_video(tmp_path / "tone.mp4", "cfr", n_frames=30)
    ok("new", tmp_path / "case")
    ok("import", tmp_path / "case", video)

    class ForeignRunner:
        def run(self, tasks, batch):
            for t in tasks:
                yield t, TranscribeOutcome(t.source.media_id, "f" * 64, "whisper",
                                           (TrackWords(0, 1.0, (("secret", 0.1, 0.3, 0.9),), ()),))

    with CaseStore.open(tmp_path / "case") as store:
        rows = [r for r in media_store.list_media(store)]
        (item,) = transcribe_batch(store, rows, ForeignRunner(), BatchProgress())
        assert item.status == "failed" and "another file" in item.line()
        assert store.query("SELECT * FROM transcripts") == []


def test_a_model_file_with_another_hash_is_refused(tmp_path):
    from reviewer.speech.engine import check_model

    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        (tmp_path / name).write_bytes(b"{}")
    with pytest.raises(ReviewerError, match="not the expected speech model"):
        check_model(tmp_path)
    (tmp_path / "vocabulary.txt").unlink()
    with pytest.raises(ReviewerError, match="incomplete"):
        check_model(tmp_path)


def test_speech_not_transcribed_is_where_the_detector_heard_speech_and_no_word_came():
    from reviewer.speech.engine import Heard, HeardWord

    heard = Heard((HeardWord("stop", 1.0, 1.4, 0.9),), ((0.8, 2.0), (3.0, 4.5), (6.0, 6.1)), 8.0)
    assert heard.untranscribed() == [(3.0, 4.5)]


def test_verify_hears_words_left_in_a_redacted_span_and_does_not_print_them():
    from fixtures.speech import have_espeak, speak

    from reviewer.annotate.geometry import AudioSpan
    from reviewer.export.speech_check import heard_in_spans

    if not have_espeak():
        pytest.skip("espeak-ng is not installed")
    pcm = np.concatenate([np.zeros(8000, np.float32), speak("Keisha Brown lives on Elm Street"),
                          np.zeros(8000, np.float32)])[None, :]
    seconds = pcm.shape[1] / 16000
    spoken = AudioSpan(1, 1, Fraction(0), Fraction(seconds).limit_denominator(1000))
    check = heard_in_spans(pcm, 16000, 0, [spoken])
    assert check is not None and not check.ok
    assert "word(s) heard" in check.detail and "Elm" not in check.detail
    silent = heard_in_spans(np.zeros_like(pcm), 16000, 0, [spoken])
    assert silent.ok
