"""Finishing an export or a bundle from the window: the save dialog starts in the case's
exports folder (never beside the originals), the bundle asks for a folder with a folder
chooser, and the result offers "Show in folder" and "Open"."""
from __future__ import annotations

from pathlib import Path

from conftest import go_on_anyway, ids, shot
from PySide6.QtWidgets import QFileDialog, QPushButton


def _opened(monkeypatch) -> list[str]:
    from reviewer.ui.case import finish

    seen: list[str] = []
    monkeypatch.setattr(finish.QDesktopServices, "openUrl",
                        staticmethod(lambda url: seen.append(url.toLocalFile()) or True))
    return seen


def _button(box, text: str) -> QPushButton:
    return next(b for b in box.buttons() if b.text() == text)


def test_export_starts_in_the_exports_folder_and_offers_open(qtbot, window, monkeypatch):
    win = window
    seen = _opened(monkeypatch)
    pdf = ids(win)["pdf"]
    win.view.open_item(pdf)
    win.ctl.add_page_box(pdf, 1, (72, 100, 300, 130), "b6")
    win.redact.export_current()
    # the sweep comes first (the fixture's identifiers are readable), then where to write
    assert go_on_anyway(qtbot, win)
    qtbot.waitUntil(lambda: isinstance(getattr(win, "file_dialog", None), QFileDialog))
    dlg = win.file_dialog
    assert isinstance(dlg, QFileDialog) and dlg.acceptMode() == QFileDialog.AcceptSave
    exports = Path(win.ctl.folder) / "exports"
    assert Path(dlg.directory().absolutePath()) == exports.resolve()
    assert [Path(f).name for f in dlg.selectedFiles()] == ["production.redacted.pdf"]
    original = Path(win.ctl.media(pdf)["path"]).parent
    assert exports.resolve() != original.resolve()
    dlg.selectFile(str(exports / "production.redacted.pdf"))
    dlg.accept()
    qtbot.waitUntil(lambda: getattr(win, "last_export", None) is not None, timeout=60000)
    out = exports / "production.redacted.pdf"
    assert out.is_file()
    box = win.result_box
    qtbot.waitUntil(box.isVisible)
    assert "checks of the written file found" in box.text() and str(out) in box.text()
    shot(box, "dialog-export-result")
    _button(box, "Show in folder").click()
    assert seen == [str(exports)]
    win.redact.export_current(str(out.with_name("again.pdf")))
    go_on_anyway(qtbot, win, lambda: win.result_box is not box)
    qtbot.waitUntil(lambda: win.result_box is not box and win.result_box.isVisible(), timeout=60000)
    _button(win.result_box, "Open").click()
    assert seen[-1] == str(out.with_name("again.pdf"))


def test_export_beside_the_originals_is_refused(qtbot, window):
    win = window
    pdf = ids(win)["pdf"]
    win.view.open_item(pdf)
    beside = Path(win.ctl.media(pdf)["path"]).with_name("copy-redacted.pdf")
    win.redact.export_current(str(beside))
    go_on_anyway(qtbot, win, lambda: "not beside" in win.statusBar().currentMessage())
    assert "not beside the originals" in win.statusBar().currentMessage()
    assert not beside.exists()


def test_bundle_asks_for_a_folder_and_offers_open(qtbot, window, monkeypatch, tmp_path):
    from reviewer.citation import exhibits as ex
    from reviewer.store.exhibits import next_seq

    win = window
    seen = _opened(monkeypatch)
    pdf = ids(win)["pdf"]
    win.ctl.apply(ex.declare_pages(win.ctl.media(pdf), 2, 3, next_seq(win.ctl.store)))
    win.exhibits.bundle(preview=False)
    go_on_anyway(qtbot, win, lambda: isinstance(getattr(win, "file_dialog", None), QFileDialog))
    qtbot.waitUntil(lambda: isinstance(getattr(win, "file_dialog", None), QFileDialog))
    dlg = win.file_dialog
    assert dlg.fileMode() == QFileDialog.Directory  # a folder chooser, not a save-file dialog
    assert Path(dlg.directory().absolutePath()) == (Path(win.ctl.folder) / "exports").resolve()
    parent = tmp_path / "filings"
    parent.mkdir()
    dlg.fileSelected.emit(str(parent))  # what the dialog sends when a folder is chosen
    qtbot.waitUntil(lambda: getattr(win, "last_bundle", None) is not None, timeout=60000)
    made = parent / "case bundle 1"
    assert (made / "index.json").is_file() and (made / "SHA256SUMS").is_file()
    box = win.result_box
    qtbot.waitUntil(box.isVisible)
    assert str(made) in box.text()
    shot(box, "dialog-bundle-result")
    _button(box, "Open").click()
    assert seen == [str(made / "index.pdf")]
    # a second bundle into the same folder gets the next name, never the first one's
    win.exhibits.bundle(preview=False)
    first_dialog = win.file_dialog
    go_on_anyway(qtbot, win, lambda: win.file_dialog is not first_dialog)
    qtbot.waitUntil(lambda: win.file_dialog is not first_dialog)
    win.file_dialog.fileSelected.emit(str(parent))
    qtbot.waitUntil(lambda: (parent / "case bundle 2" / "index.json").is_file(), timeout=60000)
