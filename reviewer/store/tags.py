"""The case's vocabularies: tags (with colours) and withholding reasons (built in or defined
by the case). Both tables are keyed by name, so writes here return the old value for the
edit commands' inverses instead of a row id."""
from __future__ import annotations

from typing import Any

from reviewer.annotate.notes import Tag
from reviewer.store.db import CaseStore, Tx


def list_tags(store: CaseStore) -> list[Tag]:
    """Every tag with a colour, plus tags used on annotations but never given one."""
    rows = store.query(
        "SELECT name, color FROM tags UNION "
        "SELECT DISTINCT j.value, NULL FROM annotations a, json_each(a.tags) j "
        "WHERE j.value NOT IN (SELECT name FROM tags) ORDER BY 1")
    from reviewer.annotate.notes import default_tag_color

    return [Tag(r["name"], r["color"] or default_tag_color(r["name"])) for r in rows]


def tag_counts(store: CaseStore, media_id: int | None = None) -> dict[str, int]:
    where, params = ("WHERE a.media_id = ?", (media_id,)) if media_id is not None else ("", ())
    rows = store.query(
        f"SELECT j.value AS name, count(*) AS n FROM annotations a, json_each(a.tags) j {where} "
        "GROUP BY j.value ORDER BY j.value", params)
    return {r["name"]: r["n"] for r in rows}


def get_tag_color(tx: Tx | CaseStore, name: str) -> str | None:
    rows = _select(tx, "SELECT color FROM tags WHERE name = ?", (name,))
    return rows[0]["color"] if rows else None


def put_tag(tx: Tx, name: str, color: str | None) -> str | None:
    """Give tag ``name`` a colour (None removes its row); returns the colour it had."""
    old = get_tag_color(tx, name)
    if color is None:
        tx.execute("DELETE FROM tags WHERE name = ?", (name,))
    elif old is None:
        tx.execute("INSERT INTO tags (name, color) VALUES (?, ?)", (name, color))
    else:
        tx.execute("UPDATE tags SET color = ? WHERE name = ?", (color, name))
    return old


def get_reason(tx: Tx | CaseStore, code: str) -> dict[str, Any] | None:
    rows = _select(tx, "SELECT code, description, builtin FROM reasons WHERE code = ?", (code,))
    return rows[0] if rows else None


def list_reasons(store: CaseStore) -> list[dict[str, Any]]:
    return store.query("SELECT code, description, builtin FROM reasons ORDER BY builtin DESC, code")


def put_reason(tx: Tx, code: str, description: str | None) -> str | None:
    """Define (or redefine, or with None remove) a case reason code; returns its old
    description. Built-in codes are never changed here."""
    old = get_reason(tx, code)
    if old is not None and old["builtin"]:
        return old["description"]
    if description is None:
        tx.execute("DELETE FROM reasons WHERE code = ? AND builtin = 0", (code,))
    elif old is None:
        tx.execute("INSERT INTO reasons (code, description, builtin) VALUES (?, ?, 0)",
                   (code, description))
    else:
        tx.execute("UPDATE reasons SET description = ? WHERE code = ?", (description, code))
    return old["description"] if old else None


def _select(src: Tx | CaseStore, sql: str, params: tuple) -> list[dict[str, Any]]:
    return src.select(sql, params) if isinstance(src, Tx) else src.query(sql, params)
