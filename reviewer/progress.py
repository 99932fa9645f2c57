"""Progress reporting for long jobs that run on any thread (Orange's TaskState)."""
from __future__ import annotations

import threading
from typing import Callable

from reviewer.errors import Cancelled


class Progress:
    """Fraction done, a message, and a cancel flag.

    Long jobs take one of these and call ``update`` as they go; ``update`` raises
    :class:`Cancelled` once ``cancel`` was called, so jobs stop at their next step.
    """

    def __init__(self, callback: Callable[[float, str], None] | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self.fraction = 0.0
        self.message = ""

    def update(self, fraction: float | None = None, message: str | None = None) -> None:
        if fraction is not None:
            self.fraction = max(0.0, min(1.0, fraction))
        if message is not None:
            self.message = message
        if self._callback is not None:
            self._callback(self.fraction, self.message)
        if self._cancel.is_set():
            raise Cancelled(self.message or "cancelled")

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def sub(self, start: float, end: float) -> "Progress":
        """A child progress mapping its 0..1 onto [start, end] of this one."""
        parent = self
        child = Progress(lambda f, m: parent.update(start + (end - start) * f, m))
        child._cancel = self._cancel
        return child


NULL_PROGRESS = Progress()
