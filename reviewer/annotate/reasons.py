"""The one vocabulary of withholding reasons shared by video and documents (the default list
is resources/exemptions.toml)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from reviewer.paths import resource

EXEMPTIONS_FILE = "exemptions.toml"


def load_reasons(path: Path | None = None) -> list[tuple[str, str]]:
    """The default exemption list, (code, label) in file order, from ``resources/`` (data the
    app ships, not code: see the file's header)."""
    path = path or resource(EXEMPTIONS_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        reasons = [(str(r["code"]), str(r["label"])) for r in data.get("reason", [])]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise RuntimeError(f"{path}: the default exemption list cannot be read ({exc!r})") from None
    codes = [c.lower() for c, _ in reasons]
    if not reasons or len(set(codes)) != len(codes):
        raise RuntimeError(f"{path}: the exemption list is empty or repeats a code")
    return reasons


BUILTIN_REASONS: list[tuple[str, str]] = load_reasons()

_CANON = {code.lower(): code for code, _ in BUILTIN_REASONS}
_FOIA_LONG = re.compile(r"^\(?b\)?\s*\(?(\d)\)?\s*(?:\(?([a-f])\)?)?$", re.I)


def normalize_reason(code: str) -> str:
    """``(b)(7)(C)``, ``b7c``, ``B7C`` -> ``b7C``; other codes are kept as typed."""
    text = code.strip()
    if not text:
        return ""
    if text.lower() in _CANON:
        return _CANON[text.lower()]
    m = _FOIA_LONG.match(text.replace(" ", ""))
    if m:
        num, sub = m.groups()
        canon = f"b{num}{sub.upper() if sub else ''}"
        if canon.lower() in _CANON:
            return _CANON[canon.lower()]
    return text
