"""One regular expression for every form a production writes a listed person's name in.

A name typed as "Maria Elena Garcia-Lopez" or "Garcia Lopez, Maria" (surname first after a
comma) is matched as:

- given name(s) then surname: "Maria Garcia-Lopez", "Maria Elena Garcia Lopez", "Maria Garcia"
  and "Maria Lopez" (double surnames are often written with one of them), initials for any
  given name: "M. Garcia", "M.E. Garcia-Lopez", "M Garcia";
- surname first: "GARCIA-LOPEZ, Maria", "Garcia, M.", "Garcia Lopez, Maria E.";
- the surname alone ("Garcia stated", "Garcia's"), but only written as a name is, with a
  capital ("Garcia") or in capitals ("GARCIA"): a surname that is also a word ("Price",
  "Young") is not boxed in "the price of".

With or without accents either way ("Garcia" finds "García", "García" finds "Garcia" and a
decomposed "Garci\u0301a"); case is ignored except for the surname alone; a possessive
keeps its "'s" outside the box. The search folds dashes, blanks and invisible joiners first
(reviewer.pdf.search.fold_char), so the hyphen here stands for any dash.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

MIN_SURNAME_ALONE = 3  # "Li" or "Ng" alone would box too many other words
_MARKS = "[\u0300-\u036f]*"  # combining accents a reader may keep separate


@dataclass(frozen=True)
class PersonName:
    given: tuple[str, ...]     # first name, then middle names
    surnames: tuple[str, ...]  # one or more (a double surname, each part of a hyphenated one)
    hyphenated: bool           # written "Garcia-Lopez"


def base(text: str) -> str:
    """``text`` without accents (NFD, combining marks dropped)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=None)
def _accented() -> dict[str, str]:
    """Each ASCII letter with every Latin letter that is it with an accent (Latin-1 and
    Latin Extended-A/B)."""
    out: dict[str, list[str]] = {}
    for cp in range(0xC0, 0x250):
        c = chr(cp)
        b = base(c)
        if len(b) == 1 and b.isascii() and b.isalpha() and c != b:
            out.setdefault(b, []).append(c)
    return {k: "".join(v) for k, v in out.items()}


def _letter(c: str, case: str | None) -> str:
    """A class for the letter ``c`` with or without any accent; ``case``: "upper"/"lower" to
    keep only that case (used where case is matched), None for both."""
    b = base(c)
    if len(b) != 1 or not b.isascii() or not b.isalpha():
        return re.escape(c)
    forms = {b.lower(), b.upper()} | set(_accented().get(b.lower(), "")) | set(_accented().get(b.upper(), ""))
    if case == "upper":
        forms = {f for f in forms if f.isupper()}
    elif case == "lower":
        forms = {f for f in forms if f.islower()}
    return "[" + "".join(sorted(forms)) + "]" + _MARKS


def _word(word: str, style: str | None = None) -> str:
    """``word`` as a pattern: any accent on any letter, an apostrophe straight or curly
    ("O'Brien"), a hyphen as any dash with a possible line break after it; ``style``
    "title" or "caps" fixes the letters' case (surname alone)."""
    out = []
    start = True
    for c in word:
        if c in "'’`":
            out.append("['’`]?")
            start = True
            continue
        if c in "-‐‑–":
            out.append(r"-\s?")
            start = True
            continue
        case = None
        if style == "caps":
            case = "upper"
        elif style == "title":
            case = "upper" if start else "lower"
        out.append(_letter(c, case))
        start = False
    return "".join(out)


def parse(name: str) -> PersonName | None:
    """A typed name: "Given Middle Surname", "Given Surname-Surname", or "Surname(s), Given
    Middle" (a comma puts the surname first, the way forms list people)."""
    name = " ".join(name.replace("\u00a0", " ").split()).strip(" ,;")
    if not name:
        return None
    if "," in name:
        sur, _, given = (s.strip() for s in name.partition(","))
        g, s = given.split(), sur.split()
    else:
        words = name.split()
        g, s = words[:-1], words[-1:]
    if not s or not any(c.isalpha() for c in "".join(s)):
        return None
    hyphenated = any("-" in w for w in s)
    parts = tuple(p for w in s for p in w.split("-") if p)
    return PersonName(tuple(g), parts, hyphenated)


def _alternation(items: Iterable[str]) -> str:
    uniq = list(dict.fromkeys(items))
    return "(?:" + "|".join(uniq) + ")" if uniq else "(?!)"


def person_pattern(name: str) -> str | None:
    """The pattern (no flags; compile it case-insensitively) for every form of ``name``. A name
    of three words or more without a comma may end in a double surname ("Ana Lucía Martínez
    Ruiz"): it is matched both ways, but only the last word is boxed alone (the first surname
    alone is boxed when the name is typed surname first: "Martínez Ruiz, Ana Lucía")."""
    p = parse(name)
    if p is None:
        return None
    alts = [_pattern(p)]
    if "," not in name and len(p.given) >= 2 and not p.hyphenated:
        double = PersonName(p.given[:-1], (p.given[-1],) + p.surnames, False)
        alts.append(_pattern(double, alone_parts=False))
    return "|".join(alts)


def _pattern(p: PersonName, alone_parts: bool = True) -> str:
    sur_full = r"(?:\s?-\s?|\s)".join(_word(s) for s in p.surnames)
    sur_any = _alternation([sur_full] + ([_word(s) for s in p.surnames] if len(p.surnames) > 1 else []))
    alone: list[str] = []
    for s in ([" ".join(p.surnames)] if len(p.surnames) > 1 else []) + (list(p.surnames) if alone_parts else []):
        if len(base(s)) >= MIN_SURNAME_ALONE:
            words = s.split()
            for style in ("title", "caps"):
                alone.append(r"(?:\s?-\s?|\s)".join(_word(w, style) for w in words))
    forms: list[str] = []
    if p.given:
        first, middles = p.given[0], p.given[1:]
        given = f"(?:{_word(first)}|{_letter(first[0], None)}\\.?)"
        for m in middles:
            given += rf"(?:\s?(?:{_word(m)}|{_letter(m[0], None)}\.?))?"
        forms.append(rf"{given}\s{sur_any}")
        forms.append(rf"{sur_any},\s?{given}")
    else:
        forms.append(sur_any)
    if alone:
        forms.append("(?-i:" + "|".join(dict.fromkeys(alone)) + ")")
    return "|".join(forms)


def people_regex(names: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for every form of every name, or None for no names. Longer
    names come first, so "Maria Garcia-Lopez" is one hit rather than "Maria Garcia" and
    "Lopez"."""
    pats = [q for q in (person_pattern(n) for n in sorted(set(names), key=len, reverse=True)) if q]
    if not pats:
        return None
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(f"(?:{q})" for q in pats) + r")(?![^\W_])(?!-\w)",
                      re.IGNORECASE)
