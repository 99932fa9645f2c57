"""A transcript excerpt as an exhibit, and transcripts that leave the case: declared from the
command line, listed in the bundle's index with its pin cite and words, written as a PDF read
back by pdftotext and pypdf (not our reader); no redacted word is in any file of the bundle,
whether read as bytes, as PDF text or as captions."""
from __future__ import annotations

import json
import re
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from cli.clirun import ok, run
from fixtures.speech import have_espeak, speech_video

pytestmark = pytest.mark.skipif(not have_espeak(), reason="espeak-ng is not installed")

# what Whisper tiny.en hears of espeak-ng well enough to redact by the word
PHRASES = ["The driver said his name is Michael Thompson.",
           "He lives on Maple Avenue in Springfield.",
           "Her phone number is five five five, three one two, eight nine four zero.",
           "The driver was calm and polite."]
TC = r"\d\d:\d\d:\d\d\.\d{3}"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speech_exhibit")
    video = folder / "bodycam.mp4"
    said = speech_video(video, PHRASES)
    case = folder / "case"
    ok("new", case)
    ok("import", case, video)
    ok("transcribe", case)
    ok("redact", "speech", case, "bodycam.mp4", "--match", "Thompson|Maple|Springfield", "--reason", "b6")
    words = json.loads(ok("transcript", case, "bodycam.mp4", "--json").out)
    return case, said, words


def _secrets(words: list[dict]) -> set[str]:
    """What was redacted and is said nowhere else (a redacted "is" would be in every text)."""
    heard = {w["word"].strip(".,?!").lower() for w in words if not w["redacted"]}
    out = {w["word"].strip(".,?!").lower() for w in words if w["redacted"]} - heard
    return {s for s in out if len(s) >= 3}


