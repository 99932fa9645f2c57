"""Proposing the person names a case's list lacks, as suggestions for a reviewer to accept.

No model is downloaded and none is needed: the finder knows first names and surnames from the
US Census Bureau's 1990 name lists (4,275 female and 1,219 male first names, 88,799
surnames, public domain), shipped inside the ``names`` package (MIT), and reads how
productions write a person: two or three capitalised words whose first is a known first name
and whose last a known surname ("Maria Elena Garcia"), surname first after a comma ("GARCIA,
Maria"), an initial ("M. Garcia"), or a title before a known surname ("Officer Ramirez",
"Mr. Nguyen"). A word a sentence starts with is not taken for a name on its own. What it
proposes is reviewed, never redacted unseen (docs/decisions/0011-people-of-a-case.md says why
this and not a neural model).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from reviewer.names.forms import base

TITLES = {"mr", "mrs", "ms", "miss", "dr", "officer", "ofc", "agent", "deputy", "sgt", "sergeant",
          "det", "detective", "lt", "lieutenant", "capt", "captain", "judge", "attorney", "counsel",
          "inspector", "supervisor", "trooper", "deportation", "witness", "detainee", "subject",
          "defendant", "respondent", "petitioner", "client", "minor"}
# Words the census lists hold as names that productions use as words; a name made of them
# alone is not proposed.
COMMON = {"will", "may", "june", "april", "august", "field", "street", "place", "mark", "bill",
          "case", "page", "date", "law", "white", "black", "green", "brown", "young", "price",
          "hall", "park", "king", "rose", "hope", "faith", "grant", "long", "short", "little",
          "rich", "bond", "joy", "star", "summer", "winter", "fall", "day", "border", "harbor",
          "officer", "agent", "notice", "service", "special", "do", "so", "see", "an", "in", "on",
          "he", "she", "we", "me", "no", "is", "it", "to", "by", "at", "or", "as", "and", "the",
          "all", "van", "son", "major", "general", "sheriff", "chief", "marshal", "deputy",
          "custody", "camp", "office", "us", "north", "south", "east", "west", "best", "worth"}


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames), lower case, without accents."""
    def read(file: str) -> set[str]:
        text = resources.files("names").joinpath(file).read_text(encoding="ascii", errors="replace")
        return {ln.split()[0].lower() for ln in text.splitlines() if ln.strip()}
    firsts = read("dist.male.first") | read("dist.female.first")
    return frozenset(firsts), frozenset(read("dist.all.last"))


@dataclass(frozen=True)
class Proposal:
    name: str        # as the reviewer would add it to the list ("Maria Garcia")
    count: int       # how many times it was seen
    seen: tuple[str, ...]  # the forms seen, at most a few


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’][^\W\d_])*(?:-[^\W\d_]+)*\.?|[,;:\n]")


def _is_cap(w: str) -> bool:
    w = w.rstrip(".")
    return bool(w) and w[0].isupper() and (w[1:].islower() or w.isupper() or "-" in w or "'" in w or "’" in w)


def _key(w: str) -> str:
    """The word as the census lists write it: no accent, no possessive, no apostrophe."""
    k = base(w.rstrip(".")).lower().replace("’", "'")
    if k.endswith("'s"):
        k = k[:-2]
    return k.replace("'", "")


def _title_case(w: str) -> str:
    w = w.rstrip(".")
    if w.endswith(("'s", "’s", "'S", "’S")):
        w = w[:-2]
    if w[1:].islower() or "-" in w or "'" in w or "’" in w and not w.isupper():
        return w if not w.isupper() and not w.islower() else w.title()
    return w.title() if w.isupper() or w.islower() else w


