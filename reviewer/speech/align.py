"""Placing the words of an imported transcript on the sound (forced alignment).

Inside each cue, PocketSphinx (BSD, its own en-us model, shipped in its wheel) aligns the
cue's known words to the cue's stretch of audio: a transcriber it is not (30% word error),
but told the words it times them to about 12 ms. Names missing from its dictionary get a
pronunciation from a small letter-to-sound step, close enough to time them. Every word must
come back aligned, in order: PocketSphinx has been seen to drop a word silently, and returns
nothing in heavy noise. Where it does not, the cue's words are spread over the cue in
proportion to their length (``method`` says which), and the caller may prefer the engine's
own word times there.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RATE = 16000
EDGE_S = 0.25  # audio taken either side of a cue: captions are rarely timed to the syllable

_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# letter groups to ARPAbet, longest first; only needs to be close enough for timing
_G2P = [("tch", "CH"), ("sch", "S K"), ("sh", "SH"), ("ch", "CH"), ("th", "TH"), ("ph", "F"),
        ("ck", "K"), ("ng", "NG"), ("qu", "K W"), ("ee", "IY"), ("ea", "IY"), ("ei", "IY"),
        ("ie", "IY"), ("ai", "EY"), ("ay", "EY"), ("oo", "UW"), ("ou", "AW"), ("ow", "OW"),
        ("oa", "OW"), ("oi", "OY"), ("oy", "OY"), ("au", "AO"), ("aw", "AO"), ("a", "AE"),
        ("e", "EH"), ("i", "IH"), ("o", "AA"), ("u", "AH"), ("y", "IY"), ("b", "B"), ("c", "K"),
        ("d", "D"), ("f", "F"), ("g", "G"), ("h", "HH"), ("j", "JH"), ("k", "K"), ("l", "L"),
        ("m", "M"), ("n", "N"), ("p", "P"), ("r", "R"), ("s", "S"), ("t", "T"), ("v", "V"),
        ("w", "W"), ("x", "K S"), ("z", "Z")]


@dataclass(frozen=True)
class Placed:
    word: str
    start_s: float
    end_s: float
    method: str  # aligned | proportional


def letters_to_phones(word: str) -> str:
    w = re.sub(r"[^a-z]", "", word.lower())
    phones: list[str] = []
    i = 0
    while i < len(w):
        for g, p in _G2P:
            if w.startswith(g, i):
                if not (phones and phones[-1] == p):  # doubled letters are one sound
                    phones.append(p)
                i += len(g)
                break
        else:
            i += 1
    return " ".join(phones)


def _spoken(word: str) -> list[str]:
    """The dictionary words one written word is said as: digits one by one, else the word."""
    plain = re.sub(r"[^0-9a-z']+", "", word.lower()).strip("'")
    if plain.isdigit():
        return [_DIGITS[int(c)] for c in plain]
    return [plain] if plain else []


def proportional(words: Sequence[str], start_s: float, end_s: float) -> list[Placed]:
    weights = [max(1, len(w)) for w in words]
    total = float(sum(weights)) or 1.0
    out, t = [], start_s
    for w, k in zip(words, weights):
        d = (end_s - start_s) * k / total
        out.append(Placed(w, t, t + d, "proportional"))
        t += d
    return out


_decoder = None


def _get_decoder():
    global _decoder
    if _decoder is None:
        from pocketsphinx import Decoder

        _decoder = Decoder(lm=None, loglevel="FATAL")
    return _decoder


def align_cue(audio: np.ndarray, words: Sequence[str], start_s: float, end_s: float) -> list[Placed]:
    """The cue's ``words`` placed within [start_s, end_s] of ``audio`` (16 kHz mono float)."""
    if not words:
        return []
    try:
        placed = _align(audio, words, start_s, end_s)
    except (ImportError, RuntimeError, ValueError):
        placed = None
    return placed if placed is not None else proportional(words, start_s, end_s)


def _align(audio: np.ndarray, words: Sequence[str], start_s: float, end_s: float) -> list[Placed] | None:
    d = _get_decoder()
    pieces: list[tuple[int, str]] = []  # (index of the written word, dictionary word)
    for i, w in enumerate(words):
        for p in _spoken(w):
            if d.lookup_word(p) is None:
                phones = letters_to_phones(p)
                if not phones:
                    return None
                d.add_word(p, phones, True)
            pieces.append((i, p))
    if not pieces or len({i for i, _ in pieces}) != len(words):
        return None
    a = max(0.0, start_s - EDGE_S)
    lo, hi = int(a * RATE), int(min(len(audio) / RATE, end_s + EDGE_S) * RATE)
    if hi - lo < RATE // 10:
        return None
    pcm = (np.clip(audio[lo:hi], -1, 1) * 32767).astype("<i2").tobytes()
    d.set_align_text(" ".join(p for _, p in pieces))
    d.start_utt()
    d.process_raw(pcm, full_utt=True)
    d.end_utt()
    segs = [s for s in (d.seg() or ()) if not s.word.startswith("<") and not s.word.startswith("[")]
    got = [re.sub(r"\(\d+\)$", "", s.word) for s in segs]
    if got != [p for _, p in pieces]:  # a word dropped or reordered: not trusted
        return None
    times: dict[int, list[float]] = {}
    for (i, _), s in zip(pieces, segs):
        t0, t1 = a + s.start_frame / 100.0, a + (s.end_frame + 1) / 100.0
        cur = times.setdefault(i, [t0, t1])
        cur[0], cur[1] = min(cur[0], t0), max(cur[1], t1)
    return [Placed(w, times[i][0], times[i][1], "aligned") for i, w in enumerate(words)]
