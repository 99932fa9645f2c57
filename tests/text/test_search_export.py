"""What was read is searchable (with pin cites), and the export of a plate redaction leaves
no readable plate while the rest of the picture (the clock, the house number) is kept."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.clirun import ok

from .ocr import ffmpeg_frames, needs_tesseract, shows_plate, squashed, tesseract

sys.path.insert(0, str(Path(__file__).parents[1]))


def test_search_finds_the_words_read_on_the_frames_they_were_seen(detected):
    hits = json.loads(ok("search", detected.folder, "police", "--json").out)
    video = [h for h in hits if h["kind"] == "video"]
    assert len(video) == 1
    h = video[0]
    first_vest = min(detected.clip.truth["vest"])
    assert (h["media_name"], h["frame"], h["timecode"], h["text"]) == (
        "street.mp4", first_vest, "00:00:01.000", "POLICE")
    assert h["media"] == 1
    from fractions import Fraction

    from reviewer.timebase import timecode

    last_vest = max(detected.clip.truth["vest"])  # the cite spans the second it is seen
    assert h["cite"] == f"street.mp4 at 00:00:01.000\u2013{timecode(Fraction(last_vest, detected.clip.fps))}"
    plate = json.loads(ok("search", detected.folder, "7kqb", "--json").out)
    assert [(p["frame"], p["text"]) for p in plate] == [(0, "7KQB 482")]
    # the clock changes each second: each reading is found on the frame it was first seen
    clock = json.loads(ok("search", detected.folder, "10:14:02", "--json").out)
    assert [c["frame"] for c in clock] == [2 * detected.clip.fps]
    assert json.loads(ok("search", detected.folder, "nowhere-to-be-seen", "--json").out) == []


def test_search_keeps_page_and_bates_for_documents(case_copy, tmp_path):
    from fixtures.pdfs import make_production_pdf

    prod = make_production_pdf(tmp_path / "prod.pdf", n_pages=2)
    ok("import", case_copy, tmp_path / "prod.pdf")
    hits = json.loads(ok("search", case_copy, "Field Office Director", "--json").out)
    docs = [h for h in hits if h["kind"] == "pdf"]
    assert sorted(h["page"] for h in docs) == [1, 2]
    assert [h["bates"] for h in sorted(docs, key=lambda h: h["page"])] == prod.bates[:2]
    assert all(h["media_name"] == "prod.pdf" and "Field Office" in h["text"] for h in docs)
    assert [h["cite"] for h in sorted(docs, key=lambda h: h["page"])] == [
        f"prod.pdf at {b}" for b in prod.bates[:2]]
    text = ok("search", case_copy, "Field Office Director").out
    assert prod.bates[0] in text


@needs_tesseract
def test_export_leaves_no_readable_plate_and_keeps_the_rest(detected, case_copy, tmp_path):
    original = ffmpeg_frames(detected.clip.path, 640, 360)
    assert shows_plate(tesseract(original[0])), "tesseract must read the plate on the original"
    tracks = json.loads(ok("review", case_copy, "street.mp4", "--json").out)
    others = [t["id"] for t in tracks if t["status"] == "suggested"]
    args = [a for i in others for a in ("--reject", str(i))]
    ok("review", case_copy, "street.mp4", *args)
    out = tmp_path / "street-redacted.mp4"
    ok("export", case_copy, "street.mp4", "--out", out)
    checks = ok("verify", out).out  # exit 0: every check passed
    assert "read back" in checks
    frames = ffmpeg_frames(out, 640, 360)
    assert len(frames) == 45
    for n in (0, 22, 44):
        for zoom in (1, 3):
            read = tesseract(frames[n], zoom)
            assert not shows_plate(read), (n, zoom, read)
    # the rest of the picture is kept: the clock and the house number still read
    kept = " ".join(tesseract(frames[n]) for n in (0, 44))
    assert "1280" in squashed(kept) and "20261201" in squashed(kept), kept
