from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reviewer.store import CaseStore
from reviewer.store import media as media_store


def make_case(folder: Path) -> tuple[CaseStore, dict[str, Any], dict[str, Any]]:
    """A case with one video (90 frames, 320x240, 3 s) and one 3-page document, as rows only:
    the builders check against these fields, no file is read."""
    store = CaseStore.create(folder)
    with store.write() as tx:
        vid = media_store.add_media(
            tx, kind="video", name="bodycam.mp4", path=str(folder / "none.mp4"), sha256="a" * 64,
            size=1, fields={"frame_count": 90, "width": 320, "height": 240, "duration": 3.0,
                            "fps": 30.0}, info={})
        doc = media_store.add_media(
            tx, kind="pdf", name="report.pdf", path=str(folder / "none.pdf"), sha256="b" * 64,
            size=1, fields={"page_count": 3}, info={})
        media_store.add_pages(tx, doc, [{"page_no": p, "text": f"page {p}", "width_pt": 612.0,
                                         "height_pt": 792.0} for p in (1, 2, 3)])
    return store, media_store.get_media(store, vid), media_store.get_media(store, doc)


def dump(store: CaseStore) -> dict[str, list[tuple]]:
    """Every row of every case table except the audit log (which only grows)."""
    tables = [r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'pages_fts%' "
        "AND name NOT IN ('audit', 'sqlite_sequence')")]
    return {t: sorted((tuple(r.values()) for r in store.query(f"SELECT * FROM {t}")), key=repr)
            for t in tables}


@pytest.fixture
def case(tmp_path):
    store, video, doc = make_case(tmp_path / "case")
    yield store, video, doc
    store.close()
