"""``redact box``, ``redact audio``, ``redact page``, ``redact text``."""
from __future__ import annotations

import re
import sys
from argparse import Namespace
from typing import Any

from reviewer.cli.annotate_cmds import parse_numbers
from reviewer.errors import ReviewerError
from reviewer.inert import shown_line
from reviewer.session.undo import created_id
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def _frames(text: str, name: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*(?::\s*(\d+)\s*)?", text)
    if not m:
        raise ReviewerError(f"{name}: --frames {text!r} is not A:B (two frame numbers)")
    a = int(m.group(1))
    return a, int(m.group(2)) if m.group(2) is not None else a


def _apply(store: CaseStore, cmd: Any) -> Any:
    from reviewer.session.session import Session

    inverse, _ = Session(store).apply(cmd)
    return inverse


def cmd_box(args: Namespace) -> int:
    from reviewer.annotate.geometry import Box, Keyframe
    from reviewer.session.redactions import add_box_track, check_box_track

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        name = media["name"]
        a, b = _frames(args.frames, name)
        start = Box(*parse_numbers(args.rect, 4, "X,Y,W,H (four numbers, pixels)", name))
        end = (Box(*parse_numbers(args.rect_end, 4, "X,Y,W,H (four numbers, pixels)", name))
               if args.rect_end else start)
        times = check_box_track(store, media, a, b, (start, end))
        keyframes = [Keyframe(a, start)] if a == b else [Keyframe(a, start), Keyframe(b, end)]
        cmd = add_box_track(media["id"], a, b, keyframes, shape=args.shape, style=args.style,
                            reason=args.reason, times=times)
        print(created_id(_apply(store, cmd), "redactions"))
    return 0


def cmd_audio(args: Namespace) -> int:
    from reviewer.session.redactions import add_audio_span, check_audio_span
    from reviewer.timebase import parse_time

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        try:
            t_from, t_to = parse_time(args.t_from), parse_time(args.t_to)
        except ReviewerError as exc:
            raise ReviewerError(f"{media['name']}: {exc}") from None
        check_audio_span(media, t_from, t_to)
        if (media.get("info") or {}).get("has_audio") is False:
            # nothing to silence: saying "done" would suggest a sound was removed
            raise ReviewerError(f"{media['name']}: has no audio track; nothing to silence")
        cmd = add_audio_span(media["id"], t_from, t_to, mode=args.mode, reason=args.reason)
        print(created_id(_apply(store, cmd), "redactions"))
    return 0


def cmd_page(args: Namespace) -> int:
    from reviewer.session.annotations import check_kind, page_rect
    from reviewer.session.redactions import add_page_box

    with CaseStore.open(args.case) as store:
        media = media_store.find_media(store, args.media)
        check_kind(media, "pdf", "page redactions are for documents (use 'redact box')")
        rect = page_rect(store, media, args.page, parse_numbers(
            args.rect, 4, "X0,Y0,X1,Y1 (four numbers, PDF points)", media["name"]))
        cmd = add_page_box(media["id"], args.page, rect, reason=args.reason)
        print(created_id(_apply(store, cmd), "redactions"))
    return 0


def resolve_pattern(text: str) -> re.Pattern[str] | str:
    """A built-in pattern name, or the text as a regular expression (checked here so a typo
    is one error line, not a traceback)."""
    try:
        from reviewer.pdf.search import PATTERNS
    except ImportError:
        PATTERNS = {}
    if text in PATTERNS:
        return PATTERNS[text]
    if not text:
        raise ReviewerError("--pattern: empty pattern")
    try:
        return re.compile(text)
    except re.error as exc:
        raise ReviewerError(f"--pattern {text!r}: not a valid regular expression ({exc})") from None


def _label(pattern: str) -> str:
    # a typed regex may spell out the very name being redacted: keep it out of the case's labels
    try:
        from reviewer.pdf.search import PATTERNS
    except ImportError:
        PATTERNS = {}
    return f"pattern {pattern}" if pattern in PATTERNS or pattern == "people" else "pattern"


def line_reader() -> Any:
    """PP-OCR's recogniser as a line reader for glyphs without text mapping, or None when its
    model is not installed (then tesseract, when installed, reads them)."""
    try:
        from reviewer.media.text import TextReader

        reader = TextReader()
    except Exception:  # noqa: BLE001 - no model in this build: the other reader is tried
        return None
    return lambda rgb: reader.read_crop(rgb).text


class _Lazy:
    """Loads the recogniser only when a page needs it (most never do)."""

    def __init__(self) -> None:
        self._fn: Any = False

    def __call__(self, rgb: Any) -> str:
        if self._fn is False:
            self._fn = line_reader()
        if self._fn is None:
            raise LookupError("no line reader")
        return self._fn(rgb)


_lazy_reader = _Lazy()


def _patterns(store: CaseStore, names: list[str], case: str) -> list[Any]:
    """Each ``--pattern`` resolved: a built-in name, ``people`` (the case's list), or a regex."""
    out: list[Any] = []
    for text in names:
        if text != "people":
            out.append(resolve_pattern(text))
            continue
        from reviewer.session.people import people_pattern

        rx = people_pattern(store)
        if rx is None:
            raise ReviewerError(f"{case}: the case's list of people is empty "
                                "(add names with 'reviewer people CASE --add NAME')")
        out.append(rx)
    return out


def cmd_text(args: Namespace) -> int:
    import json

    from reviewer.export.checks import check_original
    from reviewer.session import page_ocr
    from reviewer.session.edits import Batch
    from reviewer.session.redactions import add_page_boxes, reason_code
    from reviewer.store.annotations import page_rects

    names = args.pattern if isinstance(args.pattern, list) else [args.pattern]
    for text in names:
        if text != "people":
            resolve_pattern(text)  # a bad regex is an error before the case is opened
    try:
        from reviewer.pdf.ocr_search import available as ocr_available
        from reviewer.pdf.search import misaligned_note, no_text_note
        from reviewer.pdf.sweep import sweep_file
    except ImportError:
        raise ReviewerError("text search is not available in this build (reviewer.pdf.search)")
    code = reason_code(args.reason)
    marked = 0
    with CaseStore.open(args.case) as store:
        docs = media_store.documents(store, args.media, "text redaction is for documents")
        for doc in docs:  # all first: marking some documents and not others would be half done
            # boxes found on another file than the one imported would mark the wrong places
            check_original(doc, "nothing was marked; import the changed file as a new item")
        patterns = _patterns(store, names, args.case)
        for doc in docs:
            unread: list[int] = []
            no_text: list[int] = []
            misaligned: list[int] = []
            pictured: list[int] = []
            ocr = ocr_available()
            if ocr:  # pages that are pictures and pictures of text, read on every core and kept
                page_ocr.read_ahead(store, doc["id"], doc["path"])
            # every pattern in one pass over the pages (reviewer.pdf.sweep)
            found = sweep_file(doc["path"], patterns, case_sensitive=bool(getattr(args, "case_sensitive", False)),
                               unread=unread, read_line=_lazy_reader, no_text=no_text, ocr=ocr,
                               ocr_reader=page_ocr.reader(store, doc["id"]) if ocr else None,
                               misaligned=misaligned, pictures=pictured,
                               picture_reader=page_ocr.reader(store, doc["id"], pictures=True) if ocr else None)
            if pictured:
                from reviewer.pdf.pictures import pictures_note

                print(shown_line(f"warning: {pictures_note(doc['name'], pictured, ocr)}"), file=sys.stderr)
            if no_text:
                print(shown_line(f"warning: {no_text_note(doc['name'], no_text, ocr)}"), file=sys.stderr)
            if misaligned:
                print(shown_line(f"warning: {misaligned_note(doc['name'], misaligned, ocr)}"),
                      file=sys.stderr)
            if unread:
                # glyphs with no text mapping that OCR could not read either: say so, never
                # let "0 matches" stand for "nothing there"
                pages = ", ".join(str(n) for n in unread[:10])
                print(shown_line(f"warning: {doc['name']}: page(s) {pages} hold glyphs that could not "
                                 "be read as text; check them by eye"), file=sys.stderr)
            have = page_rects(store, doc["id"])
            cmds = []
            for k, name in enumerate(names):
                matches = [m for kk, m in found if kk == k]
                boxes = []
                for match in matches:
                    for rect in match.rects:
                        r = [float(v) for v in rect]
                        key = (match.page_no, json.dumps(r), code)
                        # marking the same pattern twice adds nothing twice
                        if key not in have:
                            have.add(key)
                            boxes.append((match.page_no, r))
                # a match with no rectangle (an empty match of a loose regex) marks nothing
                marked += sum(1 for match in matches if match.rects)
                if boxes:
                    cmds.append(add_page_boxes(doc["id"], boxes, reason=code, source="text", label=_label(name)))
            if cmds:
                _apply(store, cmds[0] if len(cmds) == 1 else Batch(tuple(cmds), label="redact text"))
    print(marked)
    return 0
