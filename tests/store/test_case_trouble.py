"""When the case or the disk is in trouble, each command says in one line what is wrong, on
which file, and what to do: a full disk, a damaged case database, a case another process holds,
a case folder shared read-only, an original changed behind the case, a redo that another
process's edit made impossible."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli.clirun import ok, run
from fixtures.pdfs import make_production_pdf
from fixtures.videos import make_video


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    d = tmp_path_factory.mktemp("trouble")
    clip = make_video(d / "cam", "cfr", 30, (160, 120), audio=True)
    pdf = make_production_pdf(d / "letters.pdf", n_pages=2).path
    return clip, Path(pdf)


def _case(folder: Path, *items: Path) -> Path:
    ok("new", folder)
    ok("import", folder, *items)
    return folder


def _mount(kind: list[str], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", *kind, str(target)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount here ({r.stderr.strip()})")


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _fill(folder: Path) -> None:
    """Fill the disk holding ``folder`` to the last byte."""
    for name, block in (("filler", 65536), ("filler2", 512), ("filler3", 1)):
        try:
            with open(folder / name, "wb", buffering=0) as fh:
                while True:
                    fh.write(b"\0" * block)
        except OSError:
            pass


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines and all(ln.startswith(("error:", "warning:", "note:")) for ln in lines), err
    assert "Traceback" not in err and "disk I/O error" not in err, err
    return lines[-1]


@pytest.mark.skipif(not _is_root(), reason="a small tmpfs needs root to mount")
def test_a_full_disk_is_named_with_the_file_and_said_to_be_full(tmp_path, material):
    clip, pdf = material
    disk = tmp_path / "small"
    _mount(["-t", "tmpfs", "-o", "size=6m", "tmpfs"], disk)
    try:
        # the case on the full disk: every command that writes to it
        case = _case(disk / "case", clip, pdf)
        roomy = _case(tmp_path / "roomy", clip, pdf)
        ok("redact", "box", roomy, "1", "--frames", "0:3", "--rect", "1,1,20,20")
        ok("exhibit", roomy, "1", "--frames", "0:5")
        _fill(disk)
        for argv in (["annotate", case, "1", "--frame", "2", "--text", "kept?"],
                     ["redact", "box", case, "1", "--frames", "0:3", "--rect", "1,1,20,20"],
                     ["redact", "page", case, "2", "--page", "1", "--rect", "10,10,50,50"],
                     ["new", disk / "case2"]):
            r = run(*argv)
            line = _one_line(r.err)
            assert r.code == 1 and "the disk is full" in line and str(disk) in line, (argv, r.err)
        # the case elsewhere, the output on the full disk
        outs = {"export": disk / "out.mp4", "all": disk / "all", "bundle": disk / "bundle",
                "frame": disk / "f.png", "csv": disk / "w.csv"}
        for argv, out in ((["export", roomy, "1", "--out", outs["export"]], outs["export"]),
                          (["export", roomy, "--all", "--out", outs["all"]], outs["all"] / "cam.mp4"),
                          (["bundle", roomy, "--out", outs["bundle"]], outs["bundle"]),
                          (["frame", clip, "--frame", "1", "--out", outs["frame"]], outs["frame"]),
                          (["withheld", roomy, "--csv", outs["csv"]], outs["csv"])):
            r = run(*argv)
            line = _one_line(r.err)
            assert r.code == 1 and "the disk is full" in line and str(disk) in line, (argv, r.err)
            assert not out.exists() or (out.is_dir() and not any(out.iterdir())), argv
    finally:
        _umount(disk)


def _damage(db: Path, how: str) -> None:
    data = bytearray(db.read_bytes())
    if how == "header":
        data[:16] = b"garbage garbage!"
    elif how == "pages":
        page = int.from_bytes(data[16:18], "big")
        for n in range(1, len(data) // page):  # every page but the first: b-tree pages broken
            data[n * page:n * page + 8] = b"\xff" * 8
    else:  # truncated: the last pages lost
        del data[len(data) // 3:]
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["header", "pages", "truncated"])
def test_a_damaged_case_database_gives_one_line_that_says_restore_it(tmp_path, material, how):
    clip, _ = material
    case = _case(tmp_path / "case", clip)
    ok("annotate", case, "1", "--frame", "1", "--text", "a note")
    _damage(case / "case.db", how)
    for argv in (["list", case, "--json"], ["annotations", case, "--json"],
                 ["annotate", case, "1", "--frame", "2", "--text", "x"]):
        r = run(*argv)
        line = _one_line(r.err)
        assert r.code == 1 and len(r.err.strip().splitlines()) == 1, (argv, r.err)
        assert str(case / "case.db") in line and "damaged" in line and "backup" in line, (how, argv, line)


HOLDER = textwrap.dedent("""
    import sys, time
    from reviewer.store import CaseStore

    store = CaseStore.open(sys.argv[1])
    with store.write() as tx:
        tx.audit("test.hold", {})
        print("holding", flush=True)
        time.sleep(60)
