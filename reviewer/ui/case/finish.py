"""Where exports and bundles go, and what the reviewer sees when one is written.

Save dialogs start in the case's own exports folder (``CASE/exports``), never beside the
originals, which are evidence; the bundle asks for a folder with a folder chooser and is
written into a new folder inside it. A finished export or bundle ends in a result box with
"Show in folder" and "Open". Every dialog is opened with ``open()``, never ``exec()``: the GUI
thread does not wait on a question (nor does a test).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

EXPORTS = "exports"


def exports_folder(case_folder: Path) -> Path:
    folder = Path(case_folder) / EXPORTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_export_name(media: dict[str, Any]) -> str:
    """``STEM.redacted.mp4`` / ``STEM.redacted.pdf``: the name ``reviewer export`` gives."""
    suffix = ".mp4" if media["kind"] == "video" else ".pdf"
    return Path(media["name"]).stem + ".redacted" + suffix


def next_bundle_name(parent: Path, case_name: str) -> str:
    """``demo-case bundle 1``, then 2, …: a bundle goes into a folder that does not exist yet."""
    n = 1
    while (parent / f"{case_name} bundle {n}").exists():
        n += 1
    return f"{case_name} bundle {n}"


def beside_originals(path: Path, originals: list[str]) -> bool:
    """Whether ``path`` would be written into a folder that holds an original."""
    folder = Path(path).resolve().parent
    return any(Path(p).resolve().parent == folder for p in originals)


def ask_save_path(win: Any, title: str, folder: Path, name: str, name_filter: str,
                  then: Callable[[str], None], key: str = "") -> QFileDialog:
    """``key``: the question's place in the remembered folders (reviewer.ui.case.dialogs):
    the dialog starts where an answer was last accepted (the caller remembers it once it has
    checked it: never a folder beside the originals), else in ``folder``."""
    from reviewer.ui.case import dialogs

    if key:
        folder = dialogs.last_folder(key, folder)
    dlg = QFileDialog(win, title, str(folder / name), name_filter)
    dlg.setAcceptMode(QFileDialog.AcceptSave)
    dlg.setFileMode(QFileDialog.AnyFile)
    dlg.setOption(QFileDialog.DontUseNativeDialog, True)  # the same dialog on every system
    dlg.setDirectory(str(folder))
    dlg.selectFile(name)
    dlg.setWindowModality(Qt.WindowModal)
    dlg.fileSelected.connect(lambda path: path and then(path))
    win.file_dialog = dlg
    dlg.open()
    return dlg


def ask_folder(win: Any, title: str, folder: Path, then: Callable[[str], None],
               key: str = "") -> QFileDialog:
    from reviewer.ui.case import dialogs

    if key:
        folder = dialogs.last_folder(key, folder)
    dlg = QFileDialog(win, title, str(folder))
    dlg.setFileMode(QFileDialog.Directory)
    dlg.setOption(QFileDialog.ShowDirsOnly, True)
    dlg.setOption(QFileDialog.DontUseNativeDialog, True)
    dlg.setDirectory(str(folder))
    dlg.setWindowModality(Qt.WindowModal)
    dlg.fileSelected.connect(lambda path: path and then(path))
    win.file_dialog = dlg
    dlg.open()
    return dlg


def case_key(kind: str, case_folder: Path | str) -> str:
    """Exports and bundles are remembered per case: one case's exports folder is never
    offered for another case's files."""
    return f"{kind}:{Path(case_folder).resolve()}"


def remember_for_case(kind: str, case_folder: Path | str, chosen: str | Path) -> None:
    from reviewer.ui.case import dialogs

    dialogs.remember(case_key(kind, case_folder), chosen)


def open_path(path: Path) -> bool:
    """Open a file or folder with the system's own program (a file manager for folders)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_or_explain(parent: QWidget, file: Path, folder: Path) -> None:
    """Open ``file`` with the system's program for it; when there is none, say so and offer
    to show it in its folder instead (never fail silently)."""
    if open_path(file):
        return
    box = QMessageBox(QMessageBox.Warning, "No program to open it",
                      f"This computer has no program set to open {file.suffix or 'such'} files, "
                      f"so {file.name} could not be opened.\n\nIt was written to:\n{folder}",
                      QMessageBox.NoButton, parent)
    show = box.addButton("Show in folder", QMessageBox.AcceptRole)
    box.addButton(QMessageBox.Close)
    box.setDefaultButton(show)
    show.clicked.connect(lambda: open_path(folder))
    box.setWindowModality(Qt.WindowModal)
    box.setAttribute(Qt.WA_DeleteOnClose)
    parent.no_viewer_box = box
    box.open()


def show_result(parent: QWidget, title: str, text: str, *, folder: Path, file: Path,
                detail: str = "", ok: bool = True) -> QMessageBox:
    """The result of an export or a bundle, with "Show in folder" and "Open"."""
    box = QMessageBox(QMessageBox.Information if ok else QMessageBox.Warning, title, text,
                      QMessageBox.NoButton, parent)
    if detail:
        box.setInformativeText(detail)
    show = box.addButton("Show in folder", QMessageBox.ActionRole)
    open_ = box.addButton("Open", QMessageBox.ActionRole)
    box.addButton(QMessageBox.Close)
    box.setDefaultButton(open_ if ok else show)
    show.clicked.connect(lambda: open_path(folder))
    open_.clicked.connect(lambda: open_or_explain(parent, file, folder))
    box.setWindowModality(Qt.WindowModal)
    box.setAttribute(Qt.WA_DeleteOnClose)
    parent.result_box = box
    box.open()
    return box
