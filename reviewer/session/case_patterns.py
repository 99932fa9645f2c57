"""The case's own search patterns (a case number, an informant's name), kept in the case
setting ``redact.patterns`` as a JSON list of ``{"name": ..., "pattern": ...}`` (a bare regex
string is read too). Saving and removing one is an edit command on the ``settings`` row, so
it is undone like any other edit; the sweep before an export or a bundle runs them beside the
built-in patterns."""
from __future__ import annotations

import json
import re
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.session.edits import Command, Insert, Update

SETTING = "redact.patterns"


def read_patterns(store: Any) -> list[dict[str, str]]:
    """The case's patterns, in the order saved: ``{"name", "pattern"}`` each."""
    from reviewer.store.exhibits import get_setting

    raw = get_setting(store, SETTING)
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    out: list[dict[str, str]] = []
    for it in items if isinstance(items, list) else []:
        if isinstance(it, str) and it.strip():
            out.append({"name": f"Case pattern “{it}”", "pattern": it})
        elif isinstance(it, dict) and str(it.get("pattern") or "").strip():
            out.append({"name": str(it.get("name") or it["pattern"]), "pattern": str(it["pattern"])})
    return out


def _write(store: Any, items: list[dict[str, str]], label: str) -> Command:
    value = json.dumps(items, ensure_ascii=False)
    from reviewer.store.exhibits import setting_rowid

    # settings rows are addressed by rowid, so the insert and the update both undo
    rowid = setting_rowid(store, SETTING)
    if rowid is None:
        return Insert("settings", {"key": SETTING, "value": value}, label=label)
    return Update("settings", rowid, {"value": value}, label=label)


def save_pattern(store: Any, name: str, pattern: str) -> Command:
    """Add a named pattern, or replace the one of that name."""
    name, pattern = " ".join(name.split()), pattern.strip()
    if not name:
        raise ReviewerError("a case pattern needs a name (what it finds, e.g. “Case number”)")
    if not pattern:
        raise ReviewerError(f"{name}: the pattern is empty")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ReviewerError(f"{name}: not a regular expression ({exc})") from None
    items = [p for p in read_patterns(store) if p["name"] != name]
    return _write(store, items + [{"name": name, "pattern": pattern}], "save case pattern")


def remove_pattern(store: Any, name: str) -> Command:
    items = read_patterns(store)
    kept = [p for p in items if p["name"] != name]
    if len(kept) == len(items):
        raise ReviewerError(f"{name}: not one of the case's patterns")
    return _write(store, kept, "remove case pattern")
