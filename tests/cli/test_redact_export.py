"""``redact box|audio|page|text``, ``export`` and ``verify`` of exports, checked by decoding
what was written (PyAV, PyMuPDF), not by trusting the exporter's own report."""
from __future__ import annotations

import json
from fractions import Fraction

import av
import numpy as np
import pymupdf
import pytest

from cli.clirun import ok, run

A, B = 10, 20
RECT = (0, 70, 40, 30)        # lower half: the frame number blocks stay readable
RECT_END = (120, 70, 40, 30)


def _decode_video(path):
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        frames = [(f.pts * s.time_base, f.to_ndarray(format="rgb24")) for f in c.decode(s)]
        kinds = sorted(x.type for x in c.streams)
        tags = dict(c.metadata)
        stream_tags = [dict(x.metadata) for x in c.streams]
        codecs = {x.type: x.codec_context.name for x in c.streams}
    t0 = frames[0][0]
    return [t - t0 for t, _ in frames], [a for _, a in frames], kinds, tags, stream_tags, codecs


def _peaks(path, times: list[Fraction], half_window: int = 60) -> tuple[list[float], float]:
    """The peak level within +-half_window samples of each time (seconds from frame 0), and
    the peak of the whole track."""
    with av.open(str(path)) as c:
        v0 = next(c.decode(c.streams.video[0])).time
    with av.open(str(path)) as c:
        a = c.streams.audio[0]
        rate, first, chunks = a.rate, None, []
        for f in c.decode(a):
            first = f.time if first is None else first
            chunks.append(np.abs(f.to_ndarray()).max(axis=0))
    x = np.concatenate(chunks)
    out = []
    for t in times:
        i = round((float(t) + v0 - first) * rate)
        out.append(float(x[max(0, i - half_window):i + half_window + 1].max()))
    return out, float(x.max())


