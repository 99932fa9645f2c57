"""Readings keep the spaces the picture shows: plates and a camera serial rendered with known
text, read by the app's recogniser (PP-OCRv4). It used to run words together ("X81204417"
for "X81 204417", "ABC1234" for a small "ABC 1234"), and a search with the spaces then
found nothing."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from reviewer.media.text import TextReader, word_spans


def _line(text: str, scale: float) -> np.ndarray:
    img = np.full((int(60 * scale) + 10, int((40 + 22 * len(text)) * scale), 3), 235, np.uint8)
    cv2.putText(img, text, (int(10 * scale), int(42 * scale) + 5), cv2.FONT_HERSHEY_SIMPLEX, scale,
                (20, 20, 20), 2 if scale > 0.8 else 1, cv2.LINE_AA)
    return img


@pytest.fixture(scope="module")
def reader() -> TextReader:
    return TextReader()


@pytest.mark.parametrize("text, scale", [("AX0 NB0 DY3 X81 204417", 1.0), ("ABC 1234", 0.6),
                                         ("2026-12-01 10:14:05", 1.0), ("XR5 0917", 0.6)])
def test_the_spaces_in_the_picture_are_in_the_reading(reader, text, scale):
    read = reader.read_crop(_line(text, scale)).text
    assert read.count(" ") == text.count(" "), read
    # the words are where the picture has them: each word's length as drawn
    assert [len(w) for w in read.split(" ")] == [len(w) for w in text.split(" ")], read


def test_word_spans_are_the_gaps_a_word_space_leaves():
    assert len(word_spans(_line("ABC 1234", 1.0))) == 2
    assert len(word_spans(_line("POLICE", 1.0))) == 1
    assert word_spans(np.full((20, 80, 3), 200, np.uint8)) == []  # nothing drawn
