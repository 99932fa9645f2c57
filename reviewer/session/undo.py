"""A Qt-free undo history over :meth:`Session.apply`.

Each step keeps the command that takes it back (the inverse returned by ``apply``). Undoing
applies that and keeps *its* inverse as the redo, which re-creates the same row ids.
The window's ``QUndoStack`` adapter can wrap the same pieces: :func:`merge_inverses` is what
its ``mergeWith`` does for consecutive nudges of one box.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.session.edits import Batch, Changes, Command, Delete, Update
from reviewer.store.trouble import EditConflict


def merge_inverses(older: Command, newer: Command) -> Command:
    """The inverse of two steps done one after the other: ``newer`` is undone first. Two
    updates of the same row become one update back to the values before both."""
    if isinstance(older, Update) and isinstance(newer, Update) and \
            (older.table, older.id) == (newer.table, newer.id):
        # the older step saw the original values; keys only the newer step touched were
        # still original when it ran
        return Update(older.table, older.id, {**newer.values, **older.values}, label=older.label)
    return Batch((newer, older), label=getattr(older, "label", "edit"))


@dataclass(frozen=True)
class Step:
    label: str
    undo: Command  # applying it takes the step back
    merge_key: Any = None


class UndoHistory:
    """Applied steps and undone steps. ``push`` applies a command; ``merge_key`` (e.g.
    ``("nudge", redaction_id, frame)``) folds it into the step before when that step had the
    same key and nothing was undone since, so a run of arrow-key nudges is one undo step."""

    def __init__(self, session: Any, limit: int = 1000) -> None:
        self.session = session
        self.limit = limit
        self._done: list[Step] = []
        self._undone: list[Step] = []  # each holds the command that redoes it
        self._can_merge = False

    def push(self, cmd: Command, merge_key: Any = None) -> Changes:
        inverse, changes = self.session.apply(cmd)
        label = getattr(cmd, "label", "edit")
        last = self._done[-1] if self._done else None
        if merge_key is not None and self._can_merge and last is not None \
                and last.merge_key == merge_key:
            self._done[-1] = Step(last.label, merge_inverses(last.undo, inverse), merge_key)
        else:
            self._done.append(Step(label, inverse, merge_key))
            del self._done[:-self.limit]
        self._undone.clear()
        self._can_merge = merge_key is not None
        return changes

    def undo(self) -> Changes | None:
        if not self._done:
            return None
        step = self._done.pop()
        self._can_merge = False
        try:
            redo, changes = self.session.apply(step.undo)
        except ReviewerError as exc:
            # the case changed elsewhere (another window or command deleted or reused the
            # row): nothing was applied; this step and the redo list cannot follow any more
            self._undone.clear()
            raise EditConflict(f"cannot undo {step.label!r}: {exc}; it was taken off the undo "
                               "list (the case was changed elsewhere)") from None
        self._undone.append(Step(step.label, redo, step.merge_key))
        return changes

    def redo(self) -> Changes | None:
        if not self._undone:
            return None
        step = self._undone.pop()
        self._can_merge = False
        try:
            undo, changes = self.session.apply(step.undo)
        except ReviewerError as exc:
            # e.g. another process has given the undone row's id to a row of its own: the
            # steps undone after this one depend on it, so none of them can be redone
            self._undone.clear()
            raise EditConflict(f"cannot redo {step.label!r}: {exc}; the redo list was cleared "
                               "(the case was changed elsewhere)") from None
        self._done.append(Step(step.label, undo, step.merge_key))
        return changes

    def undo_all(self) -> int:
        n = 0
        while self.undo() is not None:
            n += 1
        return n

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    def seal(self) -> None:
        """End a run of merges (e.g. the user clicked elsewhere)."""
        self._can_merge = False


def created_id(inverse: Command, table: str) -> int | None:
    """The id of the ``table`` row an add command created, read off its inverse (a Delete of
    that row, possibly inside a Batch)."""
    if isinstance(inverse, Delete):
        return inverse.id if inverse.table == table else None
    for cmd in getattr(inverse, "commands", ()):
        found = created_id(cmd, table)
        if found is not None:
            return found
    return None
