from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

FOREMAN = Path(__file__).resolve().parents[2] / "resources" / "demo" / "foreman_h264.mp4"


@pytest.fixture(scope="session")
def foreman_path() -> Path:
    return FOREMAN


@pytest.fixture(scope="session")
def foreman_frames() -> list[np.ndarray]:
    """The sample's 60 frames as displayed (RGB), decoded once per session."""
    from reviewer.media.frames import FrameReader

    with FrameReader(FOREMAN) as reader:
        return [rgb for _n, rgb in reader.iter_frames()]


@pytest.fixture(scope="session")
def detector():
    from reviewer.media.faces import FaceDetector

    return FaceDetector()


@pytest.fixture(scope="session")
def foreman_detections(foreman_frames, detector):
    """Detections per frame, by the detector on full displayed frames (the reference the
    case-level tests compare against: independent of detect.py's decoder-side shrink)."""
    return [detector.detect(rgb, n) for n, rgb in enumerate(foreman_frames)]


@pytest.fixture(scope="session")
def foreman_case_template(tmp_path_factory) -> Path:
    """A case with the sample imported (made once; tests copy it)."""
    from reviewer.session.importer import Imported, import_paths
    from reviewer.store import CaseStore

    folder = tmp_path_factory.mktemp("facecase") / "case"
    with CaseStore.create(folder) as store:
        (result,) = import_paths(store, [FOREMAN])
        assert isinstance(result, Imported), result
    return folder


@pytest.fixture
def foreman_case(foreman_case_template, tmp_path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(foreman_case_template, folder)
    return folder
