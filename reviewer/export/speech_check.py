"""Listen again to each redacted span of an export: the recogniser must hear no word there.

Silence is checked sample by sample elsewhere (reviewer.export.verify); this is the other
reader's view, the one a listener has: each muted or bleeped span of the written file is
transcribed again on its own and any word heard inside it fails the check. The words
themselves are never printed (they may be what was redacted); only where and how many.
It runs only where the speech model is installed; without it the check is left out, and
nothing claims that it ran.
"""
from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from reviewer.errors import ReviewerError
from reviewer.export.checks import Check

RATE = 16000


def _mono16k(samples: np.ndarray, rate: int) -> np.ndarray:
    mono = samples.mean(axis=0) if samples.ndim == 2 else samples
    if rate == RATE or mono.size == 0:
        return mono.astype(np.float32)
    x = np.arange(0, mono.size, rate / RATE)
    return np.interp(x, np.arange(mono.size), mono).astype(np.float32)


def model_ready() -> bool:
    try:
        from reviewer.speech.engine import check_model, model_dir

        check_model(model_dir())
        return True
    except (ReviewerError, ImportError, OSError):
        return False


def heard_in_spans(samples: np.ndarray, rate: int, first: int, spans: Sequence[Any],
                   label: str = "", edge: int = 1024) -> Check | None:
    """``samples`` (channels x n) start at sample ``first`` after frame 0; ``spans`` are
    AudioSpans, listened to without ``edge`` samples at each end (where AAC smears the
    audible neighbours in, as the silence check allows). None when the model is not
    installed."""
    from reviewer.speech.engine import transcribe

    if not spans or not model_ready():
        return None
    problems, listened, spans_heard = [], 0.0, 0
    for s in spans:
        lo = max(0, int(Fraction(s.t_from_s) * rate) - first + edge)
        hi = min(samples.shape[1], int(Fraction(s.t_to_s) * rate) - first - edge)
        if hi - lo < rate // 10:
            continue
        heard = transcribe(_mono16k(samples[:, lo:hi], rate), threads=2)
        listened += (hi - lo) / rate
        spans_heard += 1
        if heard.words:
            problems.append(f"{float(s.t_from_s):.3f}-{float(s.t_to_s):.3f}s: "
                            f"{len(heard.words)} word(s) heard")
    detail = (f"no word heard by Whisper tiny.en in {spans_heard} redacted span(s) of this track "
              f"({listened:.1f} s listened to)" if not problems else "; ".join(problems))
    return Check("speech in redacted spans" + label, not problems, detail)
