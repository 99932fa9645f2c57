"""One generic QUndoCommand over the session's edit commands.

Every edit command's ``apply`` returns its exact inverse, and applying the inverse returns
the redo (see reviewer/session/edits.py), so this adapter keeps just one thing: the command
it must apply next. The first apply happens before the push, so a refused edit (a one-line
ReviewerError) never enters the stack.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from reviewer.errors import ReviewerError
from reviewer.session.edits import Command
from reviewer.session.undo import merge_inverses

MERGE_ID = 0x5245  # QUndoCommand ids: one id for every mergeable edit; keys decide


class EditCommand(QUndoCommand):
    def __init__(self, session: Any, applied_inverse: Command, label: str,
                 merge_key: Any = None, on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(label)
        self.session = session
        self.next_command = applied_inverse  # what undo() applies
        self.merge_key = merge_key
        self.on_error = on_error
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:  # QUndoStack.push calls redo(); the edit is already applied
            self._skip_first_redo = False
            return
        self._step("redo")

    def undo(self) -> None:
        self._step("undo")

    def _step(self, verb: str) -> None:
        try:
            self.next_command, _ = self.session.apply(self.next_command)
        except ReviewerError as exc:
            # another window or command changed the case since (a row deleted, an id reused):
            # nothing was applied. An exception cannot cross QUndoStack (PySide prints it and
            # the stack moves on as if the step were done, after which undo would redo), so
            # the step is marked obsolete: the stack drops it and stays consistent.
            self.setObsolete(True)
            if self.on_error is not None:
                self.on_error(f"cannot {verb} {self.text()!r}: {exc}; it was taken off the "
                              "undo history (the case was changed elsewhere)")

    def id(self) -> int:
        return MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        self.next_command = merge_inverses(self.next_command, other.next_command)
        return True


def push_edit(stack: QUndoStack, session: Any, cmd: Command, merge_key: Any = None,
              on_error: Callable[[str], None] | None = None) -> Command:
    """Apply ``cmd`` now (raising on refusal) and put it on the undo stack; returns its inverse.
    ``on_error`` hears of a later undo or redo that the case no longer allows."""
    inverse, _changes = session.apply(cmd)
    stack.push(EditCommand(session, inverse, getattr(cmd, "label", "edit"), merge_key, on_error))
    return inverse
