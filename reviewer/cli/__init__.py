"""The ``reviewer`` command line (docs/CLI.md is the contract).

Headless: nothing here imports Qt. Each command's handler lives in a module of this package
and is imported only when that command runs, so the CLI starts fast.
Exit codes: 0 done; 1 the input or the case is wrong (``error: ...`` lines on stderr);
2 the command line is wrong (argparse).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from reviewer import __version__
from reviewer.errors import Cancelled, ReviewerError
from reviewer.inert import shown_line


def _handler(spec: str):
    def run(args: argparse.Namespace) -> int:
        module, func = spec.split(":")
        return getattr(importlib.import_module(f"reviewer.cli.{module}"), func)(args)
    return run


def _quiet(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("-q", "--quiet", action="store_true",
                    help="no progress bar (it is shown only when stderr is a terminal)")


def _batch_opts(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--jobs", type=int, default=1, metavar="N",
                    help="items at a time on this machine, each in its own process (0: one per core)")
    sp.add_argument("--cluster", metavar="ADDRESS",
                    help="run on a Dask scheduler (tcp://HOST:PORT) whose workers see the same files")
    _quiet(sp)


def _text_chunks(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--chunks", type=int, default=None, metavar="N",
                    help="split the video into N keyframe-aligned pieces searched at once "
                         "(default: --jobs N)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reviewer", description="Review, annotate and redact a FOIA production.")
    p.add_argument("--version", action="version", version=f"reviewer {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, spec: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=_handler(spec))
        return sp

    sp = cmd("new", "case_cmds:cmd_new", "make a new case folder")
    sp.add_argument("case")

    sp = cmd("import", "case_cmds:cmd_import", "import files and folders (recursively) into a case")
    sp.add_argument("case")
    sp.add_argument("paths", nargs="+")
    _quiet(sp)

    sp = cmd("list", "case_cmds:cmd_list", "list the items of a case")
    sp.add_argument("case")
    sp.add_argument("--json", action="store_true")

    sp = cmd("probe", "case_cmds:cmd_probe", "describe a media file outside any case")
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true")

    sp = cmd("frame", "frame_cmds:cmd_frame", "write exact frames as PNG")
    sp.add_argument("file")
    sp.add_argument("--frame", required=True, help="N or N,M,...")
    sp.add_argument("--out", required=True)

    sp = cmd("annotate", "annotate_cmds:cmd_annotate", "add a note on frames or on a page")
    sp.add_argument("case")
    sp.add_argument("media")
    where = sp.add_mutually_exclusive_group(required=True)
    where.add_argument("--frame", type=int)
    where.add_argument("--page", type=int)
    sp.add_argument("--to", type=int)
    sp.add_argument("--rect")
    sp.add_argument("--text", required=True)
    sp.add_argument("--tag", action="append", default=[])
    sp.add_argument("--for-bundle", action="store_true", help="include this note in bundle reports")

    sp = cmd("annotations", "annotate_cmds:cmd_annotations", "list annotations")
    sp.add_argument("case")
    sp.add_argument("media", nargs="?")
    sp.add_argument("--json", action="store_true")

    sp = cmd("link", "annotate_cmds:cmd_link", "link two annotations (a video moment and a document passage)")
    sp.add_argument("case")
    sp.add_argument("from_id", type=int)
    sp.add_argument("to_id", type=int)

    red = sub.add_parser("redact", help="mark redactions", description="mark redactions")
    rsub = red.add_subparsers(dest="redact_kind", metavar="KIND", required=True)

    def rcmd(name: str, spec: str, help_: str) -> argparse.ArgumentParser:
        sp = rsub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=_handler(spec))
        return sp

    sp = rcmd("box", "redact_cmds:cmd_box", "a box over frames A..B, optionally moving")
    sp.add_argument("case")
    sp.add_argument("media")
    sp.add_argument("--frames", required=True, help="A:B")
    sp.add_argument("--rect", required=True, help="X,Y,W,H")
    sp.add_argument("--rect-end", help="X,Y,W,H at frame B")
    sp.add_argument("--shape", choices=["rect", "ellipse"], default="rect")
    sp.add_argument("--style", choices=["solid", "blur", "pixelate"], default="solid")
    sp.add_argument("--reason", default="")

    sp = rcmd("audio", "redact_cmds:cmd_audio", "silence or bleep a span of audio")
    sp.add_argument("case")
    sp.add_argument("media")
    sp.add_argument("--from", dest="t_from", required=True)
    sp.add_argument("--to", dest="t_to", required=True)
    sp.add_argument("--mode", choices=["mute", "bleep"], default="mute")
    sp.add_argument("--reason", default="")

    sp = rcmd("page", "redact_cmds:cmd_page", "a box on a PDF page")
    sp.add_argument("case")
    sp.add_argument("media")
    sp.add_argument("--page", type=int, required=True)
    sp.add_argument("--rect", required=True, help="X0,Y0,X1,Y1 in PDF points")
    sp.add_argument("--reason", default="")

    sp = rcmd("text", "redact_cmds:cmd_text", "redact every match of a pattern in the documents")
    sp.add_argument("case")
    sp.add_argument("media", nargs="?")
    sp.add_argument("--pattern", required=True, action="append",
                    help="a regular expression, or a built-in name: ssn, a-number, phone, email, dob, or people "
                    "(every form of the names in the case's list of people); repeat it to mark several "
                    "patterns in one pass over the pages")
    sp.add_argument("--case-sensitive", action="store_true",
                    help="match upper and lower case exactly (by default case is ignored, as a reader's search does)")
    sp.add_argument("--reason", default="")

    sp = rcmd("speech", "speech_cmds:cmd_redact_speech",
              "silence or bleep, on every audio track, each spoken word matching a pattern")
    sp.add_argument("case")
    sp.add_argument("media")
    sp.add_argument("--match", required=True, help="a regular expression, matched case-insensitively "
                    "with numbers spoken or written alike ('five five five' matches 555)")
    sp.add_argument("--mode", choices=["mute", "bleep"], default="mute")
    sp.add_argument("--reason", default="")
    sp.add_argument("--pad", type=float, default=None, metavar="SECONDS",
                    help="margin each side of the words (default 0.5; neighbouring spans merge)")
    sp = cmd("people", "people_cmds:cmd_people",
             "the case's list of people (redacted in every form by 'redact text --pattern people'), "
             "and names it lacks")
    sp.add_argument("case")
    sp.add_argument("media", nargs="?", help="with --suggest: the document to read (default: every document)")
    sp.add_argument("--add", action="append", metavar="NAME", help="add a person ('Maria Garcia' or 'Garcia, Maria')")
    sp.add_argument("--import", dest="import_", action="append", metavar="FILE",
                    help="add the names in a text file (one a line) or a CSV file (column 'name', else the first)")
    sp.add_argument("--remove", action="append", metavar="NAME", help="remove a person from the list")
    sp.add_argument("--suggest", action="store_true",
                    help="list names found in the documents that the list lacks (to review, then --add)")
    sp.add_argument("--json", action="store_true")

    sp = cmd("ocr", "ocr_cmds:cmd_ocr",
             "read by OCR the pages a search cannot see yet (pictures with no text layer, pictures "
             "of text on a page) and keep the readings in the case")
    sp.add_argument("case")
    sp.add_argument("media", nargs="?", help="the document to read (default: every document)")
    _quiet(sp)

    det = sub.add_parser("detect", help="automatic detection", description="automatic detection")
    dsub = det.add_subparsers(dest="detect_kind", metavar="WHAT", required=True)
    sp = dsub.add_parser("faces", help="find faces and add them as redaction tracks")
    sp.set_defaults(func=_handler("detect_cmds:cmd_faces"))
    sp.add_argument("case")
    sp.add_argument("media", nargs="*", help="videos (default: every video of the case)")
    sp.add_argument("--reason", default="b6")
    sp.add_argument("--suggest", action="store_true", help="add the tracks as suggestions to review instead of redactions")
    sp.add_argument("--chunks", type=int, default=None, metavar="N",
                    help="split each video into N keyframe-aligned pieces searched at once "
                         "(default: --jobs N when there is one video to search)")
    _batch_opts(sp)

    sp = dsub.add_parser("text", help="find, follow and read text (plates, house numbers, badges)")
    sp.set_defaults(func=_handler("detect_cmds:cmd_text"))
    sp.add_argument("case")
    sp.add_argument("media")
    sp.add_argument("--match", help="tracks whose text matches this regular expression become "
                    "redactions; the others are suggestions")
    sp.add_argument("--reason", default="b6")
    _text_chunks(sp)
    _batch_opts(sp)

    sp = dsub.add_parser("all", help="find faces and text in one video, decoding it once")
    sp.set_defaults(func=_handler("detect_cmds:cmd_all"))
    sp.add_argument("case")
    sp.add_argument("media")
    sp.add_argument("--match", help="as for detect text")
    sp.add_argument("--reason", default="b6")
    sp.add_argument("--suggest", action="store_true", help="as for detect faces")
    _text_chunks(sp)
    _batch_opts(sp)

    sp = cmd("transcribe", "speech_cmds:cmd_transcribe",
             "transcribe every audio track of the videos, offline, into the case")
    sp.add_argument("case")
    sp.add_argument("media", nargs="*", help="videos (default: every video of the case)")
    _batch_opts(sp)

    sp = cmd("transcript", "speech_cmds:cmd_transcript",
             "show, write (redacted words as a mark) or import a video's transcript")
    sp.add_argument("case")
    sp.add_argument("media")
    out = sp.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="the words with their times")
    out.add_argument("--srt", metavar="FILE", help="write SubRip captions")
    out.add_argument("--vtt", metavar="FILE", help="write WebVTT captions")
    out.add_argument("--pdf", metavar="FILE",
                     help="write a readable PDF with timecodes (redacted words as a mark)")
    out.add_argument("--import", dest="import_file", metavar="FILE",
                     help="read an SRT, WebVTT or [hh:mm:ss] text transcript and align it to the sound")

    sp = cmd("review", "review_cmds:cmd_review", "list a video's box redactions and suggestions; accept or reject them")
    sp.add_argument("case")
    sp.add_argument("media")
    sp.add_argument("--accept", type=int, action="append", default=[], metavar="ID")
    sp.add_argument("--reject", type=int, action="append", default=[], metavar="ID")
    sp.add_argument("--json", action="store_true")

    sp = cmd("search", "search_cmds:cmd_search", "search the documents, the words read in the videos and the words spoken in them")
    sp.add_argument("case")
    sp.add_argument("query")
    sp.add_argument("--json", action="store_true")

    sp = cmd("withheld", "withheld_cmds:cmd_withheld", "what the agency withheld in the documents")
    sp.add_argument("case")
    sp.add_argument("media", nargs="?")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--csv", help="also write the table as CSV to this file")
    sp.add_argument("--pdf", help="also write the table as a PDF to this file")

    sp = cmd("export", "export_cmds:cmd_export",
             "write the redacted copy of one item (or of every item, with --all)")
    sp.add_argument("case")
    sp.add_argument("media", nargs="?")
    sp.add_argument("--all", action="store_true",
                    help="every item of the case, redacted and verified, into the folder --out")
    sp.add_argument("--out", required=True, help="the file to write (with --all: the folder)")
    sp.add_argument("--preset", default="veryfast")  # docs/decisions/0015
    sp.add_argument("--crf", type=int, default=18)
    sp.add_argument("--rasterize", action="store_true", help="PDF: rasterise every page (the cautious option)")
    sp.add_argument("--grow-boxes", action="store_true",
                    help="PDF: first grow each box to the whole glyphs it touches (undoable), so no letter is left half covered")
    sp.add_argument("--chunks", type=int, default=None, metavar="N",
                    help="one video: encode it in N GOP-aligned pieces at once (on --jobs processes, "
                         "N by default, or on --cluster), joined and checked here")
    _batch_opts(sp)

    sp = cmd("exhibit", "bundle_cmds:cmd_exhibit", "declare an exhibit")
    sp.add_argument("case")
    sp.add_argument("media")
    what = sp.add_mutually_exclusive_group(required=True)
    what.add_argument("--frames", help="A:B")
    what.add_argument("--frame", type=int)
    what.add_argument("--pages", help="P:Q")
    what.add_argument("--transcript", nargs="?", const="", metavar="A:B",
                      help="the words said while frames A..B show (or, with no A:B, from --from "
                           "to --to), cited by time; redacted words appear as a mark")
    sp.add_argument("--from", dest="t_from", metavar="TIME",
                    help="with --transcript: start (seconds or HH:MM:SS.mmm)")
    sp.add_argument("--to", dest="t_to", metavar="TIME", help="with --transcript: end")
    sp.add_argument("--label", default="")
    sp.add_argument("--description", default="")

    sp = cmd("bundle", "bundle_cmds:cmd_bundle", "write the citation bundle")
    sp.add_argument("case")
    sp.add_argument("--out", required=True)
    sp.add_argument("--max-clip-mb", type=float, default=None,
                    help="split clips larger than this into numbered parts (default 500)")
    sp.add_argument("--max-pdf-mb", type=float, default=None,
                    help="split document exhibits larger than this into numbered parts at page "
                         "boundaries (default 50, or the case setting bundle.max_pdf_mb)")
    sp.add_argument("--withheld", action="store_true",
                    help="add the log of what the agency withheld (withheld_log.csv and .pdf)")
    sp.add_argument("--transcripts", action="store_true",
                    help="add the transcript of each transcribed video an exhibit comes from "
                         "(SRT, WebVTT and PDF, every redacted word shown as a mark)")
    _quiet(sp)

    sp = cmd("verify", "verify_cmds:cmd_verify", "re-check an export or a bundle")
    sp.add_argument("path")
    sp.add_argument("--case", help="the case the export or bundle came from (also searches for the redacted text itself)")
    _quiet(sp)

    sp = cmd("demo", "case_cmds:cmd_demo", "make the built-in demo case")
    sp.add_argument("case")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except ReviewerError as exc:
        print(shown_line(f"error: {exc}"), file=sys.stderr)
        return 1
    except Cancelled as exc:
        print(shown_line(f"error: {exc or 'cancelled'}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # a write() that fails names no file: name what the command was writing
        name = exc.filename or next((str(v) for k in ("out", "case") if (v := getattr(args, k, None))), "")
        if name:
            from reviewer.store.trouble import os_error

            print(shown_line(f"error: {os_error(exc, name, 'nothing more was written')}"), file=sys.stderr)
        else:
            print(shown_line(f"error: {exc}"), file=sys.stderr)
        return 1
    except Exception as exc:  # the contract: one error line, never a traceback
        if os.environ.get("REVIEWER_DEBUG"):
            raise
        explained = _case_trouble(exc, args)
        if explained is not None:
            print(shown_line(f"error: {explained}"), file=sys.stderr)
            return 1
        what = next((str(v) for k in ("media", "file", "path", "case")
                     if (v := getattr(args, k, None))), "reviewer")
        print(shown_line(f"error: {what}: could not be processed ({type(exc).__name__}: {exc}); "
                         "set REVIEWER_DEBUG=1 for details"), file=sys.stderr)
        return 1


def _case_trouble(exc: Exception, args: argparse.Namespace) -> Exception | None:
    """A SQLite failure of the case (full disk, damaged file, lock) as its one helpful line."""
    case = getattr(args, "case", None)
    if not case:
        return None
    from pathlib import Path

    from reviewer.store.db import DB_NAME
    from reviewer.store.trouble import explain

    folder = Path(case)
    return explain(exc, folder / DB_NAME if folder.is_dir() else folder)


def fail(args_error: str) -> int:
    """Report a problem with the input (exit 1)."""
    print(shown_line(f"error: {args_error}"), file=sys.stderr)
    return 1
