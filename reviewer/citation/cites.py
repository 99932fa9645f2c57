"""Pin cites, as a brief would write them (pure functions)."""
from __future__ import annotations

import re

EN_DASH = "\u2013"
_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def clip_cite(label: str, source: str, start_tc: str, end_tc: str) -> str:
    """``Ex. 3 (BWC-07.mp4) at 00:03:12.480–00:03:45.112``: first frame to last frame."""
    return f"{label} ({source}) at {start_tc}{EN_DASH}{end_tc}"


def still_cite(label: str, source: str, tc: str) -> str:
    return f"{label} ({source}) at {tc}"


def bates_range(first: str, last: str | None) -> str:
    """``ICE-2023-000124–000125``: the last number shortened to its running digits when it
    shares the first's prefix and width (the way briefs cite Bates ranges), else in full."""
    if not last or last == first:
        return first
    a, b = _TRAILING_DIGITS.match(first), _TRAILING_DIGITS.match(last)
    if a and b and a.group(1) == b.group(1) and len(a.group(2)) == len(b.group(2)):
        return f"{first}{EN_DASH}{b.group(2)}"
    return f"{first}{EN_DASH}{last}"


def document_cite(label: str, first_page: int, bates: str | None, last_page: int | None = None,
                  last_bates: str | None = None) -> str:
    """``Ex. 3 at ICE-2023-000124–000125`` for a page range whose pages carry Bates numbers,
    ``Ex. 5 at ICE-2023-000123`` for one page; without Bates numbers ``at pp. 4–5`` /
    ``at p. 4``. A range whose last page has no Bates number is cited by its pages too, since a
    half-Bates cite would point at the wrong end."""
    last = first_page if last_page is None else last_page
    if last == first_page:
        return f"{label} at {bates}" if bates else f"{label} at p. {first_page}"
    if bates and last_bates:
        return f"{label} at {bates_range(bates, last_bates)}"
    return f"{label} at pp. {first_page}{EN_DASH}{last}"
