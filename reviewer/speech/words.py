"""Matching what was said: case-insensitive, number-aware, and phonetic for names.

A recogniser writes the same spoken phone number as "555-312-8940", "5, 5, 5, 3..." or
"five five five three..."; a name it has never seen comes out as a near spelling ("Kesha"
for Keisha). So a pattern is matched against three renderings of the transcript, each
character of which points back to the word it came from:

- *spaced*: each word lower-cased, stripped of punctuation, number words as digits
  ("five" -> "5", "twenty one" -> "21"), words joined by one space;
- *digits run together*: the same, but consecutive all-digit words joined without a space,
  so "5 5 5 3 1 2" reads "555312" (and a pattern's separators between digits, as in
  ``555-312-8940``, are dropped before matching it here);
- *all run together*: no separators at all, for identifiers said in pieces ("A 2 0 1 ...").

A match covers the words its characters came from. Names are matched phonetically
(Metaphone, then Jaro-Winkler similarity) as *near misses*, listed apart from exact hits.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from reviewer.errors import ReviewerError

UNITS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
         "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
         "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
PAD_S = 0.5  # Whisper's word times run ~0.1 s late; +-0.5 s covered every planted item


def _plain(word: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", word.casefold())


def normalize(words: Sequence[str]) -> list[str]:
    """One token per word: lower case, no punctuation, number words as digits. A tens word
    followed by a unit ("twenty" "one") gives "21" on the first and "" on the second, so the
    pair still points at both words. "oh" is 0 only next to a digit."""
    plain = [_plain(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(plain):
        t = plain[i]
        nxt = plain[i + 1] if i + 1 < len(plain) else ""
        if t in TENS and nxt in UNITS and 0 < UNITS[nxt] < 10:
            out += [str(TENS[t] + UNITS[nxt]), ""]
            i += 2
            continue
        if "-" in words[i] and t not in TENS:  # "twenty-one"
            parts = [_plain(p) for p in words[i].split("-")]
            if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and UNITS[parts[1]] < 10:
                out.append(str(TENS[parts[0]] + UNITS[parts[1]]))
                i += 1
                continue
        if t == "oh":
            prev_digit = bool(out) and out[-1].isdigit()
            next_digit = _plain(nxt).isdigit() or nxt in UNITS
            out.append("0" if prev_digit or next_digit else t)
        elif t in UNITS:
            out.append(str(UNITS[t]))
        elif t in TENS:
            out.append(str(TENS[t]))
        else:
            out.append(t)
        i += 1
    return out


def _render(tokens: Sequence[str], mode: str) -> tuple[str, list[int]]:
    """The text and, for each character, the index of the word it came from (-1: a space)."""
    text: list[str] = []
    owner: list[int] = []
    prev = ""
    for i, t in enumerate(tokens):
        if not t:
            continue
        glue = mode == "all" or (mode == "digits" and t.isdigit() and prev.isdigit())
        if text and not glue:
            text.append(" ")
            owner.append(-1)
        text.append(t)
        owner.extend([i] * len(t))
        prev = t
    return "".join(text), owner


_SEP_ESCAPES = {"\\s", "\\-", "\\.", "\\ ", "\\,"}


def strip_separators(pattern: str) -> str:
    """``pattern`` without the separators it writes between the parts of a number or a name
    (``-``, a space, ``\\.``, ``\\s``, a class of only those), each with its quantifier, so it
    matches a rendering with none. Classes, escapes and ``{m,n}`` are otherwise kept whole."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            atom, i = pattern[i:i + 2], i + 2
            sep = atom in _SEP_ESCAPES
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            atom, i = pattern[i:j + 1], j + 1
            body = atom[1:-1]
            sep = not body.startswith("^") and bool(body) and not re.sub(r"\\[-s. ,]|[-. ,]", "", body)
        elif c == "{":
            j = pattern.find("}", i)
            j = n - 1 if j < 0 else j
            atom, i, sep = pattern[i:j + 1], j + 1, False
        else:
            atom, i = c, i + 1
            sep = c in (" ", "-", ",") and not (out and out[-1] == "[")
        if sep:
            while i < n and pattern[i] in "?*+":  # its quantifier goes with it
                i += 1
            if i < n and pattern[i] == "{":
                i = (pattern.find("}", i) + 1) or n
            continue
        out.append(atom)
    return "".join(out)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ReviewerError(f"--match {pattern!r}: not a regular expression ({exc})") from None


