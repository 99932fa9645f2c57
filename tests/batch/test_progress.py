"""Progress on stderr: a bar (done/total, rate, time left) and one line per finished item
when stderr is a terminal (a pty here), nothing extra through a pipe, nothing with
``--quiet``. stdout stays the contract's output either way."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

from cli.clirun import SCRIPT, ok, run


def on_terminal(*argv: object, timeout: float = 300) -> tuple[int, str, str]:
    """``reviewer ARGV`` with stderr on a pseudo-terminal (100 columns), stdout a pipe."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "reviewer"]
    env = {k: v for k, v in os.environ.items() if k != "REVIEWER_DEBUG"}
    proc = subprocess.Popen(cmd + [str(a) for a in argv], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    err = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed its end
                    break
                if not chunk:
                    break
                err += chunk
            elif proc.poll() is not None:
                break
        out = proc.stdout.read().decode()
        code = proc.wait(30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    return code, out, text


def _bar_shown(err: str, title: str, done: str, unit: str) -> None:
    assert title in err and "%|" in err, err
    assert done in err, err          # items done/total
    assert f" {unit}/s" in err, err  # the rate
    assert "<" in err                # [elapsed<remaining]: time left


def test_detect_and_export_all_show_a_bar_and_a_line_per_item_on_a_terminal(case, tmp_path):
    code, out, err = on_terminal("detect", "faces", case, "--jobs", "2")
    assert code == 0 and out.strip().isdigit() and int(out) > 0
    _bar_shown(err, "detect faces", "3/3", "frames")
    assert sum(ln.strip().startswith("done ") for ln in err.replace("\r", "\n").splitlines()) == 3

    code, out, err = on_terminal("export", case, "--all", "--out", tmp_path / "out", "--jobs", "2")
    assert code == 0 and len(out.splitlines()) == 4 and all(ln.startswith("exported ") for ln in out.splitlines())
    _bar_shown(err, "export", "4/4", "frames/pages")

    # a re-run has nothing to do: its lines say so, stdout too
    code, out, err = on_terminal("detect", "faces", case)
    assert code == 0 and out.strip() == "0"
    assert err.count("current ") == 3, err


def test_nothing_extra_through_a_pipe_or_with_quiet(case, tmp_path):
    piped = ok("detect", "faces", case, "bwc_02.mp4")
    assert piped.err == ""
    code, out, err = on_terminal("detect", "faces", case, "--quiet")
    assert code == 0 and int(out) > 0 and err.strip() == ""
    code, out, err = on_terminal("export", case, "--all", "--out", tmp_path / "q", "-q")
    assert code == 0 and len(out.splitlines()) == 4 and err.strip() == ""
    piped = ok("export", case, "--all", "--out", tmp_path / "p")
    assert piped.err == ""


def test_import_export_bundle_and_verify_show_progress_on_a_terminal(production, tmp_path):
    case = tmp_path / "case"
    ok("new", case)
    code, out, err = on_terminal("import", case, production.media)
    assert code == 0 and len(out.splitlines()) == 4
    assert "import" in err and "4/4" in err and "B/s" in err, err
    assert run("new", tmp_path / "c2").code == 0
    assert run("import", tmp_path / "c2", production.media).err == ""  # piped: nothing

    code, out, err = on_terminal("export", case, "bwc_02.mp4", "--out", tmp_path / "one.mp4")
    assert code == 0 and out.splitlines()[-1].startswith("exported ")
    assert "export bwc_02.mp4" in err and "%|" in err and " frames/s" in err, err

    ok("exhibit", case, "bwc_02.mp4", "--frames", "0:5")
    code, out, err = on_terminal("bundle", case, "--out", tmp_path / "bundle")
    assert code == 0 and out.strip() == str(tmp_path / "bundle")
    assert "bundle" in err and "%|" in err, err

    code, out, err = on_terminal("verify", tmp_path / "one.mp4")
    assert code == 0 and all(ln.startswith("ok ") for ln in out.splitlines())
    assert "verify" in err and "%|" in err, err
    code, out, err = on_terminal("verify", tmp_path / "bundle", "--quiet")
    assert code == 0 and err.strip() == ""
    piped = ok("verify", tmp_path / "bundle")
    assert piped.err == ""
