"""The people of a case: names a reviewer types or imports, matched in every form a production
writes them (reviewer.names.forms) by ``redact text --pattern people`` and the window's Find &
redact, and proposals for the names the list lacks (reviewer.names.finder).

The list is kept in the case setting ``redact.people`` as a JSON list of names, like the case's
patterns (reviewer.session.case_patterns): adding and removing are edit commands on that
settings row, undone like any other edit.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.session.edits import Command, Insert, Update

SETTING = "redact.people"
REJECTED = "redact.people.rejected"  # names the finder proposed that a reviewer turned down
PATTERN_NAME = "people"  # `redact text --pattern people`
MAX_NAME = 120


def read_people(store: Any, key: str = SETTING) -> list[str]:
    """The case's people, in the order added (``key`` REJECTED: the names turned down)."""
    from reviewer.store.exhibits import get_setting

    raw = get_setting(store, key)
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [str(n) for n in items if isinstance(n, str) and n.strip()] if isinstance(items, list) else []


def _key(name: str) -> str:
    from reviewer.names.forms import base

    return " ".join(base(name).casefold().replace(",", " ").split())


def _write(store: Any, names: list[str], label: str, key: str = SETTING) -> Command:
    from reviewer.store.exhibits import setting_rowid

    value = json.dumps(names, ensure_ascii=False)
    rowid = setting_rowid(store, key)
    if rowid is None:
        return Insert("settings", {"key": key, "value": value}, label=label)
    return Update("settings", rowid, {"value": value}, label=label)


def check_name(name: str, where: str = "") -> str:
    """``name`` tidied (blanks as one space), or a clear error naming ``where`` it came from."""
    from reviewer.names.forms import parse

    tidy = " ".join(name.split())
    at = f"{where}: " if where else ""
    if not tidy:
        raise ReviewerError(f"{at}an empty name")
    if len(tidy) > MAX_NAME or parse(tidy) is None:
        raise ReviewerError(f"{at}{tidy[:40]!r} is not a person's name (write 'Given Surname' or 'Surname, Given')")
    return tidy


def add_people(store: Any, names: Iterable[str], where: str = "") -> tuple[Command | None, list[str]]:
    """The command adding those of ``names`` the list lacks (None when it has them all), and
    the names it adds."""
    have = read_people(store)
    keys = {_key(n) for n in have}
    new: list[str] = []
    for n in names:
        tidy = check_name(n, where)
        if _key(tidy) not in keys:
            keys.add(_key(tidy))
            new.append(tidy)
    if not new:
        return None, []
    return _write(store, have + new, "add people"), new


def remove_people(store: Any, names: Iterable[str]) -> Command:
    have = read_people(store)
    gone = {_key(n) for n in names}
    kept = [n for n in have if _key(n) not in gone]
    missing = gone - {_key(n) for n in have}
    if missing:
        raise ReviewerError(f"{sorted(missing)[0]}: not one of the case's people")
    return _write(store, kept, "remove people")


def reject_names(store: Any, names: Iterable[str]) -> Command | None:
    """The command recording that the finder's proposals ``names`` are not people of the case,
    so they are not proposed again (None when all are recorded already)."""
    have = read_people(store, REJECTED)
    keys = {_key(n) for n in have}
    new = [n for n in names if n.strip() and _key(n) not in keys]
    if not new:
        return None
    return _write(store, have + new, "reject proposed names", REJECTED)


def read_people_file(path: str | Path) -> list[str]:
    """Names from a text file (one a line; blank lines and ``#`` comments skipped) or a CSV
    file (the column headed ``name``, else the first column)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ReviewerError(f"{p}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")  # a spreadsheet saved by Excel on Windows
    if p.suffix.lower() == ".csv":
        rows = list(csv.reader(text.splitlines()))
        if not rows:
            return []
        head = [h.strip().lower() for h in rows[0]]
        col = head.index("name") if "name" in head else 0
        body = rows[1:] if "name" in head else rows
        lines = [r[col] for r in body if len(r) > col]
    else:
        lines = text.splitlines()
    out = [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]
    for n in out:
        check_name(n, p.name)
    return out


def people_pattern(store: Any) -> re.Pattern[str] | None:
    """Every form of every listed person as one pattern, or None when the list is empty."""
    from reviewer.names.forms import people_regex

    return people_regex(read_people(store))


def propose_people(store: Any, media_rows: list[dict[str, Any]],
                   on_page: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Names in the documents the list lacks, most seen first: ``name``, ``count``, ``seen``
    (forms as written, a few), ``where`` (``[media name, page]`` of the first few)."""
    from reviewer.names.finder import propose
    from reviewer.pdf.sweep import page_readings

    from collections import Counter

    from reviewer.names.finder import merged

    known = people_pattern(store)
    counts: Counter[str] = Counter()
    seen: dict[str, list[str]] = {}
    where: dict[str, list[list[Any]]] = {}
    for row in media_rows:
        for page_no, text in page_readings(row["path"], on_page):
            for p in propose([text], known):
                counts[p.name] += p.count
                seen.setdefault(p.name, []).extend(s for s in p.seen if s not in seen[p.name])
                where.setdefault(p.name, []).append([row["name"], page_no])
    proposals, owner = merged(counts, seen)
    places: dict[str, list[list[Any]]] = {}
    for n, w in where.items():
        places.setdefault(owner.get(n, n), []).extend(w)
    turned_down = {_key(n) for n in read_people(store, REJECTED)}
    return [{"name": p.name, "count": p.count, "seen": list(p.seen),
             "where": sorted(places.get(p.name, []), key=lambda x: (str(x[0]), x[1]))[:10]}
            for p in proposals if _key(p.name) not in turned_down]
