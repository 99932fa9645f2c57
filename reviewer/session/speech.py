"""What was said, at the session level: the words of an item with what is redacted,
corrections (edit commands), redaction by the word, imported transcripts, spoken search.

A word counts as redacted when any active audio redaction of its item overlaps it: the
exported sound is silent there on every track, so captions written from the case replace
it by a mark (reviewer.speech.captions) whether the span was made by ``redact speech``, by
hand, or by the window.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.session.edits import Batch, Command, Update
from reviewer.store import CaseStore
from reviewer.store import transcripts as tstore

LOW_CONFIDENCE = 0.5  # below this a word is shown as uncertain


def _spans(store: CaseStore, media_id: int) -> list[tuple[float, float]]:
    return [(float(Fraction(a)), float(Fraction(b))) for a, b in tstore.audio_spans(store, media_id)]


def media_words(store: CaseStore, media: dict[str, Any]) -> list[dict[str, Any]]:
    """Every word shown for ``media`` in time order, for a transcript panel and for export:
    ``id``, ``word``, ``heard`` (the engine's, before any correction), ``start``, ``end``
    (seconds from frame 0), ``track``, ``confidence``, ``low`` (below 0.5), ``redacted``."""
    spans = _spans(store, media["id"])
    out = []
    for w in tstore.words_of(store, media["id"]):
        a, b = float(w["start_s"]), float(w["end_s"])
        out.append({"id": w["id"], "word": w["word"], "heard": w["heard"], "start": a, "end": b,
                    "track": w["track"], "confidence": w["confidence"],
                    "low": w["confidence"] < LOW_CONFIDENCE,
                    "redacted": any(x < b and y > a for x, y in spans) or (a == b and any(
                        x <= a <= y for x, y in spans))})
    return out


def untranscribed(store: CaseStore, media: dict[str, Any]) -> list[dict[str, Any]]:
    """Speech the voice detector heard but no word came from: ``start``, ``end``, ``track``."""
    return [{"start": g["start_s"], "end": g["end_s"], "track": g["track"]}
            for g in tstore.gaps_of(store, media["id"])]


def correct_word(store: CaseStore, word_id: int, text: str) -> Command:
    """Change what a word says (a reviewer's correction); undone like any edit. The engine's
    own word stays in ``heard``."""
    text = " ".join(text.split())
    if not text:
        raise ReviewerError("a corrected word cannot be empty")
    row = store.query_one("SELECT id FROM spoken_words WHERE id = ?", (word_id,))
    if row is None:
        raise ReviewerError(f"word {word_id}: not in the case")
    return Update("spoken_words", int(word_id), {"word": text}, label="correct word")


def retime_word(store: CaseStore, word_id: int, start_s: float, end_s: float) -> Command:
    if end_s <= start_s or start_s < 0:
        raise ReviewerError(f"word {word_id}: {start_s:g}..{end_s:g} s is not a span")
    if store.query_one("SELECT id FROM spoken_words WHERE id = ?", (word_id,)) is None:
        raise ReviewerError(f"word {word_id}: not in the case")
    return Update("spoken_words", int(word_id), {"start_s": float(start_s), "end_s": float(end_s)},
                  label="retime word")


def track_matches(words: list[dict[str, Any]], pattern: str) -> list[tuple[int, ...]]:
    """Matches of ``pattern`` in ``words`` (media_words), each track read on its own (two
    tracks talking at once must not interleave into one sentence); indices into ``words``."""
    from reviewer.speech.words import find_matches

    out: list[tuple[int, ...]] = []
    for track in sorted({w["track"] for w in words}):
        idx = [i for i, w in enumerate(words) if w["track"] == track]
        out += [tuple(idx[k] for k in m) for m in find_matches([words[i]["word"] for i in idx], pattern)]
    return sorted(out)


@dataclass(frozen=True)
class SpeechMatches:
    words: list[dict[str, Any]]  # every word of the item (media_words)
    matches: list[tuple[int, ...]]  # indices into words, one tuple per match
    spans: list[tuple[float, float]]  # padded, merged, clipped


def match_speech(store: CaseStore, media: dict[str, Any], pattern: str,
                 pad_s: float | None = None) -> SpeechMatches:
    from reviewer.speech.words import PAD_S, padded_spans

    words = media_words(store, media)
    matches = track_matches(words, pattern)
    times = [(words[m[0]]["start"], max(words[i]["end"] for i in m)) for m in matches]
    duration = media.get("duration")
    spans = padded_spans(times, PAD_S if pad_s is None else pad_s,
                         float(duration) if duration else None)
    return SpeechMatches(words, matches, spans)


def redact_speech(store: CaseStore, media: dict[str, Any], pattern: str, mode: str = "mute",
                  reason: str = "", pad_s: float | None = None) -> tuple[Command | None, int]:
    """Audio redactions (made as ``redact audio`` makes them) over each spoken match of
    ``pattern``, padded and merged; one undo step. Returns (the edit or None, spans)."""
    if not tstore.shown_transcripts(store, media["id"]):
        raise ReviewerError(f"{media['name']}: not transcribed yet (run: reviewer transcribe CASE "
                            f"{media['name']})")
    return _span_edit(media, match_speech(store, media, pattern, pad_s).spans, mode, reason)


def redact_words(store: CaseStore, media: dict[str, Any], word_ids: list[int], mode: str = "mute",
                 reason: str = "", pad_s: float | None = None) -> tuple[Command | None, int]:
    """Audio redactions over the words chosen (a transcript panel's selection, or every
    mention a search listed, exact and near), padded and merged; one undo step."""
    from reviewer.speech.words import PAD_S, padded_spans

    chosen = set(word_ids)
    words = [w for w in media_words(store, media) if w["id"] in chosen]
    if len(words) != len(chosen):
        raise ReviewerError(f"{media['name']}: {len(chosen) - len(words)} of the words chosen are "
                            "not in its transcript")
    duration = media.get("duration")
    spans = padded_spans([(w["start"], w["end"]) for w in words], PAD_S if pad_s is None else pad_s,
                         float(duration) if duration else None)
    return _span_edit(media, spans, mode, reason)


def _span_edit(media: dict[str, Any], spans: list[tuple[float, float]], mode: str,
               reason: str) -> tuple[Command | None, int]:
    from reviewer.session.redactions import add_audio_span, check_audio_span

    cmds = []
    for a, b in spans:
        # whole milliseconds, rounded outwards: a span never shrinks by being stored
        t_from = Fraction(math.floor(round(a * 1000, 6)), 1000)
        t_to = Fraction(math.ceil(round(b * 1000, 6)), 1000)
        check_audio_span(media, t_from, t_to)
        # the label names the rule, never the words: it shows in logs that may leave the case
        cmds.append(add_audio_span(media["id"], t_from, t_to, mode=mode, reason=reason,
                                   source="speech", label="spoken words"))
    if not cmds:
        return None, 0
    return Batch(tuple(cmds), label="redact speech"), len(cmds)


def import_transcript(store: CaseStore, media: dict[str, Any], path: str | Path) -> dict[str, int]:
    """Read an SRT, WebVTT or ``[hh:mm:ss]`` text transcript and place its words on the
    first audio track, each cue aligned to the sound; it becomes the shown transcript.
    A cue the aligner cannot place word for word takes the recogniser's word times where it
    heard as many words inside the cue (after ``transcribe``), else is spread by word length.
    Returns counts: ``words``, ``aligned`` (by the aligner), ``engine`` (at the recogniser's
    times), ``cues``."""
    from reviewer.media.index import cached_index
    from reviewer.media.speech_audio import speech_samples
    from reviewer.speech.align import Placed, align_cue
    from reviewer.speech.captions import cue_words, parse_transcript
    from reviewer.store.media import FrameIndexCache

    path = Path(path)
    if media.get("kind") != "video":
        raise ReviewerError(f"{media['name']}: is a document; transcripts are for videos")
    cues = parse_transcript(path)
    index = cached_index(media["path"], FrameIndexCache(store, media["id"]))
    t0 = Fraction(index.pts[0]) * index.time_base if index.count else Fraction(0)
    audio = speech_samples(media["path"], 0, t0)
    seconds = len(audio) / 16000
    heard = tstore.engine_word_times(store, media["id"], 0)
    words: list[tuple[str, float, float, float]] = []
    aligned = engine = 0
    for cue in cues:
        end = max(cue.end_s if cue.end_s is not None else min(seconds, cue.start_s + 10.0),
                  cue.start_s + 0.1)
        said = cue_words(cue.text)
        placed = align_cue(audio, said, cue.start_s, end)
        if placed and placed[0].method != "aligned":
            # the recogniser's own times, where it heard as many words in the cue as it has
            inside = [h for h in heard if cue.start_s <= (h[0] + h[1]) / 2 <= end]
            if len(inside) == len(said):
                placed = [Placed(w, a, b, "engine") for w, (a, b) in zip(said, inside)]
        for p in placed:
            aligned += p.method == "aligned"
            engine += p.method == "engine"
            # a typed transcript is taken as said; confidence says how it was placed
            words.append((p.word, p.start_s, p.end_s, {"aligned": 1.0, "engine": 0.8}.get(p.method, 0.5)))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    tstore.save_transcript(store, media["id"], 0, media["sha256"], f"import:{digest[:16]}",
                           {"file": path.name, "aligner": "pocketsphinx"}, seconds, words, [])
    return {"words": len(words), "aligned": aligned, "engine": engine, "cues": len(cues)}


def search_speech(store: CaseStore, query: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Spoken hits for a search: exact (case-insensitive, number-aware) first, then names
    that sound alike (``match``: ``exact`` | ``near``). Each: ``media``, ``media_name``,
    ``start``, ``end``, ``words`` (indices), ``text`` (the words around)."""
    from reviewer.speech.words import near_misses, query_pattern
    from reviewer.store import media as media_store

    pattern = query_pattern(query)
    if not pattern:
        return []
    exact: list[dict[str, Any]] = []
    near: list[dict[str, Any]] = []
    for item in tstore.transcribed_media(store):
        media = media_store.get_media(store, item["id"])
        words = media_words(store, media)
        texts = [w["word"] for w in words]
        hit_words: set[int] = set()
        for m in track_matches(words, pattern):
            hit_words.update(m)
            exact.append(_hit(media, words, m, "exact"))
        for i in near_misses(texts, query):
            if i not in hit_words:
                near.append(_hit(media, words, (i,), "near"))
    return (exact + near)[:limit]


def _hit(media: dict[str, Any], words: list[dict[str, Any]], m: tuple[int, ...], how: str) -> dict[str, Any]:
    # the words around, on the hit's own track; the case's own search shows what was said
    # (work product), and ``redacted`` says whether the hit is already silenced
    same = [i for i, w in enumerate(words) if w["track"] == words[m[0]]["track"]]
    k0, k1 = same.index(m[0]), same.index(m[-1])
    snippet = " ".join(words[i]["word"] for i in same[max(0, k0 - 6):k1 + 7])
    return {"media": media["id"], "media_name": media["name"], "start": words[m[0]]["start"],
            "end": max(words[i]["end"] for i in m), "words": [words[i]["id"] for i in m],
            "text": snippet, "match": how, "redacted": all(words[i]["redacted"] for i in m)}


def spoken_identifiers(store: CaseStore, media: dict[str, Any],
                       within: tuple[float, float] | None = None) -> list[dict[str, Any]]:
    """For the sweep before an export or a bundle (the command line's warning and the
    window's list): spoken identifiers (built-in kinds and the case's own patterns) whose
    words are not all under an audio redaction yet, in time order. Each: ``kind``, ``start``,
    ``end`` (seconds from frame 0), ``track``, ``words`` (ids, for :func:`redact_words`) and
    ``text`` (the words as heard: for the case's own window, never for a log). ``within``
    (seconds) keeps only those said at least partly inside it, e.g. a clip exhibit's span.
    An item not transcribed has none: only what the recogniser wrote down can be found."""
    from reviewer.session.case_patterns import read_patterns
    from reviewer.speech.identifiers import SPOKEN_PATTERNS

    words = media_words(store, media)
    kinds = dict(SPOKEN_PATTERNS)
    kinds.update({p["name"]: p["pattern"] for p in read_patterns(store)})
    out = []
    for kind, pattern in kinds.items():
        for m in track_matches(words, pattern):
            if all(words[i]["redacted"] for i in m):
                continue
            start, end = words[m[0]]["start"], max(words[i]["end"] for i in m)
            if within is not None and not (start < within[1] and end > within[0]):
                continue
            out.append({"kind": kind, "start": start, "end": end, "track": words[m[0]]["track"],
                        "words": [words[i]["id"] for i in m],
                        "text": " ".join(words[i]["word"] for i in m)})
    return sorted(out, key=lambda h: (h["start"], h["kind"]))


def excerpt_words(store: CaseStore, media: dict[str, Any], t_from: float,
                  t_to: float) -> list[dict[str, Any]]:
    """The words said from ``t_from`` to ``t_to`` (a word counts when its middle is inside),
    every track, in time order, as they may leave the case: ``word`` (each redacted word
    replaced by the mark, never its text), ``start``, ``end``, ``track``, ``redacted``."""
    from reviewer.speech.captions import MARK

    return [{"word": MARK if w["redacted"] else w["word"], "start": w["start"], "end": w["end"],
             "track": w["track"], "redacted": w["redacted"]}
            for w in media_words(store, media) if t_from <= (w["start"] + w["end"]) / 2 <= t_to]


def excerpt_text(words: list[dict[str, Any]], track: int = 0) -> str:
    """One track's words of an excerpt as a line; a run of redacted words is one mark."""
    from reviewer.speech.captions import MARK

    parts: list[str] = []
    for w in words:
        if w["track"] != track:
            continue
        if not (w["word"] == MARK and parts and parts[-1] == MARK):
            parts.append(w["word"])
    return " ".join(parts)


def excerpt(store: CaseStore, media: dict[str, Any], t_from: float, t_to: float,
            track: int = 0) -> dict[str, Any]:
    """A transcript excerpt as a brief cites it: ``cite`` ("bodycam.mp4 at
    00:03:12.480–00:03:20.000"), ``start``/``end`` and ``text``, the words said in the span
    with each redacted word (run) as ``[redacted]``: an excerpt is made to leave the case."""
    from reviewer.timebase import timecode

    if t_to <= t_from:
        raise ReviewerError(f"{media['name']}: the excerpt {t_from:g}..{t_to:g} s is empty")
    text = excerpt_text(excerpt_words(store, media, t_from, t_to), track)
    a = Fraction(math.floor(round(t_from * 1000, 6)), 1000)
    b = Fraction(math.ceil(round(t_to * 1000, 6)), 1000)
    return {"cite": f"{media['name']} at {timecode(a)}\u2013{timecode(b)}", "start": float(a),
            "end": float(b), "text": text}


def words_json(words: list[dict[str, Any]]) -> str:
    """``transcript --json``: word, start, end, track (0: the first audio track), confidence,
    and ``redacted``. This is the case's own view (work product, like notes): the words
    stay readable here; only captions written for release replace them by a mark."""
    return json.dumps([{"word": w["word"], "start": round(w["start"], 3),
                        "end": round(w["end"], 3), "track": w["track"],
                        "confidence": round(float(w["confidence"]), 3), "redacted": w["redacted"]}
                       for w in words], indent=2, ensure_ascii=False)
