"""A small generated production for the batch tests: three short body-cam clips with a real
face (the foreman sample pasted into a drawn street), made the way the demo makes its
clips, and the demo's eight-page ICE production with its e-mail addresses redacted. Built once
per session; each test gets its own copy of the case (the originals are shared, as a
production on a server is)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from cli.clirun import ok

CLIPS = (("bwc_01 street.mp4", 320, 180, 5), ("bwc_02.mp4", 320, 180, 6), ("bwc_03 door.mp4", 384, 216, 7))
SECONDS = 1.2
FPS = 15


@dataclass(frozen=True)
class Production:
    media: Path
    case: Path  # the template: copy it before changing anything
    videos: tuple[Path, ...]
    pdf: Path


@pytest.fixture(scope="session")
def production(tmp_path_factory) -> Production:
    from reviewer.demo.clips import BodycamScene, make_bodycam_clip
    from reviewer.demo.production import make_production

    root = tmp_path_factory.mktemp("batch production ü")
    media = root / "media"
    media.mkdir()
    videos = []
    for name, w, h, seed in CLIPS:
        scene = BodycamScene(name, SECONDS, w, h, FPS, "", "AB 123", "X100", datetime(2023, 6, 1), seed)
        videos.append(make_bodycam_clip(media / name, scene).path)
    pdf = make_production(media / "ICE release.pdf").path
    case = root / "case"
    ok("new", case)
    ok("import", case, media)
    ok("redact", "text", case, "ICE release.pdf", "--pattern", "email", "--reason", "b6")
    return Production(media, case, tuple(videos), pdf)


@pytest.fixture
def case(production: Production, tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(production.case, dest)
    return dest
