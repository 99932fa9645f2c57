"""SHA-256 of files, read in large blocks (OpenSSL's hashlib runs at sha256sum's speed)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from reviewer.progress import Progress

BLOCK = 1 << 20


def sha256_file(path: str | Path, progress: Progress | None = None) -> str:
    h = hashlib.sha256()
    path = Path(path)
    total = path.stat().st_size or 1
    done = 0
    buf = bytearray(BLOCK)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while True:
            n = fh.readinto(buf)
            if not n:
                break
            h.update(view[:n])
            done += n
            if progress is not None and done % (64 * BLOCK) < BLOCK:
                progress.update(done / total)
    return h.hexdigest()
