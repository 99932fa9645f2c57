"""User-facing errors: one line, naming the file or item, never a traceback."""
from __future__ import annotations

import errno
import shutil
from pathlib import Path

# below this many free bytes a failed write is taken for a full disk
LOW_SPACE_BYTES = 1 << 20


class ReviewerError(Exception):
    """An error in the input or the case. ``str(err)`` is the one line shown to the user."""


class CaseError(ReviewerError):
    """The case folder or its database is wrong (missing, foreign, newer schema)."""


class MediaError(ReviewerError):
    """A media file cannot be used (broken, truncated, encrypted, not media)."""


class NotFound(ReviewerError):
    """An item named by the user does not exist in the case."""


class Cancelled(Exception):
    """A long job was cancelled by the user."""


def disk_full(path: str | Path) -> bool:
    """Whether the disk holding ``path`` (or its folder) has next to no space left."""
    path = Path(path)
    for where in (path, *path.parents):
        try:
            return shutil.disk_usage(where).free < LOW_SPACE_BYTES
        except OSError:
            continue
    return False


def full_disk_error(path: str | Path, what: str) -> ReviewerError:
    return ReviewerError(f"{path}: the disk is full ({what}); free some space on that disk, or "
                         "choose another place, and try again")


def write_error(exc: OSError, path: str | Path, what: str) -> ReviewerError:
    """An OSError while writing ``path`` as one line that names the file; a full disk says so
    (a write that fails with EIO or EFBIG on a disk with no space left is one too)."""
    path = Path(exc.filename or path)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or (
            exc.errno in (errno.EIO, errno.EFBIG) and disk_full(path)):
        return full_disk_error(path, what)
    if exc.errno == errno.EFBIG:
        return ReviewerError(f"{path}: the file grew past the size this system allows ({what})")
    return ReviewerError(f"{path}: {exc.strerror or exc} ({what})")
