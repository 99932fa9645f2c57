from __future__ import annotations

import pytest
from fixtures import videos as V

N_FRAMES = 45


@pytest.fixture(scope="session")
def video_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media_videos")


@pytest.fixture(scope="session")
def videos(video_dir):
    """Every variant, generated once per session: variant -> (path, expected numbers)."""
    out = {}
    for variant in V.VARIANTS:
        path = V.make_video(video_dir / variant, variant, n_frames=N_FRAMES, size=(160, 120))
        out[variant] = (path, V.shown_numbers(variant, N_FRAMES))
    return out


@pytest.fixture(params=V.VARIANTS)
def variant(request):
    return request.param
