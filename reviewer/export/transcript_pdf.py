"""A transcript as a readable PDF: one row per caption, with its timecodes and track.

The rows are the same cues as the SRT and WebVTT captions, with each redacted word (run)
replaced by the mark, so the PDF can leave the case. The text is laid out by PyMuPDF's Story
(through the bundle's report writer), which wraps every line inside the page margins and
saves the file without dates and with a /ID derived from its content, so writing it twice
gives the same bytes.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from reviewer.pdf.reports import html_to_pdf
from reviewer.speech.captions import MARK, CaptionWord, transcript_rows
from reviewer.timebase import format_ms

CAUTION = ("Words as written down by a speech recogniser (or typed and aligned to the sound); "
           "it can mishear, miss or invent words, so the recording is the evidence. "
           "Each word under an audio redaction is replaced by the word redacted in square "
           "brackets, never shown.")


def _tc(seconds: float) -> str:
    return format_ms(max(0, round(seconds * 1000)))


def transcript_html(title: str, about: Sequence[str], words: Sequence[CaptionWord]) -> str:
    rows = transcript_rows(words)
    tracks = len({t for _, _, t, _ in rows}) > 1
    head = "<tr><th width=\"150\">Time</th>" + ("<th width=\"40\">Track</th>" if tracks else "") + \
        "<th>Words</th></tr>"
    body = "".join(
        f"<tr><td>{_tc(a)}\u2013{_tc(b)}</td>" + (f"<td>{t + 1}</td>" if tracks else "") +
        f"<td>{escape(text)}</td></tr>" for a, b, t, text in rows)
    table = (f"<table width=\"100%\">{head}{body}</table>" if rows
             else "<p>No words were written down for this span.</p>")
    intro = "".join(f"<p>{escape(line)}</p>" for line in about)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"</head>\n<body>\n<h1>{escape(title)}</h1>\n{intro}\n{table}\n"
            f"<p><i>{escape(CAUTION)}</i></p>\n</body></html>\n")


def write_transcript_pdf(out: str | Path, title: str, about: Sequence[str],
                         words: Sequence[CaptionWord]) -> int:
    """Write the transcript of ``words`` (redacted ones flagged) to ``out`` atomically;
    returns how many marks it printed (one per run of redacted words in a caption), which
    ``verify`` counts again when it reads the PDF back. ``about`` lines go under the title
    (source, hash, pin cite)."""
    html_to_pdf(transcript_html(title, about, words), out)
    return sum(text.count(MARK) for _, _, _, text in transcript_rows(words))
