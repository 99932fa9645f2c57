"""``verify BUNDLE --case CASE``: no word under an audio redaction is written in the bundle.

A bundle's transcripts (transcript exhibits, ``bundle --transcripts``) show each redacted word
as a mark. With the case at hand, every such word is looked for, as a whole word, in each file
that carries words from its item: the exhibit's PDF (read back as text), its entry in
index.json, the index PDF and the SRT, WebVTT and PDF transcripts. A word also said where no
redaction covers it (a neighbour the half-second margin took in, like "the") is readable
elsewhere by right and is not looked for. The check names files and counts, never the words.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from reviewer.export.checks import Check


def _norm(word: str) -> str:
    return re.sub(r"[^\w'-]+", "", unicodedata.normalize("NFKC", word).casefold()).strip("'-")


def redacted_terms(case: str | Path) -> dict[str, set[str]]:
    """Per original SHA-256: the words under an audio redaction that are said nowhere else
    in the item without one."""
    from reviewer.session.speech import media_words
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store
    from reviewer.store.transcripts import transcribed_media

    out: dict[str, set[str]] = {}
    with CaseStore.open(case) as store:
        for item in transcribed_media(store):
            row = media_store.get_media(store, item["id"])
            words = media_words(store, row)
            heard = {_norm(w["word"]) for w in words if not w["redacted"]}
            terms = {_norm(w["word"]) for w in words if w["redacted"]} - heard - {""}
            if terms:
                out.setdefault(row["sha256"], set()).update(terms)
    return out


def _fixed_words() -> set[str]:
    """The words Reviewer itself prints in a transcript PDF or the index PDF (headings, the
    caution, the notes): a redacted word that is one of them ("in", "the", "audio") cannot be
    told apart from them when a PDF is read back as text, and identifies no one, so it is not
    looked for in PDFs (captions and index.json carry no such text and are checked whole)."""
    from reviewer.citation.bundle import PDFA_NOTE
    from reviewer.citation.report_html import index_html
    from reviewer.export.transcript_pdf import transcript_html

    fixed = (index_html([], "", [PDFA_NOTE]) + transcript_html("Transcript of: transcript excerpt",
             ["Pin cite: Source: SHA-256 Frames words, of them under an audio redaction."], [])
             + " Pin cite Kind Covers Description File part of Source Words transcript frames "
             "Time Track Exhibit index")
    return {_norm(t) for t in re.sub(r"<[^>]*>", " ", fixed).split()} - {""}


def _text(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        from reviewer.pdf.reports import page_text

        return page_text(path)
    return path.read_text("utf-8", errors="replace")


def _found(text: str, terms: set[str]) -> int:
    return len(terms & {_norm(t) for t in unicodedata.normalize("NFKC", text).split()})


def leak_checks(root: Path, case: str | Path) -> list[Check]:
    try:
        index = json.loads((root / "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []  # reported by the index check
    terms = redacted_terms(case)
    checks: list[Check] = []
    # file in the bundle -> the redacted words of the items whose words it carries
    wanted: dict[str, set[str]] = {}
    for e in index.get("exhibits") or []:
        if e.get("kind") != "transcript":
            continue
        t = terms.get(e.get("source_sha256", ""), set())
        wanted.setdefault(e["file"], set()).update(t)
        wanted.setdefault("index.pdf", set()).update(t)
        said = " ".join([e.get("text") or ""] + [w.get("word", "") for w in e.get("words") or []])
        n = _found(said, t)
        checks.append(Check(f"{e.get('label', '?')} words in index.json", n == 0,
                            "no redacted word written" if n == 0
                            else f"{n} redacted word(s) of the case written out"))
    for t in index.get("transcripts") or []:
        for kind in ("srt", "vtt", "pdf"):
            if t.get(kind):
                wanted.setdefault(t[kind], set()).update(terms.get(t.get("source_sha256", ""), set()))
    fixed: set[str] | None = None
    for rel, t in sorted(wanted.items()):
        path = root / rel
        if not t or not path.is_file():
            continue  # nothing redacted there, or reported by the file checks
        if path.suffix.lower() == ".pdf":
            fixed = fixed if fixed is not None else _fixed_words()
            t = t - fixed
        try:
            n = _found(_text(path), t)
        except Exception as exc:  # an unreadable file fails, it does not crash verify
            checks.append(Check(f"{rel} redacted words", False, f"unreadable ({type(exc).__name__})"))
            continue
        checks.append(Check(f"{rel} redacted words", n == 0,
                            f"none of {len(t)} redacted word(s) of the case found" if n == 0
                            else f"{n} of {len(t)} redacted word(s) of the case are written in it"))
    return checks
