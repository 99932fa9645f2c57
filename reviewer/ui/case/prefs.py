"""User preferences: a small versioned JSON file (recent cases). Window geometry is QSettings'.

Kept apart from case data on purpose: a case folder can be handed to a colleague without
carrying one user's habits, and a preference file can be deleted without losing work.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from reviewer.paths import user_config_dir

PREFS_VERSION = 1
MAX_RECENT = 10


@dataclass(frozen=True)
class Prefs:
    recent_cases: tuple[str, ...] = ()
    redaction_preview: bool = True
    default_reason: str = "b6"
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def with_recent(self, folder: str | Path) -> Prefs:
        path = str(Path(folder).resolve())
        recent = [path] + [p for p in self.recent_cases if p != path]
        return replace(self, recent_cases=tuple(recent[:MAX_RECENT]))


def prefs_path() -> Path:
    return user_config_dir() / "prefs.json"


def load_prefs(path: Path | None = None) -> Prefs:
    """Preferences from disk; defaults when missing, unreadable or from a newer version."""
    path = path or prefs_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()
    if not isinstance(data, dict) or int(data.get("version", 0)) > PREFS_VERSION:
        return Prefs()
    recent = tuple(str(p) for p in data.get("recent_cases", []) if isinstance(p, str))
    return Prefs(recent_cases=recent[:MAX_RECENT],
                 redaction_preview=bool(data.get("redaction_preview", True)),
                 default_reason=str(data.get("default_reason", "b6")),
                 extra=dict(data.get("extra", {})))


def save_prefs(prefs: Prefs, path: Path | None = None) -> None:
    """Written to a temporary file and renamed, so a crash never leaves half a file."""
    path = path or prefs_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": PREFS_VERSION, "recent_cases": list(prefs.recent_cases),
            "redaction_preview": prefs.redaction_preview, "default_reason": prefs.default_reason,
            "extra": prefs.extra}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)
