"""Redaction by the word, as the transcript panel asks for it: the words a reviewer picked
(or every mention of one), padded and merged into audio spans, one undo step.

``reviewer.session.speech.redact_speech`` works from a pattern (the command line's
``redact speech --match``); a reviewer in the window points at words instead, including
near misses no pattern would name, so this takes word ids. The spans are made the same way
(padded by ``PAD_S`` either side, merged with neighbours, clipped to the item) so a word
redacted here is silenced exactly as the command line would silence it.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.session.edits import Batch, Command
from reviewer.store import CaseStore


def word_spans(words: Sequence[dict[str, Any]], word_ids: Sequence[int], pad_s: float | None = None,
               duration_s: float | None = None) -> list[tuple[float, float]]:
    """The padded, merged spans over the words ``word_ids`` of ``words`` (media_words)."""
    from reviewer.speech.words import PAD_S, padded_spans

    chosen = set(int(i) for i in word_ids)
    times = [(w["start"], max(w["end"], w["start"])) for w in words if w["id"] in chosen]
    return padded_spans(times, PAD_S if pad_s is None else pad_s, duration_s)


def redact_words(store: CaseStore, media: dict[str, Any], word_ids: Sequence[int],
                 mode: str = "mute", reason: str = "", pad_s: float | None = None
                 ) -> tuple[Command | None, int]:
    """Mute (or bleep) the words ``word_ids`` of ``media`` on every audio track: one audio
    redaction per merged span, all one undo step. Returns (the edit or None, spans)."""
    from reviewer.session.redactions import add_audio_span, check_audio_span
    from reviewer.session.speech import media_words

    words = media_words(store, media)
    known = {w["id"] for w in words}
    missing = [i for i in word_ids if int(i) not in known]
    if missing:
        raise ReviewerError(f"{media['name']}: word {missing[0]} is not in its transcript")
    duration = media.get("duration")
    spans = word_spans(words, word_ids, pad_s, float(duration) if duration else None)
    cmds = []
    for a, b in spans:
        # whole milliseconds, rounded outwards: a span never shrinks by being stored
        t_from = Fraction(math.floor(round(a * 1000, 6)), 1000)
        t_to = Fraction(math.ceil(round(b * 1000, 6)), 1000)
        check_audio_span(media, t_from, t_to)
        # the label names how the span was chosen, never the words (labels reach logs)
        cmds.append(add_audio_span(media["id"], t_from, t_to, mode=mode, reason=reason,
                                   source="speech", label="spoken words"))
    if not cmds:
        return None, 0
    return Batch(tuple(cmds), label=f"{mode} spoken words"), len(cmds)


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
