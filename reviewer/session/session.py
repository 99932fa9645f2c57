"""The session: applies edit commands to a case, one transaction each, with its audit row."""
from __future__ import annotations

from typing import Callable

from reviewer.session.edits import Changes, Command
from reviewer.store import CaseStore


class Session:
    def __init__(self, store: CaseStore) -> None:
        self.store = store
        self._listeners: list[Callable[[Changes], None]] = []

    def apply(self, cmd: Command) -> tuple[Command, Changes]:
        """Apply ``cmd`` and its audit row in one transaction; return its inverse and what changed.

        Saved when made: the transaction is committed before this returns."""
        with self.store.write() as tx:
            inverse, changes = cmd.apply(tx)
            tx.audit(f"edit.{cmd.label}", cmd.describe())
        for listener in list(self._listeners):
            listener(changes)
        return inverse, changes

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        self._listeners.append(listener)
