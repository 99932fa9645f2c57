"""The text a set of boxes takes away, in the form every check compares: NFKC, case-folded,
letters and digits only (so "Rodri-\\nguez", "R o d r i g u e z" and "RODRIGUEZ" are all
"rodriguez"). Only the count of these strings leaves the case, never the text or a hash of it.
"""
from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Iterable, Sequence

from reviewer.pdf.chars import Char
from reviewer.pdf.lines import reading_lines

MIN_CHARS = 4  # shorter strings ("b6", "12") occur anywhere; they are not searched for


def normalise(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


# the same, for one glyph's text at a time: asked for every glyph of every page
_glyph = functools.lru_cache(maxsize=8192)(normalise)


def removed_strings(page_chars: Sequence[Char], removed: Iterable[Char], lines: list | None = None) -> list[str]:
    """Runs of removed glyphs in reading order, normalised: a run goes on across spaces,
    line breaks and hyphens, and ends at a glyph that stays. ``lines``: the page's
    reading_lines when the caller has them already."""
    gone = {id(ch) for ch in removed}
    runs: list[str] = []
    current: list[str] = []
    for line in lines if lines is not None else reading_lines(page_chars):
        for ch, _space in line:
            if id(ch) in gone:
                current.append(ch.c)
            elif ch.c.strip() and _glyph(ch.c):
                if current:
                    runs.append("".join(current))
                current = []
    if current:
        runs.append("".join(current))
    return [n for n in (normalise(r) for r in runs) if n]


def whole_strings(page_chars: Sequence[Char], removed: Iterable[Char], lines: list | None = None) -> set[str]:
    """The runs of :func:`removed_strings` that begin and end where words do (a gap or a line
    end on both sides): a name or phrase boxed whole, not a box cut through a word. The check
    for the text found again may pass over such a string where a reader's letters only run
    into it across a gap from inside a word ("the year" for "they"); a cut run is matched
    strictly."""
    gone = {id(ch) for ch in removed}
    out: set[str] = set()
    current: list[str] = []
    starts_whole = False
    for line in lines if lines is not None else reading_lines(page_chars):
        at_line_start = True
        prev_blank = True
        for ch, space in line:
            boundary = at_line_start or space > 0 or prev_blank
            if id(ch) in gone:
                if not current:
                    starts_whole = boundary
                current.append(ch.c)
            elif ch.c.strip() and _glyph(ch.c):
                if current and starts_whole and boundary:
                    out.add(normalise("".join(current)))
                current = []
            at_line_start = False
            prev_blank = not ch.c.strip() or not _glyph(ch.c)
    if current and starts_whole:
        out.add(normalise("".join(current)))
    return {w for w in out if w}


def searchable(strings: Iterable[str]) -> tuple[list[str], int]:
    """The distinct strings long enough to search for, and how many were too short."""
    keep, short = set(), 0
    for s in strings:
        if len(s) >= MIN_CHARS:
            keep.add(s)
        else:
            short += 1
    return sorted(keep), short


def salted(salt: str, text: str) -> str:
    """The salted hash that sidecars of earlier versions kept for each redacted string
    (verify still searches with them; new sidecars keep no hash: see export.pdf_text_check)."""
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()


def kept_text(page_chars: Sequence[Char], removed: Iterable[Char] = (), lines: list | None = None) -> str:
    """The normalised visible text a page keeps (what the reviewer sees left unboxed)."""
    gone = {id(ch) for ch in removed}
    lines = lines if lines is not None else reading_lines(page_chars)
    return normalise("".join(ch.c for line in lines for ch, _s in line if id(ch) not in gone))


def split_shown(strings: Iterable[str], kept: Iterable[str]) -> tuple[list[str], list[str]]:
    """Strings to search the export for, and those the document also shows unboxed on its
    visible pages (boilerplate under a box, or a name left visible on purpose: the reviewer
    sees those; what verify hunts is the text that survives where nobody looks)."""
    pages = list(kept)
    search, shown = [], []
    for s in strings:
        (shown if any(s in t for t in pages) else search).append(s)
    return search, shown
