"""FrameServer: exact frames from a worker thread, cache bounded, newest request wins."""
from __future__ import annotations

import threading
import time

import pytest
from fixtures import videos as V

from reviewer.errors import MediaError
from reviewer.media.server import FrameServer


@pytest.mark.parametrize("name", ["cfr", "bframes", "editlist", "rotated", "ts", "vp9"])
def test_get_forward_then_backward(videos, name):
    path, expected = videos[name]
    with FrameServer(path, cache_mb=64) as s:
        order = list(range(len(expected))) + list(reversed(range(len(expected))))
        assert [V.read_number(s.get(n, timeout=30)) for n in order] == [expected[n] for n in order]


def test_stepping_back_after_playing_forward_hits_cache(videos):
    path, expected = videos["bframes"]
    with FrameServer(path, cache_mb=64, prefetch=4) as s:
        for n in range(30):
            s.get(n, timeout=30)
        for n in range(29, 10, -1):
            assert s.cached(n) is not None, n  # already decoded while playing forward
            assert V.read_number(s.get(n, timeout=30)) == expected[n]


def test_prefetch_backwards_fills_the_stretch_before(videos):
    path, expected = videos["cfr"]
    with FrameServer(path, cache_mb=64, prefetch=6) as s:
        s.get(40, timeout=30)
        s.get(39, timeout=30)  # direction of travel is now backwards
        deadline = time.time() + 10
        while time.time() < deadline and not all(s.cached(n) is not None for n in range(33, 39)):
            time.sleep(0.02)
        assert all(V.read_number(s.cached(n)) == expected[n] for n in range(33, 39))


def test_memory_is_bounded(videos):
    path, _ = videos["cfr"]
    one_frame = 160 * 120 * 3 // 2
    with FrameServer(path, cache_mb=1, prefetch=4) as s:
        for n in range(45):
            s.get(n, timeout=30)
        info = s.cache_info()
        assert 0 < info["bytes"] <= info["limit"] == 1024 * 1024
        assert info["frames"] <= 1024 * 1024 // one_frame + 1


def test_newest_request_wins(videos):
    path, expected = videos["hevc"]
    got: list[tuple[int, int]] = []
    done = threading.Event()

    def cb(n, rgb):
        got.append((n, V.read_number(rgb)))
        if n == 44:
            done.set()

    with FrameServer(path, cache_mb=64, prefetch=0) as s:
        s.get(0, timeout=30)
        for n in (30, 10, 20, 5, 44):  # a burst: only the newest must be served for sure
            s.request(n, cb)
        assert done.wait(30)
        time.sleep(0.1)
    assert got[-1] == (44, expected[44])
    assert all(num == expected[n] for n, num in got)
    assert len(got) < 5


def test_requests_from_several_threads(videos):
    path, expected = videos["vfr"]
    errors = []
    with FrameServer(path, cache_mb=64) as s:
        def worker(start):
            for n in range(start, len(expected), 3):
                if V.read_number(s.get(n, timeout=30)) != expected[n]:
                    errors.append(n)
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not errors


def test_out_of_range_raises(videos):
    with FrameServer(videos["cfr"][0]) as s, pytest.raises(MediaError):
        s.get(10_000)


def test_worker_survives_an_unexpected_decoder_error(videos, monkeypatch):
    path, expected = videos["cfr"]
    with FrameServer(path, cache_mb=64, prefetch=0) as s:
        s.get(0, timeout=30)  # the worker has made its reader
        real = s._reader.decode_to
        calls = {"n": 0}

        def boom(n, on_frame=None):
            calls["n"] += 1
            if calls["n"] == 1:
                raise RuntimeError("simulated decoder fault")
            return real(n, on_frame)

        monkeypatch.setattr(s._reader, "decode_to", boom)
        with pytest.raises(MediaError, match="simulated decoder fault"):
            s.get(20, timeout=30)
        assert V.read_number(s.get(21, timeout=30)) == expected[21]  # a fresh reader serves on
