"""Face detection over a whole video, added to the case as box redactions; coverage review.

Every displayed frame is decoded in order; the network runs where the pass needs it
(:mod:`reviewer.media.facescan`), and shot boundaries are found on the way, so no track is
joined across a cut. Detections and boundaries are cached per media file, keyed by its
SHA-256 and the detector's settings, under the case's cache folder, so the coverage review
before export does not search the video again.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from reviewer.annotate import heads
from reviewer.annotate.geometry import Box, BoxTrack, Keyframe
from reviewer.annotate.heads import CURVED, HEAD
from reviewer.annotate.tracks import (
    Detection,
    FaceTrack,
    JoinParams,
    Transition,
    head_of,
    join_tracks,
)
from reviewer.errors import ReviewerError
from reviewer.progress import Progress
from reviewer.session.edits import Batch, Command, Delete, Insert, Update
from reviewer.session.session import Session
from reviewer.store.db import CaseStore

if TYPE_CHECKING:
    from reviewer.media.facescan import FaceScan

CACHE_VERSION = 3  # 2: head boxes from the landmarks, shot boundaries, stride; 3: the transient test


@dataclass(frozen=True)
class DetectSettings:
    threshold: float = 0.2
    max_side: int = 960      # frames are shrunk to this longer side before the network
    # the network on every stride-th frame of a shot, and between two such looks wherever
    # they disagree (media.facescan); None: a fifth of a second of frames, the time the
    # track padding already allows a face to go unseen
    stride: int | None = None

    def key(self) -> dict[str, Any]:
        from reviewer.media.faces import model_path

        model = model_path()
        return {"version": CACHE_VERSION, "threshold": self.threshold, "max_side": self.max_side,
                "stride": self.stride, "model_size": model.stat().st_size}


# The one detector setting the window's Find faces and ``reviewer detect faces`` both run
# with, so a clip gives the same redactions whichever way it was searched.
FACE_SETTINGS = DetectSettings()


def run_status(suggest: bool = False) -> str:
    """The status a run gives its tracks, the window's and the command line's alike: strong
    tracks become redactions at once and only weak ones are suggestions
    (:func:`track_commands`); ``suggest`` (``detect faces --suggest``) makes every track a
    suggestion. A suggestion is never exported, so a run whose every track waited for a
    reviewer's acceptance left faces showing wherever one was not accepted."""
    return "suggested" if suggest else "active"


def stride_for(media_row: dict[str, Any], settings: DetectSettings) -> int:
    """The frames between two looks of the network within a shot."""
    if settings.stride is not None:
        return max(1, int(settings.stride))
    return max(1, round(float(media_row.get("fps") or 30.0) * 0.2))


def join_params(media_row: dict[str, Any]) -> JoinParams:
    """Track joining scaled to the video's rate: bridge misses up to two seconds long within
    a shot (a face turned away for a moment is still there; the coverage review cannot see
    it either), pad a fifth of a second before and after (at least 3 frames)."""
    fps = float(media_row.get("fps") or 30.0)
    return JoinParams(pad_frames=max(3, round(fps * 0.2)), max_gap_frames=max(5, round(fps * 2)),
                      long_gap_frames=max(3, round(fps / 3)), frame_scale=30.0 / max(fps, 1.0))


# -- detections, cached -----------------------------------------------------------------------
def _cache_path(store: CaseStore, sha256: str):
    folder = store.cache_dir / "faces"
    folder.mkdir(exist_ok=True)
    return folder / f"{sha256}.json"


def faces_cached(store: CaseStore, media_row: dict[str, Any]) -> bool:
    """Whether face detection has run on this video (its detections are cached), cheaply:
    the cache is only looked at, not read."""
    return _cache_path(store, media_row["sha256"]).exists()


