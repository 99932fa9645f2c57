"""Spoken hits in the Search panel, and the question asked before redacting every mention.

What was said is listed apart from what was read: exact hits first ("said"), then the words
that only sound like the query ("sounds like": a recogniser's other spelling of a name) under
their own heading, so a reviewer never mistakes a guess for a find. Each row names the video,
its timecode and the words around; a click goes to the frame like any video hit.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.errors import ReviewerError
from reviewer.ui import theme
from reviewer.ui.reason_list import fill_reasons

SPOKEN_ROLE = Qt.UserRole + 2  # on a spoken hit's row: the hit (a dict)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def marked(snippet: str, query: str, near: bool) -> str:
    """The words around a hit, escaped, with the words that match (or sound like) the query
    in bold: matched as search matches them (case-insensitive, number-aware)."""
    from reviewer.speech.words import find_matches, near_misses, query_pattern

    words = snippet.split()
    hit: set[int] = set()
    try:
        if near:
            hit = set(near_misses(words, query))
        elif query_pattern(query):
            hit = {i for m in find_matches(words, query_pattern(query)) for i in m}
    except ReviewerError:  # a snippet shown plain is better than none
        hit = set()
    return " ".join(f"<b>{_esc(w)}</b>" if i in hit else _esc(w) for i, w in enumerate(words))


def summary_part(rows: list[dict[str, Any]]) -> str:
    exact = sum(r.get("match") != "near" for r in rows)
    near = len(rows) - exact
    text = f"{exact} said in video" if exact else ""
    if near:
        text += (", " if text else "") + f"{near} that only sound{'s' if near == 1 else ''} alike"
    return text


def add_spoken_rows(panel: Any, rows: list[dict[str, Any]]) -> None:
    """Append ``rows`` (spoken hits of the case search) to the SearchPanel ``panel``."""
    exact = [r for r in rows if r.get("match") != "near"]
    near = [r for r in rows if r.get("match") == "near"]
    for group, heading in ((exact, None), (near, "Sounds like it (near misses: listen before "
                                                  "relying on them)")):
        if not group:
            continue
        if heading:
            head = QListWidgetItem(heading)
            head.setFlags(Qt.NoItemFlags)
            head.setForeground(panel.palette().placeholderText())
            panel.results.addItem(head)
        for r in group:
            said = "said" if r.get("match") != "near" else "sounds like"
            panel._add_row((r["media_id"], r["frame"]),
                           f"<b>{_esc(r['name'])}</b> {r.get('timecode') or ''} · frame {r['frame']}"
                           f"<br>{said}: <span style='color:{theme.ACCENT}'>"
                           f"{marked(r.get('snippet') or '', panel._query, r.get('match') == 'near')}"
                           "</span>", video=True)
            item = panel.results.item(panel.results.count() - 1)
            item.setData(SPOKEN_ROLE, r)
            item.setToolTip(r.get("cite") or "")


class MentionsDialog(QDialog):
    """Which mentions of a search to mute or bleep (near misses only when ticked), and why."""

    def __init__(self, parent: QWidget, query: str, mode: str, hits: list[dict[str, Any]],
                 reasons: list[tuple[str, str]], default_reason: str) -> None:
        super().__init__(parent)
        self.hits = hits
        verb = "Mute" if mode == "mute" else "Bleep"
        self.setWindowTitle(f"{verb} every mention of “{query}”")
        self.setWindowModality(Qt.WindowModal)
        exact = [h for h in hits if h["match"] == "exact"]
        near = [h for h in hits if h["match"] != "exact"]
        videos = len({h["media"] for h in hits})
        text = QLabel(f"{len(exact)} spoken mention{'s' if len(exact) != 1 else ''} of “{query}” "
                      f"not yet silenced, in {videos} video{'s' if videos != 1 else ''}. Each is "
                      "padded by half a second each side and silenced on every audio track; "
                      "the whole run is one undo step.")
        text.setWordWrap(True)
        self.near = QCheckBox(f"Also the {len(near)} word{'s' if len(near) != 1 else ''} that only "
                              "sound like it (listed in Search under “Sounds like it”)")
        self.near.setVisible(bool(near))
        self.near.setChecked(not exact)
        self.reasons = QComboBox()
        fill_reasons(self.reasons, reasons, default_reason, described=True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(verb)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(self.near)
        lay.addWidget(QLabel("Reason:"))
        lay.addWidget(self.reasons)
        lay.addWidget(buttons)

    def chosen_hits(self) -> list[dict[str, Any]]:
        return [h for h in self.hits if h["match"] == "exact" or self.near.isChecked()]

    def reason(self) -> str:
        return self.reasons.currentData() or ""