""")


def test_a_locked_case_names_the_process_that_holds_it(tmp_path, material, monkeypatch, capsys):
    from reviewer import cli
    from reviewer.store import connect

    clip, _ = material
    case = _case(tmp_path / "case", clip)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(case)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(connect, "BUSY_TIMEOUT_MS", 300)
        code = cli.main(["annotate", str(case), "1", "--frame", "2", "--text", "waits"])
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    line = _one_line(err)
    assert code == 1, err
    if sys.platform.startswith("linux"):
        assert f"pid {holder.pid}" in line and "Reviewer process" in line, line
    assert str(case / "case.db") in line and "try again" in line, line


def test_a_case_shared_read_only_can_be_read(tmp_path, material):
    clip, pdf = material
    case = _case(tmp_path / "case", clip, pdf)
    ok("annotate", case, "1", "--frame", "1", "--text", "seen")
    ok("redact", "page", case, "2", "--page", "1", "--rect", "10,10,80,40")
    ok("withheld", case, "--json")  # scanned once while writable, as a shared case would be
    late = make_production_pdf(tmp_path / "late.pdf", n_pages=1, start=700).path
    ok("import", case, late)  # imported after the scan: never scanned
    out = tmp_path / "letters.redacted.pdf"
    ok("export", case, "2", "--out", out)
    shared = tmp_path / "shared"
    if _is_root():  # root writes through permissions: a read-only bind mount is read-only
        _mount(["--bind", str(case)], shared)
        r = subprocess.run(["mount", "-o", "remount,bind,ro", str(shared)], capture_output=True, text=True)
        if r.returncode:
            _umount(shared)
            pytest.skip(f"cannot remount read-only ({r.stderr.strip()})")
    else:
        shutil.copytree(case, shared)
        for p in [shared, *shared.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        before = {p.name: p.stat().st_mtime_ns for p in shared.iterdir()}
        rows = json.loads(ok("list", shared, "--json").out)
        assert [r["name"] for r in rows] == ["cam.mp4", "letters.pdf", "late.pdf"]
        notes = json.loads(ok("annotations", shared, "--json").out)
        assert [n["text"] for n in notes] == ["seen"]
        ok("search", shared, "letter")
        r = ok("withheld", shared, "--json")
        assert "late.pdf: not yet scanned" in r.err and "read-only" in r.err, r.err
        assert ok("verify", out, "--case", shared).code == 0
        r = run("annotate", shared, "1", "--frame", "2", "--text", "no")
        line = _one_line(r.err)
        assert r.code == 1 and "read-only" in line and str(shared) in line, r.err
        assert {p.name: p.stat().st_mtime_ns for p in shared.iterdir()} == before
    finally:
        if _is_root():
            _umount(shared)
        else:
            for p in [shared, *shared.rglob("*")]:
                p.chmod(0o755 if p.is_dir() else 0o644)


def test_redact_text_refuses_an_original_that_changed(tmp_path, material):
    _, pdf = material
    mine = tmp_path / "letters.pdf"
    shutil.copy(pdf, mine)
    case = _case(tmp_path / "case", mine)
    make_production_pdf(mine, n_pages=3, start=900)  # another production under the same name
    r = run("redact", "text", case, "--pattern", "ssn")
    line = _one_line(r.err)
    assert r.code == 1 and "letters.pdf" in line and "changed since it was imported" in line, r.err
    from reviewer.store import CaseStore

    with CaseStore.open(case) as store:
        assert store.query("SELECT id FROM redactions") == []


def test_redo_after_another_process_took_the_id_says_so_and_keeps_the_history(tmp_path, material):
    from reviewer.errors import ReviewerError
    from reviewer.session import annotations as notes
    from reviewer.session.session import Session
    from reviewer.session.undo import UndoHistory
    from reviewer.store import CaseStore
    from reviewer.store import media as media_store

    clip, _ = material
    case = _case(tmp_path / "case", clip)
    store = CaseStore.open(case)
    try:
        media = media_store.get_media(store, 1)
        history = UndoHistory(Session(store))
        history.push(notes.add_annotation(store, media, text="first", frame=1))
        history.push(notes.add_annotation(store, media, text="mine", frame=2))
        history.undo()  # "mine" is gone; its id is free again
        other = int(ok("annotate", case, "1", "--frame", "3", "--text", "theirs").out)
        with pytest.raises(ReviewerError, match="cannot redo .*changed elsewhere"):
            history.redo()
        texts = [r["text"] for r in store.query("SELECT text FROM annotations ORDER BY id")]
        assert texts == ["first", "theirs"]
        assert not history.can_redo and history.redo() is None
        history.undo()  # the history still works: "first" is undone
        assert [r["id"] for r in store.query("SELECT id FROM annotations")] == [other]
        history.redo()
        assert sorted(r["text"] for r in store.query("SELECT text FROM annotations")) == ["first", "theirs"]
    finally:
        store.close()
