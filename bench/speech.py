"""Speech: what the recogniser costs and what it finds, on speech made for the purpose.

    .venv/bin/python bench/speech.py [--snr 20 10 5] [--voices en-us en-gb]

For each voice and noise level, espeak-ng says a short body-camera script in which five
kinds of identifier are planted (names, an address, a phone number, an A-number, a date of
birth), each said as its own phrase so its true time is known; sox mixes in white noise at
the signal-to-noise ratio given ("clean" is no noise). Then, with the app's own code:

- CPU seconds per second of audio for the whole transcription (voice detector included; a
  ratio to the audio's own length, so a busy machine shows as wall time, not here);
- word error rate against the script (numbers compared as digits, punctuation ignored);
- the share of planted identifiers found by the pattern a reviewer would type for it
  (``redact speech --match``), matched only within its own phrase's time;
- of those found, the share whose whole spoken span is inside the padded (0.5 s) redaction
  spans, i.e. silenced from its first sound to its last.

Nothing is downloaded. The numbers are measurements on synthetic speech: they say nothing
about a given body-camera recording, and never that all spoken identifiers were found.
Real read speech: the five LibriVox sentences (public domain) in tests/fixtures/librivox
(copied from Debian's pocketsphinx-testdata; see the README there), clean and with the
same noise levels: CPU seconds per second and WER only (nothing is planted in them).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RATE = 16000
# (text said, pattern a reviewer types for it, or None for filler)
SCRIPT = [
    ("Dispatch, this is unit four, I am out with one subject.", None),
    ("Her name is", None),
    ("Keisha Brown.", r"keisha\s*brown"),
    ("She lives at", None),
    ("twenty two Maple Avenue.", r"22\s*maple(\s*avenue)?"),
    ("Her phone number is", None),
    ("five five five, three one two, eight nine four zero.", r"555-?312-?8940"),
    ("Her A number is", None),
    ("A 2 0 1 5 5 7 3 4 2.", r"a-?201557342"),
    ("Date of birth", None),
    ("March fourth, nineteen ninety.", r"march\s*4(th)?\s*(19)?90"),
    ("The partner is", None),
    ("Marcus Johnson.", r"marcus\s*johnson"),
    ("Okay, stand by.", None),
]
PAUSE_S = (0.25, 0.8)  # after a lead-in phrase, after anything else


def espeak(text: str, voice: str, folder: Path) -> np.ndarray:
    out = folder / "p.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(out), text], check=True,
                   capture_output=True)
    conv = folder / "p16.wav"
    subprocess.run(["sox", str(out), "-r", str(RATE), "-c", "1", "-b", "16", str(conv)], check=True)
    with wave.open(str(conv)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    loud = np.flatnonzero(np.abs(pcm) > 0.01)
    return pcm[loud[0]:loud[-1] + 1] if loud.size else pcm


def script_audio(voice: str, folder: Path) -> tuple[np.ndarray, list[tuple[float, float]]]:
    parts, times, t = [np.zeros(RATE // 2, np.float32)], [], 0.5
    for text, pattern in SCRIPT:
        pcm = espeak(text, voice, folder)
        times.append((t, t + len(pcm) / RATE))
        pause = PAUSE_S[0] if pattern is None and text.endswith("is") or text == "Date of birth" else PAUSE_S[1]
        parts += [pcm, np.zeros(int(pause * RATE), np.float32)]
        t += len(pcm) / RATE + pause
    return np.concatenate(parts), times


def with_noise(audio: np.ndarray, snr_db: float | None, folder: Path) -> tuple[np.ndarray, float]:
    """White noise from sox, scaled to ``snr_db`` under the speech; and sox's CPU seconds."""
    if snr_db is None:
        return audio, 0.0
    noise_wav = folder / "noise.wav"
    before = time.process_time()
    t0 = _children_cpu()
    subprocess.run(["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(noise_wav), "synth",
                    f"{len(audio) / RATE:.3f}", "whitenoise", "vol", "0.3"], check=True)
    cpu = _children_cpu() - t0 + time.process_time() - before
    with wave.open(str(noise_wav)) as w:
        noise = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    noise = np.resize(noise, audio.shape)
    speech = audio[np.abs(audio) > 0.01]
    gain = np.sqrt(np.mean(speech ** 2) / 10 ** (snr_db / 10) / max(np.mean(noise ** 2), 1e-12))
    return np.clip(audio + gain * noise, -1, 1), cpu


def _children_cpu() -> float:
    import os

    t = os.times()
    return t.children_user + t.children_system


def wer(ref: list[str], hyp: list[str]) -> float:
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)] / max(1, len(ref))


