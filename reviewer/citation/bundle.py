"""The citation bundle: exhibit files, index.json, index PDF, redaction log, notes report, SHA256SUMS.

Everything is written into a hidden folder beside DIR and renamed to DIR only when complete,
so a crash or cancel never leaves a half bundle under the name. A cancel (SIGTERM, Ctrl-C)
removes the hidden folder; one left by a killed process is removed by the next bundle
written beside it (its name carries the writer's pid: reviewer.leftovers). No dates or temporary paths
are written into any file, so bundling an unchanged case twice gives the same bytes wherever
the encoders allow.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer import __version__, leftovers
from reviewer.citation import cites
from reviewer.citation import exhibit_files as files
from reviewer.citation.exhibits import display_labels, duplicate_labels
from reviewer.citation.redaction_log import log_rows, to_csv
from reviewer.citation.report_html import annotations_html, index_html
from reviewer.errors import ReviewerError
from reviewer.export.encoder import DEFAULT_PRESET
from reviewer.hashing import sha256_file
from reviewer.progress import Progress
from reviewer.store import media as media_store
from reviewer.store.db import CaseStore
from reviewer.store.exhibits import bundle_annotations, get_setting, list_exhibits, page_bates
from reviewer.timebase import FrameTimes

PROGRAM = f"reviewer {__version__}"
DEFAULT_MAX_CLIP_MB = 500
SETTING_MAX_CLIP_MB = "bundle.max_clip_mb"
# N.D. Cal. takes PDFs of 50 MB a file (C.D. Cal. 35 MB, the Ninth Circuit 100 MB)
DEFAULT_MAX_PDF_MB = 50
SETTING_MAX_PDF_MB = "bundle.max_pdf_mb"
SUMS = "SHA256SUMS"
WITHHELD_CSV = "withheld_log.csv"
WITHHELD_PDF = "withheld_log.pdf"
PDFA_NOTE = ("Document exhibits are plain PDF, not PDF/A: PyMuPDF cannot write PDF/A "
             "(no output intent or conformance metadata). They are single-revision, unencrypted, "
             "without scripts, attachments or annotations; convert with a PDF/A tool if a court "
             "requires it.")


@dataclass(frozen=True)
class BundleOptions:
    max_clip_bytes: int = DEFAULT_MAX_CLIP_MB * 1_000_000
    max_pdf_bytes: int = DEFAULT_MAX_PDF_MB * 1_000_000
    preset: str = DEFAULT_PRESET
    crf: int = 18
    captioned_stills: bool = True
    with_withheld: bool = False  # add the requester-side withheld log (withheld_log.csv/.pdf)
    # add the whole transcript (SRT, WebVTT, PDF; redacted words as a mark) of each transcribed
    # video an exhibit comes from: work product, so only when the user asks
    with_transcripts: bool = False


@dataclass(frozen=True)
class BundleResult:
    folder: Path
    exhibit_count: int
    files: tuple[str, ...]


def options_for(store: CaseStore, max_clip_mb: float | None = None,
                with_withheld: bool = False, max_pdf_mb: float | None = None) -> BundleOptions:
    """The court's size limits: the command's option, else the case setting, else the default
    (500 MB a clip, 50 MB a PDF)."""
    clip = _limit(store, max_clip_mb, SETTING_MAX_CLIP_MB, DEFAULT_MAX_CLIP_MB, "clip")
    pdf = _limit(store, max_pdf_mb, SETTING_MAX_PDF_MB, DEFAULT_MAX_PDF_MB, "PDF")
    return BundleOptions(max_clip_bytes=int(clip * 1_000_000), max_pdf_bytes=int(pdf * 1_000_000),
                         with_withheld=with_withheld)


def _limit(store: CaseStore, given: float | None, key: str, default: float, what: str) -> float:
    if given is None:
        raw = get_setting(store, key)
        try:
            given = float(raw) if raw else default
        except ValueError:
            raise ReviewerError(f"{store.folder}: the case setting {key} is not a size in MB "
                                f"({raw!r})") from None
    if given <= 0:
        raise ReviewerError(f"the {what} size limit must be positive (got {given} MB)")
    return given


def build_bundle(store: CaseStore, out_dir: str | Path, options: BundleOptions | None = None,
                 progress: Progress | None = None) -> BundleResult:
    options = options or options_for(store)
    progress = progress or Progress()
    out = Path(out_dir)
    if out.exists() or out.is_symlink():
        raise ReviewerError(f"{out}: already exists; a bundle goes into a new folder")
    exhibits = list_exhibits(store)
    if not exhibits:
        raise ReviewerError(f"{store.folder}: no exhibits declared (use 'reviewer exhibit' first)")
    clash = duplicate_labels(exhibits)
    if clash:
        raise ReviewerError(f"{store.folder}: more than one exhibit is called "
                            f"{', '.join(repr(c) for c in clash)}; relabel them so every cite is unique")
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out.parent)
    # os.mkdir honours the umask (mkdtemp would make it owner-only); hidden, unique, beside
    # DIR, and named after this process so a later run can tell whether its writer still runs
    tmp = out.parent / f".{out.name}.{leftovers.tag()}.partial"
    tmp.mkdir()
    try:
        names = _write(store, tmp, exhibits, options, progress)
        leftovers.pause_point("bundle-written")
        if out.exists():
            raise ReviewerError(f"{out}: appeared while the bundle was being written")
        with leftovers.signals_held():  # a SIGTERM now waits: the bundle is complete
            os.rename(tmp, out)
            _record(store, out, exhibits)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BundleResult(out, len(exhibits), tuple(names))


# ``.DIR.PID-XXXXXXXX.partial``; and ``.DIR.XXXXXXXXXXXX.partial`` of earlier versions (no
# pid: removed once an hour old)
_PARTIAL = re.compile(r"\..+\.(\d{1,10}-[0-9a-f]{8}|[0-9a-f]{12})\.partial")


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the hidden folders of bundles whose writer died (SIGKILL, power cut) from
    ``folder``; a bundle still being written by a running process is left alone."""
    return leftovers.remove_dead(folder, _PARTIAL)


