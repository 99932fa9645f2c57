"""The decoding fallback agrees with the packet index wherever both work, and exact access
works from it (timestamp seeks only, even for MPEG-TS)."""
from __future__ import annotations

import pytest
from fixtures import videos as V

from reviewer.errors import MediaError
from reviewer.media.decindex import index_by_decoding
from reviewer.media.frames import FrameReader
from reviewer.media.index import index_file
from reviewer.media.probe import probe_for_import


def test_same_frames_as_packet_index(videos, variant):
    path, expected = videos[variant]
    dec = index_by_decoding(path)
    pk = index_file(path)
    assert (dec.pts, dec.rotation, dec.width, dec.height) == (pk.pts, pk.rotation, pk.width, pk.height)
    assert set(dec.keyframes) <= set(range(dec.count))
    with FrameReader(path, dec) as r:
        order = [dec.count - 1, 0, dec.count // 2, dec.count // 2 - 1, 3]
        assert [V.read_number(r.frame(n)) for n in order] == [expected[n] for n in order]


def test_probe_falls_back_to_decoding_when_the_packet_index_fails(videos, monkeypatch):
    from reviewer.media import probe as index_mod

    path, expected = videos["ts"]
    real = index_mod._check_decodes
    calls = []

    def flaky(p, idx, name):  # the packet index "fails" its check once
        calls.append(idx)
        if len(calls) == 1:
            raise MediaError(f"{name}: frame {idx.count - 1} could not be decoded")
        return real(p, idx, name)

    monkeypatch.setattr(index_mod, "_check_decodes", flaky)
    r = probe_for_import(str(path))
    assert r["index_info"]["from"] == "decoding" and r["fields"]["frame_count"] == len(expected)


def test_raw_stream_without_timestamps_is_rejected(videos, tmp_path):
    import subprocess

    raw = tmp_path / "camera.h264"
    subprocess.run([V.ffmpeg_exe(), "-v", "error", "-i", str(videos["bframes"][0]), "-map", "0:v", "-c", "copy",
                    str(raw)], check=True)
    with pytest.raises(MediaError, match="camera.h264: .*timestamps"):
        probe_for_import(str(raw))
