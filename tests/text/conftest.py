"""A generated clip with text in it (reviewer.demo.text_clips), imported into a case on which
``reviewer detect text`` ran once per session; tests that change the case use a copy."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli.clirun import ok

PLATE_RE = r"^\d[A-Z]{3} ?\d{3}$"


@dataclass(frozen=True)
class TextCase:
    folder: Path
    clip: object          # reviewer.demo.text_clips.TextClip
    printed: str          # what detect text printed


@pytest.fixture(scope="session")
def text_clip(tmp_path_factory):
    from reviewer.demo.text_clips import make_text_clip

    return make_text_clip(tmp_path_factory.mktemp("text-clip") / "street.mp4")


@pytest.fixture(scope="session")
def detected(tmp_path_factory, text_clip) -> TextCase:
    folder = tmp_path_factory.mktemp("text-case") / "case"
    ok("new", folder)
    ok("import", folder, text_clip.path)
    r = ok("detect", "text", folder, "street.mp4", "--match", PLATE_RE, "--reason", "b7C")
    return TextCase(folder, text_clip, r.out)


@pytest.fixture
def case_copy(detected, tmp_path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(detected.folder, dest)
    return dest