def _load_cache(store: CaseStore, media_row: dict[str, Any], key: dict[str, Any]) -> FaceScan | None:
    from reviewer.media.facescan import FaceScan

    try:
        data = json.loads(_cache_path(store, media_row["sha256"]).read_text(encoding="utf-8"))
        if data.get("key") != key or data.get("frame_count") != _frame_count(media_row):
            return None
        dets = tuple(Detection(int(f), x, y, w, h, s, Box(hx, hy, hw, hh))
                     for f, x, y, w, h, s, hx, hy, hw, hh in data["detections"])
        transitions = tuple(Transition(int(a), int(b)) for a, b in data["transitions"])
        return FaceScan(dets, transitions, tuple(int(f) for f in data["searched"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save_cache(store: CaseStore, media_row: dict[str, Any], key: dict[str, Any],
                result: FaceScan) -> None:
    try:
        path = _cache_path(store, media_row["sha256"])
    except OSError:
        return  # a case folder we cannot write to: detection still works, uncached
    data = {"key": key, "frame_count": _frame_count(media_row),
            "detections": [[d.frame, d.x_px, d.y_px, d.w_px, d.h_px, d.score,
                            d.head.x_px, d.head.y_px, d.head.w_px, d.head.h_px]
                           for d in result.detections],
            "transitions": [[t.new_from, t.old_to] for t in result.transitions],
            "searched": list(result.searched)}
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".faces-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)  # a reader never sees half a cache
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise


def _frame_count(media_row: dict[str, Any]) -> int:
    return int(media_row.get("frame_count") or 0)


def _rounded(d: Detection) -> Detection:
    """As cached, so a fresh run and a cached one give the very same answer."""
    head = head_of(d)
    return Detection(d.frame, round(d.x_px, 2), round(d.y_px, 2), round(d.w_px, 2),
                     round(d.h_px, 2), round(d.score, 4),
                     Box(round(head.x_px, 2), round(head.y_px, 2), round(head.w_px, 2),
                         round(head.h_px, 2)))


def _index(store: CaseStore, media_row: dict[str, Any]) -> Any:
    """MEDIA's frame index of the item, cached in the case (the frame authority)."""
    from reviewer.media.index import cached_index
    from reviewer.store.media import FrameIndexCache

    return cached_index(media_row["path"], FrameIndexCache(store, media_row["id"]))


def scan_faces(store: CaseStore, media_row: dict[str, Any], progress: Progress | None = None,
               settings: DetectSettings = DetectSettings(), use_cache: bool = True) -> FaceScan:
    """The detection pass: every face the detector sees, and the shot boundaries (cached per
    media file and settings)."""
    if media_row.get("kind") != "video":
        raise ReviewerError(f"{media_row['name']}: is a document; face detection is for videos")
    key = _scan_key(media_row, settings)
    if use_cache:
        cached = _load_cache(store, media_row, key)
        if cached is not None:
            return cached
    index = _index(store, media_row)  # the frame authority: one frame per displayed pts
    result = scan_file(media_row["path"], media_row["name"], index, settings,
                       stride_for(media_row, settings), progress)
    _save_cache(store, media_row, key, result)
    return result


def _scan_key(media_row: dict[str, Any], settings: DetectSettings) -> dict[str, Any]:
    return run_key(media_row, settings)


def run_key(media_row: dict[str, Any], settings: DetectSettings = FACE_SETTINGS) -> dict[str, Any]:
    """The detector's settings as they apply to this video (its stride follows its rate):
    what a run records, and what an export reports it ran with."""
    return {**settings.key(), "stride": stride_for(media_row, settings)}


def scan_file(path: str, name: str, index: Any, settings: DetectSettings, stride: int,
              progress: Progress | None = None, *, span: tuple[int, int] | None = None,
              grid: tuple[int, ...] | None = None, taps: tuple[Any, ...] = ()) -> FaceScan:
    """The pass over the file at ``path`` (numbered by ``index``) without the case: batch
    workers (reviewer.batch) run this where case.db is out of reach, and the coordinator
    caches what it returns (:func:`remember_scan`). ``span`` and ``grid``: one chunk of a
    split pass (:mod:`reviewer.session.detect_chunks`). ``taps``: other passes fed the same
    decoded frames, ``tap(n, frame)`` (:mod:`reviewer.media.shared_decode`), so the video is decoded
    once for all of them."""
    from reviewer.media.decode import Scaler, rotate_rgb
    from reviewer.media.faces import FaceDetector
    from reviewer.media.facescan import probe_size, scan
    from reviewer.media.frames import FrameReader
    from reviewer.media.shots import THUMB

    detector = FaceDetector(threshold=settings.threshold, max_side=settings.max_side)
    count = index.count
    size = (index.width, index.height)
    w_in, h_in = detector.input_size(*size)
    turned = index.rotation in (90, 270)
    sw, sh = (h_in, w_in) if turned else (w_in, h_in)  # the scaler works on the stored picture

    # shrunk by the decoder's scaler: converting a full 1080p frame to RGB only to shrink
    # it costs more than the shrink; one scaler per picture kind and thread (detect runs on
    # the scan's thread, thumb and probe on its decoding thread), each kept across frames
    to_net = Scaler(width=sw, height=sh, format="rgb24", interpolation="AREA")
    thumb = Scaler(width=THUMB[0], height=THUMB[1], format="rgb24", interpolation="AREA")

    def detect(frame: Any, n: int) -> list[Detection]:
        return detector.detect(rotate_rgb(to_net(frame), index.rotation), n, size)

    pw, ph = probe_size(*size)
    if turned:
        pw, ph = ph, pw

    to_probe = Scaler(width=pw, height=ph, format="gray", interpolation="AREA")

    def probe(frame: Any) -> np.ndarray:
        # the transient test's grey picture, as displayed
        return rotate_rgb(to_probe(frame), index.rotation)

    first, last = span if span is not None else (0, count - 1)
    total = max(1, last - first + 1)

    def on_frame(n: int) -> None:
        if progress is not None:
            progress.update(min(1.0, (n - first + 1) / total),
                            f"Finding faces: frame {n + 1} of {count}")

    from reviewer.media.shared_decode import tapped

    with FrameReader(path, index) as reader:
        result = scan(tapped(reader.iter_frames(first, last, as_av=True), taps), last + 1, name,
                      detect, thumb if grid is None else (lambda frame: None), stride, on_frame,
                      probe=probe, size=size, start=first, grid=grid)
    return type(result)(tuple(_rounded(d) for d in result.detections), result.transitions,
                        result.searched)


def cached_scan(store: CaseStore, media_row: dict[str, Any],
                settings: DetectSettings = DetectSettings()) -> FaceScan | None:
    """The cached pass for these settings, or None (never runs the detector)."""
    return _load_cache(store, media_row, _scan_key(media_row, settings))


def remember_scan(store: CaseStore, media_row: dict[str, Any], result: FaceScan,
                  settings: DetectSettings = DetectSettings()) -> None:
    """Cache a pass made elsewhere (a batch worker), as :func:`scan_faces` would."""
    _save_cache(store, media_row, _scan_key(media_row, settings), result)


def find_faces(store: CaseStore, media_row: dict[str, Any], progress: Progress | None = None,
               settings: DetectSettings = DetectSettings(), use_cache: bool = True) -> list[Detection]:
    """Every face the detection pass saw (cached per media file and settings)."""
    return list(scan_faces(store, media_row, progress, settings, use_cache).detections)


# -- tracks as redactions ---------------------------------------------------------------------
def face_tracks(store: CaseStore, media_row: dict[str, Any], progress: Progress | None = None,
                settings: DetectSettings = DetectSettings(),
                result: FaceScan | None = None) -> list[FaceTrack]:
    """The pass (``result`` when a batch worker already made it) joined into tracks."""
    if result is None:
        result = scan_faces(store, media_row, progress, settings)
    return join_tracks(result.detections, _index(store, media_row).count,
                       join_params(media_row), media_row.get("width"), media_row.get("height"),
                       result.transitions)


def next_face_number(store: CaseStore, media_id: int) -> int:
    """After the highest ``Face N`` label detection already gave this video, so a second run
    does not hand out the same names."""
    from reviewer.store.annotations import get_redaction, timeline_tracks

    top = 0
    for row in timeline_tracks(store, media_id):
        if row.get("source") != "detect":
            continue
        label = str(get_redaction(store, row["id"]).get("label") or "")
        if label.startswith("Face ") and label[5:].isdigit():
            top = max(top, int(label[5:]))
    return top + 1


def track_commands(media_row: dict[str, Any], tracks: list[FaceTrack], reason: str, status: str,
                   times: Any = None, first_number: int = 1) -> list[Command]:
    """One box redaction per track. Weak, short tracks become suggestions whatever ``status``
    asks: the user accepts or rejects them person by person."""
    from reviewer.session.redactions import add_box_track

    cmds = []
    for i, t in enumerate(tracks, first_number):
        st = "suggested" if (t.suggested and status == "active") else status
        # a head (reviewer.annotate.heads): round below, a dome above; the corners of its
        # box are background
        cmds.append(add_box_track(media_row["id"], t.frame_from, t.frame_to, t.keyframes,
                                  shape=HEAD, style="solid", reason=reason, source="detect",
                                  status=st, label=f"Face {i}", times=times))
    return cmds


def detect_faces_command(store: CaseStore, media_row: dict[str, Any], reason: str = "b6",
                         status: str = "active", progress: Progress | None = None) -> Command | None:
    """The long part (detection, joining) as one command adding every track, or None when
    no face was found. The window runs this off the GUI thread, then pushes the command on
    its undo stack, so one undo removes the whole run."""
    if status not in ("active", "suggested"):
        raise ReviewerError(f"status must be 'active' or 'suggested', not {status!r}")
    progress = progress or Progress()
    return tracks_command(store, media_row, face_tracks(store, media_row, progress.sub(0.0, 0.98)),
                          reason, status)


def tracks_command(store: CaseStore, media_row: dict[str, Any], tracks: list[FaceTrack],
                   reason: str = "b6", status: str = "active") -> Command | None:
    """One batch adding every track (None when there is none), named after earlier runs'."""
    if not tracks:
        return None
    from reviewer.session.annotations import frame_times

    cmds = track_commands(media_row, tracks, reason, status, frame_times(store, media_row),
                          next_face_number(store, media_row["id"]))
    return Batch(tuple(cmds), label="detect faces")


def detect_faces(store: CaseStore, media_row: dict[str, Any], reason: str = "b6",
                 status: str = "active", progress: Progress | None = None,
                 session: Session | None = None) -> int:
    """Find the faces, join them into tracks, add each as a box redaction (``source='detect'``,
    labelled ``Face N``) in one batch. Returns how many tracks were added."""
    progress = progress or Progress()
    cmd = detect_faces_command(store, media_row, reason, status, progress)
    if cmd is None:
        progress.update(1.0, "No faces found")
        return 0
    (session or Session(store)).apply(cmd)
    progress.update(1.0, f"{len(cmd.commands)} face track(s) added")
    return len(cmd.commands)


# -- coverage review --------------------------------------------------------------------------
def _face_mask(det: Box, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    """Pixels (by centre) of the ellipse inscribed in the detection box: the face itself,
    without the box's corners (background the detector's box always includes)."""
    ys, xs = np.mgrid[y0:y1, x0:x1]
    cx, cy = det.x_px + det.w_px / 2, det.y_px + det.h_px / 2
    rx, ry = max(det.w_px / 2, 0.5), max(det.h_px / 2, 0.5)
    return ((xs + 0.5 - cx) / rx) ** 2 + ((ys + 0.5 - cy) / ry) ** 2 <= 1.0


def _shape_mask(shape: str, box: Box, x0: int, y0: int, x1: int, y1: int,
                width: int, height: int) -> np.ndarray:
    """Pixels of [x0, x1) x [y0, y1) the redaction hides, as the exporter draws it: a
    rectangle rounded outwards to whole pixels, or the ellipse or head drawn in the box."""
    ys, xs = np.mgrid[y0:y1, x0:x1]
    if shape in CURVED:
        return heads.shape_mask(shape, box.x_px, box.y_px, box.w_px, box.h_px, xs + 0.5, ys + 0.5)
    bounds = box.clipped(width, height)
    if bounds is None:
        return np.zeros(xs.shape, dtype=bool)
    bx0, by0, bx1, by1 = bounds
    return (xs >= bx0) & (xs < bx1) & (ys >= by0) & (ys < by1)


def is_covered(det: Box, shapes: list[tuple[str, Box]], width: int, height: int) -> bool:
    """Whether every pixel of the face (the ellipse inscribed in ``det``) lies under one of
    ``shapes`` (``(shape, box)`` of the active redactions on that frame)."""
    bounds = det.clipped(width, height)
    if bounds is None:
        return True  # nothing of it is in the picture
    x0, y0, x1, y1 = bounds
    for shape, box in shapes:  # the usual case: one rectangle holds the whole box
        if shape not in CURVED:
            b = box.clipped(width, height)
            if b is not None and b[0] <= x0 and b[1] <= y0 and b[2] >= x1 and b[3] >= y1:
                return True
    face = _face_mask(det, x0, y0, x1, y1)
    if not face.any():
        return True
    hidden = np.zeros_like(face)
    for shape, box in shapes:
        hidden |= _shape_mask(shape, box, x0, y0, x1, y1, width, height)
        if not (face & ~hidden).any():
            return True
    return False


def shapes_on_frames(tracks: list[BoxTrack], frames: list[int]) -> dict[int, list[tuple[str, Box]]]:
    """The redaction shapes on each of ``frames`` (interpolated once per track with numpy:
    a ``box_at`` call per detection is too slow on long videos). Same rule as ``box_at``:
    linear between keyframes, held before the first and after the last."""
    out: dict[int, list[tuple[str, Box]]] = {f: [] for f in frames}
    want = np.asarray(sorted(set(frames)), dtype=np.float64)
    for t in tracks:
        inside = want[(want >= t.frame_from) & (want <= t.frame_to)]
        if not len(inside) or not t.keyframes:
            continue
        kf = np.asarray([k.frame for k in t.keyframes], dtype=np.float64)
        cols = [np.interp(inside, kf, [getattr(k.box, name) for k in t.keyframes])
                for name in ("x_px", "y_px", "w_px", "h_px")]
        for i, f in enumerate(inside):
            out[int(f)].append((t.shape, Box(*(float(c[i]) for c in cols))))
    return out


def uncovered_face_frames(store: CaseStore, media_row: dict[str, Any],
                          progress: Progress | None = None) -> list[tuple[int, Box]]:
    """``(frame, box)`` for each face the detector sees that no active redaction covers,
    in frame order: what to look at before exporting. Runs detection once per media file
    (then cached)."""
    from reviewer.store.redactions import box_tracks

    dets = find_faces(store, media_row, progress)
    tracks = box_tracks(store, media_row["id"], "active")
    width = int(media_row.get("width") or 0)
    height = int(media_row.get("height") or 0)
    if not width or not height:
        index = _index(store, media_row)
        width, height = index.width, index.height
    shapes = shapes_on_frames(tracks, [d.frame for d in dets])
    return [(d.frame, d.box) for d in sorted(dets, key=lambda d: (d.frame, d.x_px))
            if not is_covered(d.box, shapes[d.frame], width, height)]


# -- tracking assist: writing carried keyframes -----------------------------------------------
def carry_box_command(store: CaseStore, redaction_id: int, keyframes: list[Keyframe],
                      times: Any = None) -> Command:
    """One undoable step writing what the tracking assist carried
    (:func:`reviewer.media.tracking.track_box`) into a box track: the track's keyframes
    within the carried frames are replaced by the carried ones, and the track is extended
    to cover them. The user then corrects any keyframe by hand."""
    from reviewer.store import annotations as notes_store

    if not keyframes:
        raise ReviewerError("nothing was carried")
    track = notes_store.get_redaction(store, redaction_id)
    if track["kind"] != "box":
        raise ReviewerError(f"redaction {redaction_id}: is not a box over frames")
    lo, hi = min(k.frame for k in keyframes), max(k.frame for k in keyframes)
    cmds: list[Command] = [Delete("keyframes", k["id"], label="carry box")
                           for k in notes_store.keyframes_of(store, redaction_id)
                           if lo <= k["frame"] <= hi]
    with_pts = times is not None and notes_store.keyframes_have_pts(store)
    for k in sorted(keyframes, key=lambda k: k.frame):
        row: dict[str, Any] = {"redaction_id": redaction_id, "frame": k.frame,
                               "x": float(k.box.x_px), "y": float(k.box.y_px),
                               "w": float(k.box.w_px), "h": float(k.box.h_px)}
        if with_pts and 0 <= k.frame < times.count:
            row["pts"] = int(times.pts[k.frame])
        cmds.append(Insert("keyframes", row, label="carry box"))
    new_from, new_to = min(track["frame_from"], lo), max(track["frame_to"], hi)
    if (new_from, new_to) != (track["frame_from"], track["frame_to"]):
        cmds.append(Update("redactions", redaction_id, {"frame_from": new_from, "frame_to": new_to},
                           label="carry box"))
    return Batch(tuple(cmds), label="carry box")
