"""Arabic as a reader's search finds it: a name written with its vowel marks (harakat,
shadda, the Qur'anic marks, the superscript alef) or stretched with tatweel is the same name
typed without them, and the hamza and wasla forms of alef are alef. Teh marbuta and alef
maksura are left as they are: they change the word, and a reviewer types what the document
spells (decision 0019). Presentation forms (the shaped letters XeTeX and older tools write)
reach their letters through NFKC in :func:`reviewer.pdf.search.fold_char`, which applies
this to the page text; :func:`fold_pattern` applies it to what the reviewer typed.
"""
from __future__ import annotations

ARABIC_ALEFS = {"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627"}
TATWEEL = "\u0640"


def arabic_mark(c: str) -> bool:
    """A vowel or Qur'anic mark of Arabic script, or tatweel: nothing a search types."""
    o = ord(c)
    return (c == TATWEEL or 0x064B <= o <= 0x065F or o == 0x0670 or 0x06D6 <= o <= 0x06ED
            or 0x0610 <= o <= 0x061A or 0x08D3 <= o <= 0x08FF)


def _arabic(c: str) -> bool:
    return "\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufeff"


def fold_pattern(pattern: str) -> str:
    """A typed pattern folded as the page text is, for what folding changes in Arabic: its
    vowel marks and tatweel dropped, alef forms made alef, presentation forms made letters (so
    "ٱلرَّحْمَٰن" and "الرحمن" find the same words). Regex syntax is ASCII and left as it is."""
    if not any(_arabic(c) for c in pattern):
        return pattern
    from reviewer.pdf.search import fold_char

    return "".join(fold_char(c) if _arabic(c) else c for c in pattern)
