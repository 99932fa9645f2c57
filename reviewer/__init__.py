"""Reviewer: offline review, annotation and redaction of FOIA productions."""
from __future__ import annotations

__version__ = "0.1.0"
