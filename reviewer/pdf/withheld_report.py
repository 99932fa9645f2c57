"""The withheld log as a brief's appendix: summaries, CSV, and a PDF table.

Works on the rows ``reviewer.store.withheld.list_withheld`` returns (dicts with media_id,
media_name, page_no, bates, rect, codes, comment, source).
"""
from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import pymupdf

from reviewer.errors import write_error
from reviewer.inert import inert_row

PAGE_W, PAGE_H = 612.0, 792.0
MARGIN = 54.0
FONT, BOLD = "helv", "hebo"


def codes_text(codes: Iterable[str]) -> str:
    return ", ".join(codes) or "(no label)"


def by_code(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    c: Counter[str] = Counter()
    for r in rows:
        for code in r["codes"] or [""]:
            c[code] += 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def by_document(rows: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """(document, regions, pages with regions)."""
    docs: dict[str, tuple[int, set[int]]] = {}
    for r in rows:
        n, pages = docs.get(r["media_name"], (0, set()))
        pages.add(r["page_no"])
        docs[r["media_name"]] = (n + 1, pages)
    return [(name, n, len(p)) for name, (n, p) in docs.items()]


def page_ranges(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of consecutive pages with withholdings, per document, with their codes."""
    out: list[dict[str, Any]] = []
    for r in sorted(rows, key=lambda r: (r["media_id"], r["page_no"])):
        last = out[-1] if out else None
        if last and last["media_id"] == r["media_id"] and r["page_no"] - last["page_to"] <= 1:
            last["page_to"] = r["page_no"]
            last["bates_to"] = r["bates"] or last["bates_to"]
            last["regions"] += 1
            last["codes"].update(r["codes"] or [""])
        else:
            out.append({"media_id": r["media_id"], "media_name": r["media_name"], "page_from": r["page_no"],
                        "page_to": r["page_no"], "bates_from": r["bates"], "bates_to": r["bates"],
                        "regions": 1, "codes": Counter(r["codes"] or [""])})
    return out


def _where(r: dict[str, Any]) -> str:
    return f"p. {r['page_no']}" + (f" ({r['bates']})" if r.get("bates") else "")


def _atomic(path: Path):
    tmp = path.with_name(f".{path.name}.part")
    return tmp


def write_csv(rows: list[dict[str, Any]], out: str | Path) -> Path:
    out = Path(out)
    tmp = _atomic(out)
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["document", "media_id", "page", "bates", "x0_pt", "y0_pt", "x1_pt", "y1_pt",
                        "codes", "comment", "source"])
            for r in rows:
                # names and comments come from the agency's files: inert in a spreadsheet
                w.writerow(inert_row([r["media_name"], r["media_id"], r["page_no"], r.get("bates") or "",
                                      *r["rect"], "; ".join(r["codes"]), r.get("comment", ""),
                                      r.get("source", "")]))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(exc, out, "the withheld log was not written") from None
    return out


class _Writer:
    """A minimal paginating table writer on PyMuPDF pages."""

    def __init__(self, title: str) -> None:
        self.doc = pymupdf.open()
        self.title = title
        self.page: pymupdf.Page | None = None
        self.y = 0.0

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
        self.page.insert_text((MARGIN, MARGIN - 18), self.title, fontsize=8, fontname=FONT, color=(0.4, 0.4, 0.4))
        self.y = MARGIN

    def need(self, h: float) -> None:
        if self.page is None or self.y + h > PAGE_H - MARGIN:
            self.new_page()

    def text(self, s: str, size: float = 10, bold: bool = False, gap: float = 4) -> None:
        """A paragraph wrapped to the page's width (a long note must not run off the page)."""
        font = BOLD if bold else FONT
        lines = _wrap(s, PAGE_W - 2 * MARGIN + 4, size, font)
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            self.need(size + (gap if last else 2))
            self.y += size
            assert self.page is not None
            self.page.insert_text((MARGIN, self.y), line, fontsize=size, fontname=font)
            self.y += gap if last else 2

    def row(self, cells: list[str], widths: list[float], size: float = 8.5, bold: bool = False) -> None:
        wrapped = [_wrap(c, w, size, BOLD if bold else FONT) for c, w in zip(cells, widths)]
        h = max(len(w) for w in wrapped) * (size + 2) + 4
        self.need(h)
        assert self.page is not None
        x = MARGIN
        for lines, w in zip(wrapped, widths):
            for i, line in enumerate(lines):
                self.page.insert_text((x + 2, self.y + size + 1 + i * (size + 2)), line, fontsize=size,
                                      fontname=BOLD if bold else FONT)
            x += w
        self.y += h
        self.page.draw_line((MARGIN, self.y), (MARGIN + sum(widths), self.y), color=(0.7, 0.7, 0.7), width=0.4)


def _fits(text: str, width: float, size: float, font: str = FONT) -> bool:
    return pymupdf.get_text_length(text, fontname=font, fontsize=size) <= width - 4


def _split_long(word: str, width: float, size: float, font: str = FONT) -> list[str]:
    """A word wider than its column (a file name has no spaces) broken into pieces that fit,
    so it never runs into the next column."""
    pieces: list[str] = []
    cur = ""
    for ch in word:
        if cur and not _fits(cur + ch, width, size, font):
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    pieces.append(cur)
    return pieces


def _wrap(text: str, width: float, size: float, font: str = FONT) -> list[str]:
    lines: list[str] = []
    cur = ""
    words = [piece for word in (str(text).split() or [""]) for piece in
             (_split_long(word, width, size, font) if not _fits(word, width, size, font)
              else [word])]
    for word in words:
        trial = f"{cur} {word}".strip()
        if _fits(trial, width, size, font) or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    lines.append(cur)
    return lines


def write_pdf(rows: list[dict[str, Any]], out: str | Path, title: str = "Withheld-information log",
              notes: Iterable[str] = ()) -> Path:
    """A table for a brief's appendix: summary by exemption, document and page range, then
    every region (document, page, Bates, exemptions, location, comment)."""
    out = Path(out)
    w = _Writer(title)
    w.new_page()
    w.text(title, size=15, bold=True, gap=10)
    w.text(f"{len(rows)} withheld region(s) in {len({r['media_id'] for r in rows})} document(s).", gap=10)
    w.text("By exemption", size=11, bold=True)
    w.row(["Exemption", "Regions"], [200, 80], bold=True)
    for code, n in by_code(rows):
        w.row([code or "(no label)", str(n)], [200, 80])
    w.y += 8
    w.text("By document", size=11, bold=True)
    w.row(["Document", "Regions", "Pages"], [300, 80, 80], bold=True)
    for name, n, pages in by_document(rows):
        w.row([name, str(n), str(pages)], [300, 80, 80])
    w.y += 8
    w.text("By page range", size=11, bold=True)
    widths = [150, 60, 160, 50, 84]
    w.row(["Document", "Pages", "Bates", "Regions", "Exemptions"], widths, bold=True)
    for pr in page_ranges(rows):
        pages = str(pr["page_from"]) if pr["page_from"] == pr["page_to"] else f"{pr['page_from']}-{pr['page_to']}"
        bates = pr["bates_from"] or ""
        if pr["bates_to"] and pr["bates_to"] != pr["bates_from"]:
            bates += f" - {pr['bates_to']}"
        codes = ", ".join(f"{c or '(no label)'} x{n}" for c, n in sorted(pr["codes"].items()))
        w.row([pr["media_name"], pages, bates, str(pr["regions"]), codes], widths)
    for note in notes:
        w.text(f"Note: {note}", size=8)
    w.new_page()
    w.text("Withheld regions", size=11, bold=True)
    widths = [24, 120, 34, 100, 80, 90, 56]
    w.row(["#", "Document", "Page", "Bates", "Exemptions", "Location (pt)", "Comment"], widths, bold=True)
    for i, r in enumerate(rows, 1):
        loc = ", ".join(f"{v:.0f}" for v in r["rect"])
        w.row([str(i), r["media_name"], str(r["page_no"]), r.get("bates") or "", codes_text(r["codes"]),
               loc, r.get("comment") or ""], widths)
    for i, page in enumerate(w.doc, 1):
        page.insert_text((PAGE_W - MARGIN - 60, PAGE_H - MARGIN / 2), f"Page {i} of {w.doc.page_count}",
                         fontsize=8, fontname=FONT)
    w.doc.set_metadata({"title": title, "producer": "Reviewer"})
    tmp = _atomic(out)
    w.doc.save(str(tmp), garbage=3, deflate=True)
    w.doc.close()
    os.replace(tmp, out)
    return out
