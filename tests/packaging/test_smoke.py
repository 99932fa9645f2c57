"""The packaged app runs on its own. Building takes minutes, so this runs only when a built
folder exists (dist/Reviewer) or REVIEWER_SMOKE=1 asks for it (then it builds first)."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "Reviewer"
ASKED = os.environ.get("REVIEWER_SMOKE") == "1"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "build_spec" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
@pytest.mark.skipif(not (DIST.is_dir() or ASKED),
                    reason="no dist/Reviewer; build it with python3 build_spec/build.py or set REVIEWER_SMOKE=1")
def test_built_app_runs_without_the_source_tree():
    if not DIST.is_dir():
        proc = subprocess.run([sys.executable, str(ROOT / "build_spec" / "build.py"), "--no-smoke"],
                              cwd=str(ROOT), timeout=1800)
        assert proc.returncode == 0, "the build failed"
    seen = _load("smoke").run_smoke(DIST, log=lambda m: None)
    assert seen["selfcheck"]["frozen"] is True
    assert seen["selfcheck"]["modules_outside_bundle"] == []
    assert seen["probe"]["frame_count"] > 0
    assert seen["window"], "the window reported nothing"


def test_size_report_names_the_biggest_parts(tmp_path):
    build = _load("build")
    dist = tmp_path / "Reviewer"
    (dist / "_internal" / "big").mkdir(parents=True)
    (dist / "_internal" / "big" / "blob").write_bytes(b"x" * 3 * 2**20)
    (dist / "_internal" / "small.txt").write_bytes(b"x" * 10)
    (dist / "Reviewer").write_bytes(b"x" * 2**20)
    report = build.size_report(dist).splitlines()
    assert report[0].strip().startswith("4.0 MB")
    assert report[1].split()[-1] == "_internal/big" and report[1].strip().startswith("3.0 MB")


VLC_KEYS = ("PYTHON_VLC_LIB_PATH", "PYTHON_VLC_MODULE_PATH", "VLC_PLUGIN_PATH")
VLC_ENV_BEFORE = {k: os.environ.get(k) for k in VLC_KEYS}


def _unset_vlc_env(monkeypatch) -> None:
    """Unset the hook's variables so that monkeypatch restores them after the test even when
    they were absent (a bare delenv of a missing key is not recorded, and a fake libVLC path
    left behind breaks every later test that plays video)."""
    for key in VLC_KEYS:
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)


def test_vlc_hook_points_python_vlc_at_the_bundle(tmp_path, monkeypatch):
    name = {"win32": "libvlc.dll", "darwin": "libvlc.dylib"}.get(sys.platform, "libvlc.so.5")
    (tmp_path / name).write_bytes(b"")
    (tmp_path / "vlc" / "plugins").mkdir(parents=True)
    _unset_vlc_env(monkeypatch)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    _load("rthook_vlc")
    assert os.environ["PYTHON_VLC_LIB_PATH"] == str(tmp_path / name)
    assert os.environ["VLC_PLUGIN_PATH"] == os.environ["PYTHON_VLC_MODULE_PATH"] == str(tmp_path / "vlc" / "plugins")


def test_vlc_hook_leaves_a_bundle_without_vlc_alone(tmp_path, monkeypatch):
    _unset_vlc_env(monkeypatch)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    _load("rthook_vlc")
    assert not any(k in os.environ for k in VLC_KEYS)


def test_vlc_hook_tests_leave_the_environment_as_they_found_it():
    # Runs after the two above (file order): nothing of their fake bundle may remain.
    assert {k: os.environ.get(k) for k in VLC_KEYS} == VLC_ENV_BEFORE


def test_licences_cover_every_runtime_distribution(tmp_path):
    parts = _load("bundle_parts")
    written = parts.write_licenses(tmp_path, ROOT, [], [])
    assert "Reviewer-AGPL-3.0.txt" in written
    names = {parts._canon(d.metadata["Name"]) for d in parts.runtime_distributions()} - {"reviewer"}
    for name in {"pyside6-essentials", "av", "pymupdf", "opencv-python-headless", "numpy", "python-vlc"}:
        assert name in names
    for name in names:
        folder = tmp_path / name
        assert folder.is_dir() and any(folder.iterdir()), f"no licence text for {name}"


def test_licences_include_the_model_notices_from_resources(tmp_path):
    written = _load("bundle_parts").write_licenses(tmp_path, ROOT, [], [])
    notices = sorted(p.name for p in (ROOT / "resources" / "licenses").glob("*.txt"))
    assert "CenterFace-MIT.txt" in notices
    for name in notices:
        assert f"models/{name}" in written
        assert (tmp_path / "models" / name).read_bytes() == (ROOT / "resources" / "licenses" / name).read_bytes()


def test_the_spec_bundles_resources():
    spec = (ROOT / "build_spec" / "reviewer.spec").read_text()
    assert 'datas.append((str(ROOT / "resources"), "resources"))' in spec


def test_a_bundled_resources_folder_is_what_the_app_reads(tmp_path):
    # PyInstaller's layout: sys._MEIPASS/resources. A copy elsewhere, with one label
    # changed, must be what the exemption list and the sample clip come from.
    shutil.copytree(ROOT / "resources", tmp_path / "resources")
    toml = tmp_path / "resources" / "exemptions.toml"
    toml.write_text(toml.read_text().replace('code = "b6"\nlabel = "', 'code = "b6"\nlabel = "BUNDLED '))
    code = ("import json, sys; sys._MEIPASS = sys.argv[1]\n"
            "from reviewer.annotate.reasons import BUILTIN_REASONS\n"
            "from reviewer.paths import resources_dir, sample_face_clip\n"
            "print(json.dumps([str(resources_dir()), str(sample_face_clip()), dict(BUILTIN_REASONS)['b6']]))")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=str(ROOT),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    where, clip, b6 = json.loads(proc.stdout)
    assert where == str(tmp_path / "resources") and Path(clip).is_file()
    assert Path(clip).parent.parent == tmp_path / "resources" and b6.startswith("BUNDLED ")


def test_the_selfcheck_finds_the_resource_files_and_smoke_judges_them():
    proc = subprocess.run([sys.executable, str(ROOT / "build_spec" / "entry_app.py"), "--selfcheck"],
                          cwd=str(ROOT), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)["resource_files"]
    smoke = _load("smoke")
    assert smoke.resource_problems(found, str(ROOT)) == []
    assert found["exemption_codes"] > 0
    elsewhere = smoke.resource_problems(found, str(ROOT / "dist" / "Reviewer"))
    assert len(elsewhere) == 2 and all("not found inside the bundle" in p for p in elsewhere)
