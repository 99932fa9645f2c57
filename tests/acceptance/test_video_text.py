"""`detect text` on a clip with a moving plate drawn by FFmpeg's drawtext, `review --json`,
`search --json` over the words read in the video, and the export covering the plate on every
frame (decoded by FFmpeg, read back by tesseract)."""
from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from acceptance import material as m
from acceptance.conftest import import_ids, ok

PLATE = "7KQB 482"


@pytest.fixture(scope="session")
def plate(work):
    path = work / "plate.mp4"
    font = m._font().replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    m.ffmpeg("-f", "lavfi", "-i", "color=c=gray:size=320x240:rate=25:duration=2", "-vf",
             "drawbox=x=60+t*20:y=90:w=170:h=50:color=white:t=fill,"
             f"drawtext=fontfile={font}:text='{PLATE}':x=70+t*20:y=100:fontsize=30:"
             "fontcolor=black", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
             path)
    case = work / "plate_case"
    ok("new", case)
    (vid,) = import_ids(case, path)
    tracks = int(ok("detect", "text", case, vid, "--match", "7KQB", "--reason", "b7C").out)
    out = work / "plate_redacted.mp4"
    ok("export", case, vid, "--out", out)
    return case, vid, path, out, tracks


def test_detect_text_review_and_search(plate):
    case, vid, _, _, tracks = plate
    assert tracks >= 1
    rows = ok("review", case, vid, "--json").json()
    hit = [r for r in rows if "7KQB" in r["label"]]
    assert hit and hit[0]["status"] == "active" and hit[0]["reason"] == "b7C"
    assert hit[0]["frame_from"] == 0 and hit[0]["frame_to"] == 49
    found = ok("search", case, "7kqb", "--json").json()
    assert found and found[0]["kind"] == "video" and found[0]["media_name"] == "plate.mp4"
    assert found[0]["timecode"] == "00:00:00.000"
    assert found[0]["cite"].startswith("plate.mp4 at 00:00:00.000")


def test_plate_covered_on_every_frame(plate, tmp_path):
    _, _, src, out, _ = plate
    a, b = m.decode_rgb(src), m.decode_rgb(out)
    assert len(a) == len(b) == 50
    for n in range(50):
        x = 70 + round(n / 25 * 20)
        glyphs = b[n][102:128, x + 4:x + 120].astype(int)
        assert np.abs(glyphs - a[n][102:128, x + 4:x + 120].astype(int)).mean() > 20, n
        assert glyphs.std() < 15, f"frame {n}: the plate's letters still show"
    still = tmp_path / "last.png"
    Image.fromarray(np.kron(b[49], np.ones((3, 3, 1), np.uint8))).save(still)
    seen = subprocess.run(["tesseract", str(still), "-"], capture_output=True, text=True).stdout
    assert "7KQB" not in seen.replace(" ", "")
