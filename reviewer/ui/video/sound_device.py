"""Whether played sound can be heard here: libVLC plays into a dummy output, silently, when
there is no sound device, so the window looks for one itself and says so beside the picture."""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path


def sound_problem(env: Mapping[str, str] | None = None, root: Path = Path("/")) -> str | None:
    """One line on why sound will not be heard, or None when a device (or a sound server) is
    there. Only Linux is looked at: macOS and Windows always have an output to fall back on."""
    env = os.environ if env is None else env
    if env.get("REVIEWER_NO_AUDIO"):
        return "Sound is switched off for this session (REVIEWER_NO_AUDIO): playing silently"
    if not sys.platform.startswith("linux"):
        return None
    runtime = Path(env.get("XDG_RUNTIME_DIR") or "/nonexistent")
    servers = [runtime / "pulse" / "native", runtime / "pipewire-0"]
    if env.get("PULSE_SERVER") or any(p.exists() for p in servers):
        return None
    cards = root / "proc" / "asound" / "cards"
    try:
        text = cards.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    if text.strip() and "no soundcards" not in text:
        return None
    return "No sound device found on this computer: video plays without sound"
