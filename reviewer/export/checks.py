"""One verification result, shared by every verifier (export, bundle)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


def check_original(media_row: dict, refused: str = "not exported") -> Check:
    """The original must still be the file the case imported (same SHA-256): redaction
    geometry made on one file must never be burned into another."""
    from pathlib import Path

    from reviewer.errors import MediaError
    from reviewer.hashing import sha256_file

    name, path = media_row["name"], Path(media_row["path"])
    if not path.is_file():
        raise MediaError(f"{name}: the original is missing ({path})")
    if sha256_file(path) != media_row["sha256"]:
        raise MediaError(f"{name}: the original changed since it was imported (its SHA-256 differs); "
                         f"{refused}")
    return Check("original", True, f"{name} is the imported file (sha256 {media_row['sha256'][:12]})")
