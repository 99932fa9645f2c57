"""Playback with sound through libVLC, its picture delivered to us as RGB32 buffers.

No Qt here: the window draws the newest buffer itself, so redaction boxes and notes are
drawn over playback too. libVLC's clock is approximate (docs/decisions/0002), so this is only
used while playing; a paused or stepped frame always comes from the exact PyAV reader.
"""
from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class VideoBuffer:
    """One decoded picture: ``data`` is ``height * stride_bytes`` bytes, 0xffRRGGBB words."""

    data: bytes
    width_px: int
    height_px: int
    stride_bytes: int
    time_ms: int


def vlc_unavailable_reason() -> str | None:
    """None when libVLC can play here, else a one-line reason for the status bar."""
    try:
        import vlc
    except (ImportError, OSError) as exc:
        return f"libVLC is not available ({exc}); playing silently"
    try:
        inst = vlc.Instance(["--quiet", "--no-xlib"])
    except Exception as exc:  # noqa: BLE001 - any failure means "no VLC"
        return f"libVLC could not start ({exc}); playing silently"
    if inst is None:
        return "libVLC could not start (no plugins found); playing silently"
    inst.release()
    return None


class VlcPlayer:
    """A headless libVLC player; ``on_frame(VideoBuffer)`` is called on VLC's own thread.

    ``width_px``/``height_px`` are the displayed size; VLC scales into that buffer, so
    rotated videos come out as displayed.
    """

    def __init__(self, on_frame: Callable[[VideoBuffer], None], *, audio: bool = True) -> None:
        import vlc

        self._vlc = vlc
        args = ["--quiet", "--no-xlib", "--no-video-title-show", "--no-sub-autodetect-file",
                "--no-spu", "--no-osd"]
        if not audio or os.environ.get("REVIEWER_NO_AUDIO"):
            args.append("--aout=dummy")
        self._instance = vlc.Instance(args)
        if self._instance is None:
            raise RuntimeError("libVLC could not start")
        self._player = self._instance.media_player_new()
        self._on_frame = on_frame
        self._lock = threading.Lock()
        self._buf: ctypes.Array | None = None
        self._w = self._h = 0
        # keep the ctypes callbacks alive for as long as the player is
        self._cbs = (
            vlc.CallbackDecorators.VideoLockCb(self._lock_cb),
            vlc.CallbackDecorators.VideoUnlockCb(self._unlock_cb),
            vlc.CallbackDecorators.VideoDisplayCb(self._display_cb),
        )

    # -- libVLC's callbacks (its decoder thread) ---------------------------------------------
    def _lock_cb(self, opaque, planes):
        self._lock.acquire()
        planes[0] = ctypes.cast(self._buf, ctypes.c_void_p)

    def _unlock_cb(self, opaque, picture, planes):
        self._lock.release()

    def _display_cb(self, opaque, picture):
        with self._lock:
            data = bytes(self._buf) if self._buf is not None else b""
        if data:
            # no libVLC call from inside its own callback (it may hold locks stop() waits on);
            # the consumer asks for the time when it takes the picture
            self._on_frame(VideoBuffer(data, self._w, self._h, self._w * 4, -1))

    # -- control ------------------------------------------------------------------------------
    def load(self, path: str, width_px: int, height_px: int) -> None:
        self.stop()
        self._w, self._h = int(width_px), int(height_px)
        self._buf = (ctypes.c_ubyte * (self._w * self._h * 4))()
        media = self._instance.media_new_path(path)
        # never let VLC open a window of its own or load sidecar subtitles
        media.add_option(":no-sub-autodetect-file")
        self._player.set_media(media)
        media.release()
        self._player.video_set_callbacks(*self._cbs, None)
        self._player.video_set_format("RV32", self._w, self._h, self._w * 4)

    def play(self) -> None:
        self._player.play()

    def pause(self) -> None:
        self._player.set_pause(1)

    def stop(self) -> None:
        self._player.stop()

    def is_playing(self) -> bool:
        return bool(self._player.is_playing())

    def set_rate(self, rate: float) -> None:
        self._player.set_rate(float(rate))

    def seek_ms(self, time_ms: int) -> None:
        self._player.set_time(int(time_ms))

    def time_ms(self) -> int:
        return max(0, int(self._player.get_time()))

    def set_volume(self, percent: int) -> None:
        self._player.audio_set_volume(int(percent))

    def release(self) -> None:
        self._player.stop()
        self._player.release()
        self._instance.release()
