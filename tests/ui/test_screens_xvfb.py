"""The window as it starts on four real X screens (Xvfb, Qt's xcb platform: 1280x720,
1366x768, 1600x1000, 1920x1080), the demo case open, a video clicked in the Case list and the
PDF beside it: the window fits the screen, the picture has at least half its width, and every
panel's title shows whole in a tab row with no scroll arrows (or, for the Case list on a wide
screen, in a column of its own). Screenshots: test-artifacts/screenshots/xvfb-screen-WxH.png."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHOTS

pytestmark = [pytest.mark.xvfb,
              pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")]


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1600, 1000), (1920, 1080)])
def test_the_default_layout_on_each_screen_under_x(demo_case, tmp_path, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = size
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", REVIEWER_NO_AUDIO="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    driver = Path(__file__).resolve().with_name("xvfb_screens.py")
    r = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {w}x{h}x24", sys.executable,
                        str(driver), str(demo_case), str(SHOTS)], capture_output=True, text=True,
                       timeout=300, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads(next(line for line in r.stdout.splitlines() if line.startswith("STATE "))[6:])
    assert s["platform"] == "xcb" and s["screen"] == [w, h]
    x, y, aw, ah = s["available"]
    fx, fy, fw, fh = s["frame"]
    assert x <= fx and y <= fy and fx + fw <= x + aw and fy + fh <= y + ah, s
    assert s["picture"] >= s["window_width"] / 2, s
    assert s["page"] >= 200 and s["page_right"] <= s["window_width"], s
    # the page and Bates number in view, in the fonts X draws with, are not cut
    assert "Page 1 / " in s["readout"] and "ICE-" in s["readout"] and s["readout_whole"], s
    shown = []
    for row in s["rows"]:  # the bars drawn; spare bars Qt keeps are neither drawn nor counted
        if not row["drawn"]:
            continue
        assert all(row["whole"]) and not row["arrows"], row
        shown += row["tabs"]
    if s["case_column"]:
        shown.append("Case")
    assert sorted(shown) == s["panels"], (shown, s["rows"])
    assert (SHOTS / f"xvfb-screen-{w}x{h}.png").stat().st_size > 20_000