def _record(store: CaseStore, out: Path, exhibits: list[dict[str, Any]]) -> None:
    """Chain of custody: the case's audit log says which bundle (by the hash of its
    SHA256SUMS) was made from it, and when. Not part of the bundle, so it stays reproducible."""
    from reviewer.store.db import WriteRefused

    payload = {"folder": str(out.resolve()), "exhibits": [e["id"] for e in exhibits],
               "sha256sums_sha256": sha256_file(out / SUMS), "program": PROGRAM}
    try:
        with store.write() as tx:
            tx.audit("bundle.write", payload)
    except WriteRefused:
        pass  # a case on read-only media: the bundle itself is complete and correct


def _write(store: CaseStore, root: Path, exhibits: list[dict[str, Any]], options: BundleOptions,
           progress: Progress) -> list[str]:
    labels = display_labels(exhibits)
    (root / "exhibits").mkdir()
    media_rows: dict[int, dict[str, Any]] = {}
    times_cache: dict[int, FrameTimes | None] = {}

    def media(mid: int) -> dict[str, Any]:
        if mid not in media_rows:
            media_rows[mid] = media_store.get_media(store, mid)
        return media_rows[mid]

    def times_of(row: dict[str, Any]) -> FrameTimes | None:
        mid = row["id"]
        if mid not in times_cache:
            from reviewer.media.index import cached_index
            from reviewer.store.media import FrameIndexCache

            times_cache[mid] = (cached_index(media(mid)["path"], FrameIndexCache(store, mid)).times
                                if media(mid)["kind"] == "video" else None)
        return times_cache[mid]

    entries: list[dict[str, Any]] = []
    share = 0.8 / len(exhibits)
    for n, ex in enumerate(exhibits, start=1):
        step = progress.sub((n - 1) * share, n * share)
        step.update(0.0, f"{labels[ex['id']]}: writing")
        entries.append(_exhibit(store, root, n, ex, labels[ex["id"]], media(ex["media_id"]),
                                times_of, options, step))

    progress.update(0.82, "redaction log")
    rows = log_rows(store, exhibits, labels, times_of)
    (root / "redaction_log.csv").write_bytes(to_csv(rows))
    for e in entries:
        e["made"]["redactions_applied"] = sum(1 for r in rows
                                              if e["label"] in r["exhibits"].split("; "))

    progress.update(0.86, "annotations report")
    _annotations(store, root, media, times_of)

    withheld = None
    if options.with_withheld:
        progress.update(0.88, "withheld log")
        withheld = _withheld_log(store, root, progress.sub(0.88, 0.92))

    progress.update(0.92, "index")
    notes = [PDFA_NOTE]
    index = {"exhibits": entries,
             "bundle": {"program": PROGRAM, "format": 1, "pdfa": False, "notes": notes,
                        "max_clip_bytes": options.max_clip_bytes,
                        "max_pdf_bytes": options.max_pdf_bytes}}
    if withheld is not None:
        index["withheld_log"] = withheld
    if options.with_transcripts:
        from reviewer.citation.transcript_exhibit import write_transcripts

        index["transcripts"] = write_transcripts(
            store, root, [media(i) for i in dict.fromkeys(e["media_id"] for e in exhibits)])
    (root / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    from reviewer.pdf.reports import html_to_pdf

    html_to_pdf(index_html(entries, PROGRAM, notes), root / "index.pdf")

    progress.update(0.96, "checksums")
    names = write_sums(root)
    progress.update(1.0, "bundle written")
    return names


def _withheld_log(store: CaseStore, root: Path, progress: Progress) -> dict[str, Any]:
    """What the agency withheld, over every document of the case (scanning those not yet
    scanned), as withheld_log.csv and withheld_log.pdf; returns its index.json entry."""
    from reviewer.pdf.withheld_report import by_code, write_csv, write_pdf
    from reviewer.session.withheld import scan_documents
    from reviewer.store import withheld as wh_store

    docs = [m for m in media_store.list_media(store) if m["kind"] == "pdf"]
    report = scan_documents(store, docs, progress=progress)
    if report.errors:
        raise ReviewerError("withheld log: " + "; ".join(report.errors))
    rows = wh_store.list_withheld(store)
    notes = []
    for m in docs:
        rec = wh_store.scan_record(store, m["id"]) or {}
        notes += [f"{m['name']}: {n}" for n in rec.get("notes", [])]
    write_csv(rows, root / WITHHELD_CSV)
    write_pdf(rows, root / WITHHELD_PDF, notes=notes)
    files.fix_pdf_id(root / WITHHELD_PDF, keep_first=False)  # a new document: both IDs random
    return {"csv": WITHHELD_CSV, "pdf": WITHHELD_PDF,
            "csv_sha256": sha256_file(root / WITHHELD_CSV),
            "pdf_sha256": sha256_file(root / WITHHELD_PDF),
            "regions": len(rows), "documents": len({r["media_id"] for r in rows}),
            "by_code": [{"code": c, "regions": n} for c, n in by_code(rows)], "notes": notes}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:40] or "exhibit"


