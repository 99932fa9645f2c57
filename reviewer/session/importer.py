"""Import files and folders into a case: hash, sniff, probe in a sandbox, store.

Originals are only read, never written; they are referenced by path and SHA-256.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from reviewer.errors import MediaError, ReviewerError
from reviewer.hashing import sha256_file
from reviewer.progress import Progress
from reviewer.sandbox import Sandbox
from reviewer.store import CaseStore
from reviewer.store import media as media_store
from reviewer.store.db import DB_NAME

VIDEO_PROBE = "reviewer.media.probe:probe_for_import"
PDF_PROBE = "reviewer.pdf.reader:read_for_import"
SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
CASE_FILES = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"}


@dataclass(frozen=True)
class Imported:
    id: int
    kind: str
    name: str
    existed: bool


@dataclass(frozen=True)
class Rejected:
    name: str
    why: str

    def __str__(self) -> str:
        return f"{self.name}: {self.why}"


def expand(paths: Iterable[str | Path]) -> Iterator[Path | Rejected]:
    """Files named, and the files inside folders named (recursively, sorted)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            unreadable: list[OSError] = []
            for root, dirs, files in os.walk(p, onerror=unreadable.append):
                if DB_NAME in files:
                    # a case folder (often made inside the production folder): its database
                    # and caches are the app's own files, not evidence
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f in SKIP_NAMES or f.startswith("."):
                        continue
                    yield Path(root) / f
            for exc in unreadable:
                yield Rejected(str(exc.filename or raw), f"cannot read the folder ({exc.strerror or exc})")
        elif p.is_file() and p.name in CASE_FILES:
            # never read a case database outside SQLite: closing that descriptor would drop
            # the locks this process's own connection holds on it (see store.db)
            yield Rejected(printable(str(raw)), "a case's own database, not evidence; import "
                           "the production's files")
        elif p.is_file():
            yield p
        elif p.exists():
            yield Rejected(printable(str(raw)), "not a regular file")
        else:
            yield Rejected(printable(str(raw)), "no such file or folder")


def sniff(path: Path) -> str:
    """``pdf`` when the file starts like a PDF, else ``video`` (the probe decides)."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise MediaError(f"{path.name}: the file is empty")
    if b"%PDF-" in head:
        return "pdf"
    if path.suffix.lower() == ".pdf":
        raise MediaError(f"{path.name}: not a PDF (the file does not start with a PDF header)")
    return "video"


def import_paths(store: CaseStore, paths: Iterable[str | Path], progress: Progress | None = None,
                 sandbox: Sandbox | None = None, timeout: float = 300.0) -> list[Imported | Rejected]:
    progress = progress or Progress()
    items = list(expand(paths))
    results: list[Imported | Rejected] = []
    own = sandbox is None
    box = sandbox or Sandbox()
    try:
        for n, item in enumerate(items):
            if isinstance(item, Rejected):
                results.append(item)
                continue
            progress.update(n / max(1, len(items)), f"Importing {item.name}")
            name = printable(item.name)
            try:
                results.append(import_one(store, item, box, timeout, cancel=lambda: progress.cancelled))
            except ReviewerError as exc:
                msg = str(exc)
                prefix = f"{name}: "
                results.append(Rejected(name, msg[len(prefix):] if msg.startswith(prefix) else msg))
            except OSError as exc:
                results.append(Rejected(name, exc.strerror or str(exc)))
        progress.update(1.0, f"Imported {sum(isinstance(r, Imported) for r in results)} item(s)")
    finally:
        if own:
            box.close()
    return results


def printable(name: str) -> str:
    """A file name as text that can be printed and stored (undecodable bytes shown as U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def import_one(store: CaseStore, path: Path, box: Sandbox, timeout: float,
               cancel: Callable[[], bool] | None = None) -> Imported:
    """``cancel``: asked while the sandbox child probes, so a closing window does not wait
    for a slow file."""
    path = path.resolve()
    if printable(str(path)) != str(path):
        # bytes that are not UTF-8 (a Latin-1 name from an old zip): SQLite stores text only,
        # and the case must be able to find the original again by this exact path
        raise MediaError(f"{printable(path.name)}: the file or folder name is not valid UTF-8 "
                         "text; rename it and import it again")
    before = path.stat()
    size = before.st_size
    if size == 0:
        raise MediaError(f"{path.name}: the file is empty")
    kind = sniff(path)
    digest = sha256_file(path)
    existing = media_store.media_by_sha(store, digest)
    if existing:
        return Imported(existing["id"], existing["kind"], existing["name"], True)
    if kind == "pdf":
        result = _probe(box, PDF_PROBE, path, before, digest, timeout, cancel)
        with store.write() as tx:
            media_id = media_store.add_media(
                tx, kind="pdf", name=path.name, path=str(path), sha256=digest, size=size,
                fields={"page_count": result["page_count"]}, info=result.get("info", {}))
            media_store.add_pages(tx, media_id, result["pages"])
    else:
        result = _probe(box, VIDEO_PROBE, path, before, digest, timeout, cancel)
        with store.write() as tx:
            media_id = media_store.add_media(
                tx, kind="video", name=path.name, path=str(path), sha256=digest, size=size,
                fields=result["fields"], info=result.get("info", {}))
            media_store.save_frame_index(tx, media_id, result["index"], result.get("index_info", {}))
    return Imported(media_id, kind, path.name, False)


def _probe(box: Sandbox, probe: str, path: Path, before: os.stat_result, digest: str,
           timeout: float, cancel: Callable[[], bool] | None) -> dict:
    """The sandbox's index of ``path``, made from the bytes that were hashed. A file being
    written while it is indexed can also fail to decode: then the change is what the reviewer
    is told (wait for the copy to finish), not a damaged frame that is not in the finished file."""
    try:
        result = box.run(probe, (str(path),), label=path.name, timeout=timeout, cancel=cancel)
    except ReviewerError:
        unchanged_since_hashed(path, before, digest)
        raise
    unchanged_since_hashed(path, before, digest)
    return result


def unchanged_since_hashed(path: Path, before: os.stat_result, digest: str) -> None:
    """Refuse a file that changed between its hash and its index.

    The sandbox reopens the file by path to index it: a file replaced or still being written
    meanwhile (a sync client copying the production into the folder) would be stored with one
    file's SHA-256 and another file's pages or frames, and every later check would pass against
    the wrong index. So the file is hashed again once it is indexed (and its identity compared):
    the bytes indexed are the bytes hashed, or the import is refused."""
    try:
        after = path.stat()
        same = ((before.st_dev, before.st_ino, before.st_size, before.st_mtime_ns) ==
                (after.st_dev, after.st_ino, after.st_size, after.st_mtime_ns)
                and sha256_file(path) == digest)
    except OSError:
        same = False
    if not same:
        raise MediaError(f"{printable(path.name)}: the file changed while it was being imported "
                         f"({path} was replaced or written to between reading its SHA-256 and "
                         "indexing it); wait until it is completely copied, then import it again")
