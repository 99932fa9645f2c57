"""The sound strip: the envelope decoder (headless, aligned to frame 0 as export aligns
audio) and the strip in the window: drag to mute or bleep (sample-exact), click to select,
Delete removes, each one undo step."""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest
from conftest import ids, shot
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer.errors import Cancelled
from reviewer.media.waveform import audio_envelope
from reviewer.progress import Progress

RATE = 8000  # small: per-sample buckets stay cheap


@pytest.fixture(scope="module")
def tone_wav(tmp_path_factory: pytest.TempPathFactory):
    """Silence for 1 s, then a cosine (non-zero on its very first sample) for 1 s."""
    path = tmp_path_factory.mktemp("wave") / "tone.wav"
    with av.open(str(path), "w") as c:
        a = c.add_stream("pcm_s16le", rate=RATE, layout="mono")
        k = np.arange(2 * RATE)
        s = np.where(k >= RATE, 0.5 * np.cos(2 * np.pi * 440 * k / RATE), 0.0)
        for i in range(0, len(k), 512):
            fr = av.AudioFrame.from_ndarray((s[i:i + 512] * 32767).astype(np.int16)[None, :],
                                            format="s16", layout="mono")
            fr.sample_rate, fr.pts, fr.time_base = RATE, i, Fraction(1, RATE)
            for p in a.encode(fr):
                c.mux(p)
        for p in a.encode():
            c.mux(p)
    return path


def first_loud(env) -> int:
    return int(np.argmax(np.maximum(env.maxs, -env.mins) > 0.05))


