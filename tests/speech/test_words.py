"""Matching spoken words: numbers said or written alike, separators optional, names that
sound alike as near misses, padded and merged spans. Word lists are written the way Whisper
tiny.en actually wrote them for espeak-ng speech (digits glued to the punctuation between
them: "5", ".5,", "3", ".1"), and the way a person says them ("five five five")."""
from __future__ import annotations

import pytest

from reviewer.errors import ReviewerError
from reviewer.speech.words import (
    compile_pattern,
    find_matches,
    near_misses,
    normalize,
    padded_spans,
    query_pattern,
    strip_separators,
)

WHISPER_PHONE = "Her phone number is 5 .5 .5, 3 .1 .2, 8 .9 .4 .0.".split()
SPOKEN_PHONE = "call me at five five five three one two eight nine four zero okay".split()


def test_number_words_become_digits_and_tens_join_units():
    assert normalize(["Five", "twenty", "one", "oh", "7", "said", "Oh", "my"]) == [
        "5", "21", "", "0", "7", "said", "oh", "my"]
    assert normalize(["twenty-one"]) == ["21"]


@pytest.mark.parametrize("words", [WHISPER_PHONE, SPOKEN_PHONE])
@pytest.mark.parametrize("pattern", ["555-312-8940", r"\d{3}[-. ]?\d{3}[-. ]?\d{4}", "5553128940",
                                     r"555\s312\s8940"])
def test_a_phone_number_matches_however_it_was_said_or_written(words, pattern):
    matches = find_matches(words, pattern)
    assert len(matches) == 1
    said = [words[i] for i in matches[0]]
    assert [t for t in normalize(said) if t] == list("5553128940")


def test_a_spelled_out_a_number_matches_the_a_number_pattern():
    words = "Her A number is A 2 0 1 5 5 7 3 4 2.".split()
    (m,) = find_matches(words, r"a-?\d{9}")
    assert [words[i] for i in m] == ["A", "2", "0", "1", "5", "5", "7", "3", "4", "2."]


def test_matching_ignores_case_and_punctuation_and_keeps_names_apart():
    words = "Officer KEISHA Brown, and keisha's friend".split()
    assert find_matches(words, "keisha brown") == [(1, 2)]
    assert find_matches(words, r"\bkeishas?\b") == [(1,), (4,)]
    assert find_matches(words, "washington") == []


def test_separator_stripping_keeps_classes_quantifiers_and_escapes():
    assert strip_separators(r"a-?\d{8,9}") == r"a\d{8,9}"
    assert strip_separators(r"\d{3}[-. ]?\d{3}\s*\d{4}") == r"\d{3}\d{3}\d{4}"
    assert strip_separators(r"(?<![\w-])\d") == r"(?<![\w-])\d"


def test_a_bad_pattern_is_one_clear_error():
    with pytest.raises(ReviewerError, match="not a regular expression"):
        compile_pattern("(")


def test_a_search_query_matches_spoken_numbers_and_written_ones():
    assert find_matches(WHISPER_PHONE, query_pattern("five five five")) == [(4, 5, 6)]
    assert find_matches(SPOKEN_PHONE, query_pattern("555-312")) == [(3, 4, 5, 6, 7, 8)]


def test_names_that_sound_alike_are_near_misses_not_matches():
    words = "Officer Kesha Brown met Keisha and Marsha".split()
    assert near_misses(words, "Keisha") == [1]  # Keisha itself is an exact hit, not a near miss
    assert near_misses(words, "Browne") == [2]
    assert near_misses("five 555 Smith".split(), "Smyth") == [2]
    assert near_misses("5 555".split(), "555") == []  # numbers are matched exactly, never "near"


def test_spans_are_padded_merged_and_clipped():
    assert padded_spans([(1.0, 1.2), (1.8, 2.0), (5.0, 6.0)], 0.5, 5.8) == [(0.5, 2.5), (4.5, 5.8)]
    assert padded_spans([(0.2, 0.4)], 0.5) == [(0.0, 0.9)]
    assert padded_spans([], 0.5) == []
