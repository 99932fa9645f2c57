"""The HTML of the bundle's human-readable index and of its annotations report.

Plain HTML that PyMuPDF's Story can lay out too (tables, headings, images), so the PDF and
the web page of a report come from the same text.
"""
from __future__ import annotations

from html import escape
from typing import Any

NOTES_STATEMENT = ("Only notes the user marked for this bundle appear here; all other notes "
                   "are attorney work product and stay in the case.")


def _doc(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            "<style>body{font-family:sans-serif;font-size:10pt} td,th{border:1px solid #888;"
            "padding:2pt;vertical-align:top} table{border-collapse:collapse} "
            ".mono{font-family:monospace;font-size:7pt}</style></head>\n"
            f"<body>\n<h1>{escape(title)}</h1>\n{body}\n</body></html>\n")


def _with_hash(name: str, sha256: str) -> str:
    return f"{escape(name)}<br/><span class=\"mono\">SHA-256 {escape(sha256)}</span>"


def index_html(entries: list[dict[str, Any]], program: str, notes: list[str]) -> str:
    """One block per exhibit (a two-column table: the hashes are too wide for one row each)."""
    blocks = []
    for e in entries:
        files = e.get("parts") or [{"file": e["file"], "sha256": e["sha256"]}]
        if e["kind"] == "still":
            where = f"frame {e['frames'][0]} ({e['start']})"
        elif "frames" in e:
            where = f"frames {e['frames'][0]}\u2013{e['frames'][1]} ({e['start']}\u2013{e['end']})"
        else:
            where = f"pages {e['pages'][0]}\u2013{e['pages'][1]}"
        rows = [("Pin cite", escape(e["citation"])), ("Kind", escape(e["kind"])),
                ("Covers", escape(where))]
        if e.get("description"):
            rows.append(("Description", escape(e["description"])))
        if e["kind"] == "transcript":  # the words as they left the case: redacted ones as a mark
            said = escape(e.get("text") or "(no words were written down for this span)")
            rows.append(("Words", said.replace("\n", "<br/>")))
        for i, f in enumerate(files, start=1):
            name = "File" if len(files) == 1 else f"File (part {i} of {len(files)})"
            cite = f"<br/>{escape(f['citation'])}" if len(files) > 1 and f.get("citation") else ""
            rows.append((name, _with_hash(f["file"], f["sha256"]) + cite))
        rows.append(("Source", _with_hash(e["source"], e["source_sha256"])))
        table = "".join(f"<tr><th width=\"90\">{k}</th><td>{v}</td></tr>" for k, v in rows)
        blocks.append(f"<h2>{escape(e['label'])}</h2>\n<table width=\"100%\">{table}</table>")
    intro = (f"<p>{len(entries)} exhibit(s). Every redaction of the case is applied to every "
             "exhibit file. Each file's SHA-256 is listed here and in SHA256SUMS; "
             "<tt>sha256sum -c SHA256SUMS</tt> inside this folder re-checks them all.</p>")
    tail = "".join(f"<p>{escape(n)}</p>" for n in notes)
    return _doc("Exhibit index", intro + "\n".join(blocks) + f"<p>Made by {escape(program)}.</p>" + tail)


def annotations_html(items: list[dict[str, Any]]) -> str:
    """``items``: dicts with label (where), media, text, tags, and optionally image (src)."""
    if not items:
        body = f"<p>No annotations were marked for this bundle.</p><p>{escape(NOTES_STATEMENT)}</p>"
        return _doc("Annotations", body)
    parts = [f"<p>{escape(NOTES_STATEMENT)}</p>"]
    for it in items:
        tags = ", ".join(it.get("tags") or [])
        parts.append(f"<h2>{escape(it['media'])} \u2014 {escape(it['where'])}</h2>")
        if tags:
            parts.append(f"<p><i>Tags: {escape(tags)}</i></p>")
        parts.append(f"<p>{escape(it['text'])}</p>")
        if it.get("image"):
            parts.append(f"<p><img src=\"{escape(it['image'])}\" width=\"{it.get('width', 320)}\"/>"
                         f"<br/><i>{escape(it.get('caption', 'Frame shown with every redaction applied.'))}"
                         "</i></p>")
    return _doc("Annotations", "\n".join(parts))
