"""``transcribe``, ``transcript`` and ``redact speech``: what was said in the videos."""
from __future__ import annotations

import os
import tempfile
from argparse import Namespace
from fractions import Fraction
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def cmd_transcribe(args: Namespace) -> int:
    """Prints ``NAME<TAB>N words`` per item; a second run with nothing changed does nothing."""
    from reviewer.batch.detect_batch import videos
    from reviewer.batch.runners import make_runner
    from reviewer.batch.transcribe_batch import transcribe_batch
    from reviewer.cli.progress_bar import Bar, wanted
    from reviewer.speech.engine import check_model, model_dir

    check_model(model_dir())  # a missing or wrong model is refused before any work
    failed = 0
    with CaseStore.open(args.case) as store:
        rows = videos(store, list(args.media or []), "transcription")
        runner = make_runner(args.jobs, args.cluster)
        try:
            with Bar("transcribe", wanted(args), unit="s") as bar:
                for item in transcribe_batch(store, rows, runner, bar.batch()):
                    if item.status == "failed":
                        failed += 1
                        bar.error(item.line())
                    else:
                        bar.out(item.line())
        finally:
            runner.close()
    return 1 if failed else 0


def _write_atomic(path: Path, text: str) -> None:
    """Whole or nothing at ``path``: written beside it under a hidden name, then renamed."""
    path = Path(path)
    if path.is_dir():
        raise ReviewerError(f"{path}: is a folder; give a file name")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_transcript(args: Namespace) -> int:
    from reviewer.session.speech import import_transcript, media_words, untranscribed, words_json
    from reviewer.speech.captions import CaptionWord, to_srt, to_vtt

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        if media["kind"] != "video":
            raise ReviewerError(f"{media['name']}: is a document; transcripts are for videos")
        if args.import_file:
            src = Path(args.import_file)
            if not src.is_file():
                raise ReviewerError(f"{src}: no such file")
            n = import_transcript(store, media, src)
            rest = n["words"] - n["aligned"] - n["engine"]
            print(f"{media['name']}\t{n['words']} words from {n['cues']} cue(s); "
                  f"{n['aligned']} aligned to the sound, {n['engine']} placed at the recogniser's "
                  f"word times, {rest} spread over their cue by length")
            return 0
        words = media_words(store, media)
        if not words and not untranscribed(store, media):
            from reviewer.store.transcripts import shown_transcripts

            if not shown_transcripts(store, media["id"]):
                raise ReviewerError(f"{media['name']}: not transcribed yet (run: reviewer "
                                    f"transcribe CASE {media['name']})")
        dest_name = args.srt or args.vtt or getattr(args, "pdf", None)
        if dest_name and not Path(dest_name).absolute().parent.is_dir():
            raise ReviewerError(f"{dest_name}: the folder it would go in does not exist")
        caption = [CaptionWord(w["word"], w["start"], w["end"], w["redacted"], w["track"]) for w in words]
        if args.srt or args.vtt:
            _write_atomic(Path(args.srt or args.vtt), to_srt(caption) if args.srt else to_vtt(caption))
            print(f"{len(words)} words, {sum(w['redacted'] for w in words)} redacted (written as a mark)")
            return 0
        if getattr(args, "pdf", None):
            from reviewer.export.transcript_pdf import write_transcript_pdf

            dest = Path(args.pdf)
            if dest.is_dir():
                raise ReviewerError(f"{dest}: is a folder; give a file name")
            write_transcript_pdf(dest, f"Transcript of {media['name']}",
                                 [f"Source: {media['name']} (SHA-256 {media['sha256']})"], caption)
            print(f"{len(words)} words, {sum(w['redacted'] for w in words)} redacted (written as a mark)")
            return 0
        if args.json:
            print(words_json(words))
            return 0
        for w in words:
            text = "[redacted]" if w["redacted"] else w["word"]
            print(f"{w['start']:9.3f}\t{w['end']:9.3f}\t{w['track']}\t{text}{' (?)' if w['low'] else ''}")
        for g in untranscribed(store, media):
            print(f"{g['start']:9.3f}\t{g['end']:9.3f}\t{g['track']}\t(speech not transcribed)")
    return 0


def cmd_redact_speech(args: Namespace) -> int:
    """Prints how many spans it made."""
    from reviewer.session.session import Session
    from reviewer.session.speech import redact_speech
    from reviewer.speech.words import compile_pattern

    compile_pattern(args.match)  # a bad pattern is refused before the case is touched
    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        if media["kind"] != "video":
            raise ReviewerError(f"{media['name']}: is a document; speech redaction is for videos")
        cmd, n = redact_speech(store, media, args.match, mode=args.mode, reason=args.reason,
                               pad_s=args.pad)
        if cmd is not None:
            Session(store).apply(cmd)
    print(n)
    return 0


def warn_spoken(case: str, row: dict) -> None:
    """Before a video leaves the case: one ``warning:`` line on stderr when its transcript
    holds identifiers (phone, A- and Social Security numbers, dates of birth, the case's own
    patterns) that no audio redaction covers; where and what kind, never the words. Only
    what the recogniser wrote down can be found this way."""
    import sys

    from reviewer.session.speech import spoken_identifiers
    from reviewer.timebase import timecode

    with CaseStore.open(case) as store:
        found = spoken_identifiers(store, row)
    if not found:
        return
    where = ", ".join(f"{h['kind']} at {timecode(Fraction(h['start']).limit_denominator(1000))}"
                      for h in found[:5]) + (", ..." if len(found) > 5 else "")
    print(f"warning: {row['name']}: {len(found)} spoken identifier(s) in its transcript are not "
          f"silenced ({where}); 'reviewer redact speech' silences them", file=sys.stderr, flush=True)
