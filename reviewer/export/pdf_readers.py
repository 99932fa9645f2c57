"""pdfminer.six and pypdf reading an exported file for the redacted-text check, at less cost
and with the same findings (docs/decisions/0025-checks-read-once.md).

pypdf parses a font's character map again on every page that uses it; an export's pages share
one font, so on a production page most of pypdf's time went there. While :func:`pypdf_pages`
reads, each font dictionary is parsed once and the parse is handed to every page: the same
pure function of the same object, so the same text.

pdfminer's layout analysis (grouping glyphs into lines and lines into boxes, and ordering the
boxes) was 40% of its time. What it changes is only the order of the page's text lines; each
line is a run of glyphs that follow one another in the content stream (pdfminer joins two
glyphs into a line only when they come one after the other and stand side by side). So the
file is read without the analysis, each page cut into those runs by pdfminer's own test, and a
redacted string is looked for in every way runs could be laid end to end: inside one run, or
the end of one, whole runs, and the start of another, in any order and across pages. Only if
a string could be put together so does the file get pdfminer's full layout reading (the one
the check always used), and its findings are those of that reading; otherwise no layout order
can spell a string, and the layout reading would have found none.
"""
from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_FONTS = threading.local()  # the font cache of the pypdf reading under way in this thread


class _FontOnce:
    """Stands in for pypdf's Font in its page module while :func:`pypdf_pages` reads: each
    font dictionary object is parsed once (kept with the object, so its id is not reused)."""

    @staticmethod
    def from_font_resource(font_dict: Any) -> Any:
        from pypdf.generic._font import Font

        cache = getattr(_FONTS, "cache", None)
        if cache is None:
            return Font.from_font_resource(font_dict)
        hit = cache.get(id(font_dict))
        if hit is None or hit[0] is not font_dict:
            hit = cache[id(font_dict)] = (font_dict, Font.from_font_resource(font_dict))
        return hit[1]


def _install() -> bool:
    """Point pypdf's page module at :class:`_FontOnce`, where this pypdf has it (else pypdf
    reads as it always did)."""
    try:
        import pypdf._page as page_module
        from pypdf.generic._font import Font
    except ImportError:
        return False
    current = getattr(page_module, "Font", None)
    if current is _FontOnce:
        return True
    if current is not Font or not hasattr(Font, "from_font_resource"):
        return False
    page_module.Font = _FontOnce  # type: ignore[attr-defined]
    return True


@contextmanager
def _fonts_once() -> Iterator[None]:
    if not _install():
        yield
        return
    _FONTS.cache = {}
    try:
        yield
    finally:
        _FONTS.cache = None


def pypdf_pages(data: bytes) -> list[str]:
    """pypdf's text of each page (``extract_text()``), each font parsed once."""
    import pypdf

    with _fonts_once():
        reader = pypdf.PdfReader(io.BytesIO(data))
        return [p.extract_text() or "" for p in reader.pages]


def pdfminer_layout_text(path: str | Path) -> str:
    """pdfminer's whole-file text with its layout analysis (``extract_text``, its defaults)."""
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def _figure_text(item: Any) -> str:
    from pdfminer.layout import LTContainer, LTText

    if isinstance(item, LTContainer):
        return "".join(_figure_text(child) for child in item)
    return item.get_text() if isinstance(item, LTText) else ""


