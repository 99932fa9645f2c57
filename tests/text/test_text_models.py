"""The text models come out of the installed rapidocr-onnxruntime wheel (its file list; its
code is never imported), the character list out of the recognition model's own metadata."""
from __future__ import annotations

import sys

import cv2
import numpy as np
import pytest


def test_models_are_the_wheels_files_and_its_code_is_not_imported():
    from reviewer.media import text_models

    det, rec = text_models.det_model_path(), text_models.rec_model_path()
    assert det.name == "ch_PP-OCRv4_det_infer.onnx" and rec.name == "ch_PP-OCRv4_rec_infer.onnx"
    assert det.parent.parent.name == "rapidocr_onnxruntime"
    assert 3_000_000 < det.stat().st_size < 8_000_000 and 8_000_000 < rec.stat().st_size < 14_000_000
    assert "rapidocr_onnxruntime" not in sys.modules


def test_the_character_list_matches_the_recognition_models_classes():
    from reviewer.media.text import TextReader
    from reviewer.media.text_models import characters

    chars = characters()
    assert chars[0] == "" and chars[-1] == " "
    assert set("0123456789") <= set(chars) and set("ABCDEFGHIJKLMNOPQRSTUVWXYZ") <= set(chars)
    reader = TextReader()
    crop = np.full((40, 160, 3), 235, np.uint8)
    cv2.putText(crop, "AB12", (8, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (20, 20, 20), 2)
    blob = cv2.dnn.blobFromImage(cv2.resize(crop, (192, 48)), 1 / 127.5, (192, 48),
                                 (127.5,) * 3, swapRB=True)
    reader._net.setInput(blob)
    assert reader._net.forward().shape[-1] == len(chars)
    got = reader.read_crop(crop)
    assert got.text == "AB12" and got.score > 0.8


def test_metadata_reader_against_a_hand_made_model(tmp_path):
    """ModelProto field 14 (metadata_props: key 1, value 2), among other fields."""
    from reviewer.media.text_models import onnx_metadata

    def field(no: int, payload: bytes) -> bytes:
        size, out = len(payload), b""
        while True:
            b = size & 0x7F
            size >>= 7
            out += bytes([b | (0x80 if size else 0)])
            if not size:
                break
        return bytes([(no << 3) | 2]) + out + payload

    entry = field(1, b"character") + field(2, "a\nb\n字".encode())
    model = bytes([0x08, 0x07]) + field(7, b"\x00" * 300) + field(14, entry)
    path = tmp_path / "m.onnx"
    path.write_bytes(model)
    assert onnx_metadata(path) == {"character": "a\nb\n字"}


def test_a_missing_wheel_is_one_clear_error(monkeypatch):
    import importlib.metadata

    from reviewer.media import text_models

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(text_models.TextModelMissing, match="pip install --no-deps rapidocr-onnxruntime"):
        text_models.det_model_path()


def test_detector_finds_and_reader_reads_lines_on_a_frame():
    from reviewer.media.text import TextDetector, TextReader, read_text

    rng = np.random.default_rng(3)
    frame = cv2.GaussianBlur(rng.integers(40, 140, (360, 640, 3), dtype=np.uint8), (9, 9), 0)
    cv2.rectangle(frame, (200, 200), (340, 240), (235, 235, 235), -1)
    cv2.putText(frame, "7KQB 482", (206, 232), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 20), 2)
    cv2.putText(frame, "POLICE", (420, 120), cv2.FONT_HERSHEY_DUPLEX, 1.2, (230, 230, 40), 2)
    found = {r.text: b for b, r in read_text(frame, TextDetector(), TextReader())}
    assert set(found) == {"7KQB 482", "POLICE"}
    plate = found["7KQB 482"]
    assert plate.x_px <= 206 and plate.x_px + plate.w_px >= 330 and 15 < plate.line_h_px < 45
