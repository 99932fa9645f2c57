"""What an export must contain and what must be gone: built from the case, kept beside the
export as ``OUT.verify.json`` so ``reviewer verify`` can re-check it without the case.

Geometry and reason codes only: never a note, a tag or the redacted text itself.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from reviewer.annotate.geometry import AudioSpan, Box, BoxTrack, Keyframe, PageBox

SIDECAR_SUFFIX = ".verify.json"
FORMAT = "reviewer-export-verify/1"


def sidecar_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + SIDECAR_SUFFIX)


def times_hash(times: list[Fraction]) -> str:
    h = hashlib.sha256()
    for t in times:
        h.update(f"{t.numerator}/{t.denominator}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class VideoExpect:
    source_name: str
    source_sha256: str
    frames: tuple[int, int]  # source frames a..b inclusive that the export holds
    width: int
    height: int
    time_base: Fraction
    pts: tuple[int, ...]  # relative to the export's frame 0, in time_base units
    tracks: tuple[BoxTrack, ...]  # frame numbers of the export (0 = source frame a)
    audio_spans: tuple[AudioSpan, ...]  # seconds relative to the export's frame 0
    has_audio: bool
    end_s: Fraction  # when the last frame stops showing, relative to frame 0
    kind: str = "video"
    # soft boxes' cell size per track (reviewer.export.strength); 0 or missing: from the box
    blocks: tuple[int, ...] = ()
    audio_tracks: int = -1  # every audio track is kept; -1 (older sidecars): one if has_audio
    # the automatic passes a video can have (faces, text, speech) and whether each ran on this
    # original, with its settings (reviewer.store.passes): what was looked for, and what not
    passes: tuple[dict[str, Any], ...] = ()
    # GOPs copied from the original (reviewer.export.smartcut): export frames, source frames,
    # sha256 of their slices; and, when none was, why not
    copied_gops: tuple[dict, ...] = ()
    smart_cut: str = ""

    @property
    def n_audio(self) -> int:
        return self.audio_tracks if self.audio_tracks >= 0 else int(self.has_audio)

    @property
    def frame_count(self) -> int:
        return len(self.pts)

    def times(self) -> list[Fraction]:
        return [p * self.time_base for p in self.pts]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "kind": "video",
            "source": {"name": self.source_name, "sha256": self.source_sha256,
                       "frames": list(self.frames)},
            "frame_count": self.frame_count, "width": self.width, "height": self.height,
            "time_base": str(self.time_base), "pts": list(self.pts),
            "pts_sha256": times_hash(self.times()), "end": str(self.end_s),
            "has_audio": self.has_audio, "audio_tracks": self.n_audio,
            "boxes": [{"frames": [t.frame_from, t.frame_to], "shape": t.shape, "style": t.style,
                       "reason": t.reason,
                       "block": self.blocks[i] if i < len(self.blocks) else 0,
                       "keyframes": [[k.frame, k.box.x_px, k.box.y_px, k.box.w_px, k.box.h_px]
                                     for k in t.keyframes]} for i, t in enumerate(self.tracks)],
            "audio": [{"from": str(s.t_from_s), "to": str(s.t_to_s), "mode": s.mode,
                       "reason": s.reason} for s in self.audio_spans],
            "passes": [dict(p) for p in self.passes],
            **({"copied_gops": list(self.copied_gops)} if self.copied_gops else {}),
            **({"smart_cut": self.smart_cut} if self.smart_cut else {}),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> VideoExpect:
        tracks = tuple(
            BoxTrack(i, 0, b["frames"][0], b["frames"][1],
                     tuple(Keyframe(int(k[0]), Box(*map(float, k[1:5]))) for k in b["keyframes"]),
                     b.get("shape", "rect"), b.get("style", "solid"), b.get("reason", ""))
            for i, b in enumerate(d.get("boxes", [])))
        spans = tuple(AudioSpan(i, 0, Fraction(a["from"]), Fraction(a["to"]), a.get("mode", "mute"),
                                a.get("reason", "")) for i, a in enumerate(d.get("audio", [])))
        src = d.get("source", {})
        return cls(src.get("name", ""), src.get("sha256", ""), tuple(src.get("frames", (0, 0))),
                   int(d["width"]), int(d["height"]), Fraction(d["time_base"]),
                   tuple(int(p) for p in d["pts"]), tracks, spans, bool(d.get("has_audio")),
                   Fraction(d.get("end", "0")),
                   blocks=tuple(int(b.get("block", 0)) for b in d.get("boxes", [])),
                   audio_tracks=int(d.get("audio_tracks", -1)),
                   passes=tuple(p for p in d.get("passes", []) if isinstance(p, dict)),
                   copied_gops=tuple(d.get("copied_gops", ())), smart_cut=str(d.get("smart_cut", "")))


@dataclass(frozen=True)
class PdfExpect:
    source_name: str
    source_sha256: str
    pages: tuple[int, ...]  # source page numbers, in output order
    boxes: tuple[PageBox, ...]  # page_no of the OUTPUT, displayed points, top-left origin
    rasterized: bool = False
    stamped: bool = False
    kind: str = "pdf"
    # the redacted text, normalised (reviewer.pdf.redacted): known while exporting or with
    # the case at hand; never written to the sidecar, which keeps only how many strings were
    # searched for (a hash of each, even salted, would let anyone holding the file test
    # guesses: every nine-digit A-number in about nine minutes on one core)
    redacted: tuple[str, ...] | None = None
    text_strings: int = 0  # how many redacted strings the export searched for
    # salted hashes that sidecars of earlier versions hold: still searched with when read
    text_salt: str = ""
    text_hashes: tuple[tuple[int, str], ...] = ()
    short_strings: int = 0  # redacted strings too short to search for
    shown_strings: int = 0  # redacted strings the document also shows unboxed
    raster_pages: tuple[tuple[int, str], ...] = ()  # output page, why it was rasterised
    text_boxes: frozenset[int] = frozenset()  # indices into boxes of those made from text hits
    # of ``redacted``, those boxed whole (a word or phrase, not a box cut through a word): kept
    # in memory only, like ``redacted`` (reviewer.pdf.redacted.whole_strings)
    whole: frozenset[str] = frozenset()

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def searched_strings(self) -> int:
        if self.redacted is not None:
            return len(self.redacted)
        return self.text_strings or len(self.text_hashes)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "kind": "pdf",
                "source": {"name": self.source_name, "sha256": self.source_sha256,
                           "pages": list(self.pages)},
                "page_count": self.page_count, "rasterized": self.rasterized,
                "stamped": self.stamped,
                "boxes": [{"page": b.page_no, "rect": [b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt],
                           "reason": b.reason} for b in self.boxes],
                "redacted_text": {"strings": self.searched_strings, "short": self.short_strings,
                                  "shown": self.shown_strings,
                                  **({"salt": self.text_salt, "sha256": [list(h) for h in self.text_hashes]}
                                     if self.text_hashes else {})},
                "rasterised_pages": [[p, why] for p, why in self.raster_pages]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PdfExpect:
        src = d.get("source", {})
        boxes = tuple(PageBox(i, 0, int(b["page"]), *map(float, b["rect"]), b.get("reason", ""))
                      for i, b in enumerate(d.get("boxes", [])))
        text = d.get("redacted_text") or {}
        return cls(src.get("name", ""), src.get("sha256", ""), tuple(src.get("pages", ())), boxes,
                   bool(d.get("rasterized")), bool(d.get("stamped")), text_strings=int(text.get("strings", 0)),
                   text_salt=str(text.get("salt", "")),
                   text_hashes=tuple((int(n), str(h)) for n, h in text.get("sha256", [])),
                   short_strings=int(text.get("short", 0)), shown_strings=int(text.get("shown", 0)),
                   raster_pages=tuple((int(p), str(w)) for p, w in d.get("rasterised_pages", [])))


Expect = VideoExpect | PdfExpect


def write_sidecar(path: Path, expect: Expect, file_sha256: str | None = None) -> None:
    """``file_sha256``: the exported file's own hash, so that ``verify`` notices any change to
    its bytes (a one-byte change can leave every decoded check passing)."""
    d = expect.to_json()
    if file_sha256:
        d["file_sha256"] = file_sha256
    path.write_text(json.dumps(d, indent=1), encoding="utf-8")


def sidecar_file_sha256(path: str | Path) -> str | None:
    """The exported file's hash recorded in its sidecar (None for older sidecars)."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8")).get("file_sha256")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def read_sidecar(path: str | Path) -> Expect:
    from reviewer.errors import ReviewerError

    p = Path(path)
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
        if d.get("format") != FORMAT:
            raise ValueError("unknown format")
        return VideoExpect.from_json(d) if d["kind"] == "video" else PdfExpect.from_json(d)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReviewerError(f"{p.name}: not a usable verification sidecar ({exc})") from None