def _variants(pattern: str) -> list[tuple[str, re.Pattern[str]]]:
    """(rendering, compiled pattern) pairs to try: the pattern as written on the spaced and
    the digits-joined renderings, and without its separators on the joined ones."""
    whole = compile_pattern(pattern)
    out = [("spaced", whole), ("digits", whole)]
    stripped = strip_separators(pattern)
    for mode in ("digits", "all"):
        try:
            out.append((mode, re.compile(stripped, re.IGNORECASE)))
        except re.error:  # the stripping broke the pattern: that rendering is not tried
            pass
    return out


def find_matches(words: Sequence[str], pattern: str) -> list[tuple[int, ...]]:
    """Each match of ``pattern`` in the words, as the indices of the words it covers, in order
    of the first word; one match per distinct set of words."""
    tokens = normalize(words)
    seen: set[tuple[int, ...]] = set()
    for mode, rx in _variants(pattern):
        text, owner = _render(tokens, mode)
        for m in rx.finditer(text):
            if m.end() <= m.start():
                continue
            idx = tuple(sorted({owner[k] for k in range(m.start(), m.end()) if owner[k] >= 0}))
            if idx:
                # a tens+unit pair ("twenty" "one") owns both words through the first
                last = idx[-1]
                while last + 1 < len(tokens) and tokens[last + 1] == "":
                    last += 1
                seen.add(tuple(range(idx[0], last + 1)) if last > idx[-1] else idx)
    # a match whose words are all inside another's adds nothing
    keep = [m for m in seen if not any(o != m and set(m) <= set(o) for o in seen)]
    return sorted(keep)


def query_pattern(query: str) -> str:
    """A plain search text as a pattern: its words literally, number words as digits."""
    tokens = [t for t in normalize(query.split()) if t]
    return r"\s*".join(re.escape(t) for t in tokens)


def metaphone(word: str) -> str:
    import jellyfish

    return jellyfish.metaphone(word) if word else ""


def sounds_like(a: str, b: str, min_similarity: float = 0.85) -> bool:
    """Two spellings of what may be one name: same Metaphone code, or very similar letters.
    Digits never sound like anything here (numbers are matched exactly)."""
    import jellyfish

    a, b = _plain(a), _plain(b)
    if len(a) < 3 or len(b) < 3 or a == b or not a.isalpha() or not b.isalpha():
        return False
    if metaphone(a) == metaphone(b):
        return True
    return jellyfish.jaro_winkler_similarity(a, b) >= min_similarity


def near_misses(words: Sequence[str], query: str) -> list[int]:
    """Indices of words that sound like a word of ``query`` without being it."""
    names = [w for w in (_plain(q) for q in query.split()) if len(w) >= 3 and w.isalpha()]
    return [i for i, w in enumerate(words) if any(sounds_like(w, n) for n in names)]


def padded_spans(times: Iterable[tuple[float, float]], pad_s: float = PAD_S,
                 duration_s: float | None = None) -> list[tuple[float, float]]:
    """Each (start, end) widened by ``pad_s`` both sides, clipped to the media, overlapping or
    touching spans merged."""
    spans = sorted((max(0.0, a - pad_s), b + pad_s) for a, b in times)
    if duration_s is not None:
        spans = [(a, min(b, duration_s)) for a, b in spans if a < duration_s]
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return [(a, b) for a, b in merged if b > a]
