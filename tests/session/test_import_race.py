"""A file replaced while it is imported: the case never stores one file's SHA-256 with another
file's index. The importer hashes the path, then the sandbox reopens the path to index it; a
sync client still copying the production into the folder swaps the file in between."""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time

import pytest

from fixtures.pdfs import make_production_pdf
from fixtures.videos import make_video
from reviewer.sandbox import Sandbox
from reviewer.session.importer import Imported, Rejected, import_paths
from reviewer.store import CaseStore
from reviewer.store import media as media_store


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    d = tmp_path_factory.mktemp("race")
    short = make_video(d / "short", "cfr", 12, (160, 120), audio=False)
    long = make_video(d / "long", "cfr", 75, (160, 120), audio=False)
    return short, long


class SwapBeforeIndexing(Sandbox):
    """The sandbox, with the file swapped for another right before the child indexes it."""

    def __init__(self, swap) -> None:
        super().__init__()
        self.swap = swap

    def run(self, *args, **kwargs):
        self.swap()
        return super().run(*args, **kwargs)


@pytest.mark.parametrize("kind", ["video", "pdf"])
def test_a_file_replaced_between_hashing_and_indexing_is_refused_by_name(tmp_path, clips, kind):
    if kind == "video":
        first, second = clips
    else:
        first = make_production_pdf(tmp_path / "a.pdf", n_pages=2).path
        second = make_production_pdf(tmp_path / "b.pdf", n_pages=5, start=500).path
    target = tmp_path / "incoming" / f"production{first.suffix}"
    target.parent.mkdir()
    shutil.copy(first, target)
    store = CaseStore.create(tmp_path / "case")
    def swap() -> None:  # as a sync client does: a whole new file renamed over the old one
        shutil.copy(second, target.with_suffix(".tmp"))
        os.replace(target.with_suffix(".tmp"), target)

    box = SwapBeforeIndexing(swap)
    try:
        results = import_paths(store, [target], sandbox=box)
        assert len(results) == 1 and isinstance(results[0], Rejected), results
        assert results[0].name == target.name and "changed while it was being imported" in results[0].why
        assert media_store.list_media(store) == []
        # once the copy has settled, the same file imports, hash and index of one file
        box.swap = lambda: None
        again = import_paths(store, [target], sandbox=box)
        assert isinstance(again[0], Imported), again
        row = media_store.list_media(store)[0]
        assert row["sha256"] == _sha(second)
    finally:
        box.close()
        store.close()


def test_a_real_writer_swapping_the_file_never_gets_a_mixed_record(tmp_path, clips):
    """A thread swaps two clips under one name as fast as it can while imports run: every
    item the case takes has the SHA-256 and the frame count of one and the same clip."""
    short, long = clips
    truth = {_sha(short): 12, _sha(long): 75}
    target = tmp_path / "incoming" / "cam.mp4"
    target.parent.mkdir()
    shutil.copy(short, target)
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            src = (short, long)[n % 2]
            tmp = target.with_name(f".cam.{n}.part")
            shutil.copy(src, tmp)
            os.replace(tmp, target)
            n += 1
            time.sleep(0.002)

    thread = threading.Thread(target=writer, daemon=True)
    imported = refused = 0
    with Sandbox() as box:
        thread.start()
        try:
            for n in range(8):
                store = CaseStore.create(tmp_path / f"case{n}")
                try:
                    for r in import_paths(store, [target], sandbox=box):
                        if isinstance(r, Imported):
                            imported += 1
                            row = media_store.list_media(store)[0]
                            assert truth[row["sha256"]] == row["frame_count"], \
                                f"try {n}: SHA-256 of one clip stored with the frame count of the other"
                        else:
                            refused += 1
                            assert "changed while it was being imported" in r.why, r
                finally:
                    store.close()
        finally:
            stop.set()
            thread.join(10)
    assert imported + refused == 8
