"""The audio tracks of a video export: each source track copied packet for packet when nothing
of it is silenced, else decoded, silenced over the spans sample-exactly and re-encoded."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from reviewer.export.audio import AudioReencoder
from reviewer.export.expect import VideoExpect
from reviewer.export.source import AudioSource


class AudioTrack:
    """One source audio track on its way into the export: packets copied, or decoded,
    silenced over the spans and re-encoded."""

    def __init__(self, source: AudioSource, out: Any, copy_offset: int | None,
                 reencoder: AudioReencoder | None) -> None:
        self.source = source
        self.reenc = reencoder
        self.offset = copy_offset
        self.stream = out.add_stream_from_template(source.stream) if reencoder is None else None

    def until(self, t_s: Fraction | None) -> list[Any]:
        packets = []
        for item in self.source.until(t_s):
            if self.reenc is None:
                item.pts = None if item.pts is None else item.pts - self.offset
                item.dts = None if item.dts is None else item.dts - self.offset
                item.stream = self.stream
                packets.append(item)
            else:
                packets.extend(self.reenc.push(item))
        return packets

    def flush(self) -> list[Any]:
        return self.reenc.flush() if self.reenc is not None else []

    def close(self) -> None:
        self.source.close()


def open_audio(out: Any, src: str, t0: Fraction, start_s: Fraction, end_s: Fraction,
                expect: VideoExpect, whole: bool, allow_copy: bool = True) -> tuple[list[AudioTrack], Fraction]:
    """Every audio track of the source (a second microphone, another language), each copied
    when nothing changes, else silenced and re-encoded; and how long before frame 0 the
    earliest track starts (a whole export keeps that lead: the video starts that much later)."""
    from reviewer.export.source import audio_streams

    found = audio_streams(src)
    lead = Fraction(0)
    if whole:
        starts = [st - t0 for _i, _c, st in found if st is not None]
        lead = max([Fraction(0)] + [-s for s in starts])
    tracks = []
    try:
        for index, codec, _start in found:
            copy = allow_copy and whole and not expect.audio_spans and codec == "aac"
            # a whole export keeps all of the audio, even past the last frame
            source = AudioSource(src, t0, start_s, end_s if not whole else Fraction(10**9),
                                 decode=not copy, index=index)
            if copy:
                tracks.append(AudioTrack(source, out, round((t0 - lead) / source.time_base), None))
            else:
                # a clip is cut to its frames; a whole export keeps what comes before and after
                reenc = AudioReencoder(out, source.stream, t0 - lead, start_s,
                                       None if whole else end_s + lead,
                                       [_shift(sp, start_s + lead) for sp in expect.audio_spans])
                tracks.append(AudioTrack(source, out, None, reenc))
    except BaseException:
        for t in tracks:
            t.close()
        raise
    return tracks, lead


def _shift(span: Any, start_s: Fraction) -> Any:
    """A span relative to the export's frame 0 as one relative to source frame 0."""
    from dataclasses import replace

    return replace(span, t_from_s=Fraction(span.t_from_s) + start_s, t_to_s=Fraction(span.t_to_s) + start_s)


__all__ = ["AudioTrack", "open_audio"]
