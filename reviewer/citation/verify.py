"""Re-checking a citation bundle: hashes, listing, index.json, frame and page counts, and
that every redaction is really applied in every exhibit file.

Any changed, missing or extra byte fails it. Frame counts are re-read by demuxing each clip
(MEDIA's index_file), page counts by opening each document. Hashes alone prove only that the
files are the ones listed: the redactions are re-checked by decoding each file against the
expectation index.json records for it ("checks"), with EXPORT's independent verifiers (clips,
documents) and an exact pixel check (stills, which are lossless).
"""
from __future__ import annotations

import json
import re
import struct
from itertools import pairwise
from pathlib import Path
from typing import Any

from reviewer.export.checks import Check
from reviewer.hashing import sha256_file

SUMS = "SHA256SUMS"
_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def verify_bundle(folder: str | Path, progress: Any = None,
                  case: str | Path | None = None) -> list[Check]:
    """Every check of the bundle in ``folder``. With ``case`` (the case it was made from),
    the documents are also searched for the text their boxes took from the originals, which
    the bundle itself does not hold."""
    root = Path(folder)
    checks: list[Check] = []
    originals = _originals(case) if case is not None else None
    listed = _check_sums(root, checks)
    index = _load_index(root, checks)
    if index is None:
        return checks
    _check_withheld(root, listed, checks)
    for n, ex in enumerate(index, start=1):
        if progress is not None:
            progress.update((n - 1) / max(1, len(index)), f"exhibit {n} of {len(index)}")
        try:
            _check_exhibit(root, ex, n, listed, checks, originals)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            checks.append(Check(f"exhibit {n}", False, f"index.json entry is malformed ({exc})"))
    if case is not None:  # transcripts: no word under an audio redaction written out
        from reviewer.citation.speech_leaks import leak_checks

        checks += leak_checks(root, case)
    return checks


def _check_withheld(root: Path, listed: set[str], checks: list[Check]) -> None:
    """The optional withheld log: both files listed, hashed as index.json says, the PDF readable."""
    try:
        entry = json.loads((root / "index.json").read_text("utf-8")).get("withheld_log")
    except (OSError, ValueError, AttributeError):
        return  # _load_index reports an unreadable index
    if entry is None:
        present = [n for n in ("withheld_log.csv", "withheld_log.pdf") if (root / n).exists()]
        if present:
            checks.append(Check("withheld log", False, f"{', '.join(present)} not in index.json"))
        return
    try:
        for kind in ("csv", "pdf"):
            rel = entry[kind]
            path = root / rel
            if rel not in listed or not path.is_file():
                checks.append(Check(f"withheld log {rel}", False, "missing" if not path.is_file()
                                    else "not in SHA256SUMS"))
                continue
            got = sha256_file(path)
            want = entry[f"{kind}_sha256"]
            checks.append(Check(f"withheld log {rel} hash in index.json", got == want,
                                "matches" if got == want else f"is {got}"))
        import csv
        import io

        got_rows = len(list(csv.reader(io.StringIO((root / entry["csv"]).read_text("utf-8"))))) - 1
        ok = got_rows == int(entry["regions"])
        checks.append(Check("withheld log rows", ok, f"{got_rows} region(s)" +
                            ("" if ok else f", index.json says {entry['regions']}")))
    except (KeyError, TypeError, ValueError, OSError) as exc:
        checks.append(Check("withheld log", False, f"index.json entry is malformed ({exc})"))


def _check_sums(root: Path, checks: list[Check]) -> set[str]:
    sums = root / SUMS
    if not sums.is_file():
        checks.append(Check(SUMS, False, "missing"))
        return set()
    listed: dict[str, str] = {}
    for i, line in enumerate(sums.read_text("utf-8", errors="replace").splitlines(), start=1):
        m = _LINE.match(line)
        if not m:
            checks.append(Check(f"{SUMS} line {i}", False, f"not 'HASH  PATH': {line[:80]!r}"))
            continue
        listed[m.group(2)] = m.group(1)
    for name, want in sorted(listed.items()):
        path = root / name
        inside = path.resolve().is_relative_to(root.resolve())
        if not inside or not path.is_file():
            checks.append(Check(f"sha256 {name}", False, "outside the bundle" if not inside else "missing"))
            continue
        got = sha256_file(path)
        checks.append(Check(f"sha256 {name}", got == want,
                            "matches" if got == want else f"is {got}, SHA256SUMS says {want}"))
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {SUMS}
    extra = sorted(present - set(listed))
    checks.append(Check("every file listed in SHA256SUMS", not extra,
                        "yes" if not extra else "not listed: " + ", ".join(extra[:10])))
    return set(listed)


