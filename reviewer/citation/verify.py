"""Re-checking a citation bundle: hashes, listing, index.json, frame and page counts.

Any changed, missing or extra byte fails it. Frame counts are re-read by demuxing each clip
(MEDIA's index_file), page counts by opening each document.
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


def verify_bundle(folder: str | Path) -> list[Check]:
    root = Path(folder)
    checks: list[Check] = []
    listed = _check_sums(root, checks)
    index = _load_index(root, checks)
    if index is None:
        return checks
    _check_withheld(root, listed, checks)
    for n, ex in enumerate(index, start=1):
        try:
            _check_exhibit(root, ex, n, listed, checks)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            checks.append(Check(f"exhibit {n}", False, f"index.json entry is malformed ({exc})"))
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


def _check_exhibit(root: Path, ex: dict[str, Any], n: int, listed: set[str],
                   checks: list[Check]) -> None:
    label = ex["label"]
    kind = ex["kind"]
    parts = ex.get("parts") or [{"file": ex["file"], "frames": ex.get("frames"), "sha256": ex.get("sha256")}]
    ok_fields = kind in ("clip", "still", "document") and ex["citation"].startswith(label)
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
        else:
            _check_document(path, rel, label, ex["pages"], checks)
    if kind == "clip" and len(parts) > 1:
        a, b = ex["frames"]
        tiles = [tuple(p["frames"]) for p in parts]
        ok = tiles[0][0] == a and tiles[-1][1] == b and all(
            x[1] + 1 == y[0] for x, y in pairwise(tiles))
        checks.append(Check(f"{label} parts", ok, f"{len(parts)} parts cover frames {a}-{b}"
                            if ok else "the parts do not tile the clip's frames"))


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
