"""Edit commands: frozen values whose ``apply`` makes the change and returns its exact inverse.

Everything a user changes (notes, tags, links, redactions, keyframes, exhibits, withheld
entries) is one of these, or a :class:`Batch` of them. Applying an inverse returns the
inverse of the inverse, so an undo stack simply keeps whichever command it must apply next:

    inverse, changes = session.apply(cmd)      # do
    redo_cmd, changes = session.apply(inverse) # undo; redo_cmd re-creates the same ids
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from reviewer.store.db import Tx

# rows that live and die with a parent row: (child table, column pointing at the parent)
CHILDREN: dict[str, list[tuple[str, str]]] = {
    "redactions": [("keyframes", "redaction_id")],
    "annotations": [("links", "from_id"), ("links", "to_id")],
}


@dataclass(frozen=True)
class Changes:
    """What an edit touched, so views refresh only that (Anki's OpChanges)."""

    tables: frozenset[str] = frozenset()
    media_ids: frozenset[int] = frozenset()
    row_ids: frozenset[tuple[str, int]] = frozenset()

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.tables | other.tables, self.media_ids | other.media_ids,
                       self.row_ids | other.row_ids)

    def touches(self, table: str) -> bool:
        return table in self.tables


class Command(Protocol):
    label: str

    def apply(self, tx: Tx) -> tuple["Command", Changes]: ...

    def describe(self) -> dict[str, Any]: ...


def _changes(table: str, row: dict[str, Any] | None, row_id: int) -> Changes:
    media = row.get("media_id") if row else None
    return Changes(frozenset({table}), frozenset({media}) if media is not None else frozenset(),
                   frozenset({(table, row_id)}))


@dataclass(frozen=True)
class Insert:
    table: str
    values: dict[str, Any] = field(hash=False)
    label: str = "add"

    def apply(self, tx: Tx) -> tuple[Command, Changes]:
        row_id = tx.insert(self.table, self.values)
        return Delete(self.table, row_id, label=self.label), _changes(self.table, self.values, row_id)

    def describe(self) -> dict[str, Any]:
        return {"insert": self.table, "values": self.values}


@dataclass(frozen=True)
class Delete:
    table: str
    id: int
    label: str = "delete"

    def apply(self, tx: Tx) -> tuple[Command, Changes]:
        restore: list[Command] = []
        changes = Changes()
        for child, column in CHILDREN.get(self.table, []):
            for row in tx.select(f"SELECT * FROM {child} WHERE {column} = ?", (self.id,)):
                tx.delete(child, row["id"])
                restore.append(Insert(child, row, label=self.label))
                changes = changes | _changes(child, None, row["id"])
        row = tx.delete(self.table, self.id)
        inverse = Batch(tuple([Insert(self.table, row, label=self.label)] + restore), label=self.label)
        return inverse, changes | _changes(self.table, row, self.id)

    def describe(self) -> dict[str, Any]:
        return {"delete": self.table, "id": self.id}


@dataclass(frozen=True)
class Update:
    table: str
    id: int
    values: dict[str, Any] = field(hash=False)
    label: str = "edit"

    def apply(self, tx: Tx) -> tuple[Command, Changes]:
        old = tx.update(self.table, self.id, self.values)
        row = tx.get(self.table, self.id)
        return Update(self.table, self.id, old, label=self.label), _changes(self.table, row, self.id)

    def describe(self) -> dict[str, Any]:
        return {"update": self.table, "id": self.id, "values": self.values}

    def merge(self, other: "Update") -> "Update | None":
        """Consecutive nudges of the same row merge into one undo step."""
        if other.table == self.table and other.id == self.id and other.label == self.label:
            return Update(self.table, self.id, {**self.values, **other.values}, label=self.label)
        return None


@dataclass(frozen=True)
class Batch:
    commands: tuple[Any, ...]
    label: str = "edit"

    def apply(self, tx: Tx) -> tuple[Command, Changes]:
        inverses: list[Command] = []
        changes = Changes()
        for cmd in self.commands:
            inv, ch = cmd.apply(tx)
            inverses.append(inv)
            changes = changes | ch
        return Batch(tuple(reversed(inverses)), label=self.label), changes

    def describe(self) -> dict[str, Any]:
        return {"batch": [c.describe() for c in self.commands]}
