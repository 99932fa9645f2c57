"""Before a video is exported: the automatic passes besides faces that never ran on it.

An export checks the redactions the case has; it cannot cover what nobody looked for. A
clip once exported "with every check passed" while its licence plate stayed readable,
because text had never been looked for in it. So the question asked before a video export
(reviewer.ui.redaction.coverage, which asks about faces) also names each other pass missing
on this original (text in the picture, what was said) and offers to run it.
"""
from __future__ import annotations

from typing import Any

# faces are the coverage check's own question
ASKED_TOO = ("text", "speech")
WHAT = {"text": "text in the picture (plates, badges, screens)", "speech": "what was said"}


def missing(win: Any, media: dict[str, Any]) -> list[str]:
    """The passes besides faces never run on this very original (same SHA-256)."""
    from reviewer.session.passes import missing_passes

    if win.ctl is None or media["kind"] != "video":
        return []
    return [n for n in missing_passes(win.ctl.store, media) if n in ASKED_TOO]


def sentence(names: list[str]) -> str:
    what = " and ".join(WHAT[n] for n in names)
    return (f"{what[0].upper()}{what[1:]} {'was' if len(names) == 1 else 'were'} never looked "
            "for in this video either: the export checks the redactions the case has and "
            "cannot cover what was never looked for.")


def run(win: Any, media: dict[str, Any], names: list[str]) -> None:
    """Run the first missing pass (the window runs one job at a time) and hold the export
    back: what it finds is reviewed, then exported."""
    if win.video.media is None or win.video.media["id"] != media["id"]:
        win.view.open_item(media["id"])
    first, rest = names[0], names[1:]
    later = f"; then look for {' and '.join(WHAT[n] for n in rest)}" if rest else ""
    if first == "text":
        win.redact.find_text()
    else:
        win.speech.transcribe_current()
    win.status(f"Export held back: looking for {WHAT[first]} in {media['name']}{later}; "
               "review what is found, then export again")
