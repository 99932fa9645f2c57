"""Redaction by the word (what the transcript panel asks for), without a window: chosen
words become padded, merged audio spans on every track as one audited undo step; every
mention of a word is found exactly (numbers as digits or words) and by sound apart."""
from __future__ import annotations

import pytest

from reviewer.errors import ReviewerError
from reviewer.session.session import Session
from reviewer.session.speech import media_words
from reviewer.session.speech import redact_words
from reviewer.session.speech_redact import mentions
from reviewer.session.undo import UndoHistory
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store.redactions import audio_spans
from reviewer.store.transcripts import save_transcript

SAID = [("Keisha", 0.2, 0.6), ("Brown", 0.6, 0.9), ("called", 1.0, 1.3), ("five", 3.0, 3.2),
        ("5", 3.3, 3.5), ("five", 3.6, 3.8), ("Kesha", 6.0, 6.4), ("left", 9.6, 9.9)]


@pytest.fixture
def case(tmp_path):
    store = CaseStore.create(tmp_path / "case")
    with store.write() as tx:
        vid = media_store.add_media(tx, kind="video", name="bodycam.mp4", path=str(tmp_path / "x.mp4"),
                                    sha256="a" * 64, size=1, fields={"frame_count": 250, "width": 320,
                                    "height": 240, "duration": 10.0, "fps": 25.0}, info={})
    save_transcript(store, vid, 0, "a" * 64, "test-model", {}, 10.0,
                    [(w, a, b, 0.9) for w, a, b in SAID], [])
    yield store, media_store.get_media(store, vid)
    store.close()


def test_chosen_words_become_padded_merged_spans_in_one_audited_undo_step(case):
    store, media = case
    words = media_words(store, media)
    ids = [words[i]["id"] for i in (0, 3, 4, 5, 7)]
    cmd, n = redact_words(store, media, ids, mode="bleep", reason="b6")
    assert n == 3  # the name, the digits (merged), the last word clipped at the end
    history = UndoHistory(Session(store))
    history.push(cmd)
    spans = [(float(s.t_from_s), float(s.t_to_s), s.mode) for s in audio_spans(store, media["id"])]
    assert spans == [(0.0, pytest.approx(1.1), "bleep"), (pytest.approx(2.5), pytest.approx(4.3), "bleep"),
                     (pytest.approx(9.1), 10.0, "bleep")]
    flags = [w["redacted"] for w in media_words(store, media)]
    # "called" starts inside the name's padding, so part of it is silent too: shown redacted
    assert flags == [True, True, True, True, True, True, False, True]
    rows = store.query("SELECT reason, source, label FROM redactions")
    assert {(r["reason"], r["source"], r["label"]) for r in rows} == {("b6", "speech", "spoken words")}
    assert "Keisha" not in str(store.query("SELECT payload FROM audit"))  # never the words
    history.undo()
    assert audio_spans(store, media["id"]) == []
    assert store.verify_audit() == []


def test_a_word_not_in_the_item_is_refused_and_none_chosen_is_no_edit(case):
    store, media = case
    with pytest.raises(ReviewerError, match="not in its transcript"):
        redact_words(store, media, [99999])
    assert redact_words(store, media, []) == (None, 0)


def test_every_mention_exact_and_by_sound(case):
    store, media = case
    words = media_words(store, media)
    exact, near = mentions(words, 3)  # "five": "five", "5" and "five"
    assert exact == [3, 4, 5] and near == []
    exact, near = mentions(words, 0)  # "Keisha": the recogniser's "Kesha" only sounds like it
    assert exact == [0] and near == [6]
