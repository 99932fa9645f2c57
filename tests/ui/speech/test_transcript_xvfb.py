"""The Transcript panel in a real X window (xvfb-run, Qt's xcb platform): transcribed from
the keyboard with the real recogniser, a click on a word, a mute by the word, stepping the
picture; the screenshot is kept (test-artifacts/screenshots/xvfb-transcript.png)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHOTS

from fixtures.speech import have_espeak, speech_video

pytestmark = [pytest.mark.xvfb,
              pytest.mark.skipif(not have_espeak() or shutil.which("xvfb-run") is None,
                                 reason="espeak-ng or xvfb-run is not installed")]

PHRASES = ["Officer Keisha Brown stopped the car on Elm Street.",
           "Her phone number is five five five, three one two, eight nine four zero.",
           "She lives at 1412 Elm Street."]


def test_transcript_panel_under_x(tmp_path):
    from reviewer.session.importer import import_paths
    from reviewer.store import CaseStore

    said = speech_video(tmp_path / "bodycam.mp4", PHRASES)
    case = tmp_path / "case"
    with CaseStore.create(case) as store:
        import_paths(store, [tmp_path / "bodycam.mp4"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", REVIEWER_NO_AUDIO="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    driver = Path(__file__).resolve().parents[1] / "xvfb_transcript.py"
    r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable,
                        str(driver), str(case), str(SHOTS)], capture_output=True, text=True,
                       timeout=400, env=env, cwd=ROOT, check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    state = json.loads(next(l for l in r.stdout.splitlines() if l.startswith("STATE "))[6:])
    assert state["platform"] == "xcb"
    assert "not transcribed yet" in state["before"]
    assert state["returned_at_once"] and state["transcribed"], state
    assert "phone" in state["words"] and "number" in state["words"]
    # the click went to the frame showing when "phone" starts, and highlighted it
    assert state["current_after_click"] == "phone"
    assert state["frame_seconds"] <= state["clicked_start"] < state["frame_seconds"] + 0.04 + 1e-6
    assert said[1].start_s - 0.2 <= state["clicked_start"] <= said[1].end_s
    assert state["spans"] >= 1 and state["muted_words"] >= 8
    assert state["current_after_steps"] and state["current_after_steps"] != "phone"
    assert state["shot"] and (SHOTS / "xvfb-transcript.png").stat().st_size > 20_000
