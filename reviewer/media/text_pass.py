"""One pass over a video finding, following and reading the text in its pictures.

Detection costs ~150 ms a frame, so it runs on sampled frames only (every ``stride``-th,
about every 0.5 s); between samples every text region is carried frame by frame on small
grey pictures by matching its own picture (text is rigid and flat: from one frame to the
next it only moves), and checked against the picture of its last detection so a tracker
holding on to background ends the track; so a plate on a moving car, or a body camera that
shakes, is followed on every frame rather than interpolated. Text that appears between two
samples is carried backwards from the sample that first sees it through the frames kept
since the previous one. A track ends when two samples in a row no longer see it.

Each track is read (PP-OCRv4 recognition) from the full-size picture at its first look,
again whenever a letter of it changes, and once a second while no reading was sure.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reviewer.annotate.geometry import Box
from reviewer.annotate.tracks import iou
from reviewer.errors import ReviewerError
from reviewer.media.decode import rotate_rgb
from reviewer.media.text import TextBox, TextDetector, TextReader
from reviewer.media.text_follow import looks_changed, same_text, template_step
from reviewer.progress import Progress

TRACK_SIDE = 640        # grey pictures for tracking: longer side at most this
MATCH_IOU = 0.2         # a detection continues a track when it overlaps its carried box so much
MAX_MISSES = 2          # samples in a row without the text before its track ends
SAMPLE_S = 0.5         # seconds between two looks of the detector
READ_EVERY_S = 1.0      # a track no reading was sure of is read again this often ...
SURE_READ = 0.9         # ... (sure: the characters' mean probability at least this) ...
# ... or when its letters change (media.text_follow.looks_changed)


@dataclass
class TextTrack:
    """A piece of text followed over frames: a box (display pixels) on every frame
    ``frame_from..frame_to``, and what was read on the sampled frames."""

    boxes: dict[int, Box] = field(default_factory=dict)
    reads: list[tuple[int, str, float]] = field(default_factory=list)   # (frame, text, score)
    det_scores: list[float] = field(default_factory=list)
    line_heights: list[float] = field(default_factory=list)
    last_seen: int = 0          # last sample frame that detected it
    last_followed: int = 0      # last frame the tracker (or a detection) placed it
    misses: int = 0
    velocity: tuple[float, float] = (0.0, 0.0)   # tracking pixels per frame
    anchor: tuple[np.ndarray, Box] | None = None  # grey picture and box of the last detection
    last_read: int | None = None                  # sample frame last read
    read_patch: tuple[np.ndarray, Box] | None = None  # grey picture and box when last read
    changes: list[int] = field(default_factory=list)  # frames read again as the letters changed
    cut_at: int | None = None   # the picture jumped here: read at the next look, as from here
    ended: int | None = None    # ended by the look after this frame (boxes cut at :func:`_cut`)

    @property
    def frame_from(self) -> int:
        return min(self.boxes)

    @property
    def frame_to(self) -> int:
        return max(self.boxes)

    def best_text(self) -> tuple[str, float]:
        """The reading with the most confidence summed over the samples that read it."""
        totals: dict[str, float] = {}
        for _f, text, score in self.reads:
            if text:
                totals[text] = totals.get(text, 0.0) + score
        if not totals:
            return "", 0.0
        text = max(totals, key=lambda t: (totals[t], len(t)))
        best = max(s for _f, t, s in self.reads if t == text)
        return text, best

    def distinct_reads(self) -> list[tuple[int, str, float]]:
        """Each distinct reading once, at the first frame it was read on; the first reading
        at the track's first frame (the text was followed back to there)."""
        seen: dict[str, tuple[int, str, float]] = {}
        for f, text, score in sorted(self.reads):
            if text and text not in seen:
                seen[text] = (self.frame_from if not seen else f, text, score)
        return sorted(seen.values())

    @property
    def line_h_px(self) -> float:
        return float(np.median(self.line_heights)) if self.line_heights else 0.0


def _scaled(box: Box, s: float) -> Box:
    return Box(box.x_px * s, box.y_px * s, box.w_px * s, box.h_px * s)


def _as_box(tb: TextBox) -> Box:
    return Box(tb.x_px, tb.y_px, tb.w_px, tb.h_px)


