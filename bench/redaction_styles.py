"""What a redaction style leaves of a face (docs/decisions/0004).

    .venv/bin/python bench/redaction_styles.py

The real "foreman" sample (resources/demo, 60 frames): one box over the union of the face's
detections on every frame, exported by the `reviewer` command with each style (solid, blur,
pixelate), read back with PyAV. Prints, per style, on how many frames CenterFace still finds
a face centred inside the box, and the median correlation of the box's luminance with the
original's (how much of the picture's structure survives: 1 is all of it). No timing.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np

from reviewer.media.faces import FaceDetector
from reviewer.media.frames import FrameReader
from reviewer.paths import sample_face_clip

CLI = str(Path(sys.executable).with_name("reviewer"))


def run(*args: str) -> str:
    return subprocess.run([CLI, *args], check=True, capture_output=True, text=True).stdout


def main() -> int:
    clip = sample_face_clip()
    detector = FaceDetector()
    with FrameReader(clip) as reader:
        originals = [rgb for _n, rgb in reader.iter_frames()]
    found = [max(detector.detect(rgb, n), key=lambda d: d.score, default=None) for n, rgb in enumerate(originals)]
    boxes = [d for d in found if d is not None]
    x0, y0 = int(min(b.x_px for b in boxes)), int(min(b.y_px for b in boxes))
    x1, y1 = int(max(b.x_px + b.w_px for b in boxes)), int(max(b.y_px + b.h_px for b in boxes))
    print(f"{clip.name}: a face on {len(boxes)}/{len(originals)} frames; box {x0},{y0},{x1 - x0},{y1 - y0}")
    for style in ("solid", "blur", "pixelate"):
        with tempfile.TemporaryDirectory() as tmp:
            case, out = Path(tmp) / "case", Path(tmp) / "out.mp4"
            run("new", str(case))
            media = run("import", str(case), str(clip)).split()[0]
            run("redact", "box", str(case), media, "--frames", f"0:{len(originals) - 1}",
                "--rect", f"{x0},{y0},{x1 - x0},{y1 - y0}", "--style", style, "--reason", "b6")
            run("export", str(case), media, "--out", str(out))
            inside, corr = 0, []
            with FrameReader(out) as reader:
                for n, rgb in reader.iter_frames():
                    centres = [(d.x_px + d.w_px / 2, d.y_px + d.h_px / 2) for d in detector.detect(rgb, n)]
                    inside += any(x0 <= cx <= x1 and y0 <= cy <= y1 for cx, cy in centres)
                    a = originals[n][y0:y1, x0:x1].mean(axis=2).ravel()
                    b = rgb[y0:y1, x0:x1].mean(axis=2).ravel()
                    corr.append(0.0 if b.std() < 1e-6 else float(np.corrcoef(a, b)[0, 1]))
        print(f"  {style:9s} face inside the box on {inside}/{len(originals)} frames; "
              f"correlation with the original box: median {np.median(corr):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
