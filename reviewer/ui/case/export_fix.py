"""When a document's export fails verification because text still shows under a box.

Verify names each failing box and the characters it found under it ("page 6: 1 character(s)
under box 3 (72.0,300.0,140.0,312.0): 'A'"). The window says that in words a reviewer can act
on (which box, on which page, which letters) and offers what ``reviewer export --grow-boxes``
does: grow every box to the whole glyphs it touches, as one undoable edit through the
session, then export again to the same file.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

GROW = "Grow the boxes to the glyphs and export again"
CHECK = "text under boxes"
_LEFT = re.compile(r"page (\d+): (\d+) character\(s\) under box (\d+) \(([^)]*)\): "
                   r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


@dataclass(frozen=True)
class Left:
    """Characters verify found under one box of the export."""
    page_no: int
    count: int
    box_no: int  # verify's own numbering of the exported boxes (1-based)
    rect: tuple[float, ...]
    text: str


def left_under_boxes(checks: Iterable[Any]) -> list[Left]:
    """The boxes verify found text under, from its failed "text under boxes" check."""
    out: list[Left] = []
    for c in checks:
        if c.name != CHECK or c.ok:
            continue
        for m in _LEFT.finditer(c.detail):
            try:
                rect = tuple(float(v) for v in m.group(4).split(","))
                text = str(ast.literal_eval(m.group(5)))
            except (ValueError, SyntaxError):
                continue
            out.append(Left(int(m.group(1)), int(m.group(2)), int(m.group(3)), rect, text))
    return out


def describe(left: list[Left], boxes: list[Any]) -> str:
    """One line per box, naming it as the Redactions list does (its page, exemption and
    place) with the characters still under it."""
    lines = []
    for lt in left:
        box = next((b for b in boxes if b.page_no == lt.page_no and len(lt.rect) == 4 and
                    all(abs(a - c) < 0.06 for a, c in
                        zip(lt.rect, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt)))), None)
        x0, y0, x1, y1 = ((box.x0_pt, box.y0_pt, box.x1_pt, box.y1_pt) if box else
                          lt.rect if len(lt.rect) == 4 else (0.0, 0.0, 0.0, 0.0))
        what = (f"Box {lt.box_no} on page {lt.page_no}" + (f" ({box.reason})" if box else "")
                + f", {x0:.0f}–{x1:.0f} pt across, {y0:.0f}–{y1:.0f} pt down")
        chars = "character" if lt.count == 1 else "characters"
        lines.append(f"{what}: {lt.count} {chars} still readable under it: “{lt.text}”")
    return "\n".join(lines)


def offer_grow(win: Any, media: dict[str, Any], checks: Iterable[Any],
               export_again: Callable[[], None]) -> QMessageBox | None:
    """Name the boxes text shows under and offer to grow them and export again; None when
    the export failed for another reason (the caller says so)."""
    from reviewer.store.redactions import page_boxes

    left = left_under_boxes(checks)
    if not left:
        return None
    boxes = page_boxes(win.ctl.store, media["id"])
    box = QMessageBox(QMessageBox.Warning, "Text still shows under a box",
                      f"{media['name']} was not exported: verification found text under "
                      f"{len(left)} box{'es' if len(left) != 1 else ''} (a box cuts through "
                      "letters, so part of them stays readable). Nothing was written.",
                      QMessageBox.NoButton, win)
    box.setInformativeText(describe(left, boxes) + "\n\nGrowing makes every box of this document "
                           "cover the whole letters it touches (one step: Ctrl+Z undoes).")
    grow = box.addButton(GROW, QMessageBox.AcceptRole)
    box.addButton(QMessageBox.Cancel)
    box.setDefaultButton(grow)
    box.setWindowModality(Qt.WindowModal)
    box.setAttribute(Qt.WA_DeleteOnClose)

    def chosen(_result: int) -> None:
        win.grow_prompt = None
        if box.clickedButton() is grow:
            grow_and_export(win, media, export_again)
    box.finished.connect(chosen)
    win.grow_prompt = box
    box.open()
    return box


def grow_and_export(win: Any, media: dict[str, Any], export_again: Callable[[], None]) -> int:
    """Grow every box of ``media`` to its glyphs (one undo step), then export again."""
    from reviewer.session.redactions import grow_page_boxes

    cmd, n = grow_page_boxes(win.ctl.store, media)
    if cmd is None:
        win.show_error(f"{media['name']}: no box touches part of a letter, so growing changes "
                       "nothing; draw a larger box over the text named and export again")
        return 0
    if win.ctl.apply(cmd) is None:
        return 0
    win.status(f"Grew {n} box{'es' if n != 1 else ''} of {media['name']} to the glyphs they touch "
               "(Ctrl+Z undoes); exporting again…")
    export_again()
    return n
