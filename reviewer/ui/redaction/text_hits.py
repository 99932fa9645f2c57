"""Finding identifiers in the documents for review (run on a worker, no Qt): every built-in
pattern or one, the case's own, each hit with its surrounding words, Bates number, and
whether a page box already covers it (the sweep before an export or a bundle lists only
those still readable)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALL = "*all*"
# what a reviewer reads in the list; the keys are the command line's pattern names
PATTERN_NAMES = {"ssn": "Social Security number", "a-number": "A-number (alien registration)",
                 "phone": "Phone number", "email": "E-mail address", "dob": "Date of birth"}
MATCHING_NOTE = ("Matching ignores case unless “Match case” is ticked, and finds words broken by "
                 "hyphenation or a line break (“Rodri-” / “guez”) and through ligatures, as a "
                 "reader's search does. "
                 "Nothing is marked until you press Mark.")
CONTEXT_WORDS = 6


def builtin_patterns() -> list[tuple[str, str]]:
    """(readable name, pattern key) of every built-in pattern, in the core's order."""
    from reviewer.pdf.search import PATTERNS

    return [(PATTERN_NAMES.get(k, k), k) for k in PATTERNS]


def case_patterns(store: Any) -> list[tuple[str, str]]:
    """(name, regex) of the case's own patterns (setting ``redact.patterns``)."""
    from reviewer.session.case_patterns import read_patterns

    return [(p["name"], p["pattern"]) for p in read_patterns(store)]


@dataclass
class Hit:
    media_id: int
    doc: str
    page_no: int
    bates: str | None
    text: str
    rects: list[tuple[float, float, float, float]]
    patterns: list[str] = field(default_factory=list)
    before: str = ""
    after: str = ""
    covered: bool = False
    # a hit in the words read in a video (detect text): where it was seen and the text
    # track's redactions, which Mark accepts
    frame: int | None = None
    timecode: str | None = None
    redaction_ids: list[int] = field(default_factory=list)

    @property
    def place(self) -> tuple[int, int]:
        """What the list groups hits by: a document's page, or a video's frame."""
        return (self.media_id, self.page_no if self.frame is None else -1 - self.frame)

    @property
    def where(self) -> str:
        if self.frame is not None:
            return f"{self.doc} at {self.timecode or f'frame {self.frame}'} (read in the video)"
        return f"{self.doc} p. {self.page_no}" + (f" · {self.bates}" if self.bates else "")

    @property
    def context(self) -> str:
        hit = " ".join(self.text.split())
        return f"{'…' if self.before else ''}{self.before} ⟦{hit}⟧ {self.after}{'…' if self.after else ''}".strip()


def _ocr_words(store: Any, media_id: int, page_no: int) -> list[tuple[float, float, float, float, str]]:
    """The words OCR read on a page with no text layer (kept in the case), in points."""
    from reviewer.pdf.ocr_search import OCR_DPI, READER
    from reviewer.store.page_ocr import read_words

    k = 72.0 / OCR_DPI
    return [(r[1] * k, r[2] * k, r[3] * k, r[4] * k, str(r[0]))
            for r in read_words(store, media_id, page_no, READER) or []]


def _context(words: list[tuple[float, float, float, float, str]],
             rects: list[tuple[float, float, float, float]]) -> tuple[str, str]:
    """The words before the hit on its first line and after it on its last line."""
    if not rects or not words:
        return "", ""

    def on_line(w: tuple, r: tuple) -> bool:
        mid = (w[1] + w[3]) / 2
        return r[1] - 1 <= mid <= r[3] + 1

    first, last = rects[0], rects[-1]
    before = [w for w in words if on_line(w, first) and (w[0] + w[2]) / 2 < first[0]]
    after = [w for w in words if on_line(w, last) and (w[0] + w[2]) / 2 > last[2]]
    before.sort(key=lambda w: w[0])
    after.sort(key=lambda w: w[0])
    return (" ".join(w[4] for w in before[-CONTEXT_WORDS:]),
            " ".join(w[4] for w in after[:CONTEXT_WORDS]))


