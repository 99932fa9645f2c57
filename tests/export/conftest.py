"""Shared fixtures for export tests: generated media (cached per session) and small cases."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def video_file(tmp_path_factory) -> Callable[..., Path]:
    """``video_file(variant)``: the fixture video of that variant (60 frames, 320x240, audio)."""
    from fixtures.videos import make_video

    folder = tmp_path_factory.mktemp("export-videos")
    cache: dict[str, Path] = {}

    def get(variant: str) -> Path:
        if variant not in cache:
            cache[variant] = make_video(folder / f"{variant}.mp4", variant, n_frames=60)
        return cache[variant]

    return get


@pytest.fixture(scope="session")
def sandbox():
    from reviewer.sandbox import Sandbox

    box = Sandbox()
    yield box
    box.close()


@pytest.fixture
def make_case(tmp_path, sandbox) -> Callable[..., tuple[Any, list[dict]]]:
    """``make_case(*paths)``: a new case holding those files; returns (store, media rows)."""
    from reviewer.session.importer import Imported, import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    stores = []

    def make(*paths: Path) -> tuple[Any, list[dict]]:
        store = CaseStore.create(tmp_path / f"case{len(stores)}")
        stores.append(store)
        results = import_paths(store, list(paths), sandbox=sandbox)
        bad = [r for r in results if not isinstance(r, Imported)]
        assert not bad, bad
        return store, [media_store.get_media(store, r.id) for r in results]

    yield make
    for s in stores:
        s.close()


def apply(store: Any, *commands: Any) -> None:
    from reviewer.session.session import Session

    session = Session(store)
    for cmd in commands:
        session.apply(cmd)


def box_matches(store: Any, media: dict, path: Path, pattern: str, **search: Any) -> list[tuple[int, Any]]:
    """A box (reason b6) over every rectangle of every match of ``pattern`` the search finds in
    ``path`` (the item's file), as `redact text` boxes them; the boxes (page, rect), none
    added when none match."""
    from reviewer.pdf.search import find_matches
    from reviewer.session.redactions import add_page_boxes

    boxes = [(m.page_no, r) for m in find_matches(path, pattern, **search) for r in m.rects]
    if boxes:
        apply(store, add_page_boxes(media["id"], boxes, reason="b6"))
    return boxes
