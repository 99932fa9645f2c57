"""Progress of long commands on stderr (tqdm): only on a terminal, never with ``--quiet``.

A bar shows units done of all (frames of videos, pages of documents, bytes read at
import) with their rate and the time left, and the items done of all; each finished item
gets one line above the bar. When stderr is not a terminal nothing extra is written:
scripts and logs see only the contract's output. ``error:`` lines are written always.
"""
from __future__ import annotations

import os
import sys
import threading
from argparse import Namespace
from typing import Any

from reviewer.inert import shown_line
from reviewer.progress import BatchProgress, BatchSnapshot, Progress

BAR = "{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}{unit} [{elapsed}<{remaining}, {rate_fmt}]"
FRACTION_BAR = "{desc} {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}] {postfix}"


def wanted(args: Namespace | None = None, stream: Any = None) -> bool:
    stream = stream or sys.stderr
    if args is not None and getattr(args, "quiet", False):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Bar:
    """One tqdm bar on stderr, or nothing when not ``enabled``. Thread-safe."""

    def __init__(self, title: str, enabled: bool, unit: str = "frames", fraction_only: bool = False,
                 unit_scale: bool = False) -> None:
        self.enabled = enabled
        self.title = title
        self._lock = threading.Lock()
        self._bar: Any = None
        self._unit = unit
        self._fraction_only = fraction_only
        self._unit_scale = unit_scale

    def _make(self, total: float = 1) -> Any:
        """The tqdm bar, made at the first report (so nothing shows before the work is known)."""
        if self._bar is None and self.enabled:
            from tqdm import tqdm

            try:
                cols = os.get_terminal_size(sys.stderr.fileno()).columns
            except (OSError, ValueError):
                cols = 0
            self._bar = tqdm(total=1000 if self._fraction_only else max(1, round(total)), file=sys.stderr,
                             desc=self.title, unit=f" {self._unit}", unit_scale=self._unit_scale,
                             dynamic_ncols=cols > 0, ncols=None if cols > 0 else 80, leave=True,
                             bar_format=FRACTION_BAR if self._fraction_only else BAR,
                             mininterval=0.2, smoothing=0.1)
        return self._bar

    # -- a batch: units and items ------------------------------------------------------
    def batch(self, progress: Progress | None = None) -> BatchProgress:
        return BatchProgress(progress or Progress(), listener=self.show)

    def show(self, snap: BatchSnapshot) -> None:
        if not self.enabled or not snap.items_total:
            return
        with self._lock:
            self._make(snap.units_total)
            total = max(1, round(snap.units_total))
            if self._bar.total != total:
                self._bar.total = total
            self._bar.set_description_str(f"{self.title} {snap.items_done}/{snap.items_total}",
                                          refresh=False)
            self._move(min(total, round(snap.units_done)))

    # -- a single job: a fraction ---------------------------------------------------------
    def progress(self) -> Progress:
        return Progress(self.fraction)

    def fraction(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._make()
            if message:
                self._bar.set_postfix_str(message[:50], refresh=False)
            self._move(round(fraction * self._bar.total))

    def units(self, done: float, total: float) -> None:
        """Units done of a known total (a single video's frames)."""
        if not self.enabled:
            return
        with self._lock:
            self._make(total)
            self._bar.total = max(1, round(total))
            self._move(min(self._bar.total, round(done)))

    def _move(self, n: int) -> None:
        """To ``n`` units: forward through ``update`` (tqdm's rate and time left follow it)."""
        if n >= self._bar.n:
            self._bar.update(n - self._bar.n)
        else:
            self._bar.n = n
            self._bar.refresh()

    # -- lines ----------------------------------------------------------------------------
    def line(self, text: str) -> None:
        """One line for a finished item: above the bar on a terminal, nothing otherwise."""
        if not self.enabled:
            return
        text = shown_line(text)
        with self._lock:
            if self._bar is not None:
                self._bar.write(text, file=sys.stderr)
            else:
                print(text, file=sys.stderr, flush=True)

    def out(self, text: str) -> None:
        """A line of the command's own output on stdout, without tearing the bar."""
        text = shown_line(text)  # names from the agency's files: no terminal controls
        with self._lock:
            if self._bar is not None:
                self._bar.write(text, file=sys.stdout)
                sys.stdout.flush()
            else:
                print(text, flush=True)

    def error(self, text: str) -> None:
        """An ``error:`` line, always (above the bar when there is one)."""
        text = shown_line(text)
        with self._lock:
            if self._bar is not None:
                self._bar.write(text, file=sys.stderr)
            else:
                print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            with self._lock:
                self._bar.close()
            self._bar = None

    def __enter__(self) -> "Bar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
