"""Timeline geometry, seeking and zoom; shuttle and speed rules."""
from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from reviewer.timebase import FrameTimes
from reviewer.ui.video.playback import SPEEDS, next_speed, shuttle
from reviewer.ui.video.timeline import MAX_PX_PER_FRAME, Span, Timeline, pack_lanes


def times(n: int) -> FrameTimes:
    return FrameTimes(list(range(0, n * 512, 512)), Fraction(1, 15360), n * 512)  # 30 fps


@pytest.fixture
def timeline(qtbot):
    tl = Timeline()
    qtbot.addWidget(tl)
    tl.resize(600, tl.height())
    tl.set_times(times(300))
    tl.show()
    qtbot.waitExposed(tl)
    return tl


def test_pack_lanes_never_overlaps_within_a_lane():
    spans = [Span(i, a, b) for i, (a, b) in enumerate([(0, 10), (5, 20), (11, 30), (21, 25), (6, 7)])]
    packed = pack_lanes(spans, 10)
    by_lane: dict[int, list[Span]] = {}
    for s in packed:
        by_lane.setdefault(s.lane, []).append(s)
    for lane in by_lane.values():
        lane.sort(key=lambda s: s.frame_from)
        for a, b in itertools.pairwise(lane):
            assert a.frame_to < b.frame_from
    assert {s.id for s in packed} == set(range(5))
    assert max(s.lane for s in pack_lanes(spans, 2)) == 1  # folded into the last lane


def test_click_and_drag_seek(qtbot, timeline):
    seen: list[int] = []
    timeline.seek_requested.connect(seen.append)
    qtbot.mouseClick(timeline, Qt.LeftButton, pos=QPoint(300, 30))
    assert seen[-1] == timeline.x_to_frame(300) == 150  # whole video fits: 2 px a frame
    qtbot.mousePress(timeline, Qt.LeftButton, pos=QPoint(0, 30))
    move = QMouseEvent(QEvent.MouseMove, QPointF(599, 30), QPointF(599, 30), Qt.NoButton,
                       Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(timeline, move)
    qtbot.mouseRelease(timeline, Qt.LeftButton, pos=QPoint(599, 30))
    assert seen[-2:] == [0, 299]


def wheel(widget, x: float, steps: int, mods=Qt.NoModifier) -> None:
    pos = QPointF(x, 30)
    ev = QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * steps),
                     Qt.NoButton, mods, Qt.NoScrollPhase, False)
    widget.wheelEvent(ev)


def test_zoom_from_whole_video_to_single_frames(timeline):
    assert timeline.visible_frames() == (0, 299)
    for _ in range(20):
        wheel(timeline, 300, 1)
    assert timeline.px_per_frame == MAX_PX_PER_FRAME
    a, b = timeline.visible_frames()
    assert b - a <= 600 / MAX_PX_PER_FRAME + 1
    assert a <= 150 <= b  # zoomed around the pointer
    # one frame is now a clickable cell many pixels wide
    f = timeline.x_to_frame(timeline.frame_to_x(160) + 3)
    assert f == 160
    for _ in range(30):
        wheel(timeline, 300, -1)
    assert timeline.visible_frames() == (0, 299)


def test_paints_many_tracks_and_notes(qtbot, timeline):
    timeline.set_tracks([Span(i, i % 290, i % 290 + 9, "suggested" if i % 3 else "active")
                         for i in range(500)])
    timeline.set_notes([Span(i, i % 299, i % 299) for i in range(2000)])
    timeline.set_playhead(120)
    img = timeline.grab().toImage()
    x = int(timeline.frame_to_x(120))
    assert img.pixelColor(x, 5).lightness() > 200  # the playhead line is drawn over the ruler


def test_shuttle_rules():
    assert shuttle(0, 1.0, "l") == (1, 1.0)
    assert shuttle(1, 1.0, "l") == (1, 2.0)
    assert shuttle(1, 2.0, "l") == (1, 4.0)
    assert shuttle(1, 4.0, "l") == (1, 4.0)
    assert shuttle(1, 4.0, "j") == (1, 2.0)   # J slows forward play first
    assert shuttle(1, 1.0, "j") == (0, 1.0)
    assert shuttle(0, 1.0, "j") == (-1, 1.0)  # then plays backwards
    assert shuttle(-1, 1.0, "j") == (-1, 2.0)
    assert shuttle(-1, 2.0, "k") == (0, 2.0)


def test_speed_steps_cover_quarter_to_four():
    assert SPEEDS[0] == 0.25 and SPEEDS[-1] == 4.0
    r = 1.0
    for _ in range(10):
        r = next_speed(r, True)
    assert r == 4.0
    for _ in range(10):
        r = next_speed(r, False)
    assert r == 0.25
