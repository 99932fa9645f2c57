"""probe_for_import, ``reviewer probe --json``, ``reviewer import``/``list --json``, and the
stored index that makes reopening instant."""
from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest
from fixtures import videos as V

from reviewer.errors import MediaError
from reviewer.media.index import FrameIndex, cached_index, index_file
from reviewer.media.probe import probe_for_import


def run(*args):
    return subprocess.run([sys.executable, "-m", "reviewer", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_probe_fields(videos, variant):
    path, expected = videos[variant]
    r = probe_for_import(str(path))
    f = r["fields"]
    assert f["frame_count"] == len(expected)
    assert (f["width"], f["height"]) == ((120, 160) if variant == "rotated" else (160, 120))
    idx = FrameIndex.from_bytes(r["index"])
    assert idx == index_file(path)
    assert f["duration"] == pytest.approx(float(idx.duration_s))
    if variant != "vfr":
        assert f["fps"] == pytest.approx(V.FPS, rel=1e-3)
        assert f["duration"] == pytest.approx(len(expected) / V.FPS, abs=1e-3)
    assert r["info"]["has_audio"] is True
    assert r["info"]["variable_frame_rate"] is (variant == "vfr")


@pytest.fixture(scope="module")
def bad_files(videos, tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    ff = V.ffmpeg_exe()
    cfr = videos["cfr"][0]
    out = {}
    (d / "empty.mp4").write_bytes(b"")
    out["empty"] = d / "empty.mp4"
    (d / "notes.txt").write_text("Officer notes\n" * 200)
    out["text"] = d / "notes.txt"
    (d / "noise.mp4").write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    out["noise"] = d / "noise.mp4"
    cv2.imwrite(str(d / "still.png"), np.zeros((40, 40, 3), np.uint8))
    out["image"] = d / "still.png"
    data = cfr.read_bytes()
    (d / "cut.mp4").write_bytes(data[: len(data) // 2])  # moov at the end: lost
    out["truncated_moov"] = d / "cut.mp4"
    subprocess.run([ff, "-v", "error", "-i", str(cfr), "-c", "copy", "-movflags", "+faststart",
                    str(d / "fs.mp4")], check=True)
    fs = (d / "fs.mp4").read_bytes()
    (d / "cut_fs.mp4").write_bytes(fs[: len(fs) * 2 // 3])  # index intact, frames missing
    out["truncated_data"] = d / "cut_fs.mp4"
    webm = videos["vp9"][0].read_bytes()
    (d / "cut.webm").write_bytes(webm[: len(webm) // 2])
    out["truncated_webm"] = d / "cut.webm"
    subprocess.run([ff, "-v", "error", "-i", str(cfr), "-c", "copy", "-encryption_scheme", "cenc-aes-ctr",
                    "-encryption_key", "76a6c65c5ea762046bd749a2e632ccbb",
                    "-encryption_kid", "a7e61c373e219033c21091fa607bf3b8", str(d / "drm.mp4")], check=True)
    out["encrypted"] = d / "drm.mp4"
    subprocess.run([ff, "-v", "error", "-i", str(cfr), "-vn", "-c", "copy", str(d / "voice.m4a")], check=True)
    out["audio_only"] = d / "voice.m4a"
    return out


@pytest.mark.parametrize("kind,why", [
    ("empty", "empty"), ("text", "not a video"), ("noise", "not a video"), ("image", "not a video"),
    ("truncated_moov", "truncated"), ("truncated_data", "truncated"), ("truncated_webm", "truncated"),
    ("encrypted", "encrypted"), ("audio_only", "no video track"),
])
def test_rejects_with_one_line_reason(bad_files, kind, why):
    path = bad_files[kind]
    with pytest.raises(MediaError) as err:
        probe_for_import(str(path))
    msg = str(err.value)
    assert msg.startswith(f"{path.name}: ") and why in msg and "\n" not in msg


def test_cli_probe_json(videos):
    path, expected = videos["rotated"]
    res = run("probe", path, "--json")
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout)
    assert rec["kind"] == "video" and rec["name"] == path.name
    assert (rec["frame_count"], rec["width"], rec["height"]) == (len(expected), 120, 160)
    assert rec["duration"] == pytest.approx(len(expected) / V.FPS) and rec["fps"] == pytest.approx(V.FPS)


def test_cli_import_list_and_rejections(videos, bad_files, tmp_path):
    case = tmp_path / "case"
    assert run("new", case).returncode == 0
    good = [videos[v][0] for v in ("editlist", "vfr", "ts")]
    res = run("import", case, *good, bad_files["encrypted"], bad_files["text"])
    assert res.returncode == 1
    printed = [line.split("\t") for line in res.stdout.strip().splitlines()]
    assert [p[1:] for p in printed] == [["video", g.name] for g in good]
    errors = res.stderr.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("error: ") for e in errors)
    assert "drm.mp4: " in errors[0] and "encrypted" in errors[0]
    listed = {r["name"]: r for r in json.loads(run("list", case, "--json").stdout)}
    for g in good:
        variant = g.stem
        assert listed[g.name]["frame_count"] == len(videos[variant][1])


def test_stored_index_loads_without_rebuilding(videos, tmp_path):
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    path, expected = videos["bframes"]
    with CaseStore.create(tmp_path / "c") as store:
        (item,) = import_paths(store, [path])
        row = media_store.get_media(store, item.id)
        cache = media_store.FrameIndexCache(store, item.id)
        stored = cached_index(row["path"], cache)
        assert stored == index_file(path) and stored.count == len(expected)
        # with the original gone, the stored index is still what loads
        assert cached_index(tmp_path / "gone.mp4", cache) == stored
        with store.write() as tx:
            tx.execute("DELETE FROM frame_index WHERE media_id = ?", (item.id,))
        assert media_store.load_frame_index(store, item.id) is None
        assert cached_index(row["path"], cache) == stored  # rebuilt from the file ...
        assert media_store.load_frame_index(store, item.id) is not None  # ... and stored again
