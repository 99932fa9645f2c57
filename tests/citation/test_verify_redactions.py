"""`reviewer verify` of a bundle re-checks the redactions inside each exhibit file, not only
hashes: an exhibit swapped for an UNREDACTED export of the same range, with SHA256SUMS and
index.json rewritten to match, must fail."""
from __future__ import annotations

import json
import shutil
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from citation.case import BOX, SECRET_NOTE, SHARED_NOTE
from reviewer.citation.verify import verify_bundle

CLIP, STILL, DOC = "exhibits/01_Ex_1.mp4", "exhibits/02_Ex_2.png", "exhibits/03_Ex_3.pdf"


def _index(bundle: Path) -> dict:
    return json.loads((bundle / "index.json").read_text("utf-8"))


def _by_name(checks) -> dict:
    return {c.name: c for c in checks}


def _swap(built, tmp_path: Path, rel: str, data: bytes) -> Path:
    """A copy of the bundle with ``rel`` replaced by ``data`` and every hash made consistent
    again (index.json and SHA256SUMS), as someone covering their tracks would."""
    from reviewer.citation.bundle import write_sums
    from reviewer.hashing import sha256_file

    root = tmp_path / "bundle"
    shutil.copytree(built.bundle, root)
    (root / rel).write_bytes(data)
    index = _index(root)
    for e in index["exhibits"]:
        if e["file"] == rel:
            e["sha256"] = sha256_file(root / rel)
    (root / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    write_sums(root)
    return root


def _only_redaction_checks_fail(checks, rel: str) -> set[str]:
    """The names of the failed checks, after asserting that every hash and count still passes
    (so it is the redaction re-check, not a hash, that catches the swap)."""
    failed = {c.name for c in checks if not c.ok}
    assert failed, "an unredacted exhibit passed verification"
    for name in failed:
        assert name.startswith("Ex. ") and rel in name, name
        assert "sha256" not in name and "hash" not in name, name
    return failed


def test_verify_lists_the_redaction_checks_of_every_kind(built):
    checks = verify_bundle(built.bundle)
    bad = [c.line() for c in checks if not c.ok]
    assert not bad, bad
    by = _by_name(checks)
    for name in ("streams", "metadata", "frame count", "frame times", "boxes", "audio spans"):
        assert f"Ex. 1 {CLIP} {name}" in by, name
    assert by[f"Ex. 1 {CLIP} boxes"].detail == "20 box-frames covered"  # frames 10-29, box 5-40
    assert by[f"Ex. 1 {CLIP} audio spans"].detail == "1 span(s) silenced"
    assert by[f"Ex. 2 {STILL} boxes"].detail == "1 box(es) filled"
    assert f"Ex. 2 {STILL} metadata" in by
    assert by["Ex. 2 exhibits/captioned/02_Ex_2_captioned.png boxes"].detail == "1 box(es) filled"
    for name in ("text under boxes", "pixels under boxes", "metadata", "annotations", "scripts",
                 "one revision"):
        assert f"Ex. 3 {DOC} {name}" in by, name
    assert "1 box" in by[f"Ex. 3 {DOC} text under boxes"].detail


def test_index_records_geometry_only(built):
    ex = _index(built.bundle)["exhibits"]
    clip, still, doc = ex[0], ex[1], ex[2]
    for e in ex:  # the fields there before are unchanged
        assert {"label", "kind", "file", "source", "source_sha256", "citation", "sha256",
                "made"} <= set(e)
    exp = clip["checks"]["files"][CLIP]
    assert exp["frame_count"] == 20 and len(exp["pts"]) == 20 and exp["source"]["frames"] == [10, 29]
    # the box runs from source frame 5 to 40: in the clip, its frames 0-19
    assert [b["frames"] for b in exp["boxes"]] == [[0, 19]] and exp["boxes"][0]["reason"] == "b6"
    assert [a["reason"] for a in exp["audio"]] == ["b7C"]
    x, y, w, h = BOX
    assert still["checks"]["files"][STILL]["boxes"][0]["rect"] == [x, y, x + w, y + h]
    # the page redaction is on source page 2, the exhibit's first page
    assert [b["page"] for b in doc["checks"]["files"][DOC]["boxes"]] == [1]
    text = (built.bundle / "index.json").read_text("utf-8")
    assert SECRET_NOTE not in text and SHARED_NOTE not in text


def test_unredacted_clip_fails_even_with_hashes_rewritten(built, tmp_path):
    from reviewer.export.expect import video_expect
    from reviewer.export.source import load_source_index
    from reviewer.export.video import encode_video
    from reviewer.progress import Progress
    from reviewer.store import CaseStore

    out = tmp_path / "plain.mp4"
    row = built.media["BWC-07.mp4"]
    with CaseStore.open(built.case) as store:
        index = load_source_index(store, row)
        exp = video_expect(store, row, index, (10, 29))
    # EXPORT's own encoder, same frames and times, with no box and no muted span
    encode_video(row["path"], out, index, replace(exp, tracks=(), audio_spans=()),
                 preset="ultrafast", crf=18, progress=Progress())
    root = _swap(built, tmp_path, CLIP, out.read_bytes())
    failed = _only_redaction_checks_fail(verify_bundle(root), CLIP)
    assert f"Ex. 1 {CLIP} boxes" in failed and f"Ex. 1 {CLIP} audio spans" in failed
    assert f"Ex. 1 {CLIP} frame times" not in failed  # same range: only the redactions differ


def test_unredacted_still_fails_even_with_hashes_rewritten(built, tmp_path):
    from reviewer.citation.exhibit_files import png_bytes
    from reviewer.media.frames import FrameReader
    from reviewer.media.index import cached_index
    from reviewer.store import CaseStore
    from reviewer.store.media import FrameIndexCache

    row = built.media["BWC-07.mp4"]
    with CaseStore.open(built.case) as store:
        index = cached_index(row["path"], FrameIndexCache(store, row["id"]))
    with FrameReader(row["path"], index) as reader:
        rgb = reader.frame(15)
    root = _swap(built, tmp_path, STILL, png_bytes(rgb))
    failed = _only_redaction_checks_fail(verify_bundle(root), STILL)
    assert failed == {f"Ex. 2 {STILL} boxes"}


def test_still_with_a_text_chunk_fails(built, tmp_path):
    data = (built.bundle / STILL).read_bytes()
    body = b"Comment\x00" + SHARED_NOTE.encode()
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    end = data.rindex(b"IEND") - 4
    root = _swap(built, tmp_path, STILL, data[:end] + chunk + data[end:])
    failed = _only_redaction_checks_fail(verify_bundle(root), STILL)
    assert failed == {f"Ex. 2 {STILL} metadata"}


def test_unredacted_document_fails_even_with_hashes_rewritten(built, tmp_path):
    from reviewer.citation.exhibit_files import fix_pdf_id
    from reviewer.export.expect import pdf_expect
    from reviewer.export.pdf import open_pdf, redact_document, save_clean, scrub
    from reviewer.export.stamp import stamp_pages
    from reviewer.progress import Progress
    from reviewer.store import CaseStore

    row = built.media["production.pdf"]
    with CaseStore.open(built.case) as store:
        exp = pdf_expect(store, row, (2, 4), rasterized=False, stamped=True)
    assert exp.boxes
    out = tmp_path / "plain.pdf"
    # EXPORT's own steps (pages kept, scrubbed, stamped, saved clean) with no box applied
    doc = open_pdf(row["path"], row["name"])
    try:
        doc = redact_document(doc, replace(exp, boxes=()), Progress())
        doc = stamp_pages(doc, "Ex. 3")
        scrub(doc)
        save_clean(doc, out)
    finally:
        doc.close()
    fix_pdf_id(out)
    root = _swap(built, tmp_path, DOC, out.read_bytes())
    failed = _only_redaction_checks_fail(verify_bundle(root), DOC)
    assert f"Ex. 3 {DOC} text under boxes" in failed and f"Ex. 3 {DOC} pixels under boxes" in failed


@pytest.mark.parametrize("how", ["dropped", "other range"])
def test_missing_or_mismatched_expectation_fails(built, tmp_path, how):
    from reviewer.citation.bundle import write_sums

    root = tmp_path / "bundle"
    shutil.copytree(built.bundle, root)
    index = _index(root)
    clip = index["exhibits"][0]
    if how == "dropped":
        del clip["checks"]
    else:  # expectations of another range (e.g. one without the box) do not count
        clip["checks"]["files"][CLIP]["source"]["frames"] = [41, 60]
    (root / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    write_sums(root)
    failed = {c.name for c in verify_bundle(root) if not c.ok}
    want = f"Ex. 1 {CLIP} redactions" if how == "dropped" else f"Ex. 1 {CLIP} expectation"
    assert failed == {want}