def propose(texts: Iterable[str], known: re.Pattern[str] | None = None) -> list[Proposal]:
    """Names in ``texts`` (pages as a search reads them), most seen first; a name ``known``
    (the case's list, reviewer.names.forms.people_regex) already matches is left out."""
    firsts, lasts = name_lists()
    counts: Counter[str] = Counter()
    forms: dict[str, list[str]] = {}

    def first_ok(w: str) -> bool:
        k = _key(w)
        return k in firsts and k not in COMMON and len(k) > 1

    def last_ok(w: str) -> bool:
        parts = [_key(p) for p in w.split("-")]
        return all(p in lasts for p in parts) and not all(p in COMMON for p in parts)

    for text in texts:
        toks = [(m.group(0), m.start()) for m in _WORD.finditer(text)]
        i = 0
        while i < len(toks):
            w = toks[i][0]
            found: tuple[str, int] | None = None  # (name, tokens used)
            nxt = [t[0] for t in toks[i + 1:i + 5]]
            if _is_cap(w) and _key(w) in TITLES and nxt and _is_cap(nxt[0]) and last_ok(nxt[0]):
                # "Officer Ramirez": the surname alone
                j = 1
                if len(nxt) > 1 and _is_cap(nxt[1]) and last_ok(nxt[1]) and first_ok(nxt[0]):
                    found = (f"{_title_case(nxt[0])} {_title_case(nxt[1])}", 3)
                else:
                    found = (_title_case(nxt[0]), 1 + j)
            elif _is_cap(w) and last_ok(w) and len(nxt) >= 2 and nxt[0] == "," and _is_cap(nxt[1]) \
                    and first_ok(nxt[1]) and not w.endswith("."):
                # "GARCIA, Maria" or "Garcia, Maria E."
                given = [nxt[1]]
                after = nxt[3] if len(nxt) > 3 else ""
                if len(nxt) > 2 and _is_cap(nxt[2]) and (len(nxt[2].rstrip(".")) == 1 or (
                        first_ok(nxt[2]) and not (_is_cap(after) and last_ok(after)))):
                    given.append(nxt[2])
                found = (" ".join(_title_case(g) for g in given) + " " + _title_case(w), 2 + len(given))
            elif _is_cap(w) and (first_ok(w) or (len(w) == 2 and w.endswith("."))):
                # "Maria Elena Garcia", "Maria Garcia-Lopez", "M. Garcia"
                run = [w]
                for t in nxt[:2]:
                    if t in ",;:\n" or not _is_cap(t):
                        break
                    run.append(t)
                while len(run) > 1 and not last_ok(run[-1]):
                    run.pop()
                if len(run) > 1 and (first_ok(run[0]) or len(run[-1].rstrip(".")) > 2):
                    # an initial needs a surname after it, not another initial
                    found = (" ".join(_title_case(t) for t in run), len(run))
            if found is None:
                i += 1
                continue
            name, used = found
            span = text[toks[i][1]:toks[min(i + used, len(toks)) - 1][1] + len(toks[min(i + used, len(toks)) - 1][0])]
            if known is None or not known.search(span):
                counts[name] += 1
                seen = forms.setdefault(name, [])
                if span not in seen and len(seen) < 5:
                    seen.append(span)
            i += used
    return merged(counts, forms)[0]


def merged(counts: Counter[str], forms: dict[str, list[str]]) -> tuple[list[Proposal], dict[str, str]]:
    """One proposal a person: "Maria Garcia", "M. Garcia" and "Garcia" are counted under
    "Maria Elena Garcia" when that is also proposed (its forms match theirs). Also gives,
    for each name counted under another, that other."""
    from reviewer.names.forms import people_regex

    names = sorted(counts, key=lambda n: (-len(n), n))
    owner: dict[str, str] = {}
    regexes = {n: people_regex([n]) for n in names}
    for n in names:
        for longer in names:
            if len(longer) <= len(n):
                break
            rx = regexes[longer]
            if longer in owner or rx is None:
                continue
            if rx.fullmatch(n) or rx.fullmatch(n.upper()):
                owner[n] = longer
                break
    total: Counter[str] = Counter()
    seen: dict[str, list[str]] = {}
    for n, c in counts.items():
        top = owner.get(n, n)
        total[top] += c
        for f in forms[n]:
            if f not in seen.setdefault(top, []) and len(seen[top]) < 5:
                seen[top].append(f)
    return [Proposal(n, c, tuple(seen[n])) for n, c in total.most_common()], owner
