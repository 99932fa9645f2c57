"""Reading FOIA exemption labels ("(b)(6)", "(b)(7)(C)", "b6", "(b)(6);(b)(7)(C)", "Ex. 6")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from reviewer.annotate.reasons import normalize_reason

CODE_RE = re.compile(
    r"\(\s*[bB]\s*\)\s*\(\s*([1-9])\s*\)(?:\s*\(\s*([A-Fa-f])\s*\))?"  # (b)(6), (b)(7)(C)
    r"|(?<![A-Za-z0-9])[bB]\s?([1-9])(?:\s?\(\s*([A-Fa-f])\s*\)|([A-Fa-f]))?(?![A-Za-z0-9])"  # b6, b7C, b7(C)
    r"|(?<![A-Za-z])(?:Ex\.?|EX\.?|Exemptions?|EXEMPTIONS?)\s*\(?([1-9])\)?(?:\s*\(\s*([A-Fa-f])\s*\))?"
    r"(?![0-9])"  # Ex. 6, Exemption 7(C)
    r"|(?<![A-Za-z0-9)])\(\s*([jkd])\s*\)\s*\(\s*([1-7])\s*\)"  # Privacy Act (k)(2), (j)(2), (d)(5)
)
# words that may sit in a withheld box besides codes ("Withheld pursuant to (b)(6)")
FILLER = {"withheld", "redacted", "pursuant", "to", "under", "foia", "exempt", "exemption", "exemptions",
          "and", "&", ",", ";", "/", "ex", "ex.", "per", "5", "u.s.c.", "usc", "§", "552", "552(b)",
          "privacy", "pa", "-", "–", "w/h", "wh", "b"}


_CITE = re.compile(r"[\d§().:,/-]+|u\.?s\.?c\.?|c\.?f\.?r\.?|sec\.?|section")


def codes_in(text: str) -> list[str]:
    """Normalised codes in reading order, each once: "(b)(6);(b)(7)(C)" -> ["b6", "b7C"]."""
    out: list[str] = []
    for m in CODE_RE.finditer(text):
        g = m.groups()
        if g[7]:
            code = normalize_reason(f"PA-{g[7].lower()}{g[8]}")
            if code not in out:
                out.append(code)
            continue
        num = g[0] or g[2] or g[5]
        sub = g[1] or g[3] or g[4] or g[6] or ""
        code = normalize_reason(f"b{num}{sub.upper()}")
        if code not in out:
            out.append(code)
    return out


def label_only(text: str) -> bool:
    """True when ``text`` holds codes and nothing but label words (a table cell does not)."""
    if not codes_in(text):
        return False
    rest = CODE_RE.sub(" ", text)
    words = [w.strip(".,;:()[]").lower() for w in rest.split()]
    # statute cites ride along with (b)(3): "(b)(3): 8 U.S.C. § 1367"
    return all(not w or w in FILLER or _CITE.fullmatch(w) for w in words)


@dataclass(frozen=True)
class Label:
    """Exemption codes printed at a place on the page (points, top-left, as displayed)."""

    codes: tuple[str, ...]
    rect: tuple[float, float, float, float]
    text: str


def labels_in_lines(lines: Iterable[Sequence[tuple[str, tuple[float, float, float, float]]]]) -> list[Label]:
    """Labels found in lines of (word, rect) pairs: one per code-bearing run of words."""
    out: list[Label] = []
    for line in lines:
        text = ""
        spans = []
        for word, rect in line:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(word), rect))
            text += word
        hits = list(CODE_RE.finditer(text))
        if not hits:
            continue
        # neighbouring codes ("(b)(6), (b)(7)(C)") are one label; a wide gap splits them
        groups: list[list[re.Match[str]]] = [[hits[0]]]
        for m in hits[1:]:
            between = text[groups[-1][-1].end():m.start()]
            if len(between) <= 6 and all(w.lower().strip(".,;&") in FILLER or not w.strip(".,;&")
                                          for w in between.split()):
                groups[-1].append(m)
            else:
                groups.append([m])
        for g in groups:
            a, b = g[0].start(), g[-1].end()
            rects = [r for s, e, r in spans if s < b and e > a]
            rect = (min(r[0] for r in rects), min(r[1] for r in rects),
                    max(r[2] for r in rects), max(r[3] for r in rects))
            out.append(Label(tuple(codes_in(text[a:b])), rect, text[a:b]))
    return out