def video_expect(store: Any, media_row: dict, index: Any, frames: tuple[int, int] | None) -> VideoExpect:
    """The export of ``media_row`` (frames a..b) as the case says it must be."""
    from reviewer.store.redactions import audio_spans, box_tracks

    a, b = frames if frames is not None else (0, index.count - 1)
    base = index.pts[a]
    end = index.pts[b + 1] if b + 1 < index.count else (index.end_pts or index.pts[b])
    if end <= index.pts[b]:  # unknown last duration: the previous frame's
        end = index.pts[b] + (index.pts[b] - index.pts[b - 1] if b > 0 else 1)
    tracks = []
    for t in box_tracks(store, media_row["id"]):
        lo, hi = max(t.frame_from, a), min(t.frame_to, b)
        if lo > hi:
            continue
        kfs = tuple(Keyframe(k.frame - a, k.box) for k in t.keyframes)
        tracks.append(BoxTrack(t.id, t.media_id, lo - a, hi - a, kfs, t.shape, t.style, t.reason))
    shift = (base - index.pts[0]) * index.time_base
    end_s = (end - base) * index.time_base
    whole = a == 0 and b == index.count - 1
    spans = []
    for s in audio_spans(store, media_row["id"]):
        lo, hi = Fraction(s.t_from_s) - shift, Fraction(s.t_to_s) - shift
        # a whole export keeps the audio running past the last frame, and its spans with it
        if hi < 0 or (lo > end_s and not whole):
            continue
        spans.append(AudioSpan(s.id, s.media_id, max(lo, Fraction(0)), hi, s.mode, s.reason))
    info = media_row.get("info") or {}
    if isinstance(info, str):
        info = json.loads(info or "{}")
    n_audio = info.get("audio_tracks")
    if n_audio is None:  # imported before every track was counted: ask the original
        n_audio = _count_audio(media_row["path"], bool(info.get("has_audio", True)))
    from reviewer.export.readback import track_blocks
    from reviewer.store.passes import pass_records

    return VideoExpect(media_row["name"], media_row["sha256"], (a, b), index.width, index.height,
                       index.time_base, tuple(p - base for p in index.pts[a:b + 1]), tuple(tracks),
                       tuple(spans), int(n_audio) > 0, end_s,
                       blocks=track_blocks(store, media_row, index, tracks, a),
                       audio_tracks=int(n_audio), passes=tuple(pass_records(store, media_row)))


