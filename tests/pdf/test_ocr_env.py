"""tesseract runs with one OpenMP thread: its default threads spin on two cores and made a
page take eight times as long (docs/ARCHITECTURE.md, bench/ocr.py)."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from reviewer.pdf import ocr


def test_one_thread_unless_the_user_set_a_limit(monkeypatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    assert ocr.ocr_env()["OMP_THREAD_LIMIT"] == "1"
    monkeypatch.setenv("OMP_THREAD_LIMIT", "3")
    assert ocr.ocr_env()["OMP_THREAD_LIMIT"] == "3"


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract")
def test_the_command_gets_that_environment_and_a_failure_is_not_a_reading(monkeypatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    seen = []
    real = subprocess.run

    def run(*a, **k):
        seen.append(k.get("env", {}).get("OMP_THREAD_LIMIT"))
        return real(*a, **k)

    monkeypatch.setattr(ocr.subprocess, "run", run)
    assert ocr.read_words(np.full((64, 64), 255, np.uint8)) == []  # read: nothing on it
    assert seen == ["1"]

    def fails(*a, **k):
        return subprocess.CompletedProcess(a[0], 1, b"", b"error")

    monkeypatch.setattr(ocr.subprocess, "run", fails)
    assert ocr.read_words(np.full((64, 64), 255, np.uint8)) is None  # not read: not kept
    assert ocr.ocr_words(np.full((64, 64), 255, np.uint8)) == []
