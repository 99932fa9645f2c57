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


class BatchProgress:
    """Progress of a batch of items, each with a size in units (frames of a video, pages of
    a document): what a bar shows (units done of all, items done of all) and one line per
    finished item. Thread-safe: items report from runner threads.

    ``progress`` carries the batch's fraction, its message and the cancel flag (a window's
    dialog or the command line's Ctrl+C); ``listener(snapshot)`` sees every change and
    ``on_item(line)`` every finished item."""

    def __init__(self, progress: Progress | None = None,
                 listener: Callable[["BatchSnapshot"], None] | None = None,
                 on_item: Callable[[str], None] | None = None) -> None:
        self.progress = progress or Progress()
        self._listener = listener
        self._on_item = on_item
        self._lock = threading.Lock()
        self._units: dict[object, float] = {}
        self._done: dict[object, float] = {}
        self._finished: set[object] = set()

    def plan(self, sizes: dict[object, float]) -> None:
        """The items to do (key -> units); items already current are simply not planned."""
        with self._lock:
            self._units = {k: max(1.0, float(v)) for k, v in sizes.items()}
            self._done = {k: 0.0 for k in sizes}
            self._finished = set()
        self._changed("")

    def item(self, key: object, name: str = "") -> Progress:
        """A Progress for one item; its fraction becomes that item's units done."""
        def report(fraction: float, message: str) -> None:
            with self._lock:
                if key in self._units and key not in self._finished:
                    self._done[key] = fraction * self._units[key]
            self._changed(f"{name}: {message}" if name and message else message or name)
        child = Progress(report)
        child._cancel = self.progress._cancel
        return child

    def finish(self, key: object, line: str = "") -> None:
        with self._lock:
            if key in self._units:
                self._done[key] = self._units[key]
                self._finished.add(key)
        if line and self._on_item is not None:
            self._on_item(line)
        try:
            self._changed(line)
        except Cancelled:
            pass  # what finished stays finished; the batch stops before its next item

    def snapshot(self) -> "BatchSnapshot":
        with self._lock:
            return BatchSnapshot(sum(self._done.values()), sum(self._units.values()),
                                 len(self._finished), len(self._units))

    def _changed(self, message: str) -> None:
        snap = self.snapshot()
        if self._listener is not None:
            self._listener(snap)
        self.progress.update(snap.fraction, message or None)

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled


class BatchSnapshot:
    """Units and items done of a batch at one moment."""

    __slots__ = ("units_done", "units_total", "items_done", "items_total")

    def __init__(self, units_done: float, units_total: float, items_done: int,
                 items_total: int) -> None:
        self.units_done = units_done
        self.units_total = units_total
        self.items_done = items_done
        self.items_total = items_total

    @property
    def fraction(self) -> float:
        return self.units_done / self.units_total if self.units_total else 1.0