def tokens(words: list[str]) -> list[str]:
    """Numbers as single digits, so "555" and "five five five" count alike."""
    from reviewer.speech.words import normalize

    out: list[str] = []
    for t in normalize(words):
        out += list(t) if t.isdigit() else ([t] if t else [])
    return out


def run_one(voice: str, snr: float | None, folder: Path) -> dict[str, float]:
    from reviewer.speech.engine import transcribe
    from reviewer.speech.words import find_matches, padded_spans

    audio, times = script_audio(voice, folder)
    audio, sox_cpu = with_noise(audio, snr, folder)
    seconds = len(audio) / RATE
    before = time.process_time()
    heard = transcribe(audio, threads=2)
    cpu = time.process_time() - before
    words = [w.word for w in heard.words]
    error = wer(tokens([w for text, _ in SCRIPT for w in text.split()]), tokens(words))
    planted = found = silenced = 0
    for (text, pattern), (a, b) in zip(SCRIPT, times):
        if pattern is None:
            continue
        planted += 1
        hits = [m for m in find_matches(words, pattern)
                if heard.words[m[0]].start_s < b + 1.0 and heard.words[m[-1]].end_s > a - 1.0]
        if not hits:
            continue
        found += 1
        spans = padded_spans([(heard.words[m[0]].start_s, heard.words[m[-1]].end_s) for m in hits])
        silenced += any(x <= a and b <= y for x, y in spans)
    return {"seconds": seconds, "cpu": cpu, "sox_cpu": sox_cpu, "wer": error, "planted": planted,
            "found": found, "silenced": silenced}


def librivox_rows(snrs: list[float], folder: Path) -> list[tuple[str, float, float, float]]:
    """(noise, seconds, CPU s, WER) on the LibriVox sentences."""
    from reviewer.speech.engine import transcribe

    lv = ROOT / "tests" / "fixtures" / "librivox"
    pcm, ref = [], []
    for line in (lv / "transcription").read_text().splitlines():
        text, _, ident = line.rpartition("(")
        ref += text.replace("<s>", "").replace("</s>", "").split()
        with wave.open(str(lv / f"{ident.strip(' )')}.wav")) as w:
            pcm.append(np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768)
            pcm.append(np.zeros(RATE // 2, np.float32))
    clean = np.concatenate(pcm)
    rows = []
    for snr in [None, *snrs]:
        audio, _ = with_noise(clean, snr, folder)
        before = time.process_time()
        heard = transcribe(audio, threads=2)
        cpu = time.process_time() - before
        rows.append(("clean" if snr is None else f"{snr:g} dB", len(audio) / RATE, cpu,
                     wer(tokens(ref), tokens([w.word for w in heard.words]))))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--snr", nargs="*", type=float, default=[10.0, 5.0],
                    help="noise levels in dB besides clean speech")
    ap.add_argument("--voices", nargs="*", default=["en-us", "en-gb"])
    args = ap.parse_args()
    from reviewer.speech.engine import MODEL_NAME, load_model

    load_model(2)  # loading is paid once per worker, not per second of audio
    print(f"model {MODEL_NAME}; {len([p for _, p in SCRIPT if p])} planted identifiers per script")
    print(f"{'voice':7} {'noise':>6} {'audio s':>8} {'CPU s/s':>8} {'WER':>6} {'found':>7} {'silenced':>9}")
    totals = {"found": 0, "planted": 0, "silenced": 0, "cpu": 0.0, "seconds": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        for voice in args.voices:
            for snr in [None, *args.snr]:
                r = run_one(voice, snr, Path(tmp))
                for k in totals:
                    totals[k] += r[k]
                noise = "clean" if snr is None else f"{snr:g} dB"
                print(f"{voice:7} {noise:>6} {r['seconds']:8.1f} {r['cpu'] / r['seconds']:8.3f} "
                      f"{r['wer']:6.1%} {r['found']:>3}/{r['planted']:<3} "
                      f"{r['silenced']:>4}/{r['found']:<4}")
        for noise, secs, cpu, error in librivox_rows(args.snr, Path(tmp)):
            print(f"{'LibriVox':7} {noise:>6} {secs:8.1f} {cpu / secs:8.3f} {error:6.1%}")
    print(f"all: {totals['cpu'] / totals['seconds']:.3f} CPU s per s of audio; "
          f"{totals['found']}/{totals['planted']} planted identifiers found "
          f"({totals['found'] / max(1, totals['planted']):.0%}); "
          f"{totals['silenced']}/{totals['found']} of those silenced whole with 0.5 s margins "
          f"({totals['silenced'] / max(1, totals['found']):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
