"""Exit codes, ``python -m reviewer``, and headless commands that never import Qt."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cli.clirun import ROOT, ok, run


@pytest.mark.parametrize("argv", [
    [], ["bogus"], ["new"], ["import", "c"], ["list"], ["probe"], ["frame", "f", "--frame", "1"],
    ["annotate", "c", "m", "--text", "x"], ["annotate", "c", "m", "--frame", "1", "--page", "1", "--text", "x"],
    ["annotate", "c", "m", "--frame", "x", "--text", "x"],
    ["redact"], ["redact", "box", "c", "m", "--frames", "1:2"],
    ["redact", "box", "c", "m", "--frames", "1:2", "--rect", "1,1,1,1", "--shape", "tri"],
    ["redact", "box", "c", "m", "--frames", "1:2", "--rect", "1,1,1,1", "--style", "paint"],
    ["redact", "audio", "c", "m", "--from", "1"], ["redact", "audio", "c", "m", "--from", "1", "--to", "2",
                                                   "--mode", "loud"],
    ["redact", "page", "c", "m", "--page", "x", "--rect", "1,1,2,2"], ["redact", "text", "c"],
    ["detect"], ["detect", "cars", "c", "m"], ["export", "c", "m"], ["export", "c", "m", "--out", "o", "--crf", "x"],
    ["exhibit", "c", "m"], ["exhibit", "c", "m", "--frame", "1", "--pages", "1:2"], ["bundle", "c"], ["verify"],
])
def test_a_wrong_command_line_exits_2(argv):
    r = run(*argv)
    assert r.code == 2 and r.out == "", (argv, r.err)


def test_version_and_python_m_reviewer(inputs):
    v = ok("--version").out.strip()
    assert v.startswith("reviewer ")
    assert run("--version", module=True).out.strip() == v
    a = run("probe", inputs.base, "--json", module=True)
    b = run("probe", inputs.base, "--json")
    assert a.code == b.code == 0 and a.out == b.out
    assert run("frame", inputs.base, module=True).code == 2


def test_input_errors_name_the_item_and_never_trace(tmp_path, inputs):
    nocase = tmp_path / "not a case"
    for argv in (["list", nocase, "--json"], ["import", nocase, inputs.base],
                 ["annotations", nocase, "--json"], ["withheld", nocase, "--json"], ["bundle", nocase, "--out", tmp_path / "b"],
                 ["verify", tmp_path / "missing"], ["verify", inputs.base], ["verify", inputs.text_file]):
        r = run(*argv)
        assert r.code == 1 and r.err.startswith("error:"), (argv, r.err)
    broken = tmp_path / "broken case"
    broken.mkdir()
    (broken / "case.db").write_bytes(b"this is not SQLite " * 100)
    r = run("list", broken, "--json")
    assert r.code == 1 and r.err.startswith("error:")


HEADLESS_CHECK = textwrap.dedent("""
    import sys
    from reviewer.cli import main
    if __name__ == "__main__":
        try:
            code = main(sys.argv[1:])
        finally:
            qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
            print("QT-MODULES:" + ",".join(qt), file=sys.stderr)
        sys.exit(code)
""")


def test_headless_commands_never_import_qt(tmp_path, inputs):
    script = tmp_path / "headless_check.py"
    script.write_text(HEADLESS_CHECK, encoding="utf-8")
    case = tmp_path / "case"
    pdf = inputs.odd_pdf.name
    commands = [
        ["new", case], ["import", case, inputs.base, inputs.odd_pdf], ["list", case, "--json"],
        ["probe", inputs.base, "--json"], ["frame", inputs.base, "--frame", "1,2", "--out", tmp_path / "f"],
        ["annotate", case, "base.mp4", "--frame", "1", "--text", "x"], ["annotations", case, "--json"],
        ["redact", "box", case, "base.mp4", "--frames", "1:2", "--rect", "1,1,10,10"],
        ["redact", "audio", case, "base.mp4", "--from", "0", "--to", "0.1"],
        ["redact", "page", case, pdf, "--page", "1", "--rect", "1,1,10,10"],
        ["redact", "text", case, "--pattern", "GAMMA"], ["withheld", case, "--json"],
        ["export", case, "base.mp4", "--out", tmp_path / "e.mp4", "--preset", "ultrafast"],
        ["exhibit", case, "base.mp4", "--frame", "1"], ["exhibit", case, pdf, "--pages", "1:1"],
        ["bundle", case, "--out", tmp_path / "b"], ["verify", tmp_path / "b"], ["verify", tmp_path / "e.mp4"],
    ]
    for argv in commands:
        p = subprocess.run([sys.executable, str(script), *map(str, argv)], capture_output=True, text=True,
                           cwd=str(ROOT), check=False)
        assert p.returncode == 0, (argv, p.stderr)
        assert "QT-MODULES:\n" in p.stderr, (argv, p.stderr)