@pytest.fixture(scope="module")
def video_case(inputs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("redact case")
    case = folder / "case"
    ok("new", case)
    ok("import", case, inputs.base, inputs.subs_meta, inputs.portrait90, inputs.vfr_mkv)
    box = ok("redact", "box", case, "base.mp4", "--frames", f"{A}:{B}", "--rect", ",".join(map(str, RECT)),
             "--rect-end", ",".join(map(str, RECT_END)), "--reason", "b6")
    aud = ok("redact", "audio", case, "base.mp4", "--from", "0.5", "--to", "00:00:01.000")
    assert box.out.strip().isdigit() and aud.out.strip().isdigit()
    ok("redact", "box", case, "vfr.mkv", "--frames", "3:8", "--rect", "0,60,160,60")
    out = folder / "base redacted.mp4"
    r = ok("export", case, "base.mp4", "--out", out)
    return case, folder, out, r


def test_export_keeps_every_frame_at_its_time_and_covers_a_to_b_inclusive(video_case, inputs):
    from fixtures.videos import read_number

    _, _, out, _ = video_case
    src_times, _, _, _, _, _ = _decode_video(inputs.base)
    times, frames, kinds, _, _, codecs = _decode_video(out)
    assert times == src_times and len(frames) == 45
    assert codecs == {"video": "h264", "audio": "aac"} and kinds == ["audio", "video"]
    assert [read_number(f) for f in frames] == list(range(45))
    for n in (A - 1, A, (A + B) // 2, B, B + 1):
        x = 0 if not A <= n <= B else round(RECT[0] + (RECT_END[0] - RECT[0]) * (n - A) / (B - A))
        region = frames[n][RECT[1] + 3:RECT[1] + RECT[3] - 3, x + 3:x + RECT[2] - 3]
        covered = region.mean() < 16
        assert covered == (A <= n <= B), (n, region.mean())


def test_export_mutes_every_sample_of_the_span_and_keeps_the_rest(video_case):
    _, _, out, _ = video_case
    inside = [Fraction(52, 100), Fraction(75, 100), Fraction(98, 100)]
    outside = [Fraction(45, 100), Fraction(105, 100), Fraction(14, 10)]
    (levels, peak) = _peaks(out, inside + outside)
    assert peak > 0.01
    assert all(v < 0.02 * peak for v in levels[:3]), (levels, peak)
    assert all(v > 0.5 * peak for v in levels[3:]), (levels, peak)


def test_export_drops_metadata_subtitles_and_keeps_rotation_displayed(video_case, inputs):
    case, folder, _, _ = video_case
    out = folder / "subs.mp4"
    ok("export", case, inputs.subs_meta.name, "--out", out, "--preset", "ultrafast", "--crf", "30")
    _, frames, kinds, tags, stream_tags, _ = _decode_video(out)
    assert kinds == ["audio", "video"] and len(frames) == 45
    blob = json.dumps([tags, stream_tags])
    for secret in ("SECRET", "location", "creation_time", "40.7128"):
        assert secret not in blob, blob
    assert b"SUBTITLE-SECRET" not in out.read_bytes()
    rot = folder / "portrait.mp4"
    ok("export", case, "portrait90.mp4", "--out", rot)
    _, frames, _, _, _, _ = _decode_video(rot)
    assert frames[0].shape[:2] == (160, 120)
    with av.open(str(rot)) as c:
        side = [sd for sd in getattr(c.streams.video[0], "side_data", {}) or {}]
    assert not any("matrix" in str(k).lower() for k in side)


def test_vfr_mkv_export_keeps_times_and_covers_its_frames(video_case, inputs):
    case, folder, _, _ = video_case
    out = folder / "vfr.mp4"
    ok("export", case, "vfr.mkv", "--out", out)
    src_times, _, _, _, _, _ = _decode_video(inputs.vfr_mkv)
    times, frames, _, _, _, _ = _decode_video(out)
    assert times == src_times
    for n in (2, 3, 8, 9):
        dark = frames[n][63:117, 3:157].mean() < 16
        assert dark == (3 <= n <= 8), n


def test_verify_passes_on_an_export_and_fails_after_a_one_byte_change(video_case, tmp_path):
    import shutil

    _, _, out, _ = video_case
    ok("verify", out)
    copy = tmp_path / out.name
    shutil.copy(out, copy)
    shutil.copy(out.with_name(out.name + ".verify.json"), copy.with_name(copy.name + ".verify.json"))
    ok("verify", copy)
    data = bytearray(copy.read_bytes())
    data[len(data) - 200] ^= 1  # inside the media data: every decoded check may still pass
    copy.write_bytes(bytes(data))
    r = run("verify", copy)
    assert r.code == 1 and "FAIL" in r.out


@pytest.mark.parametrize("argv", [
    ["--frames", "40:50", "--rect", "0,0,10,10"],
    ["--frames", "5:3", "--rect", "0,0,10,10"],
    ["--frames", "5:6", "--rect", "0,0,-10,10"],
    ["--frames", "5:6", "--rect", "400,400,10,10"],
    ["--frames", "5:6", "--rect", "1,1,5"],
    ["--frames", "5:6", "--rect", "1,1,5,inf"],
    ["--frames", "x", "--rect", "1,1,5,5"],
])
def test_bad_boxes_are_one_error_line(video_case, argv):
    case = video_case[0]
    r = run("redact", "box", case, "base.mp4", *argv)
    assert r.code == 1 and r.err.startswith("error: base.mp4:") and len(r.err.splitlines()) == 1, r.err


@pytest.mark.parametrize("t_from, t_to", [("2", "1"), ("abc", "1"), ("1e400", "2"), ("nan", "1"),
                                          ("0.5", "0.5"), ("5", "6")])
def test_bad_audio_spans_are_one_error_line(video_case, t_from, t_to):
    case = video_case[0]
    r = run("redact", "audio", case, "base.mp4", "--from", t_from, "--to", t_to)
    assert r.code == 1 and r.err.startswith("error: base.mp4:") and len(r.err.splitlines()) == 1, r.err


def test_bad_export_options_and_outputs(video_case, tmp_path):
    case = video_case[0]
    for argv in (["--out", tmp_path, ], ["--out", tmp_path / "no" / "x.mp4"], ["--out", tmp_path / "x.pdf"],
                 ["--out", tmp_path / "x.mp4", "--preset", "bogus"], ["--out", tmp_path / "x.mp4", "--crf", "99"]):
        r = run("export", case, "base.mp4", *argv)
        assert r.code == 1 and r.err.startswith("error:"), r.err
    assert list(tmp_path.iterdir()) == []
    assert run("export", case, "base.mp4", "--out", tmp_path / "x.mp4", "--crf", "abc").code == 2


@pytest.fixture(scope="module")
def pdf_case(inputs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf case")
    case = folder / "case"
    ok("new", case)
    ok("import", case, inputs.odd_pdf, inputs.owner_pdf)
    return case, folder


def test_a_document_is_not_exported_under_a_video_name(pdf_case, inputs, tmp_path):
    case, _ = pdf_case
    r = run("export", case, inputs.odd_pdf.name, "--out", tmp_path / "redacted.mp4")
    assert r.code == 1 and r.err.startswith("error:") and ".pdf" in r.err, r.err
    assert list(tmp_path.iterdir()) == []


def _displayed_word_rect(path, page_no: int, word: str) -> tuple[float, ...]:
    doc = pymupdf.open(path)
    page = doc[page_no - 1]
    r = next(pymupdf.Rect(w[:4]) for w in page.get_text("words") if w[4] == word)
    r = r * page.rotation_matrix
    return (r.x0 - 1, r.y0 - 1, r.x1 + 1, r.y1 + 1)


def test_page_boxes_on_rotated_and_cropped_pages_remove_the_text(pdf_case, inputs):
    case, folder = pdf_case
    name = inputs.odd_pdf.name
    for page_no, word in ((1, "secret"), (2, "Cropped")):
        rect = ",".join(f"{v:.2f}" for v in _displayed_word_rect(inputs.odd_pdf, page_no, word))
        assert ok("redact", "page", case, name, "--page", page_no, "--rect", rect).out.strip().isdigit()
    count = ok("redact", "text", case, name, "--pattern", r"Straße|GAMMA-\d+", "--reason", "b6")
    assert int(count.out) == 2
    out = folder / "odd redacted.pdf"
    ok("export", case, name, "--out", out)
    doc = pymupdf.open(out)
    texts = [p.get_text() for p in doc]
    assert "secret" not in texts[0] and "Rotated" in texts[0] and "ALPHA-123" in texts[0]
    assert "Cropped" not in texts[1] and "BETA-456" in texts[1]
    assert "GAMMA" not in texts[2] and "Straße" not in texts[2] and "café" in texts[2]
    assert [p.rotation for p in doc] == [90, 0, 0]
    assert not any(v for k, v in doc.metadata.items() if k not in ("format", "encryption")), doc.metadata
    raw = out.read_bytes()
    assert b"AUTHOR-SECRET" not in raw and b"TITLE-SECRET" not in raw and raw.count(b"%%EOF") == 1
    ok("verify", out)


def test_owner_password_pdf_exports_unencrypted_and_text_redaction_counts(pdf_case, inputs):
    case, folder = pdf_case
    r = ok("redact", "text", case, "--pattern", r"ALPHA-\d+")  # every document of the case
    assert int(r.out) == 2
    assert int(ok("redact", "text", case, "--pattern", r"ALPHA-\d+").out) == 2  # counted, not doubled
    out = folder / "owner.pdf"
    ok("export", case, "owner only.pdf", "--out", out)
    doc = pymupdf.open(out)
    assert not doc.is_encrypted and "ALPHA" not in "".join(p.get_text() for p in doc)


@pytest.mark.parametrize("argv", [
    ["page", "--page", "4", "--rect", "0,0,1,1"], ["page", "--page", "0", "--rect", "0,0,1,1"],
    ["page", "--page", "1", "--rect", "5,5,1,1"], ["text", "--pattern", "("], ["text", "--pattern", ""],
])
def test_bad_document_redactions_are_one_error_line(pdf_case, inputs, argv):
    case, _ = pdf_case
    kind, *rest = argv
    r = run("redact", kind, case, inputs.odd_pdf.name, *rest)
    assert r.code == 1 and r.err.startswith("error:") and len(r.err.splitlines()) == 1, r.err


def test_outputs_never_overwrite_an_original_or_the_case(tmp_path, inputs):
    import hashlib
    import shutil

    folder = tmp_path / "evidence"
    folder.mkdir()
    video = folder / "clip.mp4"
    shutil.copy(inputs.base, video)
    (folder / "alias.mp4").symlink_to("clip.mp4")
    before = hashlib.sha256(video.read_bytes()).hexdigest()
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, video)
    for argv in (["frame", video, "--frame", "1", "--out", video],
                 ["frame", video, "--frame", "1", "--out", folder / "alias.mp4"],
                 ["export", case, "clip.mp4", "--out", video],
                 ["export", case, "clip.mp4", "--out", case / "case.db"],
                 ["export", case, "clip.mp4", "--out", case / "case.db-wal"]):
        r = run(*argv)
        assert r.code == 1 and r.err.startswith("error:"), (argv, r.err)
    assert hashlib.sha256(video.read_bytes()).hexdigest() == before
    assert json.loads(ok("list", case, "--json").out)[0]["name"] == "clip.mp4"


def test_a_damaged_transport_stream_still_exports_every_listed_frame(tmp_path):
    """Body-cam TS files with a run of zeroed bytes: the damaged audio packet used to stop the
    whole export (copied, then re-encoded) with an FFmpeg error."""
    from fixtures.videos import make_video

    src = make_video(tmp_path / "cam", "ts", 60, (160, 120))
    data = bytearray(src.read_bytes())
    start = len(data) // 3
    data[start:start + 3000] = bytes(3000)
    damaged = tmp_path / "cam damaged.ts"
    damaged.write_bytes(bytes(data))
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, damaged)
    count = json.loads(ok("list", case, "--json").out)[0]["frame_count"]
    out = tmp_path / "out.mp4"
    ok("export", case, damaged.name, "--out", out)
    _, frames, kinds, _, _, _ = _decode_video(out)
    assert len(frames) == count and kinds == ["audio", "video"]
    ok("redact", "audio", case, damaged.name, "--from", "0.2", "--to", "0.4")
    ok("export", case, damaged.name, "--out", tmp_path / "out2.mp4")


def test_redact_audio_on_a_video_without_sound_is_refused(tmp_path, inputs):
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, inputs.noaudio)
    r = run("redact", "audio", case, inputs.noaudio.name, "--from", "0", "--to", "0.5")
    assert r.code == 1 and r.err.startswith(f"error: {inputs.noaudio.name}:") and "audio" in r.err


def test_verify_of_a_damaged_pdf_export_fails_quietly(pdf_case, inputs, tmp_path):
    case, _ = pdf_case
    out = tmp_path / "doc.pdf"
    ok("export", case, inputs.odd_pdf.name, "--out", out)
    ok("verify", out)
    data = bytearray(out.read_bytes())
    at = data.find(b"endobj")
    data[at - 3] ^= 1
    out.write_bytes(bytes(data))
    r = run("verify", out)
    assert r.code == 1 and any(line.startswith("FAIL") for line in r.lines)
    assert "MuPDF" not in r.err, r.err