def _load_index(root: Path, checks: list[Check]) -> list[dict[str, Any]] | None:
    try:
        data = json.loads((root / "index.json").read_text("utf-8"))
        exhibits = data["exhibits"]
        if not isinstance(exhibits, list):
            raise TypeError("'exhibits' is not a list")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        checks.append(Check("index.json", False, f"unreadable ({exc})"))
        return None
    labels = [e.get("label") for e in exhibits]
    unique = len(set(labels)) == len(labels)
    checks.append(Check("index.json", unique, f"{len(exhibits)} exhibit(s)" if unique
                        else "two exhibits share a label"))
    for name in ("index.pdf", "redaction_log.csv", "annotations.html", "annotations.pdf"):
        here = (root / name).is_file()
        checks.append(Check(f"{name} present", here, "present" if here else "missing"))
    return exhibits


def _originals(case: str | Path) -> dict[str, str]:
    """The case's items by the SHA-256 of their original file."""
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    with CaseStore.open(case) as store:
        return {r["sha256"]: r["path"] for r in media_store.list_media(store) if r.get("sha256")}


def _check_exhibit(root: Path, ex: dict[str, Any], n: int, listed: set[str],
                   checks: list[Check], originals: dict[str, str] | None = None) -> None:
    label = ex["label"]
    kind = ex["kind"]
    parts = ex.get("parts") or [{"file": ex["file"], "frames": ex.get("frames"),
                                 "pages": ex.get("pages"), "sha256": ex.get("sha256")}]
    ok_fields = kind in ("clip", "still", "document", "transcript") and ex["citation"].startswith(label)
    ok_fields = ok_fields and bool(re.fullmatch(r"[0-9a-f]{64}", ex["source_sha256"]))
    if kind != "document":
        ok_fields = ok_fields and ex["start"] in ex["citation"]
        ok_fields = ok_fields and (kind == "still" or ex["end"] in ex["citation"])
    checks.append(Check(f"{label} index entry", ok_fields, "consistent" if ok_fields else
                        "kind, citation or hash fields do not agree"))
    for part in parts:
        rel = part["file"]
        path = root / rel
        if rel not in listed or not path.is_file():
            checks.append(Check(f"{label} {rel}", False, "missing" if not path.is_file()
                                else "not in SHA256SUMS"))
            continue
        if part.get("sha256"):
            got = sha256_file(path)
            checks.append(Check(f"{label} {rel} hash in index.json", got == part["sha256"],
                                "matches" if got == part["sha256"] else f"is {got}"))
        if kind == "clip":
            _check_clip(path, rel, label, part["frames"], checks)
        elif kind == "still":
            _check_still(path, rel, label, ex, checks)
        elif kind == "transcript":
            pass  # its words are read back below, with the expectation
        else:
            _check_document(path, rel, label, part.get("pages") or ex["pages"], checks)
        _check_redactions(root, rel, label, kind, ex, part, checks, originals)
    if kind == "still" and ex.get("captioned"):
        _check_captioned(root, ex, label, listed, checks)
    if kind in ("clip", "document") and len(parts) > 1:
        what = "frames" if kind == "clip" else "pages"
        a, b = ex[what]
        try:
            tiles = [tuple(p[what]) for p in parts]
            ok = tiles[0][0] == a and tiles[-1][1] == b and all(
                x[1] + 1 == y[0] for x, y in pairwise(tiles))
        except (KeyError, TypeError, ValueError):
            ok = False
        checks.append(Check(f"{label} parts", ok, f"{len(parts)} parts cover {what} {a}-{b}"
                            if ok else f"the parts do not tile the exhibit's {what}"))


def _expect_for(ex: dict[str, Any], rel: str) -> dict[str, Any] | None:
    from reviewer.citation.exhibit_files import CHECKS_FORMAT

    recorded = ex.get("checks")
    if not isinstance(recorded, dict) or recorded.get("format") != CHECKS_FORMAT:
        return None
    exp = (recorded.get("files") or {}).get(rel)
    return exp if isinstance(exp, dict) else None


