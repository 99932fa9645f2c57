"""One generic QUndoCommand over the session's edit commands.

Every edit command's ``apply`` returns its exact inverse, and applying the inverse returns
the redo (see reviewer/session/edits.py), so this adapter keeps just one thing: the command
it must apply next. The first apply happens before the push, so a refused edit (a one-line
ReviewerError) never enters the stack.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from reviewer.session.edits import Command
from reviewer.session.undo import merge_inverses

MERGE_ID = 0x5245  # QUndoCommand ids: one id for every mergeable edit; keys decide


class EditCommand(QUndoCommand):
    def __init__(self, session: Any, applied_inverse: Command, label: str,
                 merge_key: Any = None) -> None:
        super().__init__(label)
        self.session = session
        self.next_command = applied_inverse  # what undo() applies
        self.merge_key = merge_key
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:  # QUndoStack.push calls redo(); the edit is already applied
            self._skip_first_redo = False
            return
        self.next_command, _ = self.session.apply(self.next_command)

    def undo(self) -> None:
        self.next_command, _ = self.session.apply(self.next_command)

    def id(self) -> int:
        return MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        self.next_command = merge_inverses(self.next_command, other.next_command)
        return True


def push_edit(stack: QUndoStack, session: Any, cmd: Command, merge_key: Any = None) -> Command:
    """Apply ``cmd`` now (raising on refusal) and put it on the undo stack; returns its inverse."""
    inverse, _changes = session.apply(cmd)
    stack.push(EditCommand(session, inverse, getattr(cmd, "label", "edit"), merge_key))
    return inverse
