"""The whole flow on a generated case: declare exhibits, bundle, read everything back."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from fixtures.videos import read_number, vfr_durations_ms

from citation.case import BOX, PAGE_NOTE, PAGE_NOTE_RECT, SECRET_NOTE, SHARED_NOTE
from reviewer.citation.verify import verify_bundle
from reviewer.store import CaseStore
from reviewer.timebase import timecode

EN = "\u2013"
# ligatures expanded ("ffi" not "\ufb03"), so a word is found however the layout set it
FLAGS = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES


def _pdf_text(path: Path) -> str:
    with pymupdf.open(path) as pdf:
        return "".join(p.get_text(flags=FLAGS) for p in pdf)


def _index(bundle: Path) -> list[dict]:
    return json.loads((bundle / "index.json").read_text("utf-8"))["exhibits"]


def _rgb(path: Path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _clip_numbers(path: Path) -> list[int]:
    from reviewer.media.frames import FrameReader
    from reviewer.media.index import index_file

    index = index_file(str(path))
    reader = FrameReader(str(path), index)
    try:
        return [read_number(reader.frame(i)) for i in range(index.count)]
    finally:
        reader.close()


def test_index_lists_every_exhibit_with_its_pin_cite(built):
    ex = _index(built.bundle)
    assert [e["label"] for e in ex] == [f"Ex. {n}" for n in range(1, 7)]
    assert [e["kind"] for e in ex] == ["clip", "still", "document", "still", "document", "still"]
    for e in ex:
        assert (built.bundle / e["file"]).is_file()
        assert e["source_sha256"] == built.media[e["source"]]["sha256"]
        assert e["made"]["source_sha256"] == e["source_sha256"] and e["made"]["program"]
    clip, still, doc, vfr_still, letter, upright = ex
    # CFR 30 fps: frame n starts at n/30 s; the timecode is its first whole millisecond
    assert clip["frames"] == [10, 29] and clip["source"] == "BWC-07.mp4"
    assert (clip["start"], clip["end"]) == ("00:00:00.334", "00:00:00.967")
    assert clip["citation"] == f"Ex. 1 (BWC-07.mp4) at 00:00:00.334{EN}00:00:00.967"
    assert still["frames"] == [15, 15] and still["citation"] == "Ex. 2 (BWC-07.mp4) at 00:00:00.500"
    assert doc["pages"] == [2, 4]
    # pages 2-4 cite their range: the last Bates number by its running digits (…000004)
    first, last = built.production.bates[1], built.production.bates[3]
    assert doc["citation"] == f"Ex. 3 at {first}{EN}{last[-6:]}"
    assert (doc["first_page_bates"], doc["last_page_bates"]) == (first, last)
    # VFR: the time of frame 7 is the sum of the durations before it, not 7/fps
    start_ms = sum(vfr_durations_ms(45)[:7])
    assert vfr_still["start"] == timecode(Fraction(start_ms, 1000))
    assert vfr_still["citation"] == f"Ex. 4 (phone.mp4) at {vfr_still['start']}"
    assert letter["citation"] == f"Ex. 5 at pp. 2{EN}3"  # no Bates numbers: its pages
    assert upright["citation"] == "Ex. 6 (upright.mp4) at 00:00:00.134"


def test_clip_holds_exactly_its_frames_redacted_with_sound(built):
    from reviewer.media.frames import FrameReader
    from reviewer.media.index import index_file
    from reviewer.media.probe import probe_for_import

    clip = _index(built.bundle)[0]
    path = built.bundle / clip["file"]
    assert path.suffix == ".mp4"
    assert _clip_numbers(path) == list(range(10, 30))
    assert probe_for_import(str(path))["info"]["has_audio"]
    index = index_file(str(path))
    reader = FrameReader(str(path), index)
    x, y, w, h = BOX
    try:
        for i in (0, index.count - 1):
            assert reader.frame(i)[y + 4:y + h - 4, x + 4:x + w - 4].mean() < 40  # solid box
    finally:
        reader.close()


def test_still_is_exactly_its_frame_redacted(built):
    from reviewer.export.redact_frame import render_redacted_frame

    ex = _index(built.bundle)
    still, vfr_still = ex[1], ex[3]
    rgb = _rgb(built.bundle / still["file"])
    assert rgb.shape == (still["height"], still["width"], 3) == (240, 320, 3)
    assert read_number(rgb) == 15
    x, y, w, h = BOX
    assert rgb[y:y + h, x:x + w].mean() < 40
    with CaseStore.open(built.case) as store:
        assert np.array_equal(rgb, render_redacted_frame(store, built.media["BWC-07.mp4"], 15))
    assert read_number(_rgb(built.bundle / vfr_still["file"])) == 7
    # a phone video stored sideways: the still is the frame as displayed (upright, 120x160)
    upright = ex[5]
    rgb = _rgb(built.bundle / upright["file"])
    assert rgb.shape == (160, 120, 3) == (upright["height"], upright["width"], 3)
    assert read_number(rgb) == 4
    # the captioned copy is extra; the exhibit file itself stays the exact frame
    assert (built.bundle / still["captioned"]).is_file()


def test_documents_keep_bates_pages_and_redactions(built):
    doc, letter = _index(built.bundle)[2], _index(built.bundle)[4]
    with pymupdf.open(built.bundle / doc["file"]) as pdf:
        assert pdf.page_count == 3
        texts = [p.get_text() for p in pdf]
        for i, bates in enumerate(built.production.bates[1:4]):
            assert bates in texts[i]
        assert "Ex. 3" in texts[0]
        assert pdf[0].get_text(clip=pymupdf.Rect(62, 62, 398, 158)).strip() == ""
    with pymupdf.open(built.production.path) as original:
        assert original[1].get_text(clip=pymupdf.Rect(62, 62, 398, 158)).strip() != ""
    with pymupdf.open(built.bundle / letter["file"]) as pdf:
        assert pdf.page_count == 2 and "Plain letter page 2" in pdf[0].get_text()


def test_sha256sum_checks_every_other_file(built):
    run = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=built.bundle,
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    listed = {line.split("  ", 1)[1] for line in (built.bundle / "SHA256SUMS").read_text().splitlines()}
    present = {p.relative_to(built.bundle).as_posix() for p in built.bundle.rglob("*") if p.is_file()}
    assert listed == present - {"SHA256SUMS"}
    for name in ("index.json", "index.pdf", "redaction_log.csv", "annotations.html", "annotations.pdf"):
        assert name in listed


def test_verify_passes_then_fails_on_one_changed_byte_anywhere(built, tmp_path):
    checks = verify_bundle(built.bundle)
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]
    names = [c.name for c in checks]
    assert any("frames" in n for n in names) and any("pages" in n for n in names)
    files = sorted(p.relative_to(built.bundle) for p in built.bundle.rglob("*") if p.is_file())
    for rel in files:
        copy = tmp_path / "b"
        shutil.copytree(built.bundle, copy)
        target = copy / rel
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
        bad = [c for c in verify_bundle(copy) if not c.ok]
        assert bad, f"changing one byte of {rel} went unnoticed"
        shutil.rmtree(copy)


def test_verify_fails_on_extra_and_missing_files(built, tmp_path):
    copy = tmp_path / "b"
    shutil.copytree(built.bundle, copy)
    (copy / "exhibits" / "extra.txt").write_text("x")
    assert not all(c.ok for c in verify_bundle(copy))
    (copy / "exhibits" / "extra.txt").unlink()
    (copy / _index(copy)[1]["file"]).unlink()
    assert not all(c.ok for c in verify_bundle(copy))


def test_private_notes_appear_nowhere_in_the_bundle(built):
    needles = [SECRET_NOTE.encode(enc) for enc in ("utf-8", "utf-16-be", "utf-16-le")]
    for path in built.bundle.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert not any(n in data for n in needles), path
        if path.suffix == ".pdf":
            assert SECRET_NOTE not in _pdf_text(path), path
    html = (built.bundle / "annotations.html").read_text("utf-8")
    assert SHARED_NOTE in html and "use-of-force" in html
    assert SHARED_NOTE in _pdf_text(built.bundle / "annotations.pdf")
    # the video note's still is the redacted frame 12
    stills = sorted((built.bundle / "annotations").glob("*_frame_*.png"))
    assert len(stills) == 1
    rgb = _rgb(stills[0])
    x, y, w, h = BOX
    assert read_number(rgb) == 12 and rgb[y:y + h, x:x + w].mean() < 40
    # the page note shows the noted area of the redacted page (36 pt margin, 1.5x zoom)
    assert PAGE_NOTE in html
    pages = sorted((built.bundle / "annotations").glob("*_page_*.png"))
    assert len(pages) == 1
    crop = _rgb(pages[0])
    x0, y0 = PAGE_NOTE_RECT[0] - 36, PAGE_NOTE_RECT[1] - 36
    assert crop.shape[1] == round((PAGE_NOTE_RECT[2] - PAGE_NOTE_RECT[0] + 72) * 1.5)
    inside = crop[round((64 - y0) * 1.5):round((156 - y0) * 1.5), round((64 - x0) * 1.5):round((396 - x0) * 1.5)]
    assert inside.mean() < 60, inside.mean()  # the redaction, not the text under it


def test_redaction_log_has_one_row_per_redaction(built):
    text = (built.bundle / "redaction_log.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    by_kind = {r["kind"]: r for r in rows}
    box, audio, page = by_kind["box"], by_kind["audio"], by_kind["page"]
    assert box["item"] == "BWC-07.mp4" and box["reason"] == "b6"
    assert f"frames 5{EN}40" in box["location"] and "200,150,80,60" in box["location"]
    assert box["reason_description"].startswith("FOIA (b)(6)")
    assert box["exhibits"] == "Ex. 1; Ex. 2"
    assert audio["location"].startswith(f"audio 00:00:00.500{EN}00:00:01.000") and audio["exhibits"] == "Ex. 1"
    assert page["item"] == "production.pdf" and page["page"] == "2" and page["exhibits"] == "Ex. 3"
    assert "Ex. 3 at " + built.production.bates[1] in _pdf_text(built.bundle / "index.pdf")


def test_out_must_not_exist_and_nothing_partial_is_left(built, tmp_path):
    from reviewer.citation.bundle import build_bundle
    from reviewer.errors import ReviewerError

    with CaseStore.open(built.case) as store, pytest.raises(ReviewerError, match="already exists"):
        build_bundle(store, built.bundle)
    assert sorted(p.name for p in built.bundle.parent.iterdir()) == ["bundle"]


def test_cli_bundle_is_reproducible(built, tmp_path):
    """Bundling the same case again gives the same bytes, file by file."""
    out = tmp_path / "again"
    run = subprocess.run([sys.executable, "-m", "reviewer", "bundle", str(built.case), "--out", str(out)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    verify = subprocess.run([sys.executable, "-m", "reviewer", "verify", str(out)],
                            capture_output=True, text=True, timeout=600, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    first = {p.relative_to(built.bundle).as_posix(): p.read_bytes() for p in built.bundle.rglob("*")
             if p.is_file()}
    second = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differ = sorted(k for k in first if first[k] != second[k])
    assert differ == [], differ


def test_large_clip_is_split_into_frame_exact_parts(built, tmp_path):
    from reviewer.citation.bundle import BundleOptions, build_bundle

    size = (built.bundle / _index(built.bundle)[0]["file"]).stat().st_size
    out = tmp_path / "split"
    with CaseStore.open(built.case) as store:
        build_bundle(store, out, BundleOptions(max_clip_bytes=size // 3, captioned_stills=False))
    clip = _index(out)[0]
    parts = clip["parts"]
    assert len(parts) >= 3
    assert parts[0]["frames"][0] == 10 and parts[-1]["frames"][1] == 29
    numbers: list[int] = []
    for p in parts:
        assert (out / p["file"]).stat().st_size <= size // 3
        got = _clip_numbers(out / p["file"])
        assert got == list(range(p["frames"][0], p["frames"][1] + 1))
        numbers += got
    assert numbers == list(range(10, 30))
    assert clip["file"] == parts[0]["file"]
    checks = verify_bundle(out)
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_bundle_folder_gets_ordinary_permissions(built, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    assert built.bundle.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_cancel_leaves_nothing_behind(built, tmp_path):
    from reviewer.citation.bundle import build_bundle
    from reviewer.errors import Cancelled
    from reviewer.progress import Progress

    progress = Progress()
    seen: list[str] = []

    def on(fraction: float, message: str) -> None:
        seen.append(message)
        if message.startswith("Ex. 3"):
            progress.cancel()

    progress._callback = on
    out = tmp_path / "cancelled"
    with CaseStore.open(built.case) as store, pytest.raises(Cancelled):
        build_bundle(store, out, progress=progress)
    assert any(m.startswith("Ex. 3") for m in seen)
    assert list(tmp_path.iterdir()) == []


def test_no_exhibits_is_one_clear_error(tmp_path):
    CaseStore.create(tmp_path / "empty").close()
    run = subprocess.run([sys.executable, "-m", "reviewer", "bundle", str(tmp_path / "empty"),
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "no exhibits" in lines[0]
    assert not (tmp_path / "out").exists()


def test_preview_cites_match_the_bundle(built):
    from reviewer.citation.preview import exhibit_cites

    with CaseStore.open(built.case) as store:
        preview = exhibit_cites(store)
    index = _index(built.bundle)
    assert [p.id for p in preview] == built.exhibit_ids and len(preview) == 6
    assert [(p.label, p.kind, p.source, p.citation) for p in preview] == \
        [(e["label"], e["kind"], e["source"], e["citation"]) for e in index]
    assert preview[2].bates == built.production.bates[1] and preview[4].bates is None
    assert (preview[0].start_tc, preview[0].end_tc) == (index[0]["start"], index[0]["end"])


def test_case_audit_records_the_bundle(built):
    import hashlib

    with CaseStore.open(built.case) as store:
        rows = store.query("SELECT payload FROM audit WHERE op = 'bundle.write' ORDER BY seq")
        assert store.verify_audit() == []
    sums = hashlib.sha256((built.bundle / "SHA256SUMS").read_bytes()).hexdigest()
    payloads = [json.loads(r["payload"]) for r in rows]
    first = next(p for p in payloads if p["folder"] == str(built.bundle.resolve()))
    assert first["sha256sums_sha256"] == sums and first["exhibits"] == built.exhibit_ids
