"""Every mention of a spoken word, as the transcript panel offers them for redaction by the
word: the exact ones and those that only sound like it, apart, so that a reviewer sees which
is which before ``reviewer.session.speech.redact_words`` silences them."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def mentions(words: Sequence[dict[str, Any]], index: int) -> tuple[list[int], list[int]]:
    """Every mention of the word at ``index`` in ``words`` (media_words): indices of exact
    ones (case-insensitive, number-aware, each track read on its own) and of words that only
    sound like it (a recogniser's other spelling of a name), apart."""
    from reviewer.session.speech import track_matches
    from reviewer.speech.words import near_misses, query_pattern

    text = words[index]["word"]
    pattern = query_pattern(text)
    if not pattern:
        return [], []
    exact = sorted({i for m in track_matches(list(words), pattern) for i in m})
    near = [i for i in near_misses([w["word"] for w in words], text) if i not in set(exact)]
    return exact, near