def _pdf_texts(path: Path) -> list[str]:
    """The text of a PDF as two readers that are not ours see it, ligatures undone (the
    fonts set "fi" as one glyph, which would hide "Springfield" from a plain comparison)."""
    texts = [subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout]
    texts.append("\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages))
    return [unicodedata.normalize("NFKC", t) for t in texts]


def _inflated(data: bytes) -> bytes:
    """A file's bytes plus every deflated stream in it opened (PDF content, PNG data)."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end():]))
        except zlib.error:
            pass
    return b"\n".join(out)


def test_a_transcript_excerpt_is_an_exhibit_with_its_cite_and_its_words(case, tmp_path):
    case, said, words = case
    secrets = _secrets(words)
    assert {"thompson", "maple", "springfield"} <= secrets, secrets
    a, b = said[0].start_s - 0.3, said[2].end_s + 0.3
    ex = ok("exhibit", case, "bodycam.mp4", "--transcript", "--from", f"{a:.3f}", "--to", f"{b:.3f}",
            "--description", "the stop and the number")
    assert ex.out.strip().isdigit()
    ok("exhibit", case, "bodycam.mp4", "--transcript", "0:50", "--label", "Ex. T")
    out = tmp_path / "bundle"
    ok("bundle", case, "--out", out)
    index = json.loads((out / "index.json").read_text("utf-8"))
    first, second = index["exhibits"]
    assert first["kind"] == "transcript" and second["label"] == "Ex. T"
    assert re.fullmatch(rf"Ex\. 1 \(bodycam\.mp4\) at {TC}\u2013{TC}", first["citation"])
    assert first["start"] <= f"00:00:{a:06.3f}" and first["end"] >= f"00:00:{b:06.3f}"
    assert "[redacted]" in first["text"] and "phone number" in first["text"].lower()
    listed = [w["word"] for w in first["words"]]
    assert "[redacted]" in listed and first["redacted_words"] == listed.count("[redacted]")
    assert first["text"].startswith("The driver said")
    # the PDF exhibit, read by pdftotext and by pypdf: the cite, the words, never a redacted one
    for text in _pdf_texts(out / first["file"]):
        flat = " ".join(text.split())
        assert first["citation"] in flat and "[redacted]" in flat and "phone number" in flat.lower()
        assert not secrets & {t.strip(".,?!").lower() for t in flat.split()}, text
    for text in _pdf_texts(out / "index.pdf"):  # the human-readable index lists the words too
        flat = " ".join(text.split())
        assert "transcript" in flat and "[redacted]" in flat and first["citation"] in flat
    v = run("verify", out)
    assert v.code == 0, v.out + v.err
    assert re.search(r"ok .*Ex\. 1 exhibits/01_Ex_1\.pdf redacted words", v.out), v.out
    log = (out / "redaction_log.csv").read_text("utf-8")
    assert "Ex. 1" in log  # the audio redactions are listed against the transcript exhibit
    _no_secret_anywhere(out, secrets)


def test_bundle_transcripts_only_when_asked_and_every_redacted_word_a_mark(case, tmp_path):
    case, _, words = case
    secrets = _secrets(words)
    ok("exhibit", case, "bodycam.mp4", "--frames", "0:10")
    plain = tmp_path / "plain"
    ok("bundle", case, "--out", plain)
    assert not (plain / "transcripts").exists()
    assert "transcripts" not in json.loads((plain / "index.json").read_text("utf-8"))
    full = tmp_path / "full"
    ok("bundle", case, "--out", full, "--transcripts")
    (entry,) = json.loads((full / "index.json").read_text("utf-8"))["transcripts"]
    assert entry["source"] == "bodycam.mp4" and entry["redacted_words"] >= 3
    for ext in ("srt", "vtt"):
        text = (full / entry[ext]).read_text("utf-8")
        assert "[redacted]" in text and "-->" in text
        assert not secrets & {t.strip(".,?!").lower() for t in text.split()}
    for text in _pdf_texts(full / entry["pdf"]):
        assert re.search(TC, text) and "[redacted]" in text and "phone number" in " ".join(text.split())
        assert not secrets & {t.strip(".,?!").lower() for t in text.split()}
    sums = (full / "SHA256SUMS").read_text("utf-8")
    assert entry["pdf"] in sums and entry["srt"] in sums
    assert run("verify", full).code == 0
    _no_secret_anywhere(full, secrets)
    # with the case at hand, verify looks for every redacted word in the transcripts itself
    v = run("verify", full, "--case", case)
    assert v.code == 0, v.out + v.err
    assert re.search(rf"ok .*{re.escape(entry['srt'])} redacted words: none of \d+", v.out), v.out
    assert not secrets & {t.strip(".,?!:;").lower() for t in v.out.split()}
    # a transcript that shows a redacted word is caught (names the file and a count, not the word)
    from reviewer.citation.speech_leaks import leak_checks

    srt = full / entry["srt"]
    srt.write_text(srt.read_text("utf-8").replace("[redacted]", "Thompson", 1), encoding="utf-8")
    from reviewer.export.transcript_pdf import write_transcript_pdf
    from reviewer.speech.captions import CaptionWord

    write_transcript_pdf(full / entry["pdf"], "Transcript", [], [CaptionWord("Michael", 1.0, 1.4),
                                                               CaptionWord("Thompson", 1.4, 1.9)])
    bad = [c for c in leak_checks(full, case) if not c.ok]
    assert sorted(c.name for c in bad) == [f"{entry['pdf']} redacted words",
                                           f"{entry['srt']} redacted words"]
    assert not any("thompson" in c.detail.lower() for c in bad)


def test_transcript_pdf_from_the_command_line_wraps_and_marks(case, tmp_path):
    case, _, words = case
    secrets = _secrets(words)
    pdf = tmp_path / "t.pdf"
    r = ok("transcript", case, "bodycam.mp4", "--pdf", pdf)
    assert "redacted (written as a mark)" in r.out
    import pymupdf

    with pymupdf.open(pdf) as doc:  # every word inside the page margins
        for page in doc:
            for x0, y0, x1, y1, *_ in page.get_text("words"):
                assert 36 <= x0 and x1 <= page.rect.width - 36 and y1 <= page.rect.height - 36
    for text in _pdf_texts(pdf):
        assert "[redacted]" in text and not secrets & {t.strip(".,?!").lower() for t in text.split()}
    assert not list(tmp_path.glob("*.part"))
    r = run("transcript", case, "bodycam.mp4", "--pdf", tmp_path / "nowhere" / "t.pdf")
    assert r.code == 1 and r.err == f"error: {tmp_path / 'nowhere' / 't.pdf'}: the folder it would go in does not exist\n"


def test_bad_transcript_exhibits_are_one_error_line(case, tmp_path):
    case, _, _ = case
    for argv, says in (
            (("--transcript", "--from", "3"), "needs frames A:B, or both --from"),
            (("--transcript", "0:10", "--from", "1", "--to", "2"), "not both"),
            (("--transcript", "--from", "5", "--to", "2"), "not a span of time"),
            (("--transcript", "--from", "9999", "--to", "10000"), "after the end of the video"),
            (("--transcript", "0:999999"), "outside")):
        r = run("exhibit", case, "bodycam.mp4", *argv)
        assert r.code == 1 and r.err.startswith("error: ") and says in r.err, (argv, r.err)
    other = tmp_path / "other"
    ok("new", other)
    ok("import", other, next(Path(case).parent.glob("bodycam.mp4")))
    r = run("exhibit", other, "bodycam.mp4", "--transcript", "0:10")
    assert r.code == 1 and "not transcribed yet" in r.err


def _no_secret_anywhere(root: Path, secrets: set[str]) -> None:
    """Every file's bytes (PDF streams inflated), as a word; in pictures and sound only words
    of four letters or more, since three given letters turn up by chance in megabytes of
    compressed media."""
    for path in root.rglob("*"):
        if path.is_file():
            media = path.suffix in (".mp4", ".png")
            data = _inflated(path.read_bytes()).lower()
            for s in secrets:
                if media and len(s) < 4:
                    continue
                assert not re.search(rb"(?<![a-z])" + re.escape(s.encode()) + rb"(?![a-z])", data), \
                    (path, s)


def test_the_window_declares_a_transcript_exhibit_from_seconds_as_an_undoable_edit(case):
    from reviewer.citation.transcript_exhibit import declare_transcript_excerpt, frame_times, span_seconds
    from reviewer.session.session import Session
    from reviewer.session.undo import UndoHistory
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    case, said, _ = case
    with CaseStore.open(case) as store:
        media = media_store.find_media(store, "bodycam.mp4")
        before = store.query("SELECT id FROM exhibits")
        history = UndoHistory(Session(store))
        history.push(declare_transcript_excerpt(store, media, said[1].start_s, said[1].end_s,
                                                label="Address"))
        row = store.query_one("SELECT * FROM exhibits WHERE label = 'Address'")
        assert row["kind"] == "transcript"
        a, b = span_seconds(frame_times(store, media), row["frame_from"], row["frame_to"])
        assert a <= said[1].start_s and said[1].end_s <= b  # outwards: no word cut off
        assert store.query_one("SELECT op FROM audit ORDER BY seq DESC LIMIT 1")["op"] == \
            "edit.declare exhibit"
        history.undo()
        assert store.query("SELECT id FROM exhibits") == before
