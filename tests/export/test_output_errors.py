"""Errors on the export path name the right thing: an output folder that cannot
be written, or fills up, is named as the output folder, never as an original that "cannot be
read"; and nothing is left behind in it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: object) -> subprocess.CompletedProcess:
    p = subprocess.run([sys.executable, "-m", "reviewer", *map(str, args)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600, check=False)
    assert "Traceback" not in p.stderr, p.stderr
    return p


@pytest.fixture
def mounted(tmp_path):
    """``mounted(options)``: an empty tmpfs with those mount options (needs root, as in CI's
    container); a read-only folder by permissions for a normal user."""
    made: list[Path] = []

    def mount(options: str) -> Path:
        where = tmp_path / f"mnt{len(made)}"
        where.mkdir()
        if os.geteuid() != 0:
            if options != "ro":
                pytest.skip("a full disk needs a small tmpfs, which needs root")
            where.chmod(0o555)
            return where
        if not shutil.which("mount") or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                capture_output=True, check=False).returncode:
            pytest.skip("cannot mount a tmpfs here")
        made.append(where)
        return where

    yield mount
    for where in made:
        subprocess.run(["umount", str(where)], check=False)


@pytest.fixture
def case(tmp_path, video_file):
    from fixtures.pdfs import make_secrets_pdf

    case = tmp_path / "case"
    video = tmp_path / "cam.mp4"
    shutil.copy(video_file("cfr"), video)
    pdf = make_secrets_pdf(tmp_path / "doc.pdf").path
    assert run("new", case).returncode == 0
    assert run("import", case, video, pdf).returncode == 0
    assert run("redact", "audio", case, "cam.mp4", "--from", "0.2", "--to", "0.5").returncode == 0
    return case


@pytest.mark.parametrize("item", ["cam.mp4", "doc.pdf"])
@pytest.mark.parametrize("options", ["ro", "size=4k"], ids=["read-only", "full"])
def test_output_folder_problems_name_the_output_folder(case, mounted, item, options):
    folder = mounted(options)
    out = folder / f"x{Path(item).suffix}"
    p = run("export", case, item, "--out", out, "--preset", "ultrafast")
    assert p.returncode == 1, p.stdout
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {folder}: "), p.stderr
    assert "output folder" in lines[0] and "cannot be read" not in lines[0], lines[0]
    assert ".part" not in lines[0] and item not in lines[0].split(":", 2)[1]
    assert not out.exists() and not list(folder.iterdir())