def _exhibit(store: CaseStore, root: Path, n: int, ex: dict[str, Any], label: str,
             row: dict[str, Any], times_of: Any, options: BundleOptions,
             progress: Progress) -> dict[str, Any]:
    stem = f"{n:02d}_{_slug(label)}"
    entry: dict[str, Any] = {"label": label, "kind": ex["kind"], "file": "", "source": row["name"],
                             "source_sha256": row["sha256"], "description": ex["description"]}
    made: dict[str, Any] = {"source_sha256": row["sha256"], "program": PROGRAM}
    # what `reviewer verify` re-checks in each file, by its path in the bundle
    expect: dict[str, dict[str, Any]] = {}
    if ex["kind"] == "document":
        a, b = ex["page_from"], ex["page_to"]
        parts = files.write_document_parts(store, row, a, b, root / f"exhibits/{stem}.pdf",
                                           max_bytes=options.max_pdf_bytes, stamp=label,
                                           progress=progress)
        bates, last_bates = page_bates(store, row["id"], a), page_bates(store, row["id"], b)
        entry.update(file=parts[0].path.relative_to(root).as_posix(), pages=[a, b],
                     page_count=b - a + 1, first_page_bates=bates, last_page_bates=last_bates,
                     citation=cites.document_cite(label, a, bates, b, last_bates))
        if len(parts) > 1:
            entry["parts"] = [_document_part(store, root, row, label, i, p)
                              for i, p in enumerate(parts, start=1)]
        made.update(pages=[a, b], settings={"format": "PDF", "pdfa": False, "stamp": label,
                                            "max_part_bytes": options.max_pdf_bytes,
                                            **parts[0].settings})
        for p in parts:
            expect[p.path.relative_to(root).as_posix()] = files.document_expect(
                store, row, p.first, p.last, stamped=True)
    elif ex["kind"] == "transcript":
        from reviewer.citation.transcript_exhibit import transcript_entry

        a, b = ex["frame_from"], ex["frame_to"]
        rel = f"exhibits/{stem}.pdf"
        entry.update(file=rel, frames=[a, b],
                     **transcript_entry(store, root, rel, row, a, b, times_of(row), label))
        made.update(frames=[a, b], settings={"format": "PDF", "redacted_words": "shown as a mark"})
        expect[rel] = {"source": {"sha256": row["sha256"], "frames": [a, b]},
                       "transcript": {"marks": entry.pop("marks"), "words": entry["word_count"]}}
    else:
        a, b = ex["frame_from"], ex["frame_to"]
        times: FrameTimes = times_of(row)
        start, end = times.timecode(a), times.timecode(b)
        entry.update(frames=[a, b], start=start, end=end)
        if ex["kind"] == "still":
            rgb = files.redacted_frame(store, row, a)
            rel = f"exhibits/{stem}.png"
            (root / rel).write_bytes(files.png_bytes(rgb))
            cite = cites.still_cite(label, row["name"], start)
            entry.update(file=rel, width=int(rgb.shape[1]), height=int(rgb.shape[0]), citation=cite)
            made.update(frames=[a, b], settings={"format": "PNG", "color": "RGB 8-bit",
                                                 "frame": a, "lossless": True})
            expect[rel] = files.still_expect(store, row, a, int(rgb.shape[1]), int(rgb.shape[0]))
            if options.captioned_stills:
                cap = f"exhibits/captioned/{stem}_captioned.png"
                (root / cap).parent.mkdir(exist_ok=True)
                (root / cap).write_bytes(files.png_bytes(files.captioned(rgb, cite)))
                entry["captioned"] = cap
        else:
            parts = files.write_clip(store, row, a, b, root / f"exhibits/{stem}.mp4",
                                     max_bytes=options.max_clip_bytes, preset=options.preset,
                                     crf=options.crf, progress=progress)
            entry.update(file=parts[0].path.relative_to(root).as_posix(), frame_count=b - a + 1,
                         width=row.get("width"), height=row.get("height"),
                         citation=cites.clip_cite(label, row["name"], start, end))
            if len(parts) > 1:
                entry["parts"] = [{"file": p.path.relative_to(root).as_posix(),
                                   "frames": [p.first, p.last], "start": times.timecode(p.first),
                                   "end": times.timecode(p.last),
                                   "sha256": sha256_file(p.path)} for p in parts]
            made.update(frames=[a, b], settings={"video": "H.264", "audio": "AAC (kept)",
                                                 "preset": options.preset, "crf": options.crf,
                                                 "max_part_bytes": options.max_clip_bytes,
                                                 **parts[0].settings})
            for p in parts:
                expect[p.path.relative_to(root).as_posix()] = files.clip_expect(store, row, p.first,
                                                                                p.last)
    entry["sha256"] = sha256_file(root / entry["file"])
    entry["made"] = made
    entry["checks"] = {"format": files.CHECKS_FORMAT, "files": expect}
    return entry


