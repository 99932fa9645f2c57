"""Redaction: drawing, tracking, suggestions, search-and-redact, coverage review."""
