"""Finding the Bates number printed on a page (``ICE-2023-000123``, ``2023-ICLI-000045``,
``DHS 000123``).

Productions stamp it in a margin, usually bottom right. Body text also cites Bates numbers
("see ICE-2023-000045"), so a token counts only when it sits in the top or bottom margin,
or stands alone on its line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

# A prefix is one to four parts: upper-case words (letters then letters/digits) or years,
# joined by -, _ or a space; then 5-10 digits. Or letters glued straight to 6+ digits.
_PART = r"(?:[A-Z][A-Z0-9]{1,11}|(?:19|20)\d{2})"
# FOIA offices stamp the request number, then the page's serial: "2023-ICFO-00123 000046".
# The serial is what names the page, so the request's own digits belong to the prefix.
_REQUEST = r"(?:\d{3,6}[-_ ])"
BATES_RE = re.compile(
    rf"(?<![A-Za-z0-9-])(?:((?:{_PART}[-_ ]){{1,4}}{_REQUEST}?)(\d{{5,10}})|([A-Z]{{2,8}})(\d{{6,10}}))(?![\dA-Za-z])"
)
_NOT_PREFIX = {"NO", "NUM", "PAGE", "FILE", "CASE", "TEL", "FAX", "PHONE", "ZIP", "DOB", "SSN", "ID",
               "FORM", "ROOM", "SUITE", "BOX", "PO", "USC", "CFR"}
MARGIN_FRACTION = 0.15


@dataclass(frozen=True)
class Word:
    """A word as displayed: PDF points, origin top-left."""

    text: str
    x0_pt: float
    y0_pt: float
    x1_pt: float
    y1_pt: float
    line_key: tuple[int, int]


def _valid(m: re.Match[str]) -> bool:
    prefix = m.group(1) if m.group(1) is not None else m.group(3)
    parts = [p for p in re.split(r"[-_ ]", prefix) if p]
    if not any(p[0].isalpha() for p in parts):
        return False
    return not (len(parts) == 1 and parts[0] in _NOT_PREFIX)


def bates_in_text(text: str) -> list[str]:
    """Every Bates-like token in ``text`` (normalised to single spaces)."""
    return [" ".join(m.group(0).split()) for m in BATES_RE.finditer(text) if _valid(m)]


def find_bates(words: Sequence[Word], page_w_pt: float, page_h_pt: float,
               rotated: bool = False) -> str | None:
    """The page's own Bates number, or None. On a rotated page the stamp may sit in a
    side margin of the page as displayed, so those count too."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line_key, []).append(w)
    best: tuple[tuple, str] | None = None
    for line in lines.values():
        line.sort(key=lambda w: w.x0_pt)
        text = ""
        spans: list[tuple[int, int, Word]] = []
        for w in line:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(w.text), w))
            text += w.text
        for m in BATES_RE.finditer(text):
            if not _valid(m):
                continue
            hit = [w for a, b, w in spans if a < m.end() and b > m.start()]
            y0 = min(w.y0_pt for w in hit)
            y1 = max(w.y1_pt for w in hit)
            x1 = max(w.x1_pt for w in hit)
            bottom = y1 >= page_h_pt * (1 - MARGIN_FRACTION)
            top = y0 <= page_h_pt * MARGIN_FRACTION
            x0 = min(w.x0_pt for w in hit)
            side = rotated and (x0 <= page_w_pt * MARGIN_FRACTION or x1 >= page_w_pt * (1 - MARGIN_FRACTION))
            alone = m.group(0).strip() == text.strip()
            if not (bottom or top or side or alone):
                continue
            score = (bottom or top or side, bottom, alone, x1 / max(page_w_pt, 1.0), y1)
            token = " ".join(m.group(0).split())
            if best is None or score > best[0]:
                best = (score, token)
    return best[1] if best else None