def detect_side_for(width: int, height: int) -> int:
    """The longer side detection runs at: 640, and 960 from about 1600 px up (on a 1080p
    body camera a plate's letters 18 px tall would shrink under the detector's ~6 px floor
    at 640, and they are readable in the original)."""
    return 960 if max(width, height) >= 1600 else 640


def stride_for(fps: float) -> int:
    """Detection on a sampled frame about every 0.5 s (every frame of a very slow video):
    text stays in the picture longer than that, tracking carries it between two looks, and
    a piece first seen by a look is carried back to the frames since the one before."""
    return max(1, round((fps or 30.0) * SAMPLE_S))


def find_text_tracks(path: str, index: Any, detector: TextDetector, reader: TextReader,
                     stride: int, progress: Progress | None = None) -> list[TextTrack]:
    """Every text track of the video at ``path`` (``index``: its frame index), none across a
    shot boundary, and one per reading where the letters change (reviewer.media.text_split)."""
    return TextPass(path, index, detector, reader, stride, progress).run()


class TextPass:
    """The pass as a consumer of decoded frames: :meth:`push` every displayed frame in
    order (PyAV frames, as stored), then :meth:`finish`. Whoever decodes may feed other
    passes the same frames (reviewer.media.shared_decode), so the video is decoded once."""

    def __init__(self, path: str, index: Any, detector: TextDetector, reader: TextReader,
                 stride: int, progress: Progress | None = None,
                 restarts: tuple[int, ...] | None = None) -> None:
        from reviewer.media.shots import ShotDetector
        from reviewer.media.text_split import restart_points

        # where the pass starts afresh, so it can be split there (reviewer.media.text_chunks)
        self.restarts = frozenset(restart_points(index, stride) if restarts is None else restarts)

        self.path, self.index, self.detector, self.reader = path, index, detector, reader
        self.stride = stride
        self.shots = ShotDetector()
        self.last_feat = None
        self.progress = progress or Progress()
        width, height = index.width, index.height
        self.scale = min(1.0, TRACK_SIDE / max(width, height))
        tw, th = max(2, round(width * self.scale)), max(2, round(height * self.scale))
        turned = index.rotation in (90, 270)
        self.stored_small = (th, tw) if turned else (tw, th)
        self.stored_full = (height, width) if turned else (width, height)
        # one swscale context per picture kind kept across frames (reviewer.media.decode.Scaler)
        from reviewer.media.decode import Scaler
        from reviewer.media.shots import THUMB

        self.to_gray = Scaler(width=self.stored_small[0], height=self.stored_small[1],
                              format="gray", interpolation="AREA")
        self.to_thumb = Scaler(width=THUMB[0], height=THUMB[1], format="rgb24",
                               interpolation="AREA")
        self.to_rgb = Scaler(width=self.stored_full[0], height=self.stored_full[1], format="rgb24")
        self.count = index.count
        self.read_every = max(1, round(index.fps * READ_EVERY_S)) if index.fps else 30
        self.open_tracks: list[TextTrack] = []
        self.done: list[TextTrack] = []
        # grey frames since the last sample
        self.recent: deque[tuple[int, np.ndarray]] = deque(maxlen=max(1, stride))
        self.prev: np.ndarray | None = None
        self.last = -1

    def run(self) -> list[TextTrack]:
        """The pass on a decode of its own: every frame pushed, then :meth:`finish`."""
        from reviewer.media.frames import FrameReader

        with FrameReader(self.path, self.index) as frames:
            for n, frame in frames.iter_frames(0, self.count - 1, as_av=True):
                self.push(n, frame)
        return self.finish()

    def push(self, n: int, frame: Any) -> None:
        from reviewer.media.shots import CUT_SCORE, features, step_score

        index, scale, stride, count = self.index, self.scale, self.stride, self.count
        open_tracks, recent = self.open_tracks, self.recent
        if n != self.last + 1:
            raise ReviewerError(f"{self.path}: frame {self.last + 1} could not be decoded")
        self.last = n
        if n in self.restarts:  # every track ends on the frame before; the look here starts anew
            self.done.extend(_ended(t, n - 1) for t in open_tracks)
            open_tracks.clear()
            recent.clear()
        gray = rotate_rgb(self.to_gray(frame), index.rotation)
        thumb = rotate_rgb(self.to_thumb(frame), index.rotation)
        self.shots.push(thumb)
        feat = features(thumb)
        jumped = self.last_feat is not None and step_score(self.last_feat, feat) >= CUT_SCORE
        self.last_feat = feat
        if self.prev is not None:
            for t in open_tracks:
                _follow(t, self.prev, gray, n, scale)
        if jumped:
            # the whole picture jumped (a cut, most likely; the shot detector settles that
            # only later), so the next shot's piece of each track needs its own reading:
            # text that looks as it did (a burned-in overlay) keeps its reading from here;
            # anything else is read at the next look, as from here (the box the tracker
            # carried over a cut may sit half on the next car's plate)
            for t in open_tracks:
                box = t.boxes.get(n)
                said = max(t.reads, default=None)
                if (box is not None and said is not None and t.read_patch is not None
                        and not looks_changed(*t.read_patch, gray, _scaled(box, scale))):
                    t.reads.append((n, said[1], said[2]))
                else:
                    t.cut_at = n
        if n % stride == 0 or n == count - 1:
            rgb = rotate_rgb(self.to_rgb(frame), index.rotation)
            self._sample(n, rgb, gray)
            recent.clear()
        recent.append((n, gray))
        self.prev = gray
        if n % 10 == 0:
            self.progress.update(min(1.0, (n + 1) / max(1, count)),
                                 f"Finding text: frame {n + 1} of {count}")

    def _sample(self, n: int, rgb: np.ndarray, gray: np.ndarray) -> None:
        """A sampled frame: the detector looks, tracks are continued, started, read, ended."""
        scale, open_tracks, recent = self.scale, self.open_tracks, self.recent
        found = self.detector.detect(rgb)
        new = _associate(open_tracks, found, n)
        for tb, t in new:
            if t is None:
                t = TextTrack(boxes={n: _as_box(tb)}, last_followed=n)
                _backfill(t, n, gray, recent, scale)
                open_tracks.append(t)
            here = _scaled(t.boxes[n], scale)
            # read again as soon as the text looks different (a clock ticking over),
            # so search lands on the frame a reading appears; and once a second while
            # no reading was sure (motion blur, a plate still far away)
            changed = t.read_patch is not None and looks_changed(*t.read_patch, gray, here)
            unsure = max((sc for _f, _t, sc in t.reads), default=0.0) < SURE_READ
            if (t.last_read is None or changed or t.cut_at is not None
                    or (unsure and n - t.last_read >= self.read_every)):
                r = self.reader.read(rgb, tb)
                # a new reading since the last look: from the first frame it shows
                at = _first_changed(t, recent, scale, n) if changed else n
                if t.cut_at is not None:
                    at, changed, t.cut_at = t.cut_at, True, None
                t.reads.append((at, r.text, r.score))
                if changed:
                    t.changes.append(at)
                t.last_read = n
                t.read_patch = (gray, here)
            t.det_scores.append(tb.score)
            t.line_heights.append(tb.line_h_px)
            t.last_seen = n
            t.anchor = (gray, _scaled(t.boxes[n], scale))
        for t in list(open_tracks):
            if t.last_seen != n:
                t.misses += 1
                if t.misses >= MAX_MISSES:
                    open_tracks.remove(t)
                    self.done.append(_ended(t, n - 1))

    def finish(self) -> list[TextTrack]:
        """The tracks, once every frame was pushed."""
        count, done = self.count, self.done
        if self.last + 1 != count:
            raise ReviewerError(f"{self.path}: decoding stopped at frame {self.last + 1} of {count}")
        done.extend(_ended(t, count - 1) for t in self.open_tracks)
        from reviewer.media.text_split import finish_tracks

        return finish_tracks(done, self.shots.finish(), count, self.stride, tuple(self.restarts))


