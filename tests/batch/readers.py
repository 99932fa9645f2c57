"""Readers for the batch tests that are not the project's code: FFmpeg's own decoder (the
imageio-ffmpeg binary) for videos, poppler's pdftotext for PDFs; and the case database
read with plain sqlite3."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import numpy as np


def ffmpeg_frames(path: Path) -> np.ndarray:
    """Every displayed frame as RGB (N, H, W, 3), decoded by the ffmpeg program."""
    from fixtures.videos import ffmpeg_exe

    probe = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"],
                           capture_output=True, text=True, check=True)
    assert probe.stderr == "", probe.stderr
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    size = subprocess.run([ffmpeg_exe(), "-i", str(path)], capture_output=True, text=True).stderr
    import re

    w, h = map(int, re.search(r"Video: .*?, (\d{2,5})x(\d{2,5})", size).groups())
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)


def pdf_text(path: Path) -> str:
    exe = shutil.which("pdftotext")
    assert exe, "poppler's pdftotext is needed (apt-get install poppler-utils)"
    return subprocess.run([exe, str(path), "-"], capture_output=True, text=True, check=True).stdout


def db(case: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(case / "case.db")
    conn.row_factory = sqlite3.Row
    return conn


def case_state(case: Path) -> dict:
    """Everything a batch writes into a case: redactions, keyframes, records, the audit log."""
    with db(case) as conn:
        return {
            "redactions": [dict(r) for r in conn.execute(
                "SELECT id, media_id, kind, reason, status, source, label, frame_from, frame_to "
                "FROM redactions ORDER BY id")],
            "keyframes": [tuple(r) for r in conn.execute(
                "SELECT redaction_id, frame, x, y, w, h FROM keyframes ORDER BY redaction_id, frame")],
            "settings": [tuple(r) for r in conn.execute("SELECT key, value FROM settings ORDER BY key")],
            "audit": conn.execute("SELECT count(*) FROM audit").fetchone()[0],
        }


def face_tracks(case: Path) -> dict[str, list[tuple]]:
    """Per video name: each detected track's frames and keyframes (ids left out, so two
    runs on two copies of a case compare)."""
    out: dict[str, list[tuple]] = {}
    with db(case) as conn:
        for m in conn.execute("SELECT id, name FROM media WHERE kind = 'video' ORDER BY id"):
            tracks = []
            for r in conn.execute("SELECT id, frame_from, frame_to, label, status FROM redactions "
                                  "WHERE media_id = ? AND source = 'detect' ORDER BY id", (m["id"],)):
                kfs = tuple(tuple(k) for k in conn.execute(
                    "SELECT frame, x, y, w, h FROM keyframes WHERE redaction_id = ? ORDER BY frame",
                    (r["id"],)))
                tracks.append((r["frame_from"], r["frame_to"], r["label"], r["status"], kfs))
            out[m["name"]] = tracks
    return out


def media_rows(case: Path) -> list[dict]:
    with db(case) as conn:
        return [dict(r) for r in conn.execute("SELECT * FROM media ORDER BY id")]


def manifest(folder: Path) -> dict:
    return json.loads((folder / ".reviewer-export.json").read_text())
