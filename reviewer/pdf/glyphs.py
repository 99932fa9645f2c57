"""Reading glyphs whose font has no usable /ToUnicode.

A CID font with Identity encoding and no /ToUnicode gives MuPDF no text at all (U+FFFD),
while pdfminer reads the same glyphs through the embedded font's own cmap: a name set in such
a font is found by readers and missed by search. Two ways in, best first:

1. the embedded font's cmap, read backwards (glyph id -> character) through MuPDF's own font
   loader; for Identity encoding the CID is the glyph id;
2. OCR of the glyphs' region when the font has no cmap either (subset fonts often drop it):
   a line reader handed in by the caller (the CLI passes the PP-OCR recogniser of
   reviewer.media.text; this package may not import media), else tesseract when installed.

Glyphs neither way can read stay "?" with ``read == "?"``, and the caller says so: a
redaction search must never pretend a page had nothing on it.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pymupdf

if TYPE_CHECKING:
    from reviewer.pdf.chars import Char

UNKNOWN = "\ufffd"
# code points whose glyph ids are looked up: Latin, Greek, Cyrillic, punctuation, symbols
_RANGES = ((0x20, 0x250), (0x370, 0x530), (0x2000, 0x2070), (0x20A0, 0x20C0), (0xFB00, 0xFB07))
OCR_DPI = 300


def _base(name: str) -> str:
    name = name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass
class GlyphReader:
    """Per document: caches each font's glyph-to-character map."""

    doc: pymupdf.Document
    ocr: bool = True
    read_line: Callable[[Any], str] | None = None  # RGB crop of one line -> its text
    _maps: dict[int, tuple[str, dict[int, str]]] = field(default_factory=dict)
    unread: int = 0  # glyphs that stayed unknown
    by_ocr: int = 0

    def _font_maps(self, page: pymupdf.Page) -> list[tuple[str, dict[int, str]]]:
        out = []
        for xref, _ext, ftype, basefont, _name, enc, *_ in page.get_fonts(full=True):
            if ftype != "Type0" or not str(enc).startswith("Identity"):
                continue
            if self.doc.xref_get_key(xref, "ToUnicode")[0] not in ("null",):
                continue
            if xref not in self._maps:
                self._maps[xref] = (basefont, self._reverse_cmap(xref))
            out.append(self._maps[xref])
        return out

    def _reverse_cmap(self, font_xref: int) -> dict[int, str]:
        doc = self.doc
        try:
            desc = doc.xref_get_key(font_xref, "DescendantFonts")
            kid = int(desc[1].strip("[] ").split()[0]) if desc[0] == "array" else int(desc[1].split()[0])
            fd = doc.xref_get_key(kid, "FontDescriptor")
            fd_x = int(fd[1].split()[0])
            buf = None
            for key in ("FontFile2", "FontFile3", "FontFile"):
                kind, val = doc.xref_get_key(fd_x, key)
                if kind == "xref":
                    buf = doc.xref_stream(int(val.split()[0]))
                    break
            if not buf:
                return {}
            font = pymupdf.Font(fontbuffer=buf)
        except Exception:  # noqa: BLE001 - a damaged or odd font: no map, fall back to OCR
            return {}
        rev: dict[int, str] = {}
        for lo, hi in _RANGES:
            for cp in range(lo, hi):
                gid = font.has_glyph(cp)
                if gid and gid not in rev:
                    rev[gid] = chr(cp)
        return rev

    def fix(self, page: pymupdf.Page, chars: list[Char]) -> list[Char]:
        if not any(ch.c == UNKNOWN for ch in chars):
            return chars
        maps = self._font_maps(page)
        gids = _gids(page, len(chars))
        out = list(chars)
        todo: list[int] = []
        for i, ch in enumerate(chars):
            if ch.c != UNKNOWN:
                continue
            gid = gids[i] if gids is not None else None
            text = None
            if gid is not None:
                named = [m for name, m in maps if _base(name) and _base(ch.font) and
                         (_base(name).startswith(_base(ch.font)) or _base(ch.font).startswith(_base(name)))]
                for m in named or [m for _n, m in maps]:
                    if gid in m:
                        text = m[gid]
                        break
            if text is not None:
                out[i] = replace(ch, c=text, read="font")
            else:
                todo.append(i)
        if todo:
            self._ocr(page, out, todo)
        return out

    def _ocr(self, page: pymupdf.Page, out: list[Char], todo: list[int]) -> None:
        from reviewer.pdf import ocr

        runs: list[list[int]] = []
        for i in todo:
            if runs and runs[-1][-1] == i - 1 and out[i].line == out[i - 1].line:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            text = ""
            if self.ocr and (self.read_line is not None or ocr.available()):
                text = _ocr_run(page, [out[i] for i in run], self.read_line)
            letters = [c for c in text if not c.isspace()]
            if len(letters) == len(run):
                for i, c in zip(run, letters):
                    out[i] = replace(out[i], c=c, read="ocr")
                self.by_ocr += len(run)
            else:
                for i in run:
                    out[i] = replace(out[i], c="?", read="?")
                self.unread += len(run)


def _gids(page: pymupdf.Page, n: int) -> list[int] | None:
    """The glyph id of every character, in the order page_chars reads them."""
    from reviewer.pdf.chars import BASE_FLAGS
    from reviewer.pdf.rawtext import rawdict

    raw = rawdict(page, BASE_FLAGS | pymupdf.TEXT_USE_GID_FOR_UNKNOWN_UNICODE)
    ids = [ord(c["c"][0]) if c["c"] else 0 for b in raw["blocks"] if b.get("type") == 0
           for l in b["lines"] for s in l["spans"] for c in s["chars"]]
    return ids if len(ids) == n else None


def _ocr_run(page: pymupdf.Page, chars: list[Char], read_line: Callable[[Any], str] | None) -> str:
    import numpy as np

    from reviewer.pdf import ocr

    r = pymupdf.Rect(chars[0].box)
    for ch in chars[1:]:
        r |= pymupdf.Rect(ch.box)
    r = (r + (-2, -2, 2, 2)) & page.rect
    if r.is_empty:
        return ""
    pix = page.get_pixmap(dpi=OCR_DPI, clip=r, colorspace=pymupdf.csGRAY, alpha=False)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
    pad = np.full((gray.shape[0] + 40, gray.shape[1] + 40), 255, np.uint8)
    pad[20:-20, 20:-20] = gray
    if read_line is not None:
        try:
            return unicodedata.normalize("NFKC", read_line(np.dstack([pad] * 3)))
        except Exception:  # noqa: BLE001, S110 - a reader that fails reads nothing; tesseract may still
            pass
    return unicodedata.normalize("NFKC", ocr.ocr_text(pad, psm=7))
