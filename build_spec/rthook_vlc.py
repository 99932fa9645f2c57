"""PyInstaller runtime hook: make python-vlc load the libVLC bundled in this folder.

Runs before any of our code. Without it python-vlc searches the system (or finds nothing on
a machine without VLC), and a system libVLC of another version may not match the plugins.
"""
import os
import sys


def _point_vlc_at_bundle() -> None:
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return
    name = {"win32": "libvlc.dll", "darwin": "libvlc.dylib"}.get(sys.platform, "libvlc.so.5")
    lib = os.path.join(base, name)
    plugins = os.path.join(base, "vlc", "plugins")
    if os.path.isfile(lib) and os.path.isdir(plugins):
        os.environ["PYTHON_VLC_LIB_PATH"] = lib
        os.environ["PYTHON_VLC_MODULE_PATH"] = plugins
        os.environ["VLC_PLUGIN_PATH"] = plugins


_point_vlc_at_bundle()