def covered(rect: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]],
            step: float = 0.5, share: float = 0.98) -> bool:
    """Whether the page boxes cover ``rect`` (at least ``share`` of it, on a half-point grid:
    boxes drawn over a hit seldom match its edges to the hundredth of a point)."""
    x0, y0, x1, y1 = rect
    if x1 <= x0 or y1 <= y0:
        return True
    near = [b for b in boxes if b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0]
    if not near:
        return False
    nx, ny = max(1, int((x1 - x0) / step)), max(1, int((y1 - y0) / step))
    inside = 0
    for i in range(nx):
        x = x0 + (i + 0.5) * (x1 - x0) / nx
        for j in range(ny):
            y = y0 + (j + 0.5) * (y1 - y0) / ny
            inside += any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in near)
    return inside >= share * nx * ny


class Hits(list):
    """The hits, and ``notes``: what was not searched (pages with no text layer), to be said."""

    notes: list[str]


def find_hits(store: Any, docs: list[tuple[dict[str, Any], tuple[int, int] | None]],
              patterns: list[tuple[str, str]], case_sensitive: bool, progress: Any) -> Hits:
    """Every hit of every pattern in ``docs`` (each a media row and a page range or None for
    all), in document and page order, one entry per place however many patterns found it.
    ``store`` is the worker's own connection (Bates numbers, page boxes)."""
    from reviewer.pdf.ocr_search import available as ocr_available
    from reviewer.pdf.search import no_text_note
    from reviewer.pdf.sweep import sweep_file
    from reviewer.session import page_ocr
    from reviewer.store.exhibits import page_bates
    from reviewer.store.redactions import page_boxes
    from reviewer.ui.case.media_access import page_words

    hits: dict[tuple, Hit] = {}
    notes: list[str] = []
    # pages that are only pictures are read by tesseract (once: the case keeps the reading)
    ocr = ocr_available()
    for d, (doc, pages) in enumerate(docs):
        boxes: dict[int, list] = {}
        for b in page_boxes(store, doc["id"]):
            boxes.setdefault(b.page_no, []).append((b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt))
        wanted = range(pages[0], pages[1] + 1) if pages else None
        read = page_ocr.reader(store, doc["id"]) if ocr else None
        if ocr:  # the scanned pages first, on every core (each kept in the case as it is read)
            progress.update(d / max(1, len(docs)), f"{doc['name']}: reading scanned pages")
            page_ocr.read_ahead(store, doc["id"], doc["path"], wanted, progress)
        # every pattern in one pass over the pages (reviewer.pdf.sweep): each page is read once
        progress.update(d / max(1, len(docs)), f"{doc['name']}: {len(patterns)} pattern(s)")
        no_text: list[int] = []
        pictured: list[int] = []

        def on_page(i: int, n: int, at: float = d / max(1, len(docs)), label: str = doc["name"]) -> None:
            progress.update(at + i / max(1, n) / max(1, len(docs)), f"{label}, page {i + 1} of {n}")

        for k, m in sweep_file(doc["path"], [key for _name, key in patterns], pages=wanted,
                               case_sensitive=case_sensitive, no_text=no_text, ocr=ocr, ocr_reader=read,
                               on_page=on_page, pictures=pictured,
                               picture_reader=page_ocr.reader(store, doc["id"], pictures=True) if ocr else None):
            name = patterns[k][0]
            rects = [tuple(r) for r in m.rects]
            place = (doc["id"], m.page_no, tuple(rects))
            if place not in hits:
                hits[place] = Hit(doc["id"], doc["name"], m.page_no, None, m.text, rects,
                                  covered=all(covered(r, boxes.get(m.page_no, [])) for r in rects))
            if name not in hits[place].patterns:
                hits[place].patterns.append(name)
        if no_text:
            notes.append(no_text_note(doc["name"], no_text, ocr))
        if pictured:
            from reviewer.pdf.pictures import pictures_note

            notes.append(pictures_note(doc["name"], pictured, ocr))
    words: dict[tuple[int, int], list] = {}
    paths = {doc["id"]: doc["path"] for doc, _ in docs}
    out = sorted(hits.values(), key=lambda h: ([doc["id"] for doc, _ in docs].index(h.media_id),
                                               h.page_no, h.rects[0][1], h.rects[0][0]))
    for h in out:
        key = (h.media_id, h.page_no)
        if key not in words:
            words[key] = page_words(paths[h.media_id], h.page_no) or _ocr_words(store, *key)
        h.before, h.after = _context(words[key], h.rects)
        h.bates = page_bates(store, h.media_id, h.page_no)
    progress.update(1.0, f"{len(out)} hits")
    found = Hits(out)
    found.notes = notes
    return found
