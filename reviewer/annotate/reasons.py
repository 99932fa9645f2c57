"""The one vocabulary of withholding reasons shared by video and documents."""
from __future__ import annotations

import re

BUILTIN_REASONS: list[tuple[str, str]] = [
    ("b1", "FOIA (b)(1): classified national defense or foreign policy information"),
    ("b2", "FOIA (b)(2): internal personnel rules and practices"),
    ("b3", "FOIA (b)(3): exempted by another statute"),
    ("b4", "FOIA (b)(4): trade secrets, confidential commercial information"),
    ("b5", "FOIA (b)(5): inter- or intra-agency privileged memoranda"),
    ("b6", "FOIA (b)(6): personnel, medical and similar files (personal privacy)"),
    ("b7A", "FOIA (b)(7)(A): interference with enforcement proceedings"),
    ("b7B", "FOIA (b)(7)(B): deprivation of a fair trial"),
    ("b7C", "FOIA (b)(7)(C): unwarranted invasion of personal privacy (law enforcement)"),
    ("b7D", "FOIA (b)(7)(D): confidential source"),
    ("b7E", "FOIA (b)(7)(E): law enforcement techniques and procedures"),
    ("b7F", "FOIA (b)(7)(F): endanger life or physical safety"),
    ("b8", "FOIA (b)(8): financial institutions"),
    ("b9", "FOIA (b)(9): geological and geophysical information"),
    ("PA-k2", "Privacy Act 5 U.S.C. 552a(k)(2): investigatory material"),
    ("PA-d5", "Privacy Act 5 U.S.C. 552a(d)(5): compiled in anticipation of litigation"),
    ("PO", "Protective order / court rule (e.g. Fed. R. Civ. P. 5.2)"),
]

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
