"""Single-key commands (P, E, L, O…) and text fields.

A text field that has the focus takes its letters itself. What misleads is the moment after:
a missed click moves the focus away and the rest of the word lands on the window as
commands (P turns the preview off, E arms the ellipse tool). So a single-key command is held
back while a text field has the focus and for a moment after the last key typed into one,
and the status line says so; the same key a moment later works.
"""
from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

QUIET_S = 1.0  # after the last key typed into a text field


def is_text_field(w: Any) -> bool:
    if isinstance(w, (QLineEdit, QAbstractSpinBox)):
        return not getattr(w, "isReadOnly", lambda: False)()
    if isinstance(w, (QTextEdit, QPlainTextEdit)):
        return not w.isReadOnly()
    return isinstance(w, QComboBox) and w.isEditable()


def is_single_key(seq: QKeySequence) -> bool:
    """A shortcut a typist could hit by mistake: one printable key, Shift at most."""
    if seq.isEmpty() or seq.count() != 1:
        return False
    combo = seq[0]
    mods = combo.keyboardModifiers()
    if mods & ~Qt.ShiftModifier:
        return False
    text = QKeySequence(combo.key()).toString()
    return len(text) == 1 and text.isprintable() and text != " "


class KeyGuard(QObject):
    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.win = win
        self.last_typed = float("-inf")
        self.held = 0  # single-key commands held back, for tests and the status line
        app = QApplication.instance()
        app.focusChanged.connect(self._on_focus_changed)

    def guard(self, actions: list[QAction]) -> None:
        for a in actions:
            if any(is_single_key(s) for s in a.shortcuts()):
                a.installEventFilter(self)

    def guard_widget(self, w: QWidget) -> None:
        """A widget that acts on plain letters itself (the picture: J, K, L, I, O)."""
        w.installEventFilter(self)

    def typing(self) -> bool:
        focus = QApplication.focusWidget()
        return is_text_field(focus) or time.monotonic() - self.last_typed < QUIET_S

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if is_text_field(new):
            new.installEventFilter(self)  # once per widget: Qt moves a repeated filter to the front

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        t = e.type()
        if t == QEvent.KeyPress and isinstance(obj, QWidget):
            if is_text_field(obj):
                self.last_typed = time.monotonic()
            elif (e.text() and e.text().isprintable() and e.text() != " "
                  and not e.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)
                  and self.typing()):
                self.held += 1
                self.win.status(f"“{e.text()}” was not taken as a command: you were typing in a "
                                "text field. Press it again in a moment to use it.")
                return True
        elif t == QEvent.Shortcut and isinstance(obj, QAction) and self.typing():
            self.held += 1
            key = obj.shortcut().toString(QKeySequence.NativeText)
            self.win.status(f"“{key}” was not taken as a command ({obj.text().replace('&', '')}): "
                            "you were typing in a text field. Press it again in a moment to use it.")
            return True
        return False


def areas(win: Any) -> list[QWidget]:
    """Where F6 takes the focus, in order: the picture, the page, the Case list, the notes,
    the Redactions list, the exhibits (each only when it is on screen)."""
    out = [win.video.view, win.doc.view, win.items.list, win.notes.table,
           win.redact.panel.tree, win.exhibits.panel.tree]
    return [w for w in out if w.isVisible() and w.isEnabled()]


def next_area(win: Any, step: int = 1) -> None:
    targets = areas(win)
    if not targets:
        return
    focus = QApplication.focusWidget()
    here = next((i for i, w in enumerate(targets) if focus is not None
                 and (focus is w or w.isAncestorOf(focus))), -1)
    target = targets[(here + step) % len(targets)] if here >= 0 else targets[0]
    target.setFocus(Qt.TabFocusReason)
    names = {id(win.video.view): "the picture", id(win.doc.view): "the page",
             id(win.items.list): "the Case list", id(win.notes.table): "the notes",
             id(win.redact.panel.tree): "the Redactions list",
             id(win.exhibits.panel.tree): "the exhibits"}
    win.status(f"Focus on {names.get(id(target), 'the next area')} (F6: next, Shift+F6: back)")
