"""Glyphs into lines of text the way a reader (pdftotext, pdfminer) rebuilds them: by where
the glyphs stand, not by the order the content stream draws them.

A name drawn letter by letter right to left, or its second half first, still reads left to
right on the page; a letter-spaced word (``Tc``) is one word, not nine one-letter words.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reviewer.pdf.chars import Char

SAME_LINE = 0.3  # baselines closer than this share of the font size are one line
JOIN_GAP = 1.5  # pieces of one line closer than this many font sizes are joined
SPACE_GAP = 0.2  # a gap wider than the local letter spacing by this share of the size is a space
NARROW_GAP = 0.6  # spaces narrower than this share of the size may be letters set apart

Line = list[tuple[Char, int]]  # (glyph, space before it: 0 none, 1 narrow, 2 wide)


def _along(ch: Char) -> float:
    return ch.dir[0] * ch.origin[0] + ch.dir[1] * ch.origin[1]


def _across(ch: Char) -> float:
    return -ch.dir[1] * ch.origin[0] + ch.dir[0] * ch.origin[1]


def _width(ch: Char) -> float:
    w, h = ch.box[2] - ch.box[0], ch.box[3] - ch.box[1]
    return w if abs(ch.dir[0]) >= abs(ch.dir[1]) else h


def _rtl(chars: Sequence[Char]) -> bool:
    return any(unicodedata.bidirectional(c.c[:1] or " ") in ("R", "AL") for c in chars)


def _median(values: list[float]) -> float:
    """statistics.median, as it computes it (the middle value, or the mean of the two middle
    ones), without its generic machinery, which was most of the time of rebuilding a page's lines."""
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


class _Piece:
    __slots__ = ("across", "chars", "dir", "first", "hi", "lo", "size")

    def __init__(self, chars: list[Char], first: int) -> None:
        self.chars = chars
        self.first = first
        self.dir = chars[0].dir
        self.size = _median([c.size for c in chars]) or 10.0
        self.across = _median([_across(c) for c in chars])
        self.lo = min(_along(c) for c in chars)
        self.hi = max(_along(c) + _width(c) for c in chars)

    def joins(self, other: _Piece) -> bool:
        if self.dir[0] * other.dir[0] + self.dir[1] * other.dir[1] < 0.999:
            return False
        size = max(self.size, other.size)
        if abs(self.across - other.across) > SAME_LINE * size:
            return False
        gap = max(other.lo - self.hi, self.lo - other.hi)
        return gap < JOIN_GAP * size

    def merge(self, other: _Piece) -> _Piece:
        return _Piece(self.chars + other.chars, min(self.first, other.first))


def reading_lines(chars: Sequence[Char]) -> list[Line]:
    pieces: list[_Piece] = []
    current: list[Char] = []
    for ch in chars:
        if current and ch.line != current[-1].line:
            pieces.append(_Piece(current, len(pieces)))
            current = []
        current.append(ch)
    if current:
        pieces.append(_Piece(current, len(pieces)))
    merged = True
    while merged:  # few pieces a page: a plain pairwise pass is fast enough
        merged = False
        out: list[_Piece] = []
        for p in pieces:
            for i, q in enumerate(out):
                if q.joins(p):
                    out[i] = q.merge(p)
                    merged = True
                    break
            else:
                out.append(p)
        pieces = out
    pieces.sort(key=lambda p: p.first)
    return [_spaced(p.chars if _rtl(p.chars) else sorted(p.chars, key=_along)) for p in pieces]


def _spaced(chars: list[Char]) -> Line:
    gaps: list[float | None] = [None]
    along = [_along(c) for c in chars]  # once a glyph, not once for each neighbour
    blank = [not c.c.strip() for c in chars]
    for i in range(1, len(chars)):
        if blank[i - 1] or blank[i]:
            gaps.append(None)  # a real space (or other blank) is already there
        else:
            gaps.append(along[i] - along[i - 1] - _width(chars[i - 1]))
    out: Line = []
    for i, ch in enumerate(chars):
        g = gaps[i]
        space = 0
        if g is not None:
            near = [v for v in (gaps[i - 1] if i >= 1 else None, gaps[i + 1] if i + 1 < len(gaps) else None)
                    if v is not None]
            tracking = max(0.0, min(near)) if near else 0.0
            if g - tracking > SPACE_GAP * ch.size:
                space = 1 if g < NARROW_GAP * ch.size else 2
        out.append((ch, space))
    return out
