#!/usr/bin/env python3
"""Smoke test of a built Reviewer folder, run with nothing of the source tree reachable.

    python3 build_spec/smoke.py [dist/Reviewer]

The folder is copied to a temporary place and run with a clean environment (no PYTHONPATH,
no virtualenv, a fresh HOME) from an unrelated working folder: ``--version``, a self-check
(headless OpenCV, face model, libVLC and resources all from inside the bundle, no module
loaded from elsewhere), the demo case made by the bundled CLI (PyAV, PyMuPDF and the import
sandbox's child processes), ``probe --json`` on a generated clip, that clip played through the
bundled libVLC, and the window opened offscreen on the demo case. Only the standard library: it must not lean on the venv.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if os.name == "nt" else ""


class SmokeFailure(AssertionError):
    pass


def clean_env(home: Path) -> dict[str, str]:
    env = {"HOME": str(home), "USERPROFILE": str(home), "APPDATA": str(home / "AppData"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_CACHE_HOME": str(home / "cache"), "TMPDIR": str(home / "tmp"),
           "TEMP": str(home / "tmp"), "TMP": str(home / "tmp"),
           "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", "REVIEWER_NO_AUDIO": "1",
           "PATH": os.pathsep.join(["/usr/bin", "/bin"]) if os.name != "nt" else os.environ.get("SystemRoot", r"C:\Windows")}
    for key in ("SystemRoot", "WINDIR"):  # Windows cannot start a process without these
        if key in os.environ:
            env[key] = os.environ[key]
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    return env


def resource_problems(found: dict, inside: str) -> list[str]:
    """What is wrong with the files the self-check found in resources/ (empty when sound)."""
    if "error" in found:
        return [f"resources/ could not be read: {found['error']}"]
    problems = []
    for key in ("exemptions", "sample_face_clip"):
        where = found.get(key)
        if not where or not str(where).startswith(inside) or not Path(where).is_file():
            problems.append(f"resource {key} not found inside the bundle: {where}")
    if not found.get("exemption_codes"):
        problems.append("the default exemption list is empty")
    return problems


def run_smoke(dist: Path, log=print) -> dict:
    """Run every check; raise SmokeFailure on the first that fails. Returns what was seen."""
    dist = Path(dist).resolve()
    if not (dist / f"Reviewer{EXE}").is_file():
        raise SmokeFailure(f"{dist}: no built Reviewer here (run python3 build_spec/build.py)")
    seen: dict = {}
    with tempfile.TemporaryDirectory(prefix="reviewer-smoke-") as tmp:
        tmp = Path(tmp)
        app = tmp / "app" / "Reviewer"
        shutil.copytree(dist, app, symlinks=True)
        work = tmp / "work"
        work.mkdir()
        env = clean_env(tmp / "home")
        gui, cli = app / f"Reviewer{EXE}", app / f"reviewer-cli{EXE}"

        def run(cmd: list, timeout: float = 180, name: str = "") -> subprocess.CompletedProcess:
            t0 = time.monotonic()
            proc = subprocess.run([str(c) for c in cmd], cwd=str(work), env=env, capture_output=True,
                                  text=True, timeout=timeout, stdin=subprocess.DEVNULL)
            log(f"smoke: {name or cmd[1]}: exit {proc.returncode} in {time.monotonic() - t0:.1f} s")
            if proc.returncode != 0:
                raise SmokeFailure(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n"
                                   f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
            return proc

        out = run([gui, "--version"]).stdout.strip()
        if "0." not in out and "1." not in out:
            raise SmokeFailure(f"--version printed {out!r}")
        seen["version"] = out

        check = json.loads(run([cli, "--selfcheck"]).stdout)
        seen["selfcheck"] = check
        inside = str(app)
        problems = []
        if not check.get("frozen"):
            problems.append("not frozen")
        if check.get("cv2", {}).get("problems") != []:
            problems.append(f"cv2 is not the headless build: {check.get('cv2')}")
        if not str(check.get("face_model", "")).startswith(inside):
            problems.append(f"face model not from the bundle: {check.get('face_model')}")
        if not str(check.get("resources") or "").startswith(inside):
            problems.append(f"resources not from the bundle: {check.get('resources')}")
        problems += resource_problems(check.get("resource_files") or {}, inside)
        if check.get("modules_outside_bundle"):
            problems.append(f"modules loaded from outside: {check['modules_outside_bundle'][:5]}")
        bundled_vlc = any((app / "_internal" / n).exists() or (app / n).exists()
                          for n in ("libvlc.so.5", "libvlc.dll", "libvlc.dylib"))
        vlc = check.get("vlc", {})
        if bundled_vlc:
            if not vlc.get("started"):
                problems.append(f"bundled libVLC did not start: {vlc}")
            loaded = vlc.get("loaded")
            if loaded is not None and not loaded.startswith(inside):
                problems.append(f"libVLC core loaded from outside the bundle: {loaded}")
        if problems:
            raise SmokeFailure("; ".join(problems))

        case = tmp / "case"
        run([cli, "demo", case], timeout=300)
        listing = json.loads(run([cli, "list", case, "--json"]).stdout)
        if sorted(r["kind"] for r in listing) != ["pdf", "video", "video", "video"]:
            raise SmokeFailure(f"demo case holds {listing}")
        clip = next(r for r in listing if r["kind"] == "video")
        probe = json.loads(run([cli, "probe", clip["path"], "--json"]).stdout)
        if probe.get("frame_count") != clip["frame_count"] or not probe.get("width"):
            raise SmokeFailure(f"probe --json said {probe}, the case says {clip}")
        seen["probe"] = probe

        if bundled_vlc:  # the bundled plugins must demux and decode, not only load
            played = json.loads(run([cli, "--selfcheck", clip["path"]], name="libVLC playback").stdout)
            seen["vlc_playback"] = played.get("vlc_playback")
            playback = played.get("vlc_playback") or {}
            if playback.get("frames", 0) < 5:
                raise SmokeFailure(f"bundled libVLC did not play {clip['name']}: {playback}")
            outside = [p for p in playback.get("plugins", []) if not p.startswith(inside)]
            if outside:
                raise SmokeFailure(f"libVLC plugins loaded from outside the bundle: {outside[:5]}")

        # the passes and the export with all its checks, as a user runs them: the export's
        # second decoder (FFmpeg's program, from imageio-ffmpeg) and the speech model must be
        # in the bundle too, not only importable in a checkout
        run([cli, "transcribe", case, "-q"], timeout=600, name="transcribe")
        run([cli, "detect", "all", case, clip["name"], "--quiet"], timeout=900, name="detect all")
        exported = work / "exported.mp4"
        run([cli, "export", case, clip["name"], "--out", exported, "-q"], timeout=900, name="export")
        run([cli, "verify", exported, "--case", case, "-q"], timeout=600, name="verify")
        seen["export"] = exported.stat().st_size

        proc = run([gui, "--demo", "--smoke"], timeout=300, name="window on the demo case")
        seen["window"] = proc.stdout.strip().splitlines()[-1:] or []
    return seen


def main(argv: list[str]) -> int:
    dist = Path(argv[0]) if argv else ROOT / "dist" / "Reviewer"
    try:
        seen = run_smoke(dist)
    except SmokeFailure as exc:
        print(f"smoke: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"smoke: passed ({seen['version']}; libVLC {seen['selfcheck'].get('vlc', {}).get('version')})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
