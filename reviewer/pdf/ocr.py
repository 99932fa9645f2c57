"""Optical character recognition through the ``tesseract`` command, when it is installed.

Only used to read exemption labels printed in the pixels of scanned pages. Callers must
check :func:`available` and tell the user plainly when it is not.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

import cv2
import numpy as np

OCR_TIMEOUT_S = 120


def available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_env() -> dict[str, str]:
    """tesseract's environment: one OpenMP thread unless the user set a limit. Its default
    (four threads, spinning while they wait) read a full page in 2.7 s on two cores where one
    thread takes 0.34 s (bench/ocr.py); pages are read one after another anyway."""
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    return env


@dataclass(frozen=True)
class OcrWord:
    text: str
    x0_px: int
    y0_px: int
    x1_px: int
    y1_px: int
    line_key: tuple[int, int, int]
    conf: float


def ocr_words(gray: np.ndarray, psm: int = 11) -> list[OcrWord]:
    """Words tesseract reads in a grayscale image (pixel boxes); none when it cannot run."""
    return read_words(gray, psm) or []


def read_words(gray: np.ndarray, psm: int = 11) -> list[OcrWord] | None:
    """Words tesseract reads in a grayscale image (pixel boxes), or None when it did not
    read the image (not installed, timed out, failed): a result worth keeping is a list."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    ok, png = cv2.imencode(".png", gray)
    if not ok:
        return None
    try:
        proc = subprocess.run([exe, "stdin", "stdout", "--psm", str(psm), "-l", "eng", "tsv"],
                              input=png.tobytes(), capture_output=True, timeout=OCR_TIMEOUT_S,
                              env=ocr_env())
    except (subprocess.TimeoutExpired, OSError):
        return None
    if proc.returncode != 0:
        return None
    out: list[OcrWord] = []
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or not cols[11].strip():
            continue
        try:
            left, top, w, h = (int(cols[i]) for i in (6, 7, 8, 9))
            conf = float(cols[10])
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
        except ValueError:
            continue
        out.append(OcrWord(cols[11].strip(), left, top, left + w, top + h, key, conf))
    return out


def ocr_text(gray: np.ndarray, psm: int = 7) -> str:
    """The text of a small image (one line by default)."""
    return " ".join(w.text for w in ocr_words(gray, psm=psm))
