"""Pin cites, as a brief would write them (pure functions)."""
from __future__ import annotations

EN_DASH = "\u2013"


def clip_cite(label: str, source: str, start_tc: str, end_tc: str) -> str:
    """``Ex. 3 (BWC-07.mp4) at 00:03:12.480–00:03:45.112``: first frame to last frame."""
    return f"{label} ({source}) at {start_tc}{EN_DASH}{end_tc}"


def still_cite(label: str, source: str, tc: str) -> str:
    return f"{label} ({source}) at {tc}"


def document_cite(label: str, first_page: int, bates: str | None) -> str:
    """``Ex. 5 at ICE-2023-000123`` when the first page carries a Bates number, else ``at p. 4``."""
    return f"{label} at {bates}" if bates else f"{label} at p. {first_page}"
