"""Hostile inputs for the CLI contract (docs/CLI.md), generated once per session.

Every command runs in a subprocess, exactly as the acceptance tests call it: the console
script ``.venv/bin/reviewer`` (or ``python -m reviewer``), so exit codes, stdout and stderr
are the real ones and a traceback anywhere is visible.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.clirun import ffmpeg, ok, run


@dataclass(frozen=True)
class Inputs:
    folder: Path
    base: Path          # numbered frames, 45 frames, 30 fps, 160x120, AAC 440 Hz
    noaudio: Path
    subs_meta: Path     # subtitle track, GPS/creation_time/comment metadata
    two_audio: Path
    surround: Path      # 5.1 AAC at 48 kHz
    odd: Path           # 161x121 (4:4:4)
    portrait90: Path    # coded 160x120, display matrix 90 degrees: shown 120x160
    portrait270: Path
    mov: Path
    vfr_mkv: Path
    one_frame: Path
    audio_only: Path
    junk: Path
    empty_pdf: Path
    text_file: Path
    dup_a: Path         # same file name in two folders
    dup_b: Path
    odd_pdf: Path       # page 1 rotated 90, page 2 with a crop box, page 3 non-ASCII text, metadata
    owner_pdf: Path     # owner password only: opens without a password
    user_pdf: Path      # needs a password: refused


N_BASE = 45
SIZE = (160, 120)


@pytest.fixture(scope="session")
def inputs(tmp_path_factory) -> Inputs:
    import pymupdf
    from fixtures.videos import make_video

    d = tmp_path_factory.mktemp("cli inputs ü")  # a space and non-ASCII in every path
    base = make_video(d / "base", "cfr", N_BASE, SIZE, audio=True)
    noaudio = make_video(d / "no audio", "cfr", 30, SIZE, audio=False)
    srt = d / "s.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nSUBTITLE-SECRET\n\n", encoding="utf-8")
    subs = d / "subs gps.mp4"
    ffmpeg("-i", str(base), "-i", str(srt), "-map", "0", "-map", "1", "-c:v", "copy", "-c:a", "copy",
           "-c:s", "mov_text", "-metadata", "location=+40.7128-074.0060/",
           "-metadata", "creation_time=2023-05-01T10:00:00Z", "-metadata", "comment=COMMENT-SECRET",
           "-metadata:s:v", "title=TRACK-SECRET", str(subs))
    srt.unlink()
    two = d / "two audio.mp4"
    ffmpeg("-i", str(base), "-f", "lavfi", "-i", "sine=f=880:d=1.5:sample_rate=44100", "-map", "0:v",
           "-map", "0:a", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", str(two))
    surround = d / "surround.mp4"
    ffmpeg("-i", str(base), "-f", "lavfi", "-i", "sine=f=440:d=1.5:sample_rate=48000", "-map", "0:v",
           "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-ac", "6", str(surround))
    odd = d / "odd.mp4"
    ffmpeg("-i", str(base), "-vf", "scale=161:121", "-c:v", "libx264", "-pix_fmt", "yuv444p",
           "-preset", "ultrafast", "-c:a", "copy", str(odd))
    portraits = []
    for rot in (90, 270):
        out = d / f"portrait{rot}.mp4"
        ffmpeg("-display_rotation", str(rot), "-i", str(base), "-c", "copy", str(out))
        portraits.append(out)
    mov = d / "clip.mov"
    ffmpeg("-i", str(base), "-c", "copy", str(mov))
    vfr_src = make_video(d / "vfr src", "vfr", 40, SIZE, audio=True)
    vfr_mkv = d / "vfr.mkv"
    ffmpeg("-i", str(vfr_src), "-c", "copy", str(vfr_mkv))
    vfr_src.unlink()
    one = d / "one frame.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=160x120:r=30", "-frames:v", "1", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", str(one))
    audio_only = d / "audio only.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=1", "-c:a", "aac", str(audio_only))
    junk = d / "junk.mp4"
    junk.write_bytes(b"not a video at all " * 64)
    empty_pdf = d / "empty.pdf"
    empty_pdf.write_bytes(b"")
    text_file = d / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    (d / "one").mkdir()
    (d / "two" / "deeper").mkdir(parents=True)
    dup_a = make_video(d / "one" / "same", "cfr", 20, SIZE, audio=False)
    dup_b = make_video(d / "two" / "deeper" / "same", "cfr", 25, SIZE, audio=False)

    doc = pymupdf.open()
    p = doc.new_page()
    p.insert_text((72, 100), "Rotated page secret ALPHA-123", fontsize=12)
    p.set_rotation(90)
    p = doc.new_page()
    p.insert_text((72, 100), "Cropped page BETA-456", fontsize=12)
    p.set_cropbox(pymupdf.Rect(50, 50, 400, 500))
    p = doc.new_page()
    p.insert_text((72, 100), "Ñandú café Straße GAMMA-789", fontsize=12)
    doc.set_metadata({"author": "AUTHOR-SECRET", "title": "TITLE-SECRET"})
    odd_pdf = d / "odd pages ü.pdf"
    doc.save(odd_pdf)
    owner_pdf = d / "owner only.pdf"
    doc.save(owner_pdf, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="",
             permissions=0)
    user_pdf = d / "locked.pdf"
    doc.save(user_pdf, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user")
    return Inputs(d, base, noaudio, subs, two, surround, odd, portraits[0], portraits[1], mov,
                  vfr_mkv, one, audio_only, junk, empty_pdf, text_file, dup_a, dup_b, odd_pdf,
                  owner_pdf, user_pdf)


GOOD_VIDEOS = ("base", "noaudio", "subs_meta", "two_audio", "surround", "odd", "portrait90",
               "portrait270", "mov", "vfr_mkv", "one_frame", "dup_a", "dup_b")
GOOD_PDFS = ("odd_pdf", "owner_pdf")
BAD = ("audio_only", "junk", "empty_pdf", "text_file", "user_pdf")


@pytest.fixture(scope="session")
def imported(inputs, tmp_path_factory):
    """One case holding every good input (imported as a folder), and the import's result."""
    case = tmp_path_factory.mktemp("cli case") / "the case"
    ok("new", case)
    r = run("import", case, inputs.folder)
    ids = {}
    for line in r.lines:
        mid, _kind, name = line.split("\t")
        ids.setdefault(name, []).append(int(mid))
    return case, r, ids
