"""The sound strip's job and edits: read the waveform off the GUI thread when a video opens,
show the video's muted and bleeped spans, turn a drag into an audio redaction and Delete
into its removal (both one undo step through the controller)."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from reviewer.ui.video.waveform import SoundSpan
from reviewer.ui.workers import run_job

MAX_BUCKETS = 400_000
BUCKETS_PER_S = 1000  # 48 samples a bucket at 48 kHz: fine enough at the closest zoom


def bucket_count(duration_s: Fraction) -> int:
    return int(min(MAX_BUCKETS, max(500, round(float(duration_s) * BUCKETS_PER_S))))


class SoundTools:
    def __init__(self, win: Any) -> None:
        self.win = win
        self.ctl: Any = None
        self.job: Any = None
        self.strip = win.video.waveform
        win.video.video_opened.connect(self.load)
        self.strip.span_drawn.connect(self._on_strip_span_drawn)
        self.strip.delete_requested.connect(self.delete_span)
        self.strip.span_selected.connect(self._on_strip_span_selected)

    def case_opened(self, ctl: Any) -> None:
        self.ctl = ctl
        ctl.changed.connect(lambda ch: ch.touches("redactions") and self.refresh_spans())
        self.load()

    def case_closed(self) -> None:
        self.ctl = None
        if self.job is not None:
            self.job.progress.cancel()  # the closed case's sound is no longer wanted
        self.strip.set_spans([])

    def _media(self) -> dict[str, Any] | None:
        m = self.win.video.media
        return m if (self.ctl is not None and m is not None) else None

    # -- the waveform -------------------------------------------------------------------------
    def load(self) -> None:
        media = self._media()
        if media is None:
            return
        self.refresh_spans()
        if self.job is not None:
            self.job.progress.cancel()  # the previous video's sound is no longer wanted
        index = self.ctl.video_index(media["id"])
        t0 = Fraction(index.pts[0]) * index.time_base if index.count else Fraction(0)
        duration = self.win.video.times.end_seconds()
        path, media_id = media["path"], media["id"]

        def work(progress: Any) -> Any:
            from reviewer.media.waveform import audio_envelope

            return audio_envelope(path, t0, duration, bucket_count(duration), progress)

        def done(env: Any) -> None:
            if self._media() is not None and self._media()["id"] == media_id:
                self.strip.set_envelope(env)
                self.win.status_aside("Sound read: drag on the strip under the timeline to mute"
                                if env is not None else f"{media['name']} has no sound")

        def failed(why: str) -> None:
            if self._media() is not None and self._media()["id"] == media_id:
                self.strip.set_envelope(None, "failed")
                self.win.status(f"The sound could not be read: {why}")

        self.strip.set_envelope(None, "loading")
        self.job = run_job(work, on_done=done, on_error=failed, on_cancel=lambda: None)

    def refresh_spans(self) -> None:
        media = self._media()
        if media is None:
            return
        from reviewer.store.redactions import audio_spans

        self.strip.set_spans([SoundSpan(s.id, s.t_from_s, s.t_to_s, s.mode)
                              for s in audio_spans(self.ctl.store, media["id"])])

    # -- edits --------------------------------------------------------------------------------
    def add_span(self, t_from: Fraction, t_to: Fraction, mode: str | None = None) -> None:
        from reviewer.errors import ReviewerError
        from reviewer.session import redactions as red

        media = self._media()
        if media is None:
            return
        mode = mode or self.win.video.sound_mode.currentData() or "mute"
        try:
            red.check_audio_span(media, t_from, t_to)
        except ReviewerError as exc:
            self.win.show_error(str(exc))
            return
        self.ctl.apply(red.add_audio_span(media["id"], t_from, t_to, mode=mode,
                                          reason=self.win.redact.reason.currentData() or ""))
        self.win.status(f"Sound {'muted' if mode == 'mute' else 'bleeped'} from {float(t_from):.3f} s to {float(t_to):.3f} s "
                        "(Ctrl+Z undoes)")

    def delete_span(self, span_id: int) -> None:
        from reviewer.session import redactions as red

        if self.ctl is None or span_id < 0:
            return
        self.strip.selected = -1
        self.ctl.apply(red.delete_redaction(span_id))
        self.win.status("Sound span removed (Ctrl+Z undoes)")

    def delete_selected(self) -> bool:
        """Delete the span selected on the strip; False when none is."""
        if self.strip.selected < 0:
            return False
        self.delete_span(self.strip.selected)
        return True

    def _on_strip_span_drawn(self, t_from: Fraction, t_to: Fraction) -> None:
        self.add_span(t_from, t_to)

    def _on_strip_span_selected(self, span_id: int) -> None:
        s = next((s for s in self.strip.spans if s.id == span_id), None)
        if s is not None:
            from reviewer.ui.video.frame_spans import frames_of, prose

            where = ""
            if self.win.video.times is not None:
                where = f"{prose(*frames_of(self.win.video.times, s.t_from_s, s.t_to_s))}, "
            self.win.status(f"Sound span #{s.id}: {s.mode} over {where}{float(s.t_from_s):.3f}–"
                            f"{float(s.t_to_s):.3f} s; Delete removes it")
