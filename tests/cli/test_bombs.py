"""Files built to exhaust memory or hang the reader are refused with one line, under a memory
limit for the whole process tree (as a shared office machine has), in seconds.

- a 4 MB video whose one picture is 16000x16000 (a valid JPEG in an AVI: decoding it to RGB
  took 1.8 GB and wrote a 16000x16000 PNG in the command's own process);
- a video of small pictures with one such picture in the middle (passes the import, which
  decodes the first and last frames; the export decodes them all);
- PDFs of a few kilobytes that MuPDF never finishes reading: form XObjects nested forty deep,
  twelve levels that each draw the next eight times, one that draws itself;
- the sandbox child's own memory limit (reviewer.sandbox).
"""
from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.clirun import ROOT, ok

LIMIT = 3 << 30  # address space for the command and its children: well under what the bombs took
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS")


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def run_limited(*argv: object, timeout: float = 120):
    p = subprocess.run([sys.executable, "-m", "reviewer", *map(str, argv)], capture_output=True,
                       text=True, timeout=timeout, cwd=str(ROOT), preexec_fn=_limited)
    assert "Traceback" not in p.stderr, p.stderr
    return p


def _jpeg(side: int, lines: int) -> bytes:
    import cv2
    import numpy as np

    img = np.zeros((side, side), np.uint8)
    img[::lines, :] = 255  # a picture, not a flat field
    ok_, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 50])
    assert ok_
    return jpg.tobytes()


def _mjpeg(path: Path, pictures: list[bytes], side: int) -> Path:
    """An AVI of the given JPEGs as they are (no decoding, no re-encoding)."""
    import av

    with av.open(str(path), "w", format="avi") as out:
        s = out.add_stream("mjpeg", rate=10)
        s.width = s.height = side
        s.pix_fmt = "yuvj420p"
        for i, data in enumerate(pictures):
            pkt = av.Packet(data)
            pkt.stream, pkt.pts, pkt.dts = s, i, i
            out.mux(pkt)
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    d = tmp_path_factory.mktemp("bombs")
    huge = _jpeg(16000, 512)
    small = _jpeg(320, 16)
    one = _mjpeg(d / "huge.avi", [huge], 16000)
    mid = _mjpeg(d / "midway.avi", [small] * 4 + [huge] + [small] * 5, 320)
    del huge
    from fixtures.pdf_bombs import fanout, nested, self_drawing

    pdfs = [nested(d / "nested.pdf"), fanout(d / "fanout.pdf"), self_drawing(d / "self.pdf")]
    return d, one, mid, pdfs


def _one_line(p, name: str, why: str) -> None:
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert p.stderr.startswith(f"error: {name}: ") and why in p.stderr, p.stderr
    assert len(p.stderr.splitlines()) == 1, p.stderr


def test_frame_refuses_a_huge_picture(bombs, tmp_path):
    _, one, _, _ = bombs
    assert one.stat().st_size < 5_000_000
    started = time.monotonic()
    p = run_limited("frame", one, "--frame", "0", "--out", tmp_path / "f.png")
    _one_line(p, "huge.avi", "its pictures are 16000x16000 pixels")
    assert not (tmp_path / "f.png").exists() and time.monotonic() - started < 60


def test_import_refuses_a_huge_picture_and_pdfs_built_to_hang(bombs, tmp_path):
    _, one, _, pdfs = bombs
    case = tmp_path / "case"
    ok("new", case)
    started = time.monotonic()
    p = run_limited("import", case, one, *pdfs, timeout=240)
    took = time.monotonic() - started
    assert p.returncode == 1 and p.stdout == "", p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 4, p.stderr
    assert lines[0] == ("error: huge.avi: its pictures are 16000x16000 pixels, larger than the "
                        "8192x4320 (8K) this program decodes; refused")
    assert all("a file built to hang the reader, refused" in ln for ln in lines[1:]), p.stderr
    assert "nests form XObjects more than" in lines[1] and "draws itself" in lines[3]
    assert took < 60, f"{took:.0f} s"
    assert ok("list", case).out.strip() == ""


def test_export_and_frame_refuse_a_huge_picture_midway(bombs, tmp_path):
    _, _, mid, _ = bombs
    case = tmp_path / "case"
    ok("new", case)
    ok("import", case, mid)  # its first and last pictures are small
    p = run_limited("export", case, "midway.avi", "--out", tmp_path / "out.mp4", "--preset", "ultrafast")
    _one_line(p, "midway.avi", "its pictures are 16000x16000 pixels")
    assert [q.name for q in tmp_path.iterdir() if q.name != "case"] == []
    p = run_limited("frame", mid, "--frame", "4", "--out", tmp_path / "f.png")
    _one_line(p, "midway.avi", "its pictures are 16000x16000 pixels")
    assert not (tmp_path / "f.png").exists()
    ok("frame", mid, "--frame", "3", "--out", tmp_path / "f.png")  # the small ones still read


def test_export_refuses_a_pdf_built_to_hang(bombs):
    """Export opens the original again: the same structural limits apply there."""
    from reviewer.errors import MediaError
    from reviewer.export.pdf import open_pdf

    *_, pdfs = bombs
    for pdf in pdfs:
        started = time.monotonic()
        with pytest.raises(MediaError, match="a file built to hang the reader"):
            open_pdf(pdf, pdf.name)
        assert time.monotonic() - started < 5


def test_the_sandbox_child_has_a_memory_limit(monkeypatch):
    from reviewer.errors import MediaError
    from reviewer.sandbox import Sandbox

    monkeypatch.setenv("REVIEWER_SANDBOX_MEMORY_MB", "1024")
    with Sandbox() as box:
        soft, _ = box.run("resource:getrlimit", (resource.RLIMIT_AS,), label="limit")
        assert soft == 1024 << 20
        with pytest.raises(MediaError, match=r"^bomb: reading it needs more than the 1024 MB of memory"):
            box.run("numpy:ones", ((1 << 30,),), label="bomb")  # 8 GB of float64
        assert box.run("os:getpid", (), label="after") > 0  # a fresh child takes the next job
