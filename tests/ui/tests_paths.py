"""Where the sample clip with a real face lives (resources/demo, with its provenance)."""
from __future__ import annotations

from pathlib import Path


def sample_face_clip() -> Path:
    path = Path(__file__).resolve().parents[2] / "resources" / "demo" / "foreman_h264.mp4"
    assert path.is_file(), f"{path} is part of the repository and must be there"
    return path
