"""The text a set of boxes takes away, in the form every check compares: NFKC, case-folded,
letters and digits only (so "Rodri-\\nguez", "R o d r i g u e z" and "RODRIGUEZ" are all
"rodriguez"), and salted hashes of it for a sidecar that must never hold the text itself.
"""
from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterable, Sequence

from reviewer.pdf.chars import Char
from reviewer.pdf.lines import reading_lines

MIN_CHARS = 4  # shorter strings ("b6", "12") occur anywhere; they are not searched for


def normalise(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def removed_strings(page_chars: Sequence[Char], removed: Iterable[Char]) -> list[str]:
    """Runs of removed glyphs in reading order, normalised: a run goes on across spaces,
    line breaks and hyphens, and ends at a glyph that stays."""
    gone = {id(ch) for ch in removed}
    runs: list[str] = []
    current: list[str] = []
    for line in reading_lines(page_chars):
        for ch, _space in line:
            if id(ch) in gone:
                current.append(ch.c)
            elif ch.c.strip() and normalise(ch.c):
                if current:
                    runs.append("".join(current))
                current = []
    if current:
        runs.append("".join(current))
    return [n for n in (normalise(r) for r in runs) if n]


def searchable(strings: Iterable[str]) -> tuple[list[str], int]:
    """The distinct strings long enough to search for, and how many were too short."""
    keep, short = set(), 0
    for s in strings:
        if len(s) >= MIN_CHARS:
            keep.add(s)
        else:
            short += 1
    return sorted(keep), short


def new_salt(seed: str = "") -> str:
    """A salt for one export. The sidecar keeps it beside the hashes, so it is public either
    way; derived from ``seed`` (the source's SHA-256 and pages) an unchanged export writes the
    same sidecar, and no two documents share a salt."""
    if not seed:
        return secrets.token_hex(16)
    return hashlib.sha256(f"reviewer-redacted-text:{seed}".encode()).hexdigest()[:32]


def salted(salt: str, text: str) -> str:
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()


def hashes(salt: str, strings: Iterable[str]) -> list[list]:
    """[[length, salted sha256], ...] for a sidecar, sorted so the order tells nothing."""
    return sorted([len(s), salted(salt, s)] for s in set(strings))


def kept_text(page_chars: Sequence[Char], removed: Iterable[Char] = ()) -> str:
    """The normalised visible text a page keeps (what the reviewer sees left unboxed)."""
    gone = {id(ch) for ch in removed}
    return normalise("".join(ch.c for line in reading_lines(page_chars) for ch, _s in line if id(ch) not in gone))


def split_shown(strings: Iterable[str], kept: Iterable[str]) -> tuple[list[str], list[str]]:
    """Strings to search the export for, and those the document also shows unboxed on its
    visible pages (boilerplate under a box, or a name left visible on purpose: the reviewer
    sees those; what verify hunts is the text that survives where nobody looks)."""
    pages = list(kept)
    search, shown = [], []
    for s in strings:
        (shown if any(s in t for t in pages) else search).append(s)
    return search, shown
