"""A transcript excerpt as an exhibit: the words said while frames A..B show, cited by time
("Ex. 4 (bodycam.mp4) at 00:03:12.480–00:03:20.000") and written as a readable PDF.

Stored like a clip (a frame range of a video, kind ``transcript``) so reordering, labels and
the redaction log treat it like any exhibit; it covers frame A's start to frame B's end, so
a span picked in seconds is rounded outwards to whole frames and never cuts a word off.
What leaves the case carries each redacted word as the mark, never its text.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from reviewer.citation import cites
from reviewer.errors import ReviewerError
from reviewer.session.edits import Insert
from reviewer.store.db import CaseStore
from reviewer.timebase import FrameTimes, timecode


def frame_times(store: CaseStore, media: dict[str, Any]) -> FrameTimes:
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache

    return cached_index(media["path"], FrameIndexCache(store, media["id"])).times


def frames_for(times: FrameTimes, t_from: Fraction, t_to: Fraction) -> tuple[int, int]:
    """The frames whose showing covers ``t_from``..``t_to`` (seconds from frame 0), outwards."""
    if t_to <= t_from or t_from < 0:
        raise ReviewerError(f"{timecode(t_from)}..{timecode(t_to)} is not a span of time")
    if t_from >= times.end_seconds():
        raise ReviewerError(f"{timecode(t_from)} is after the end of the video "
                            f"({timecode(times.end_seconds())})")
    a = times.frame_at_seconds(t_from)
    b = times.frame_at_seconds(t_to)
    if b > a and times.seconds(b) >= t_to:  # t_to is where frame b starts: b is not shown
        b -= 1
    return a, b


def span_seconds(times: FrameTimes, first: int, last: int) -> tuple[Fraction, Fraction]:
    """Frame ``first``'s start to frame ``last``'s end."""
    end = times.seconds(last + 1) if last + 1 < times.count else times.end_seconds()
    return times.seconds(first), max(end, times.seconds(last))


def declare_transcript_excerpt(store: CaseStore, media: dict[str, Any], t_from: float | Fraction,
                               t_to: float | Fraction, *, label: str = "",
                               description: str = "") -> Insert:
    """The edit that declares the words said from ``t_from`` to ``t_to`` (seconds from frame
    0, e.g. a transcript panel's selection) an exhibit at the end of the bundle; apply it with
    ``Session.apply`` (undoable, audited). Refused for an item not transcribed yet."""
    from reviewer.citation.exhibits import check_label_free, declare_transcript
    from reviewer.store.exhibits import list_exhibits, next_seq

    check_transcribed(store, media)
    a, b = frames_for(frame_times(store, media), Fraction(t_from).limit_denominator(10**6),
                      Fraction(t_to).limit_denominator(10**6))
    check_label_free(list_exhibits(store), label)
    return declare_transcript(media, a, b, next_seq(store), label=label, description=description)


def check_transcribed(store: CaseStore, media: dict[str, Any]) -> None:
    from reviewer.store.transcripts import shown_transcripts

    if media.get("kind") != "video":
        raise ReviewerError(f"{media['name']}: is a document; a transcript exhibit is of a video")
    if not shown_transcripts(store, media["id"]):
        raise ReviewerError(f"{media['name']}: not transcribed yet (run: reviewer transcribe CASE "
                            f"{media['name']})")


def transcript_entry(store: CaseStore, root: Path, rel: str, row: dict[str, Any], first: int,
                     last: int, times: FrameTimes, label: str) -> dict[str, Any]:
    """Write the excerpt's PDF at ``root/rel`` and return its index fields: ``start``/``end``
    timecodes, ``citation``, ``text`` (one line per track) and ``words`` (each redacted word
    as the mark), ``word_count``, ``redacted_words``, ``marks`` (printed in the PDF)."""
    from reviewer.export.transcript_pdf import write_transcript_pdf
    from reviewer.session.speech import excerpt_text, excerpt_words
    from reviewer.speech.captions import CaptionWord

    a, b = span_seconds(times, first, last)
    start, end = timecode(a), timecode(b)
    words = excerpt_words(store, row, float(a), float(b))
    cite = cites.clip_cite(label, row["name"], start, end)
    tracks = sorted({w["track"] for w in words})
    text = "\n".join((f"Track {t + 1}: " if len(tracks) > 1 else "") + excerpt_text(words, t)
                     for t in tracks)
    about = [f"Pin cite: {cite}", f"Source: {row['name']} (SHA-256 {row['sha256']})",
             f"Frames {first}\u2013{last}, {start}\u2013{end}."]
    marks = write_transcript_pdf(root / rel, f"{label}: transcript excerpt", about,
                         [CaptionWord(w["word"], w["start"], w["end"], w["redacted"], w["track"])
                          for w in words])
    return {"start": start, "end": end, "citation": cite, "text": text,
            "words": [{"word": w["word"], "start": round(w["start"], 3), "end": round(w["end"], 3),
                       "track": w["track"]} for w in words],
            "word_count": len(words), "redacted_words": sum(w["redacted"] for w in words),
            "marks": marks}


def write_transcripts(store: CaseStore, root: Path, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The whole transcript of each transcribed video among ``items`` into ``root/transcripts``
    as SRT, WebVTT and a readable PDF, each redacted word as the mark; returns index.json's
    ``transcripts`` list. Only when the user asks (``bundle --transcripts``): a transcript is
    work product, like notes."""
    import re

    from reviewer.export.transcript_pdf import write_transcript_pdf
    from reviewer.hashing import sha256_file
    from reviewer.session.speech import media_words
    from reviewer.speech.captions import CaptionWord, to_srt, to_vtt
    from reviewer.store.transcripts import shown_transcripts

    out: list[dict[str, Any]] = []
    folder = root / "transcripts"
    for n, row in enumerate(items, start=1):
        if row.get("kind") != "video" or not shown_transcripts(store, row["id"]):
            continue
        words = media_words(store, row)
        caption = [CaptionWord(w["word"], w["start"], w["end"], w["redacted"], w["track"])
                   for w in words]
        folder.mkdir(exist_ok=True)
        stem = f"{n:02d}_" + (re.sub(r"[^A-Za-z0-9]+", "_", Path(row["name"]).stem).strip("_")[:40]
                             or "video")
        files: dict[str, str] = {}
        for ext, text in (("srt", to_srt(caption)), ("vtt", to_vtt(caption))):
            (folder / f"{stem}.{ext}").write_text(text, encoding="utf-8", newline="\n")
            files[ext] = f"transcripts/{stem}.{ext}"
        write_transcript_pdf(folder / f"{stem}.pdf", f"Transcript of {row['name']}",
                             [f"Source: {row['name']} (SHA-256 {row['sha256']})",
                              f"{len(words)} words, {sum(w['redacted'] for w in words)} of them "
                              "under an audio redaction."], caption)
        files["pdf"] = f"transcripts/{stem}.pdf"
        out.append({"source": row["name"], "source_sha256": row["sha256"], "words": len(words),
                    "redacted_words": sum(w["redacted"] for w in words), **files,
                    "sha256": {k: sha256_file(root / v) for k, v in files.items()}})
    return out