def page_runs(ltpage: Any) -> list[str]:
    """The runs of a page read without layout analysis (``laparams=None``): each a stretch of
    the content stream's glyphs that pdfminer's layout analysis cannot cut apart. Top-level
    glyphs are cut wherever two neighbours fail pdfminer's own line test (``halign`` in
    LTLayoutContainer.group_objects, written out here with LAParams' defaults: a line of the
    analysis never spans such a place, so the runs may be finer than its lines, never
    coarser); a form XObject's glyphs, which the analysis leaves in stream order, are one run."""
    from pdfminer.layout import LAParams, LTChar

    params = LAParams()
    overlap, margin = params.line_overlap, params.char_margin
    runs: list[str] = []
    current: list[str] = []
    a = None
    for b in ltpage:
        if not isinstance(b, LTChar):
            text = _figure_text(b)
            if text:
                runs.append(text)
            continue
        if a is not None:
            halign = (b.y0 <= a.y1 and a.y0 <= b.y1
                      and min(a.height, b.height) * overlap < min(abs(a.y0 - b.y1), abs(a.y1 - b.y0))
                      and (0 if b.x0 <= a.x1 and a.x0 <= b.x1 else min(abs(a.x0 - b.x1), abs(a.x1 - b.x0)))
                      < max(a.width, b.width) * margin)
            if not halign:
                runs.append("".join(current))
                current = []
        current.append(b.get_text())
        a = b
    if current:
        runs.append("".join(current))
    return runs


def file_runs(path: str | Path) -> list[str]:
    """:func:`page_runs` of every page of the file, read by pdfminer without layout analysis
    (resources cached, as ``extract_text`` reads)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    runs: list[str] = []
    with open(path, "rb") as fp:
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.get_pages(fp, caching=True):
            interpreter.process_page(page)
            runs += page_runs(device.get_result())
    return runs


# a run that starts with one of these could join, under NFKC, the letter before it
def _joins_back(text: str) -> bool:
    c = text[0]
    return unicodedata.category(c).startswith("M") or 0x1160 <= ord(c) <= 0x11FF or 0xD7B0 <= ord(c) <= 0xD7FF


def could_spell(runs: Iterable[str], wanted: Iterable[str]) -> set[str]:
    """The strings of ``wanted`` (normalised, as the check searches) that some order of
    ``runs`` could spell, forwards or backwards: inside one run, or as the end of a run, any
    whole runs, and the start of a run. Every string a layout reading of these runs finds is
    here (the converse does not hold). A run starting with a mark that could join the
    letter before it makes every string count."""
    wanted = [w for w in wanted if w]
    texts = [t for t in runs if t]
    if any(_joins_back(t) for t in texts):
        return set(wanted)
    from reviewer.pdf.redacted import normalise

    plains = [p for p in (normalise(t) for t in texts) if p]
    if not wanted or not plains:
        return set()
    longest = max(len(w) for w in wanted)
    joined = "\x00".join(plains)
    suffixes: set[str] = set()
    prefixes: set[str] = set()
    whole: set[str] = set()
    for p in plains:
        n = min(len(p), longest)
        suffixes.update(p[-k:] for k in range(1, n + 1))
        prefixes.update(p[:k] for k in range(1, n + 1))
        if len(p) <= longest:
            whole.add(p)
    out = set()
    for w in wanted:
        for s in (w, w[::-1]):
            if s in joined or _assembled(s, suffixes, prefixes, whole):
                out.add(w)
                break
    return out


def _assembled(s: str, suffixes: set[str], prefixes: set[str], whole: set[str]) -> bool:
    """``s`` as the end of one run, any whole runs, and the start of another."""
    todo = [i for i in range(1, len(s)) if s[:i] in suffixes]
    seen = set(todo)
    while todo:
        i = todo.pop()
        if s[i:] in prefixes:
            return True
        for j in range(i + 1, len(s)):
            if j not in seen and s[i:j] in whole:
                seen.add(j)
                todo.append(j)
    return False


def pdfminer_reading(path: str | Path, wanted: list[str] | None) -> tuple[str, bool]:
    """pdfminer's text of the file for the check, and whether it is the layout reading. With
    ``wanted`` (the normalised strings searched for), the file is first read without layout
    analysis; when no order of its runs could spell any of them, that reading is returned
    (it holds none of them either); else, or without ``wanted``, the layout reading."""
    if not wanted:
        return pdfminer_layout_text(path), True
    runs = file_runs(path)
    if could_spell(runs, wanted):
        return pdfminer_layout_text(path), True
    return "\n".join(runs), False