def _count_audio(path: str, fallback: bool) -> int:
    try:
        from reviewer.export.source import audio_streams

        return len(audio_streams(path))
    except Exception:  # noqa: BLE001 - the original is unreadable here; the export says why
        return int(fallback)


def pdf_expect(store: Any, media_row: dict, pages: tuple[int, int] | None, *, rasterized: bool,
               stamped: bool) -> PdfExpect:
    from reviewer.store.redactions import page_boxes

    count = int(media_row.get("page_count") or 0)
    p, q = pages if pages is not None else (1, count)
    from reviewer.store.annotations import page_rects

    source = [b for b in page_boxes(store, media_row["id"]) if p <= b.page_no <= q]
    boxes = tuple(PageBox(b.id, b.media_id, b.page_no - p + 1, b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt,
                          b.reason) for b in source)
    # boxes a text search made: every form of their text must go, wherever it stands
    hits = {(page, tuple(json.loads(rect))) for page, rect, _r in
            page_rects(store, media_row["id"], "text")}
    text_boxes = frozenset(i for i, b in enumerate(source)
                           if (b.page_no, (b.x0_pt, b.y0_pt, b.x1_pt, b.y1_pt)) in hits)
    return PdfExpect(media_row["name"], media_row["sha256"], tuple(range(p, q + 1)), boxes,
                     rasterized, stamped, text_boxes=text_boxes)


__all__ = [
    "Expect",
    "PdfExpect",
    "VideoExpect",
    "pdf_expect",
    "read_sidecar",
    "sidecar_file_sha256",
    "sidecar_path",
    "times_hash",
    "video_expect",
    "write_sidecar",
]