def _check_redactions(root: Path, rel: str, label: str, kind: str, ex: dict[str, Any],
                      part: dict[str, Any], checks: list[Check],
                      originals: dict[str, str] | None = None) -> None:
    """Decode the file and confirm what its expectation says must be gone is gone."""
    exp = _expect_for(ex, rel)
    name = f"{label} {rel}"
    if exp is None:
        checks.append(Check(f"{name} redactions", False, "index.json records nothing to check the "
                            "redactions against (bundle made by an older version?)"))
        return
    src = exp.get("source") or {}
    span = list(src.get("pages") or ())
    if kind == "document":
        first, last = part.get("pages") or ex["pages"]
        agrees = span == list(range(first, last + 1))
    else:
        agrees = list(src.get("frames") or ()) == list(part["frames"])
    agrees = agrees and src.get("sha256") == ex["source_sha256"]
    checks.append(Check(f"{name} expectation", agrees, "matches the exhibit's source and range"
                        if agrees else "recorded for another source or range than the exhibit's"))
    if not agrees:
        return
    if kind == "clip":
        from reviewer.export.expect import VideoExpect
        from reviewer.export.verify import verify_video

        found = verify_video(root / rel, VideoExpect.from_json(exp))
    elif kind == "document":
        from reviewer.export.expect import PdfExpect
        from reviewer.export.pdf_verify import verify_pdf

        expect = PdfExpect.from_json(exp)
        if originals is not None:
            original = originals.get(ex["source_sha256"])
            if original is None or not Path(original).is_file():
                checks.append(Check(f"{name} case", False, f"the case has no readable item whose "
                                    f"original is {ex['source']} ({ex['source_sha256'][:12]})"))
            else:
                from reviewer.export.pdf import with_original_text

                expect = with_original_text(expect, original)
        # the page count is already checked above (_check_document): not listed twice
        found = [c for c in verify_pdf(root / rel, expect) if c.name != "pages"]
    elif kind == "transcript":
        found = _transcript_checks(root / rel, ex, exp)
    else:
        found = still_checks(root / rel, exp)
    checks += [Check(f"{name} {c.name}", c.ok, c.detail) for c in found]


def _transcript_checks(path: Path, ex: dict[str, Any], exp: dict[str, Any]) -> list[Check]:
    """A transcript excerpt's PDF is read back: it carries its pin cite, and as many marks
    for redacted words as when it was written (a word shown instead of its mark is a leak)."""
    from reviewer.pdf.reports import page_text

    try:
        text = " ".join(page_text(path).split())
    except Exception as exc:  # an unreadable PDF is a failed check, not a crash
        return [Check("readable", False, f"not a readable PDF ({type(exc).__name__})")]
    want = int((exp.get("transcript") or {}).get("marks", -1))
    got = text.count("[redacted]")
    cite = " ".join(str(ex.get("citation", "")).split())
    return [Check("pin cite", cite in text, "printed" if cite in text else "not found in the PDF"),
            Check("redacted words", got == want,
                  f"{got} mark(s) where {want} redacted word run(s) were written"
                  if got != want else f"{got} run(s) shown as a mark")]


def _check_captioned(root: Path, ex: dict[str, Any], label: str, listed: set[str],
                     checks: list[Check]) -> None:
    """The captioned copy shows the same frame above its caption: the same boxes must be filled."""
    rel = ex["captioned"]
    exp = _expect_for(ex, ex["file"])
    if rel not in listed or not (root / rel).is_file():
        checks.append(Check(f"{label} {rel}", False, "missing" if not (root / rel).is_file()
                            else "not in SHA256SUMS"))
        return
    if exp is None:
        return  # reported for the still itself
    found = still_checks(root / rel, exp, captioned=True)
    checks += [Check(f"{label} {rel} {c.name}", c.ok, c.detail) for c in found]


# PNG chunks that carry only pixels and how to show them; anything else (tEXt, zTXt, iTXt,
# eXIf, tIME, iCCP with its profile name, private chunks) can carry metadata
PNG_PIXEL_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"sRGB", b"gAMA", b"cHRM", b"pHYs", b"sBIT"}


def png_chunks(data: bytes) -> tuple[list[bytes], int]:
    """The chunk types of a PNG in order, and how many bytes follow IEND."""
    types, i = [], len(PNG_MAGIC)
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        kind = data[i + 4:i + 8]
        types.append(kind)
        i += 12 + length
        if kind == b"IEND":
            break
    return types, max(0, len(data) - i)


