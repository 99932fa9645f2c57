"""The People panel in a real X window (xvfb-run, Qt's xcb platform): names typed, the
finder's proposals listed, the names redacted; the screenshot is kept
(test-artifacts/screenshots/xvfb-people.png)."""
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


def test_people_panel_under_x(tmp_path):
    from fixtures.production_scale import PEOPLE, make_production

    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore

    truth = make_production(tmp_path / "prod.pdf", pages=6, seed=9)
    case = tmp_path / "case"
    with CaseStore.create(case) as store:
        import_paths(store, [tmp_path / "prod.pdf"])
    # typed key by key: names on a US keyboard (QTest types ASCII only)
    people = sorted({p.person for p in truth.of("name")
                     if f"{PEOPLE[p.person][0]} {PEOPLE[p.person][1]}".isascii()})[:2]
    names = [f"{PEOPLE[k][0]} {PEOPLE[k][1]}" for k in people]
    SHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", REVIEWER_NO_AUDIO="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    driver = Path(__file__).resolve().with_name("xvfb_people.py")
    r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable,
                        str(driver), str(case), str(SHOTS), *names], capture_output=True, text=True,
                       timeout=300, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    state = json.loads(next(l for l in r.stdout.splitlines() if l.startswith("STATE "))[6:])
    assert state["platform"] == "xcb" and state["visible"] and state["saved"]
    assert state["listed"] == names
    assert state["proposed"] > 0
    assert state["boxes"] > 0 and "newly boxed" in state["summary"]