def _document_part(store: CaseStore, root: Path, row: dict[str, Any], label: str, n: int,
                   part: files.Part) -> dict[str, Any]:
    """One numbered part of a document exhibit split for the court's size limit, cited by its
    own Bates range (``Ex. 3, part 2 at ICE-2023-000130–000161``)."""
    first, last = page_bates(store, row["id"], part.first), page_bates(store, row["id"], part.last)
    return {"file": part.path.relative_to(root).as_posix(), "part": n,
            "pages": [part.first, part.last], "page_count": part.last - part.first + 1,
            "first_page_bates": first, "last_page_bates": last,
            "citation": cites.document_cite(f"{label}, part {n}", part.first, first, part.last, last),
            "sha256": sha256_file(part.path)}


def _annotations(store: CaseStore, root: Path, media: Any, times_of: Any) -> None:
    from reviewer.pdf.reports import html_to_pdf

    items: list[dict[str, Any]] = []
    images: dict[str, bytes] = {}
    for a in bundle_annotations(store):
        item = {"media": a["media_name"], "text": a["text"], "tags": a["tags"]}
        if a["frame"] is not None:
            times = times_of(media(a["media_id"]))
            last = a["frame_to"] if a["frame_to"] is not None else a["frame"]
            item["where"] = (f"frame {a['frame']} ({times.timecode(a['frame'])})" if last == a["frame"]
                             else f"frames {a['frame']}\u2013{last} ({times.timecode(a['frame'])}"
                                  f"\u2013{times.timecode(last)})")
            rgb = files.redacted_frame(store, media(a["media_id"]), a["frame"])
            src = f"annotations/note_{a['id']:06d}_frame_{a['frame']:06d}.png"
            images[src] = files.png_bytes(rgb)
            item.update(image=src, width=min(480, int(rgb.shape[1])))
        else:
            bates = page_bates(store, a["media_id"], a["page_no"])
            item["where"] = f"page {a['page_no']}" + (f" ({bates})" if bates else "")
            if a["rect"]:
                item["where"] += ", at " + ",".join(f"{v:g}" for v in a["rect"]) + " (points)"
            src = f"annotations/note_{a['id']:06d}_page_{a['page_no']:04d}.png"
            images[src] = _redacted_page_png(store, root, media(a["media_id"]), a["page_no"], a["rect"])
            item.update(image=src, width=480, caption="Page shown with every redaction applied.")
        items.append(item)
    if images:
        (root / "annotations").mkdir()
        for src, data in images.items():
            (root / src).write_bytes(data)
    html = annotations_html(items)
    (root / "annotations.html").write_text(html, encoding="utf-8")
    html_to_pdf(html, root / "annotations.pdf", images)


def _redacted_page_png(store: CaseStore, root: Path, row: dict[str, Any], page_no: int,
                       rect: list[float] | None) -> bytes:
    """The noted page (or the noted area with a margin) from a redacted export of that page:
    never from the original, whose redacted text is still there."""
    from reviewer.pdf.reports import render_png

    work = root / f".page-{row['id']}-{page_no}.work"
    work.mkdir()
    try:
        out = work / "page.pdf"
        files.write_document(store, row, page_no, page_no, out, stamp=None, progress=Progress())
        clip = None
        if rect:
            margin = 36.0
            clip = (rect[0] - margin, rect[1] - margin, rect[2] + margin, rect[3] + margin)
        return render_png(out, 1, 1.5, clip)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_sums(root: Path) -> list[str]:
    """SHA256SUMS over every other file, relative POSIX paths, sorted, ``sha256sum -c`` format."""
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and p.relative_to(root).as_posix() != SUMS)
    lines = [f"{sha256_file(root / n)}  {n}\n" for n in names]
    (root / SUMS).write_text("".join(lines), encoding="utf-8", newline="\n")
    return names + [SUMS]
