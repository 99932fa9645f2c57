"""Which H.264 encoder writes an export: a hardware one when this computer has one that PyAV
can open and that encodes a test picture, else libx264.

Laptops carry H.264 encoders in their graphics hardware (Apple VideoToolbox, NVIDIA NVENC,
Intel Quick Sync, AMD AMF, VA-API on Linux); FFmpeg builds list them whether or not the
hardware is there, so each is tried for real: opened at the export's size and made to encode
one picture. The first that does wins; the reasons the others failed go into the export
report. Whatever encodes, the export is verified the same way (every packet decoded by
FFmpeg's H.264 decoder and checked), so a hardware encoder cannot lower the bar, only the time.

A smart cut (:mod:`reviewer.export.smartcut`) always encodes with libx264: it needs the
encoder's parameter sets under an id of its choosing (x264's ``sps-id``), which the hardware
encoders do not offer.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

# chosen from measurements (docs/decisions/0015): about 2.4x less CPU than medium at CRF 18
# for the same size, VMAF within about one point
DEFAULT_PRESET = "veryfast"
X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                "slower", "veryslow", "placebo")


HARDWARE = ("h264_videotoolbox", "h264_nvenc", "h264_qsv", "h264_amf", "h264_vaapi")
CHOICES = ("auto", "libx264") + HARDWARE


@dataclass(frozen=True)
class Encoder:
    name: str
    options: dict[str, str]
    tried: tuple[str, ...] = field(default=())  # "name: why not" of encoders passed over

    @property
    def hardware(self) -> bool:
        return self.name != "libx264"

    def fallback(self, why: str, preset: str, crf: int) -> Encoder:
        """libx264, after this encoder failed on the export itself."""
        return Encoder("libx264", options_for("libx264", preset, crf, 0, 0, Fraction(30)),
                       self.tried + (f"{self.name}: {why[:120]}",))

    def describe(self, preset: str, crf: int) -> str:
        if self.name == "libx264":
            what = f"libx264 (software), preset {preset}, CRF {crf}"
        else:
            what = f"{self.name} (hardware), quality {crf}"
        if self.tried:
            what += "; no hardware encoder used (" + "; ".join(self.tried) + ")"
        return what


def options_for(name: str, preset: str, crf: int, width: int, height: int,
                rate: Fraction) -> dict[str, str]:
    """Each encoder's own words for "about x264's CRF ``crf``". a53cc off everywhere it exists:
    captions of the source never pass into the copy."""
    q = str(int(crf))
    if name == "libx264":
        return {"preset": preset, "crf": q, "a53cc": "0"}
    if name == "h264_nvenc":
        return {"preset": "p5", "rc": "vbr", "cq": q, "b": "0", "a53cc": "0"}
    if name == "h264_qsv":
        return {"global_quality": q, "look_ahead": "0"}
    if name == "h264_amf":
        return {"rc": "cqp", "qp_i": q, "qp_p": q, "qp_b": q}
    if name == "h264_vaapi":
        return {"rc_mode": "CQP", "qp": q}
    # VideoToolbox has no constant-quality mode on every Mac: a bitrate for the picture size,
    # about what x264 spends at CRF 18 on camera footage (0.12 bits per pixel)
    bits = int(width * height * float(rate or 30) * 0.12)
    return {"b": str(bits), "allow_sw": "0", "realtime": "0"}


def try_open(name: str, options: dict[str, str], width: int, height: int,
             rate: Fraction) -> str | None:
    """None when ``name`` opens and encodes a grey picture of this size, else why not."""
    import av

    try:
        ctx = av.CodecContext.create(name, "w")
        ctx.width, ctx.height = width, height
        ctx.pix_fmt = "nv12" if name in ("h264_qsv", "h264_vaapi") else "yuv420p"
        ctx.time_base = 1 / Fraction(rate or 30)
        ctx.framerate = Fraction(rate or 30)
        ctx.options = dict(options)
        ctx.open()
        frame = av.VideoFrame(width, height, "yuv420p").reformat(format=ctx.pix_fmt)
        for p in frame.planes:
            p.update(bytes([128]) * p.buffer_size)
        frame.pts = 0
        got = list(ctx.encode(frame)) + list(ctx.encode(None))
        if not got:
            return "it gave no packet for a test picture"
    except av.codec.codec.UnknownCodecError:
        return "not in this FFmpeg build"
    except av.error.FFmpegError as exc:
        return f"could not be opened ({exc.strerror or type(exc).__name__})"
    except Exception as exc:  # noqa: BLE001 - any failure means: not this encoder
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return text[:120]
    return None


Opener = Callable[[str, dict[str, str], int, int, Fraction], "str | None"]
_CHOSEN: dict[tuple, Encoder] = {}


def pick(choice: str, preset: str, crf: int, width: int, height: int, rate: Fraction,
         opener: Opener | None = None) -> Encoder:
    """The encoder for ``choice`` ("auto": the first hardware encoder that works, else
    libx264; a name: that one, else libx264 with the reason). Remembered per process."""
    from reviewer.errors import ReviewerError

    if choice not in CHOICES:
        raise ReviewerError(f"--encoder {choice}: not one of {', '.join(CHOICES)}")
    key = (choice, preset, crf, width, height, rate, opener)
    if key in _CHOSEN:
        return _CHOSEN[key]
    opener = opener or try_open
    names = HARDWARE if choice == "auto" else ((choice,) if choice != "libx264" else ())
    tried = []
    chosen = None
    for name in names:
        opts = options_for(name, preset, crf, width, height, rate)
        why = opener(name, opts, width, height, rate)
        if why is None:
            chosen = Encoder(name, opts, tuple(tried))
            break
        tried.append(f"{name}: {why}")
    if chosen is None:
        chosen = Encoder("libx264", options_for("libx264", preset, crf, width, height, rate), tuple(tried))
    _CHOSEN[key] = chosen
    return chosen


__all__ = ["CHOICES", "Encoder", "HARDWARE", "options_for", "pick", "try_open"]


def add_stream(out: object, enc: Encoder, rate: Fraction, width: int, height: int,
               time_base: Fraction) -> object:
    """The export's video stream in ``out``, encoded by ``enc``."""
    vs = out.add_stream(enc.name, rate=rate)  # type: ignore[attr-defined]
    vs.width, vs.height = width, height
    vs.pix_fmt = "nv12" if enc.name in ("h264_qsv", "h264_vaapi") else "yuv420p"
    vs.time_base = time_base
    vs.codec_context.time_base = time_base
    vs.codec_context.options = dict(enc.options)
    if enc.name == "libx264":
        # PyAV's default is SLICE, which makes x264 use sliced threads (slower, and worse
        # compression); FFmpeg's own default (frame threads) is what x264 is tuned for
        vs.codec_context.thread_type = "AUTO"
        vs.codec_context.thread_count = 0
    else:
        import av

        from reviewer.errors import MediaError

        try:  # opened now, so a device that fails is told apart from a folder that does
            vs.codec_context.open()
        except av.error.FFmpegError as exc:
            raise MediaError(f"{enc.name} could not be opened ({exc.strerror or exc})") from None
    return vs
