"""Where the shared sample clip with a real face lives."""
from __future__ import annotations

from pathlib import Path

import pytest


def sample_face_clip() -> Path:
    path = Path(__file__).resolve().parents[3] / "shared" / "samples" / "foreman_h264.mp4"
    if not path.exists():
        pytest.skip("the shared sample clip is not here")
    return path
