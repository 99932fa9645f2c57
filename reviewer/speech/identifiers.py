"""Identifiers as they are said, for the sweep before an export.

Matched by reviewer.speech.words against the transcript's renderings (lower case, number
words as digits, digit runs joined, or everything joined), so these are written for that
text, not for a page: a phone number is ten digits said in any grouping, an A-number is
"A" followed by eight or nine digits. They find candidates for a reviewer to look at; a
word the recogniser did not hear cannot be found by any pattern.
"""
from __future__ import annotations

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")

SPOKEN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("Phone number (spoken)", r"(?<!\d)(?:1)?\d{3}\d{3}\d{4}(?!\d)"),
    ("A-number (spoken)", r"\ba\s?(?:number\s?(?:is\s?)?(?:a\s?)?)?\d{8,9}(?!\d)"),
    # nine digits in a row: a Social Security number, or part of a longer number misheard
    ("Nine-digit number (spoken)", r"(?<!\d)\d{9}(?!\d)"),
    ("Date of birth (spoken)", rf"(?:born|birth|dob|birthday)(?:on|is|date)*(?:{_MONTHS}|\d{{1,2}})"
                               rf"(?:\d{{1,2}}(?:st|nd|rd|th)?)?(?:\d{{2,4}})?"),
)
