"""Where the text models live: PaddleOCR's PP-OCRv4 ONNX files inside the installed
``rapidocr-onnxruntime`` wheel, found through its installed-file list, never imported.

The wheel depends on the full ``opencv-python`` (whose bundled Qt clashes with PySide6), so
it is installed without its dependencies (build_spec/dev.py), and nothing of rapidocr's own
code runs: importing it would import that cv2. The recognition model's character list is
stored in the ONNX file's own metadata (``metadata_props["character"]``); it is read here
with a few lines of protobuf decoding, so neither ``onnx`` nor ``onnxruntime`` is needed.
"""
from __future__ import annotations

import importlib.metadata
from functools import lru_cache
from pathlib import Path

from reviewer.errors import ReviewerError

DIST = "rapidocr-onnxruntime"
DET_FILE = "ch_PP-OCRv4_det_infer.onnx"
REC_FILE = "ch_PP-OCRv4_rec_infer.onnx"
MODEL_NAME = "PP-OCRv4 (PaddleOCR, Apache-2.0), from the rapidocr-onnxruntime wheel"


class TextModelMissing(ReviewerError):
    """The text models are not installed."""


def _installed_file(name: str) -> Path:
    try:
        files = importlib.metadata.distribution(DIST).files or []
    except importlib.metadata.PackageNotFoundError:
        raise TextModelMissing(
            f"{name}: the text model is not installed (install the '{DIST}' package without "
            f"its dependencies: pip install --no-deps {DIST})") from None
    for f in files:
        if f.name == name:
            path = Path(str(f.locate()))
            if path.is_file() and path.stat().st_size > 0:
                return path
    raise TextModelMissing(f"{name}: not found inside the installed '{DIST}' package; reinstall it")


def det_model_path() -> Path:
    return _installed_file(DET_FILE)


def rec_model_path() -> Path:
    return _installed_file(REC_FILE)


def models_key() -> dict[str, int]:
    """What identifies the installed models (for caches): their sizes."""
    return {"det": det_model_path().stat().st_size, "rec": rec_model_path().stat().st_size}


# -- the character list in the ONNX metadata ---------------------------------------------------
def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7


def _fields(buf: bytes):
    """(field number, wire type, value) of one protobuf message; length-delimited values as
    memoryview slices (a 10 MB model is walked without copying its weights)."""
    i, n = 0, len(buf)
    view = memoryview(buf)
    while i < n:
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = view[i:i + 8], i + 8
        elif wire == 2:
            size, i = _varint(buf, i)
            value, i = view[i:i + size], i + size
        elif wire == 5:
            value, i = view[i:i + 4], i + 4
        else:
            raise ValueError(f"protobuf wire type {wire} not expected in an ONNX model")
        yield number, wire, value


def onnx_metadata(path: Path) -> dict[str, str]:
    """``ModelProto.metadata_props`` (field 14: key = 1, value = 2) of an ONNX file."""
    data = path.read_bytes()
    out: dict[str, str] = {}
    for number, wire, value in _fields(data):
        if number == 14 and wire == 2:
            entry = {k: bytes(v).decode("utf-8") for k, w, v in _fields(bytes(value)) if w == 2}
            out[entry.get(1, "")] = entry.get(2, "")
    return out


@lru_cache(maxsize=1)
def characters() -> tuple[str, ...]:
    """The recognition model's output classes: CTC blank first, then the dictionary, then
    the space PaddleOCR appends (``use_space_char``)."""
    path = rec_model_path()
    try:
        listed = onnx_metadata(path).get("character", "")
    except (OSError, ValueError, IndexError) as exc:
        raise TextModelMissing(f"{path.name}: cannot read its character list ({exc})") from None
    if not listed:
        raise TextModelMissing(f"{path.name}: carries no character list in its metadata")
    return ("", *listed.splitlines(), " ")
