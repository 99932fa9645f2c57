"""Making what leaves the case inert: spreadsheet cells and terminal lines.

Names and comments come from the producing agency's files (a file may be called
``=HYPERLINK("http://...")`` or carry an escape sequence in its name). Written raw into a CSV,
a spreadsheet runs the first as a formula; printed raw to a terminal, the second can retitle
the window, hide text or, on some terminals, type into the shell. So:

- :func:`inert_cell` follows OWASP's CSV injection guidance: a text cell that starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, which
  spreadsheets show as text and never evaluate. Plain numbers (``-3.5``) are left as they are:
  they evaluate to themselves.
- :func:`shown` escapes every control character (C0, DEL, C1, and the bidirectional overrides
  that reorder what the eye reads) as ``\\xNN`` / ``\\uNNNN``, so a name prints as one visible
  line; :func:`shown_line` does the same for a whole output line but keeps its tab separators.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# C0 controls, DEL, C1 controls; bidi embeddings/overrides/isolates; line/paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_NO_TAB = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def inert_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def inert_row(values: Iterable[Any]) -> list[Any]:
    return [inert_cell(v) for v in values]


def inert_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {k: inert_cell(v) for k, v in row.items()}


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: Any) -> str:
    """A user- or agency-supplied name as text safe to print on a terminal, on one line."""
    return _CONTROL.sub(_escape, str(text))


def shown_line(text: Any) -> str:
    """A whole output line safe to print: controls escaped, its tab separators kept."""
    return _CONTROL_NO_TAB.sub(_escape, str(text))


_JSON_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(value: Any, **kwargs: Any) -> str:
    """JSON that keeps non-ASCII letters readable (``ensure_ascii=False``) but writes DEL, C1
    and bidirectional controls as ``\\uXXXX`` escapes (JSON escapes C0 itself), so printing
    it cannot drive a terminal; parsed, the text is exactly the original."""
    import json

    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