def _follow(t: TextTrack, prev: np.ndarray, gray: np.ndarray, n: int, scale: float) -> None:
    """Carry the track's box from frame n-1 to n; when the tracker loses it, hold it where
    it was heading (the next sample corrects or ends it)."""
    box = t.boxes.get(n - 1)
    if box is None:
        return
    small = _scaled(box, scale)
    moved = template_step(prev, gray, small, t.velocity)
    if moved is not None and t.anchor is not None and not same_text(*t.anchor, gray, moved):
        moved = None  # something matches, but the text last detected is no longer there
    if moved is not None:
        t.velocity = (moved.x_px - small.x_px, moved.y_px - small.y_px)
        t.boxes[n] = _scaled(moved, 1 / scale)
        t.last_followed = n
    else:
        vx, vy = t.velocity
        t.boxes[n] = Box(box.x_px + vx / scale, box.y_px + vy / scale, box.w_px, box.h_px)


def _associate(tracks: list[TextTrack], found: list[TextBox], n: int
               ) -> list[tuple[TextBox, TextTrack | None]]:
    """Each detection with the open track it continues (greedy by overlap), or None."""
    pairs = []
    for i, tb in enumerate(found):
        for j, t in enumerate(tracks):
            box = t.boxes.get(n)
            if box is not None:
                o = iou(box, _as_box(tb))
                if o >= MATCH_IOU:
                    pairs.append((o, i, j))
    pairs.sort(reverse=True)
    used_d, used_t, out = set(), set(), []
    for _o, i, j in pairs:
        if i in used_d or j in used_t:
            continue
        used_d.add(i)
        used_t.add(j)
        t = tracks[j]
        t.boxes[n] = _hull(t.boxes[n], _as_box(found[i])) if t.last_followed == n else _as_box(found[i])
        t.last_followed = n
        t.misses = 0
        out.append((found[i], t))
    out.extend((tb, None) for i, tb in enumerate(found) if i not in used_d)
    return out


