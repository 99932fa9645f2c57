"""Small things a student trips on: Export in the File menu, a sound-strip box that says
what it is, Open with no program to open the file, the command line's export name, and a tag
filter that shows tag names whole."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import ids

ROOT = Path(__file__).resolve().parents[3]


def test_export_is_in_the_file_menu(qtbot, window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert window.actions["export"] in file_menu.actions()


def test_the_sound_strip_box_says_what_it_is(qtbot, window):
    window.view.open_item(ids(window)["video"])
    combo = window.video.sound_mode
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert all("strip" in t.lower() for t in texts), texts
    assert combo.width() >= combo.fontMetrics().horizontalAdvance(texts[0])


def test_open_with_no_program_says_so_and_offers_the_folder(qtbot, window, tmp_path, monkeypatch):
    from reviewer.ui.case import finish

    opened = []

    def open_path(path):
        opened.append(Path(path))
        return Path(path).is_dir()  # a file manager for folders, nothing for .pdf here
    monkeypatch.setattr(finish, "open_path", open_path)
    out = tmp_path / "production.redacted.pdf"
    out.write_bytes(b"%PDF-1.4\n")
    box = finish.show_result(window, "Export written", "Exported", folder=tmp_path, file=out)
    next(b for b in box.buttons() if b.text() == "Open").click()
    qtbot.waitUntil(lambda: getattr(window, "no_viewer_box", None) is not None
                    and window.no_viewer_box.isVisible())
    msg = window.no_viewer_box
    assert "no program" in msg.text() and out.name in msg.text()
    next(b for b in msg.buttons() if b.text() == "Show in folder").click()
    assert opened == [out, tmp_path]


def test_the_window_names_exports_as_the_command_line_does(qtbot, window):
    from reviewer.ui.case.finish import default_export_name

    cli = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    assert re.search(r"`STEM\.redacted\.mp4` / `STEM\.redacted\.pdf`", cli)
    media = ids(window)
    assert default_export_name(window.ctl.media(media["pdf"])) == "production.redacted.pdf"
    assert default_export_name(window.ctl.media(media["video"])) == "bodycam.redacted.mp4"


def test_the_tag_filter_shows_tag_names_whole(qtbot, window):
    tag = "interview-with-supervisor-2023"
    window.ctl.add_note(ids(window)["video"], "Who was there", frame=2, tags=[tag])
    combo = window.notes.tag
    i = combo.findData(tag)
    assert i > 0
    combo.setCurrentIndex(i)
    qtbot.wait(50)
    assert combo.width() >= combo.fontMetrics().horizontalAdvance(tag) + 20


def test_export_and_bundle_dialogs_start_where_this_case_last_exported(qtbot, window, tmp_path,
                                                                       monkeypatch):
    """The first export of a case is offered its exports folder; once the student has put an
    export elsewhere, the next export (and Export all) starts there, for this case only; a
    folder refused as beside the originals is never remembered."""
    from reviewer.ui.case import case_jobs, finish

    win = window
    pdf = win.ctl.media(ids(win)["pdf"])
    ran = []
    monkeypatch.setattr(case_jobs, "run_with_dialog", lambda *a, **k: ran.append(a[1]))
    case_jobs.export_item(win, pdf)
    assert Path(win.file_dialog.directory().absolutePath()) == finish.exports_folder(win.ctl.folder)
    win.file_dialog.reject()
    elsewhere = tmp_path / "for the brief"
    elsewhere.mkdir()
    case_jobs.export_item(win, pdf, str(elsewhere / "p.redacted.pdf"))
    assert ran, "the export ran"
    beside = Path(pdf["path"]).parent / "p.redacted.pdf"
    case_jobs.export_item(win, pdf, str(beside))  # refused: beside the originals
    case_jobs.export_item(win, pdf)
    assert Path(win.file_dialog.directory().absolutePath()) == elsewhere
    win.file_dialog.reject()
    win.redact.export_all()
    assert Path(win.file_dialog.directory().absolutePath()) == elsewhere
    win.file_dialog.reject()
    # another case is offered its own exports folder, not this one's choice
    assert finish.case_key("exports", tmp_path / "other") != finish.case_key("exports",
                                                                             win.ctl.folder)