def test_envelope_sample_exact_relative_to_frame_zero(tone_wav):
    # frame 0 half a second into the sound: the tone (sample 8000) is 4000 samples after it
    env = audio_envelope(tone_wav, Fraction(1, 2), Fraction(3, 2), 3 * RATE // 2)
    assert env.sample_rate == RATE and env.samples_per_bucket == 1
    assert first_loud(env) == RATE // 2
    assert env.bucket_seconds(first_loud(env)) == Fraction(1, 2)
    assert env.maxs[: RATE // 2].max() == 0 and 0.45 < env.maxs[RATE // 2:].max() <= 0.51
    # frame 0 a quarter second before the sound starts: nothing placed before the sound
    env = audio_envelope(tone_wav, Fraction(-1, 4), Fraction(5, 2), 5 * RATE // 2)
    assert first_loud(env) == RATE + RATE // 4
    assert env.samples_seen == 2 * RATE
    # coarse buckets: the bucket holding the onset is loud, the one before is silent
    env = audio_envelope(tone_wav, Fraction(0), Fraction(2), 40)
    assert first_loud(env) == 20 and env.maxs[19] == 0


def test_envelope_no_sound_and_cancel(tmp_path, tone_wav):
    from fixtures.videos import make_video

    silent = make_video(tmp_path / "silent.mp4", "cfr", n_frames=10, size=(64, 48), audio=False)
    assert audio_envelope(silent, Fraction(0), Fraction(1), 10) is None
    p = Progress()
    p.cancel()
    with pytest.raises(Cancelled):
        audio_envelope(tone_wav, Fraction(0), Fraction(2), 100, p)


def _mouse(widget, kind, x: float, y: float) -> None:
    etype = {"press": QMouseEvent.MouseButtonPress, "move": QMouseEvent.MouseMove,
             "release": QMouseEvent.MouseButtonRelease}[kind]
    buttons = Qt.NoButton if kind == "release" else Qt.LeftButton
    pos = QPointF(x, y)
    ev = QMouseEvent(etype, pos, widget.mapToGlobal(pos), Qt.LeftButton, buttons, Qt.NoModifier)
    QApplication.sendEvent(widget, ev)


def drag(widget, x0: float, x1: float) -> None:
    y = widget.height() / 2
    _mouse(widget, "press", x0, y)
    _mouse(widget, "move", (x0 + x1) / 2, y)
    _mouse(widget, "move", x1, y)
    _mouse(widget, "release", x1, y)


def spans_of(win, vid):
    from reviewer.store.redactions import audio_spans

    return audio_spans(win.ctl.store, vid)


def test_sound_strip_drag_select_delete_undo(qtbot, window):
    win = window
    vid = ids(win)["video"]
    win.view.open_item(vid)
    strip = win.video.waveform
    qtbot.waitUntil(lambda: strip.state == "ready", timeout=30000)
    env = strip.envelope
    assert env.sample_rate == 48000
    assert 0.2 < float(np.median(env.maxs[: env.buckets * 9 // 10])) < 0.3  # a sine at 0.25
    w = strip.width()
    drag(strip, w * 0.2, w * 0.45)
    spans = spans_of(win, vid)
    assert len(spans) == 1 and spans[0].mode == "mute"
    s = spans[0]
    assert s.t_from_s == strip.snap(strip.x_to_seconds(w * 0.2))
    assert s.t_to_s == strip.snap(strip.x_to_seconds(w * 0.45))
    assert 48000 % s.t_from_s.denominator == 0 and 48000 % s.t_to_s.denominator == 0
    assert [x.id for x in strip.spans] == [s.id]
    # the frames it covers, by the one rule the whole window uses (the frame starting where
    # the span ends is not covered)
    from reviewer.ui.video.frame_spans import frames_of

    assert [(a.frame_from, a.frame_to) for a in win.video.timeline._audio] == [
        frames_of(win.video.times, s.t_from_s, s.t_to_s)]
    # bleep mode from the menu's shortcut action, a second span
    win.actions["sound_mode"].trigger()
    assert win.video.sound_mode.currentData() == "bleep"
    drag(strip, w * 0.6, w * 0.8)
    assert sorted(x.mode for x in spans_of(win, vid)) == ["bleep", "mute"]
    shot(win, "window-sound-strip")
    # click a span to select it; Delete (with the strip focused) removes it, undo restores
    strip.setFocus()
    _mouse(strip, "press", w * 0.3, 10)
    _mouse(strip, "release", w * 0.3, 10)
    assert strip.selected == s.id
    QTest.keyClick(strip, Qt.Key_Delete)
    assert [x.mode for x in spans_of(win, vid)] == ["bleep"]
    assert strip.selected == -1
    win.actions["undo"].trigger()
    assert sorted(x.mode for x in spans_of(win, vid)) == ["bleep", "mute"]
    assert {x.id for x in strip.spans} == {x.id for x in spans_of(win, vid)}
    win.actions["undo"].trigger()
    win.actions["undo"].trigger()
    assert spans_of(win, vid) == [] and strip.spans == []
    # a click (no drag) seeks instead of making a span
    _mouse(strip, "press", w * 0.5, 10)
    _mouse(strip, "release", w * 0.5, 10)
    assert spans_of(win, vid) == [] and win.video.frame == win.video.timeline.x_to_frame(w * 0.5)


def test_strip_draws_each_columns_min_and_max(qtbot):
    """The vectorised drawing matches a plain per-column min/max at several zooms."""
    from reviewer.media.waveform import Envelope
    from reviewer.timebase import FrameTimes
    from reviewer.ui.video.timeline import Timeline
    from reviewer.ui.video.waveform import WaveformStrip

    tl = Timeline()
    qtbot.addWidget(tl)
    tl.resize(700, 100)
    tl.set_times(FrameTimes(list(range(0, 60 * 1001, 1001)), Fraction(1, 30000), 60 * 1001))
    strip = WaveformStrip(tl)
    qtbot.addWidget(strip)
    strip.resize(700, 46)
    rng = np.random.default_rng(1)
    mx = rng.random(2002).astype(np.float32)
    mn = -rng.random(2002).astype(np.float32)
    strip.set_envelope(Envelope(48000, Fraction(48), mn, mx, 96096))
    peak = max(mx.max(), -mn.min())
    for zoom in (1.0, 3.0, 40.0):
        tl.zoom(zoom, 100)
        poly = strip._wave_polygon(700, 23.0, 20.0)
        n = poly.size() // 2
        assert n == 700
        idx = [min(int(strip.x_to_seconds(x) / (48 / 48000)), 2002) for x in range(701)]
        for x in range(n):
            a, b = idx[x], max(idx[x + 1], idx[x] + 1)
            assert abs(poly.at(x).y() - (23 - mx[a:b].max() * 20 / peak)) < 1e-3, (zoom, x)
            assert abs(poly.at(2 * n - 1 - x).y() - (23 - mn[a:b].min() * 20 / peak)) < 1e-3