def _hull(a: Box, b: Box) -> Box:
    """The detection, grown to hold the carried box too when they disagree a little: the
    carried box was right on the frames before, the detection is right now; both are text."""
    x0, y0 = min(a.x_px, b.x_px), min(a.y_px, b.y_px)
    x1 = max(a.x_px + a.w_px, b.x_px + b.w_px)
    y1 = max(a.y_px + a.h_px, b.y_px + b.h_px)
    if (x1 - x0) * (y1 - y0) > 1.6 * b.w_px * b.h_px:
        return b  # far apart: the tracker drifted; trust the detector
    return Box(x0, y0, x1 - x0, y1 - y0)


def _backfill(t: TextTrack, n: int, gray: np.ndarray, recent: deque, scale: float) -> None:
    """Carry a new track backwards over the frames since the previous sample: it may have
    been in the picture for up to ``stride - 1`` frames before this sample saw it."""
    box = start = _scaled(t.boxes[n], scale)
    later = gray
    velocity = (0.0, 0.0)
    for f, earlier in reversed(recent):
        moved = template_step(later, earlier, box, velocity)
        if moved is None or not same_text(gray, start, earlier, moved):
            break  # not yet in the picture there
        velocity = (moved.x_px - box.x_px, moved.y_px - box.y_px)
        box = moved
        t.boxes[f] = _scaled(box, 1 / scale)
        later = earlier


def _first_changed(t: TextTrack, recent: deque, scale: float, n: int) -> int:
    """The first frame since the last look where the track's text looks different from
    when it was last read (the frames between two looks are kept, small and grey)."""
    for f, gray in recent:
        if t.reads and f <= max(r[0] for r in t.reads):
            continue  # already read as it was then
        box = t.boxes.get(f)
        if box is not None and looks_changed(*t.read_patch, gray, _scaled(box, scale)):
            return f
    return n


def _ended(t: TextTrack, limit: int) -> TextTrack:
    """The track ends; ``limit``: the frame before the look that missed it (the video's
    last frame when the video ends). Its boxes are cut at the end (:func:`_cut`)."""
    t.ended = limit
    return t


def padded(box: Box, line_h: float, width: int, height: int) -> Box:
    """A text box with a margin of a fifth of its line height on every side (antialiased
    strokes and the tracker's last pixel of error), clipped to the picture."""
    m = max(2.0, 0.2 * (line_h or box.h_px))
    x0, y0 = max(0.0, box.x_px - m), max(0.0, box.y_px - m)
    x1 = min(float(width), box.x_px + box.w_px + m)
    y1 = min(float(height), box.y_px + box.h_px + m)
    return Box(x0, y0, max(1.0, x1 - x0), max(1.0, y1 - y0))


def is_readable(text: str) -> bool:
    return any(c.isalnum() for c in text)


__all__ = ["TextPass", "TextTrack", "find_text_tracks", "is_readable", "padded", "stride_for"]
