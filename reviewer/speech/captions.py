"""Captions out (SRT, WebVTT) and transcripts in (SRT, WebVTT, text with [hh:mm:ss] marks).

Written captions never carry a redacted word: the caller says which words are redacted and
each is replaced by :data:`MARK`, so an exported or bundled transcript cannot leak what the
sound export silenced. Reading is tolerant of what people type (comma or dot before the
milliseconds, hours left out, cue numbers or not, styling tags) and strict about the result:
a file with no cue is refused with its name.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reviewer.errors import ReviewerError

MARK = "[redacted]"
MAX_CUE_S = 5.0  # a caption longer than this is split, so it stays readable
MAX_CUE_WORDS = 12


@dataclass(frozen=True)
class CaptionWord:
    word: str
    start_s: float
    end_s: float
    redacted: bool = False
    track: int = 0


@dataclass(frozen=True)
class Cue:
    """A stretch of an imported transcript: its text between two times (end None: until
    the next cue or the end of the sound)."""

    start_s: float
    end_s: float | None
    text: str


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def cues_of(words: Sequence[CaptionWord]) -> list[list[CaptionWord]]:
    """Words grouped into captions, each track on its own: a new one after a pause of a
    second, every 5 s, or 12 words; in time order."""
    out: list[list[CaptionWord]] = []
    last: dict[int, list[CaptionWord]] = {}
    for w in sorted(words, key=lambda w: (w.track, w.start_s)):
        cur = last.get(w.track)
        if (cur is None or w.start_s - cur[-1].end_s > 1.0 or w.end_s - cur[0].start_s > MAX_CUE_S
                or len(cur) >= MAX_CUE_WORDS):
            last[w.track] = [w]
            out.append(last[w.track])
        else:
            cur.append(w)
    return sorted(out, key=lambda c: (c[0].start_s, c[0].track))


def _text(cue: Sequence[CaptionWord]) -> str:
    parts: list[str] = []
    for w in cue:
        t = MARK if w.redacted else w.word
        if not (t == MARK and parts and parts[-1] == MARK):  # one mark per run of redacted words
            parts.append(t)
    return " ".join(parts)


def transcript_rows(words: Sequence[CaptionWord]) -> list[tuple[float, float, int, str]]:
    """The captions as (start s, end s, track, text) rows, each redacted word (run) as the
    mark: what a readable transcript (PDF) prints, the same cues as SRT and WebVTT."""
    return [(cue[0].start_s, cue[-1].end_s, cue[0].track, _text(cue)) for cue in cues_of(words)]


def to_srt(words: Sequence[CaptionWord]) -> str:
    blocks = []
    for i, cue in enumerate(cues_of(words), 1):
        blocks.append(f"{i}\n{_stamp(cue[0].start_s, ',')} --> {_stamp(cue[-1].end_s, ',')}\n{_text(cue)}\n")
    return "\n".join(blocks)


def to_vtt(words: Sequence[CaptionWord]) -> str:
    blocks = ["WEBVTT\n"]
    for cue in cues_of(words):
        blocks.append(f"{_stamp(cue[0].start_s, '.')} --> {_stamp(cue[-1].end_s, '.')}\n{_text(cue)}\n")
    return "\n".join(blocks)


_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
_ARROW = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_MARK = re.compile(r"\[\s*" + _TIME + r"\s*\]")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")


def _secs(h: str | None, m: str, s: str, frac: str | None) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + (int(frac.ljust(3, "0")) / 1000 if frac else 0.0)


def parse_transcript(path: str | Path) -> list[Cue]:
    """The cues of an SRT, WebVTT, or text file with ``[hh:mm:ss]`` marks (each mark starts
    a cue that runs to the next mark; a mark alone ends the cue before it)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        raise ReviewerError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    cues: list[Cue] = []
    if any(_ARROW.match(line) for line in text.splitlines()):
        lines = text.splitlines()
        i = 0
        while i < len(lines):
            m = _ARROW.match(lines[i])
            if not m:
                i += 1
                continue
            g = m.groups()
            start, end = _secs(*g[:4]), _secs(*g[4:])
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() and not _ARROW.match(lines[i]):
                body.append(lines[i])
                i += 1
            said = " ".join(_TAG.sub("", b).strip() for b in body).strip()
            if said and end > start:
                cues.append(Cue(start, end, said))
    else:
        marks = list(_MARK.finditer(text))
        for k, m in enumerate(marks):
            said = text[m.end(): marks[k + 1].start() if k + 1 < len(marks) else len(text)]
            said = " ".join(said.split())
            # a mark with nothing after it still ends the cue before it
            end = _secs(*marks[k + 1].groups()) if k + 1 < len(marks) else None
            if said:
                cues.append(Cue(_secs(*m.groups()), end, said))
    if not cues:
        raise ReviewerError(f"{path.name}: no timed text found (expected SRT, WebVTT, or text "
                            "with [hh:mm:ss] marks)")
    cues.sort(key=lambda c: c.start_s)
    return [Cue(c.start_s, c.end_s if c.end_s is not None else
                (cues[k + 1].start_s if k + 1 < len(cues) else None), c.text)
            for k, c in enumerate(cues)]


def cue_words(text: str) -> list[str]:
    """The words of a cue as they will be stored (speaker labels like ``OFFICER:`` kept)."""
    return [w for w in text.split() if re.search(r"\w", w)]
