"""A transcript exhibit in the case: the schema accepts the kind (a case made before it keeps
its exhibits when it is opened), and a span picked in seconds becomes whole frames, rounded
outwards so no word at either end is cut off."""
from __future__ import annotations

from fractions import Fraction

import pytest

from reviewer.citation.transcript_exhibit import frames_for, span_seconds
from reviewer.errors import ReviewerError
from reviewer.store import CaseStore, schema
from reviewer.store import media as media_store
from reviewer.timebase import FrameTimes


def test_a_case_made_before_transcript_exhibits_keeps_its_exhibits(tmp_path, monkeypatch):
    older = {n: f for n, f in schema.MIGRATIONS.items() if n < 11}
    monkeypatch.setattr(schema, "MIGRATIONS", older)
    store = CaseStore.create(tmp_path / "case")
    with store.write() as tx:
        vid = media_store.add_media(tx, kind="video", name="a.mp4", path="/x", sha256="a" * 64,
                                    size=1, fields={"frame_count": 10}, info={})
        tx.conn.execute("INSERT INTO exhibits (seq, label, media_id, kind, frame_from, frame_to, "
                        "description, created) VALUES (1, 'Ex. A', ?, 'clip', 2, 5, 'd', 'now')", (vid,))
    store.close()
    monkeypatch.undo()
    store = CaseStore.open(tmp_path / "case")
    try:
        rows = store.query("SELECT seq, label, kind, frame_from, frame_to, description FROM exhibits")
        assert rows == [{"seq": 1, "label": "Ex. A", "kind": "clip", "frame_from": 2, "frame_to": 5,
                         "description": "d"}]
        with store.write() as tx:
            tx.conn.execute("INSERT INTO exhibits (seq, media_id, kind, frame_from, frame_to, created) "
                            "VALUES (2, ?, 'transcript', 0, 3, 'now')", (vid,))
        assert store.query_one("PRAGMA foreign_key_check") is None
    finally:
        store.close()


def test_seconds_become_the_frames_that_show_them_rounded_outwards():
    times = FrameTimes(pts=list(range(0, 3000, 100)), time_base=Fraction(1, 1000), end_pts=3000)
    assert frames_for(times, Fraction(1, 20), Fraction(3, 10)) == (0, 2)  # 0.3 s starts frame 3
    assert frames_for(times, Fraction(25, 100), Fraction(31, 100)) == (2, 3)
    assert span_seconds(times, 2, 3) == (Fraction(2, 10), Fraction(4, 10))
    assert span_seconds(times, 29, 29) == (Fraction(29, 10), Fraction(3))
    with pytest.raises(ReviewerError, match="not a span"):
        frames_for(times, Fraction(1), Fraction(1))
    with pytest.raises(ReviewerError, match="after the end"):
        frames_for(times, Fraction(3), Fraction(4))


def test_a_transcript_pdf_wraps_long_captions_inside_the_margins_and_marks_redacted_words(tmp_path):
    import subprocess

    import pymupdf

    from reviewer.export.transcript_pdf import write_transcript_pdf
    from reviewer.speech.captions import CaptionWord

    said = [f"Westmorelandshire{i:02d}" for i in range(11)] + ["Oyelaran-Whitfield"]
    words = [CaptionWord(w, 60.0 + i * 0.3, 60.25 + i * 0.3, redacted=(i == 11)) for i, w in enumerate(said)]
    out = tmp_path / "t.pdf"
    assert write_transcript_pdf(out, "Transcript of a.mp4", ["Source: a.mp4"], words) == 1
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert all(w in text for w in said[:11]) and "[redacted]" in text and "00:01:00.000" in text
    assert "Oyelaran" not in text and "Whitfield" not in text
    with pymupdf.open(out) as doc:
        page = doc[0]
        lines = {round(y0) for x0, y0, x1, y1, w, *_ in page.get_text("words") if w.startswith("Westm")}
        assert len(lines) >= 2  # one caption over several lines, not cut off at the edge
        for x0, y0, x1, y1, *_ in page.get_text("words"):
            assert 54 - 1 <= x0 and x1 <= page.rect.width - 54 + 1
