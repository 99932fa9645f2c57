"""Where things live: resources shipped with the app, per-user preferences."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder, in the source tree or inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """A file shipped in ``resources/`` (icons, exemption lists, model notices, demo media)."""
    return resources_dir().joinpath(*parts)


def sample_face_clip() -> Path:
    """The real face of Xiph.org's "foreman" clip (see resources/demo/README.md)."""
    return resource("demo", "foreman_h264.mp4")


def user_config_dir() -> Path:
    if sys.platform == "win32":
        root = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        root = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return root / "Reviewer"


def user_data_dir() -> Path:
    if sys.platform == "win32" or sys.platform == "darwin":
        return user_config_dir()
    root = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return root / "Reviewer"
