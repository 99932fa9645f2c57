"""One verification result, shared by every verifier (export, bundle)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from reviewer.errors import ReviewerError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def all_ok(checks: Iterable[Check]) -> bool:
    checks = list(checks)
    return bool(checks) and all(c.ok for c in checks)


class ExportFailed(ReviewerError):
    """The written copy did not pass verification; nothing was left under the output name."""

    def __init__(self, label: str, checks: Iterable[Check]) -> None:
        self.checks = tuple(checks)
        bad = [c for c in self.checks if not c.ok]
        summary = "; ".join(f"{c.name}: {c.detail}" for c in bad[:3]) or "no checks ran"
        super().__init__(f"{label}: the export failed verification and was not written ({summary})")
