"""File and folder choosers that remember where the reviewer last went, one place per kind of
question (cases, imports, exports, bundles), kept in QSettings beside the window's place.

They are Qt's own dialogs opened with ``open()`` (never ``exec()``): the same on every system,
usable from the keyboard (type a path, Enter), and the GUI thread never waits on them.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog


def last_folder(key: str, fallback: Path | None = None) -> Path:
    """Where the ``key`` question was last answered, if that folder still exists."""
    saved = QSettings("Reviewer", "Reviewer").value(f"dialogs/{key}")
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    return fallback if fallback is not None and fallback.is_dir() else Path.home()


def remember(key: str, chosen: str | Path, parent: bool = False) -> None:
    """``parent``: remember the folder holding what was chosen (a case folder's parent: the
    next dialog starts among the cases, not inside one)."""
    p = Path(chosen)
    folder = p.parent if parent or not p.is_dir() else p
    QSettings("Reviewer", "Reviewer").setValue(f"dialogs/{key}", str(folder))


def cases_folder(win: Any) -> Path:
    """Where a new case goes by default: beside the last case made or opened (its parent
    folder, never inside a case or its exports), else the home folder."""
    open_case = getattr(win, "ctl", None)
    beside = Path(open_case.folder).parent if open_case is not None else None
    recent = [Path(p).parent for p in getattr(win.prefs, "recent_cases", ())]
    return last_folder("cases", beside or next((p for p in recent if p.is_dir()), None))


def _dialog(win: Any, title: str, folder: Path, mode: QFileDialog.FileMode,
            key: str, then: Callable[[list[str]], None], *, save: bool = False,
            name_filter: str = "", name: str = "") -> QFileDialog:
    dlg = QFileDialog(win, title, str(folder), name_filter)
    dlg.setFileMode(mode)
    if mode == QFileDialog.Directory:
        dlg.setOption(QFileDialog.ShowDirsOnly, True)
    if save:
        dlg.setAcceptMode(QFileDialog.AcceptSave)
    dlg.setOption(QFileDialog.DontUseNativeDialog, True)
    dlg.setDirectory(str(folder))
    if name:
        dlg.selectFile(name)
    dlg.setWindowModality(Qt.WindowModal)

    def chosen() -> None:
        files = [f for f in dlg.selectedFiles() if f]
        if files:
            remember(key, files[0], parent=key == "cases")
            then(files)
    dlg.accepted.connect(chosen)
    win.file_dialog = dlg
    dlg.open()
    return dlg


def choose_folder(win: Any, title: str, key: str, then: Callable[[str], None],
                  fallback: Path | None = None) -> QFileDialog:
    return _dialog(win, title, last_folder(key, fallback), QFileDialog.Directory, key,
                   lambda files: then(files[0]))


def choose_new_folder(win: Any, title: str, key: str, then: Callable[[str], None],
                      folder: Path) -> QFileDialog:
    """A name for a folder that does not exist yet (a new case)."""
    return _dialog(win, title, folder, QFileDialog.AnyFile, key, lambda files: then(files[0]),
                   save=True)


def choose_files(win: Any, title: str, key: str, then: Callable[[list[str]], None],
                 name_filter: str = "") -> QFileDialog:
    return _dialog(win, title, last_folder(key), QFileDialog.ExistingFiles, key, then,
                   name_filter=name_filter)
