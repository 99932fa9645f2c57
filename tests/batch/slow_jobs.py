"""Jobs for the sandbox tests, run in its child process by name."""
from __future__ import annotations

import time
from typing import Any


def count(n: int, delay_s: float, progress: Any = None) -> int:
    for i in range(n):
        time.sleep(delay_s)
        if progress is not None:
            progress.update((i + 1) / n, f"step {i + 1} of {n}")
    return n
