"""Can a word redaction's span be tightened by forced alignment without leaving sound heard?

    .venv/bin/python bench/speech_tighten.py [--snr 10 5 0] [--voices en-us en-gb ...]

On the planted identifiers of bench/speech.py (each said as its own phrase, so the true span
of its sound is known), for every identifier the recogniser found: PocketSphinx aligns the
matched words inside the padded span (the way ``transcript --import`` aligns a cue), and the
span is tightened to the aligned words plus a margin M. Printed per margin: how many aligned
(the rest would keep the default ±0.5 s), how many tightened spans hold the identifier's
whole sound, and the median width saved against ±0.5 s. A tightening is only safe if every
aligned span holds the whole sound at that margin, in every noise level.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)


def main() -> int:
    from speech import RATE, SCRIPT, script_audio, with_noise  # bench/speech.py

    from reviewer.speech.align import align_cue
    from reviewer.speech.engine import load_model, transcribe
    from reviewer.speech.words import PAD_S, find_matches

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--snr", nargs="*", type=float, default=[10.0, 5.0, 0.0])
    ap.add_argument("--voices", nargs="*", default=["en-us", "en-gb", "en-us+f3", "en-gb+m3"])
    args = ap.parse_args()
    load_model(2)
    print(f"{'voice':9} {'noise':>6} {'found':>5} {'aligned':>7}  "
          + "  ".join(f"in@{m:.2f}" for m in MARGINS) + "  in@pad  saved@0.15  late(start,end)")
    total = {"found": 0, "aligned": 0, "base": 0, **{m: 0 for m in MARGINS}}
    worst: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for voice in args.voices:
            audio0, times = script_audio(voice, Path(tmp))
            for snr in [None, *args.snr]:
                audio, _ = with_noise(audio0, snr, Path(tmp))
                heard = transcribe(audio, threads=2).words
                words = [w.word for w in heard]
                found = aligned = base = 0
                inside = {m: 0 for m in MARGINS}
                saved, late = [], []
                for (_, pattern), (a, b) in zip(SCRIPT, times):
                    if pattern is None:
                        continue
                    hits = [m for m in find_matches(words, pattern)
                            if heard[m[0]].start_s < b + 1.0 and heard[m[-1]].end_s > a - 1.0]
                    if not hits:
                        continue
                    found += 1
                    m = hits[0]
                    ws, we = heard[m[0]].start_s, max(heard[i].end_s for i in m)
                    placed = align_cue(audio, [words[i] for i in m], ws - PAD_S, we + PAD_S)
                    if not placed or placed[0].method != "aligned":
                        continue
                    aligned += 1
                    base += ws - PAD_S <= a and b <= we + PAD_S
                    s, e = placed[0].start_s, max(p.end_s for p in placed)
                    late.append((ws - a, we - b))
                    worst.append((s - a, b - e))  # > 0: the alignment cut sound off at that end
                    for mg in MARGINS:
                        inside[mg] += s - mg <= a and b <= e + mg
                    saved.append(((we - ws + 2 * PAD_S) - (e - s + 0.3)))
                for k, v in (("found", found), ("aligned", aligned), ("base", base)):
                    total[k] += v
                for mg in MARGINS:
                    total[mg] += inside[mg]
                lat = (f"{np.median([x for x, _ in late]):+.2f},{np.median([y for _, y in late]):+.2f}"
                       if late else "-")
                print(f"{voice:9} {'clean' if snr is None else f'{snr:g} dB':>6} {found:>5} "
                      f"{aligned:>7}  " + "  ".join(f"{inside[mg]:>7}" for mg in MARGINS)
                      + f"  {base:>6}  {np.median(saved) if saved else 0:9.2f}s  {lat}")
    print(f"{'all':9} {'':>6} {total['found']:>5} {total['aligned']:>7}  "
          + "  ".join(f"{total[mg]:>7}" for mg in MARGINS) + f"  {total['base']:>6}")
    if worst:
        cut = max(max(x, y) for x, y in worst)
        print(f"largest part of an identifier's sound outside its aligned span: {cut:.3f} s "
              f"(so a margin below that would leave sound heard)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
