"""build_demo_case: generated media, imported through the ordinary importer, reused."""
from __future__ import annotations

import shutil
import time

import pytest

from reviewer.demo import MEDIA_DIR, PDF_NAME, build_demo_case, demo_file_names
from reviewer.demo.clips import demo_scenes
from reviewer.store import CaseStore
from reviewer.store import media as media_store


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "case"
    t0 = time.monotonic()
    assert build_demo_case(folder) == folder
    return folder, time.monotonic() - t0


def _items(folder):
    with CaseStore.open(folder) as store:
        return {r["name"]: r for r in media_store.list_media(store)}


def test_demo_case_holds_the_generated_media(demo):
    folder, seconds = demo
    items = _items(folder)
    assert sorted(items) == sorted(demo_file_names())
    for scene in demo_scenes():
        row = items[scene.name]
        assert row["kind"] == "video"
        assert row["frame_count"] == round(scene.seconds * scene.fps)
        assert (row["width"], row["height"]) == (scene.width_px, scene.height_px)
        assert (folder / MEDIA_DIR / scene.name).stat().st_size < 3 * 1024 * 1024
    assert items[PDF_NAME]["kind"] == "pdf" and items[PDF_NAME]["page_count"] >= 8
    for row in items.values():  # originals referenced where they were made, not copied
        assert row["path"] == str((folder / MEDIA_DIR / row["name"]).resolve())
    assert seconds < 60


def test_demo_case_is_reused_when_complete(demo):
    folder, _ = demo
    before = {p.name: p.stat().st_mtime_ns for p in (folder / MEDIA_DIR).iterdir()}
    t0 = time.monotonic()
    build_demo_case(folder)
    assert time.monotonic() - t0 < 2
    assert {p.name: p.stat().st_mtime_ns for p in (folder / MEDIA_DIR).iterdir()} == before
    assert len(_items(folder)) == len(demo_file_names())


def test_demo_case_finishes_an_interrupted_build(demo, tmp_path):
    folder, _ = demo
    # Media made, case never written (the run was stopped between the two).
    copy = tmp_path / "case"
    shutil.copytree(folder / MEDIA_DIR, copy / MEDIA_DIR)
    kept = {p.name: p.stat().st_mtime_ns for p in (copy / MEDIA_DIR).iterdir()}
    (copy / MEDIA_DIR / PDF_NAME).unlink()  # and one file was never made
    build_demo_case(copy)
    assert sorted(_items(copy)) == sorted(demo_file_names())
    for name, mtime in kept.items():
        if name != PDF_NAME:
            assert (copy / MEDIA_DIR / name).stat().st_mtime_ns == mtime, f"{name} was remade"


def test_demo_withheld_log_finds_every_planted_withholding(demo, tmp_path):
    """The demo is for trying the withheld log: what the agency blacked out must show."""
    import json
    import subprocess
    import sys

    from reviewer.demo.production import make_production

    folder, _ = demo
    proc = subprocess.run([sys.executable, "-m", "reviewer", "withheld", str(folder), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    planted = make_production(tmp_path / "same.pdf").withholdings  # the generator is deterministic
    assert len(found) == len(planted)
    for w in planted:
        match = [f for f in found if f["page"] == w.page_no
                 and all(abs(a - b) < 3 for a, b in zip(f["rect"], w.rect))]
        assert match, f"page {w.page_no} {w.rect} not in the withheld log"
        assert sorted(match[0]["codes"]) == sorted(w.codes)
        assert match[0]["bates"].startswith("ICE-2023-")
