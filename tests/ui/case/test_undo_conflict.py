"""Undo and redo in the window after another process changed the case: one clear message,
and an undo stack that still undoes and redoes what it can."""
from __future__ import annotations

from cli.clirun import ok


def test_redo_after_a_command_took_the_id_says_so_and_keeps_the_stack_usable(qtbot, case):
    from reviewer.ui.case.controller import CaseController

    ctl = CaseController.open(case)
    errors: list[str] = []
    ctl.error.connect(errors.append)
    try:
        video = next(m["id"] for m in ctl.media_list() if m["kind"] == "video")
        ctl.add_note(video, "first", frame=1)
        ctl.add_note(video, "mine", frame=2)
        ctl.undo_stack.undo()  # "mine" is deleted: its id is free again
        theirs = int(ok("annotate", case, str(video), "--frame", "3", "--text", "theirs").out)
        ctl.undo_stack.redo()
        assert len(errors) == 1 and "cannot redo" in errors[0] and "changed elsewhere" in errors[0], errors
        texts = sorted(r["text"] for r in ctl.store.query("SELECT text FROM annotations"))
        assert texts == ["first", "theirs"]
        assert not ctl.undo_stack.canRedo() and ctl.undo_stack.count() == 1
        ctl.undo_stack.undo()  # the stack still works: "first" goes, "theirs" stays
        assert [r["id"] for r in ctl.store.query("SELECT id FROM annotations")] == [theirs]
        ctl.undo_stack.redo()
        texts = sorted(r["text"] for r in ctl.store.query("SELECT text FROM annotations"))
        assert texts == ["first", "theirs"] and len(errors) == 1
    finally:
        ctl.close()
