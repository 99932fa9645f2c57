"""User-facing errors: one line, naming the file or item, never a traceback."""
from __future__ import annotations


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