def still_checks(path: Path, exp: dict[str, Any], *, captioned: bool = False) -> list[Check]:
    """A lossless still: every solid box is exactly the fill, soft boxes keep no more detail
    than their style leaves, and the PNG carries no metadata chunks."""
    import cv2
    import numpy as np

    from reviewer.export.burn import FILL_RGB, Region, ellipse_mask, soft_detail
    from reviewer.export.verify import SOFT_DETAIL_MAX

    data = path.read_bytes()
    types, trailing = png_chunks(data)
    extra = sorted({t.decode("latin-1") for t in types} - {t.decode() for t in PNG_PIXEL_CHUNKS})
    clean = data.startswith(PNG_MAGIC) and not extra and not trailing and types[-1:] == [b"IEND"]
    out = [Check("metadata", clean, "no text, EXIF, time or private chunks" if clean else
                 f"left: {', '.join(extra) or 'bytes after IEND or no IEND'}")]
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    w, h = int(exp["width"]), int(exp["height"])
    if bgr is None or bgr.shape[1] != w or (bgr.shape[0] != h if not captioned else bgr.shape[0] < h):
        return out + [Check("boxes", False, "cannot be decoded at the exhibit's size")]
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)[:h]
    problems, boxes = [], exp.get("boxes") or []
    for i, b in enumerate(boxes, start=1):
        whole = b.get("ellipse")
        r = Region(*(int(v) for v in b["rect"]), shape=b.get("shape", "rect"),
                   style=b.get("style", "solid"),
                   ellipse=tuple(int(v) for v in whole) if whole else None)
        area = rgb[r.y0:r.y1, r.x0:r.x1]
        if area.shape[:2] != (r.height, r.width) or not area.size:
            problems.append(f"box {i} lies outside the picture")
            continue
        if r.style == "solid":
            mask = ellipse_mask(r)  # the region's own shape (all of it for a rectangle)
            wrong = int(np.any(area[mask] != np.array(FILL_RGB, np.uint8), axis=-1).sum())
            if wrong:
                problems.append(f"box {i} ({b.get('reason', '')}): {wrong} pixel(s) not the fill")
        else:
            res = soft_detail(cv2.cvtColor(np.ascontiguousarray(area), cv2.COLOR_RGB2GRAY), r.style)
            if res > SOFT_DETAIL_MAX.get(r.style, 3.0):
                problems.append(f"box {i} ({b.get('reason', '')}): more detail than {r.style} "
                                f"leaves ({res:.1f})")
    out.append(Check("boxes", not problems, (f"{len(boxes)} box(es) filled" if boxes else
                                             "no boxes on this frame") if not problems
                     else "; ".join(problems[:5])))
    return out


def _check_clip(path: Path, rel: str, label: str, frames: list[int], checks: list[Check]) -> None:
    from reviewer.errors import ReviewerError
    from reviewer.media.index import index_file

    want = frames[1] - frames[0] + 1
    try:
        got = index_file(str(path)).count
    except (ReviewerError, OSError, ValueError) as exc:
        checks.append(Check(f"{label} {rel} frames", False, f"cannot be read as video ({exc})"))
        return
    checks.append(Check(f"{label} {rel} frames", got == want,
                        f"{got} frames" + ("" if got == want else f", expected {want}")))


def _check_still(path: Path, rel: str, label: str, ex: dict[str, Any], checks: list[Check]) -> None:
    head = path.read_bytes()[:33]
    if len(head) < 33 or not head.startswith(PNG_MAGIC) or head[12:16] != b"IHDR":
        checks.append(Check(f"{label} {rel} PNG", False, "not a PNG"))
        return
    width, height = struct.unpack(">II", head[16:24])
    want = (ex.get("width"), ex.get("height"))
    ok = (width, height) == want and ex["frames"][0] == ex["frames"][1]
    checks.append(Check(f"{label} {rel} PNG", ok, f"{width}x{height}" +
                        ("" if ok else f", expected {want[0]}x{want[1]} of one frame")))


def _check_document(path: Path, rel: str, label: str, pages: list[int], checks: list[Check]) -> None:
    from reviewer.pdf.reports import page_count

    want = pages[1] - pages[0] + 1
    try:
        got = page_count(path)
    except ValueError as exc:
        checks.append(Check(f"{label} {rel} pages", False, str(exc)))
        return
    checks.append(Check(f"{label} {rel} pages", got == want,
                        f"{got} pages" + ("" if got == want else f", expected {want}")))
