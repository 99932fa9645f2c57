"""Words spoken, end to end through the command line as the acceptance tests call it: a video
whose two audio tracks say known things (espeak-ng), transcribed by the real model, searched,
redacted by the word, exported, and the export read back by FFmpeg (not our decoder) and
re-checked by `verify`."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from cli.clirun import ok, run
from fixtures.speech import have_espeak, speech_video
from fixtures.videos import ffmpeg_exe
from reviewer.speech.words import find_matches

pytestmark = pytest.mark.skipif(not have_espeak(), reason="espeak-ng is not installed")

PHRASES = ["Officer Keisha Brown stopped the car.",
           "Her phone number is five five five, three one two, eight nine four zero.",
           "She lives at 1412 Elm Street.",
           "Her A number is A 2 0 1 5 5 7 3 4 2."]
# the radio on the second track talks over the phone number: it must go silent there too
RADIO = ["Unit seven, please go to the north entrance.",
         "Copy that, all units stand by for the next call from the station."]


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speech")
    video = folder / "bodycam.mp4"
    said = speech_video(video, PHRASES, second_track=RADIO)
    return folder, video, said


@pytest.fixture(scope="module")
def case(clip):
    folder, video, said = clip
    case = folder / "case"
    ok("new", case)
    ok("import", case, video)
    first = ok("transcribe", case)
    return case, first


def _words(case) -> list[dict]:
    return json.loads(ok("transcript", case, "bodycam.mp4", "--json").out)


def _pcm(path: Path, track: int, rate: int = 16000) -> np.ndarray:
    """One audio track of ``path`` decoded by FFmpeg itself, mono float."""
    raw = subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-i", str(path), "-map", f"0:a:{track}",
                          "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"], capture_output=True,
                         check=True).stdout
    return np.frombuffer(raw, "<f4")


def test_transcribe_prints_words_per_item_and_a_second_run_does_nothing(case):
    case, first = case
    name, count = first.out.strip().split("\t")
    assert name == "bodycam.mp4" and count.endswith(" words") and int(count.split()[0]) > 20
    before = _words(case)
    again = ok("transcribe", case, "bodycam.mp4")
    assert "already transcribed" in again.out and again.out.startswith(f"bodycam.mp4\t{count}")
    assert _words(case) == before


def test_the_words_of_both_tracks_are_kept_with_their_times(case, clip):
    case, _ = case
    said = clip[2]
    words = _words(case)
    assert set(words[0]) >= {"word", "start", "end", "track", "confidence"}
    assert {w["track"] for w in words} == {0, 1}
    radio = " ".join(w["word"].lower() for w in words if w["track"] == 1)
    assert "north" in radio and "entrance" in radio
    # the phone phrase's words are heard while it is said (Whisper runs a little late)
    phone = [w for w in words if w["track"] == 0 and w["word"].lower() == "phone"]
    assert len(phone) == 1 and said[1].start_s - 0.2 <= phone[0]["start"] <= said[1].end_s


def test_redact_speech_silences_the_number_on_every_track_and_leaves_the_rest(case, clip, tmp_path):
    case, _ = case
    video, said = clip[1], clip[2]
    r = ok("redact", "speech", case, "bodycam.mp4", "--match", "312[-. ]?8940", "--reason", "b6")
    assert int(r.out.strip()) >= 1
    words = _words(case)
    hit = [w for w in words if w["redacted"]]
    track0 = [w for w in words if w["track"] == 0]
    (match,) = find_matches([w["word"] for w in track0], "312[-. ]?8940")
    digits = [track0[i] for i in match]
    assert all(w["redacted"] for w in digits)
    # only the phone phrase (and what the 0.5 s margin reaches around it) is redacted
    assert all(said[1].start_s - 1.0 <= w["start"] <= said[1].end_s + 1.0 for w in hit)
    out = tmp_path / "out.mp4"
    exported = ok("export", case, "bodycam.mp4", "--out", out)
    # the sweep: the A-number (said as "A" and its digits) is still heard, and says so
    warning = next(ln for ln in exported.err.splitlines() if ln.startswith("warning: bodycam.mp4:"))
    assert "A-number (spoken) at 00:00:" in warning and "201" not in warning
    for track in (0, 1):
        pcm, original = _pcm(out, track), _pcm(video, track)
        assert np.abs(original[int(digits[0]["start"] * 16000):int(digits[-1]["end"] * 16000)]).max() > 0.05
        for w in digits:  # every matched word, with the margin, is silent on every track
            a, b = int((w["start"] - 0.4) * 16000), int((w["end"] + 0.4) * 16000)
            assert np.abs(pcm[a:b]).max() < 0.01, (track, w)
    name = _pcm(out, 0)[int(said[0].start_s * 16000):int((said[0].end_s - 0.6) * 16000)]
    assert np.abs(name).max() > 0.05  # the officer's name was not asked for: still heard
    v = run("verify", out, "--case", case)
    assert v.code == 0, v.out + v.err
    assert "ok   speech in redacted spans (track 1 of 2): no word heard" in v.out


def test_captions_replace_each_redacted_word_by_a_mark(case, tmp_path):
    case, _ = case
    words = _words(case)
    if not any(w["redacted"] for w in words):
        ok("redact", "speech", case, "bodycam.mp4", "--match", "312[-. ]?8940")
        words = _words(case)
    for opt, name in (("--srt", "t.srt"), ("--vtt", "t.vtt")):
        ok("transcript", case, "bodycam.mp4", opt, tmp_path / name)
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "[redacted]" in text
        cue = next(block for block in text.split("\n\n") if "[redacted]" in block)
        body = cue.splitlines()[-1]
        assert "phone number" in body.lower() or "[redacted]" in body
        assert not any(w["word"] in body.split() for w in words if w["redacted"])
    assert not list(tmp_path.glob(".*part"))


def test_search_finds_spoken_words_with_frame_timecode_and_cite(case):
    case, _ = case
    hits = json.loads(ok("search", case, "phone number", "--json").out)
    spoken = [h for h in hits if h.get("found_in") == "speech"]
    assert len(spoken) == 1
    h = spoken[0]
    assert h["kind"] == "video" and h["media_name"] == "bodycam.mp4" and h["match"] == "exact"
    assert isinstance(h["frame"], int) and h["timecode"].count(":") == 2
    assert h["cite"].startswith("bodycam.mp4 at ") and "\u2013" in h["cite"]
    assert "phone number" in h["text"].lower()


def test_an_imported_transcript_is_aligned_and_its_names_found_by_sound(clip, tmp_path):
    folder, video, said = clip
    case = tmp_path / "imported"
    ok("new", case)
    ok("import", case, video)
    srt = tmp_path / "given.srt"

    def stamp(t):
        ms = round(t * 1000)
        return f"00:00:{ms // 1000:02d},{ms % 1000:03d}"
    # cues a little wider than the speech, as people time them
    srt.write_text("\n".join(f"{i}\n{stamp(max(0, s.start_s - 0.3))} --> {stamp(s.end_s + 0.3)}\n{s.text}\n"
                             for i, s in enumerate(said[:2], 1)), encoding="utf-8")
    r = ok("transcript", case, "bodycam.mp4", "--import", srt)
    assert "aligned to the sound" in r.out
    words = _words(case)
    assert [w["word"] for w in words[:3]] == ["Officer", "Keisha", "Brown"]
    first = {w["word"]: w for w in words}
    # the aligner, not the cue, placed each phrase's first word: near where it was said
    assert abs(first["Officer"]["start"] - said[0].start_s) < 0.25
    assert abs(first["Her"]["start"] - said[1].start_s) < 0.25
    hits = json.loads(ok("search", case, "Kesha", "--json").out)
    assert [h["match"] for h in hits if h.get("found_in") == "speech"] == ["near"]
    assert "Keisha" in hits[-1]["text"]
    assert "near miss" in ok("search", case, "Kesha").out


def test_bad_input_is_one_error_line(case, tmp_path):
    case, _ = case
    r = run("transcript", case, "bodycam.mp4", "--import", tmp_path / "missing.srt")
    assert r.code == 1 and r.err.startswith("error: ") and "missing.srt" in r.err
    r = run("redact", "speech", case, "bodycam.mp4", "--match", "(")
    assert r.code == 1 and "not a regular expression" in r.err
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Keisha Brown")
    doc.save(tmp_path / "memo.pdf")
    ok("import", case, tmp_path / "memo.pdf")
    for argv in (("transcribe", case, "memo.pdf"), ("transcript", case, "memo.pdf", "--json"),
                 ("redact", "speech", case, "memo.pdf", "--match", "x")):
        r = run(*argv)
        assert r.code == 1 and r.err.startswith("error: memo.pdf: is a document"), r.err
    empty = tmp_path / "fresh"
    ok("new", empty)
    assert ok("transcribe", empty).out == ""
    r = run("transcribe", empty, "nothing.mp4")
    assert r.code == 1 and r.err.startswith("error: ")
