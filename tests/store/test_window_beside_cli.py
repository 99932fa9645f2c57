"""The window open on a case while `reviewer` commands run against the same case, then the
window killed: every edit made in either is in the case.

The window here is a real process running the window's own case controller (offscreen Qt),
doing what the window does: notes through CaseController.add_note (Session.apply behind the
undo stack), and a search on a worker's own connection (CaseStore.open beside the open one,
as main_window's search worker does). A plain open()/close() of case.db in that process drops
the controller's SQLite locks; a CLI command's close then checkpoints and deletes the WAL the
window still writes into, and its later notes vanish with the kill.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

from cli.clirun import ok
from fixtures.videos import make_video
from reviewer.store import CaseStore

WINDOW = textwrap.dedent("""
    import sys
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])
    from reviewer.store import CaseStore
    from reviewer.ui.case.controller import CaseController, search_case

    folder, media_id = sys.argv[1], int(sys.argv[2])
    ctl = CaseController.open(folder)
    ctl.error.connect(lambda msg: print("error", msg, flush=True))
    for line in sys.stdin:
        verb, _, arg = line.strip().partition(" ")
        if verb == "note":
            print("ok", ctl.add_note(media_id, arg, frame=3), flush=True)
        elif verb == "search":  # the window's search worker: its own connection
            with CaseStore.open(folder) as store:
                search_case(store, arg)
            print("ok search", flush=True)
""")


class Window:
    def __init__(self, folder, media_id: int) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        self.proc = subprocess.Popen([sys.executable, "-c", WINDOW, str(folder), str(media_id)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1, env=env)

    def do(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().strip()
        assert reply.startswith("ok"), f"the window said {reply!r} to {line!r}"
        return reply

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


def test_cli_beside_the_window_loses_no_edit_when_the_window_is_killed(tmp_path):
    clip = make_video(tmp_path / "cam", "cfr", 30, (160, 120), audio=True)
    case = tmp_path / "case"
    ok("new", case)
    media_id = int(ok("import", case, clip).out.split("\t")[0])
    window = Window(case, media_id)
    try:
        window.do("note window-1")
        window.do("search window")  # a second connection in the window's process, then closed
        listed = json.loads(ok("list", case, "--json").out)
        assert [r["id"] for r in listed] == [media_id]
        window.do("note window-2")
        cli_note = int(ok("annotate", case, str(media_id), "--frame", 5, "--text", "cli-1").out)
        window.do("search cli")
        window.do("note window-3")
        ok("export", case, str(media_id), "--out", tmp_path / "out.mp4")
        window.do("note window-4")
        ok("annotations", case, "--json")
        window.do("note window-5")
        exhibit = int(ok("exhibit", case, str(media_id), "--frames", "0:9").out)
        window.do("search bundle")
        ok("bundle", case, "--out", tmp_path / "bundle")
        window.do("note window-6")
    finally:
        window.kill()
    assert (tmp_path / "out.mp4").is_file()
    with CaseStore.open(case) as store:
        assert store.query_one("PRAGMA integrity_check")["integrity_check"] == "ok"
        texts = {r["text"]: r["id"] for r in store.query("SELECT id, text FROM annotations")}
        assert store.verify_audit() == []
    want = {f"window-{n}" for n in range(1, 7)} | {"cli-1"}
    assert want <= set(texts), f"lost: {sorted(want - set(texts))}"
    assert texts["cli-1"] == cli_note
    with CaseStore.open(case) as store:
        assert [r["id"] for r in store.query("SELECT id FROM exhibits")] == [exhibit]
    assert (tmp_path / "bundle" / "SHA256SUMS").is_file()


def test_import_refuses_the_case_database_itself(tmp_path):
    """Importing case.db would read it with a plain open() in the process that holds the case."""
    case = tmp_path / "case"
    ok("new", case)
    from cli.clirun import run

    r = run("import", case, case / "case.db")
    assert r.code == 1 and "case.db" in r.err and "not evidence" in r.err
    assert json.loads(ok("list", case, "--json").out) == []
