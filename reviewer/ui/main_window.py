"""The main window: wires the panels to the open case. It decides nothing itself."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QWidget,
)

from reviewer.errors import ReviewerError
from reviewer.ui.case import prefs as prefs_mod
from reviewer.ui.notes.annotations_panel import AnnotationsPanel
from reviewer.ui.case.case_view import CaseView
from reviewer.ui.case.controller import CaseController
from reviewer.ui.documents.doc_pane import DocPane
from reviewer.ui.icons import icon
from reviewer.ui.case.items_panel import ItemsPanel
from reviewer.ui.documents.search_panel import SearchPanel
from reviewer.ui.video.video_pane import VideoPane
from reviewer.ui.workers import run_job, run_with_dialog


class MainWindow(QMainWindow):
    def __init__(self, prefs_path: Path | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Reviewer")
        self.setObjectName("main-window")
        self.setAcceptDrops(True)
        self.prefs_path = prefs_path
        self.prefs = prefs_mod.load_prefs(prefs_path)
        self.ctl: CaseController | None = None
        self.view: CaseView | None = None
        self.video = VideoPane()
        self.doc = DocPane()
        self.items = ItemsPanel()
        self.notes = AnnotationsPanel()
        self.search = SearchPanel()
        self.split = QSplitter(Qt.Horizontal)
        self.split.addWidget(self.video)
        self.split.addWidget(self.doc)
        self.split.setSizes([700, 500])
        # a wider or narrower middle goes to the picture, not shared with the page
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        self.setCentralWidget(self.split)
        self.docks: dict[str, QDockWidget] = {}
        self.add_dock("items", "Case", self.items, Qt.LeftDockWidgetArea)
        self.add_dock("notes", "Notes", self.notes, Qt.RightDockWidgetArea)
        self.add_dock("search", "Search documents", self.search, Qt.RightDockWidgetArea)
        self.case_label = QLabel("No case open")
        self.statusBar().addPermanentWidget(self.case_label)
        self.actions: dict[str, QAction] = {}
        from reviewer.ui.redaction.redact_tools import RedactTools

        self.redact = RedactTools(self)
        from reviewer.ui.exhibits.exhibit_tools import ExhibitTools
        from reviewer.ui.notes.note_tools import NoteTools

        self.note_tools = NoteTools(self)
        self.exhibits = ExhibitTools(self)
        from reviewer.ui.documents.withheld_tools import WithheldTools

        self.withheld = WithheldTools(self)
        from reviewer.ui.speech.speech_tools import SpeechTools

        self.speech = SpeechTools(self)
        from reviewer.ui.people.people_tools import PeopleTools

        self.people = PeopleTools(self)
        self._build_menus()
        from reviewer.ui.documents.ocr_job import OcrReading

        self.ocr_reading = OcrReading(self)
        self._wire()
        self.status("Open a case (File ▸ Open) or make a new one")
        from reviewer.ui.case import window_fit

        window_fit.place(self)

    def add_dock(self, key: str, title: str, widget: QWidget,
                 area: Qt.DockWidgetArea = Qt.RightDockWidgetArea, *, name: str | None = None,
                 tab_with: str | None = None) -> QDockWidget:
        """A dock the panels' tools add too; its object name is what saved layouts restore by."""
        d = QDockWidget(title, self)
        d.setObjectName(name or f"dock-{key}")
        d.setWidget(widget)
        self.addDockWidget(area, d)
        if tab_with:
            self.tabifyDockWidget(self.docks[tab_with], d)
        self.docks[key] = d
        return d

    def act(self, key: str, text: str, slot: Callable[[], Any], shortcut: str | None = None,
            icon_name: str | None = None, menu: Any = None, checkable: bool = False) -> QAction:
        a = QAction(text, self)
        if icon_name:
            a.setIcon(icon(icon_name))
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        a.setCheckable(checkable)
        a.triggered.connect(lambda checked=False: slot())
        if menu is not None:
            menu.addAction(a)
        self.actions[key] = a
        return a

    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        self.act("new", "&New case…", self.new_case_dialog, "Ctrl+N", "new", f)
        self.act("open", "&Open case…", self.open_case_dialog, "Ctrl+O", "open", f)
        self.act("demo", "Open the &demo case", self.open_demo, None, None, f)
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        f.addSeparator()
        self.act("import", "&Import files…", self.import_dialog, "Ctrl+I", "import", f)
        self.file_menu = f
        self.act("export_all", "&Export all…", self.export_all, None, "export", f)
        f.addSeparator()
        self.act("quit", "&Quit", self.close, "Ctrl+Q", None, f)
        e = mb.addMenu("&Edit")
        self.undo_action = self.act("undo", "&Undo", self._undo, "Ctrl+Z", "undo", e)
        self.redo_action = self.act("redo", "&Redo", self._redo, "Ctrl+Shift+Z", "redo", e)
        e.addSeparator()
        self.act("copy", "&Copy selected page text", self.doc.copy_selection, "Ctrl+C", None, e)
        self.act("find", "&Find in documents", self._focus_search, "Ctrl+F", "search", e)
        p = mb.addMenu("&Playback")
        # Space and the arrows act on the picture only (lists and fields need them); the
        # letters and brackets work from anywhere but a text field
        for key, text, slot, shortcut in [
            ("play", "Play / pause (on the picture)\tSpace", self.video.toggle_play, None),
            ("back", "Previous frame (on the picture)\t←", lambda: self.video.step(-1), None),
            ("fwd", "Next frame (on the picture)\t→", lambda: self.video.step(1), None),
            ("back1s", "Back one second\tShift+←", lambda: self.video.step_seconds(-1), None),
            ("fwd1s", "Forward one second\tShift+→", lambda: self.video.step_seconds(1), None),
            ("shuttle_j", "Reverse / slower", lambda: self.video.shuttle("j"), "J"),
            ("shuttle_k", "Stop", lambda: self.video.shuttle("k"), "K"),
            ("shuttle_l", "Forward / faster", lambda: self.video.shuttle("l"), "L"),
            ("slower", "Slower", lambda: self.video.change_speed(False), "["),
            ("faster", "Faster", lambda: self.video.change_speed(True), "]"),
            ("mark_in", "Set In", self.video.set_in, "I"),
            ("mark_out", "Set Out", self.video.set_out, "O"),
            ("clear_marks", "Clear In and Out", self.video.clear_marks, None),
            ("goto", "Go to frame or timecode…", self._focus_jump, "Ctrl+G"),
        ]:
            self.act(key, text, slot, shortcut, None, p)
        self.note_tools.build_menu(mb.addMenu("&Notes"))
        self.redact.build_menu(mb.addMenu("&Redact"))
        self.exhibits.build_menu(mb.addMenu("E&xhibits"))
        self.withheld.build_menu(mb.addMenu("&Withheld"))
        self.speech.build_menu(mb.addMenu("&Speech"))
        self.people.build_menu(mb.addMenu("Peop&le"))
        v = mb.addMenu("&View")
        for d in self.docks.values():
            v.addAction(d.toggleViewAction())
        from reviewer.ui.case import dock_layout

        dock_layout.build_menu(self, v)
        tb = self.addToolBar("Main")
        tb.setObjectName("toolbar-main")
        tb.setMovable(False)
        for key in ("open", "import", "undo", "redo"):
            tb.addAction(self.actions[key])
        tb.addSeparator()
        tb.addAction(self.actions["note_here"])
        self.redact.fill_toolbar(tb)
        tb.addSeparator()
        tb.addAction(self.actions["export"])
        tb.addAction(self.actions["bundle"])
        # exporting the selected item is a File command too, not only a Redact one
        self.file_menu.insertAction(self.actions["export_all"], self.actions["export"])
        dock_layout.add_panels_button(self, tb)
        self._update_undo_actions()
        from reviewer.ui.keys import KeyGuard

        self.keys = KeyGuard(self)
        self.keys.guard(list(self.actions.values()))
        self.keys.guard_widget(self.video.view)

    def _wire(self) -> None:
        self.items.item_activated.connect(self._on_items_item_activated)
        for src in (self.video, self.doc):
            src.status_message.connect(self.status)
        self.search.search_requested.connect(self._on_search_requested)
        self.search.hit_activated.connect(self._on_search_hit_activated)
        self.search.frame_activated.connect(self._on_search_frame_activated)
        self.notes.note_requested.connect(self.add_note)
        self.notes.edit_requested.connect(lambda i, f, v: self.ctl and self.ctl.edit_note(i, f, v))
        self.notes.delete_requested.connect(lambda ids: self.ctl and self.ctl.delete_notes(ids))
        self.notes.link_requested.connect(lambda a, b: self.ctl and self.ctl.link_notes(a, b))
        self.notes.jump_requested.connect(self.jump_to_note)
        self.notes.filter_changed.connect(lambda: self.view and self.view.refresh_notes())
        self.doc.bates_elsewhere = lambda hit: self._open_at(hit[0], hit[1])
        self.video.timeline.item_activated.connect(self._on_timeline_item_activated)

    # -- case ---------------------------------------------------------------------------------
    def open_case(self, folder: str | Path) -> bool:
        from reviewer.ui.case import lifecycle

        return lifecycle.open_case(self, folder)

    def close_case(self) -> None:
        from reviewer.ui.case import lifecycle

        lifecycle.close_case(self)

    def open_demo(self) -> None:
        """Make (or reuse) the demo case off the GUI thread, then open it."""
        from reviewer.ui.app import demo_folder

        def work(progress: Any) -> Path:
            try:
                from reviewer.demo import build_demo_case
            except ImportError:
                raise ReviewerError("the demo case is not part of this build") from None
            return Path(build_demo_case(demo_folder(), progress))

        self.status("Preparing the demo case…")
        self._demo_job = run_with_dialog(self, "Preparing the demo case", work,
                                         on_done=self.open_case, on_error=self.show_error)

    def new_case_dialog(self) -> None:
        from reviewer.ui.case import dialogs

        dialogs.choose_new_folder(self, "New case: name its folder", "cases", self.new_case,
                                  dialogs.cases_folder(self))

    def new_case(self, folder: str) -> None:
        from reviewer.store import CaseStore

        try:
            CaseStore.create(folder).close()
        except ReviewerError as exc:
            self.show_error(str(exc))
            return
        self.open_case(folder)

    def open_case_dialog(self) -> None:
        from reviewer.ui.case import dialogs

        dialogs.choose_folder(self, "Open case folder", "cases", self.open_case,
                              dialogs.cases_folder(self))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.prefs.recent_cases:
            self.recent_menu.addAction(path, lambda p=path: self.open_case(p))
        if not self.prefs.recent_cases:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- import -------------------------------------------------------------------------------
    def import_dialog(self) -> None:
        from reviewer.ui.case import dialogs

        dialogs.choose_files(self, "Import videos and PDFs", "imports", self.import_paths,
                             "Videos and PDFs (*.mp4 *.mov *.m4v *.avi *.mkv *.pdf);;All files (*)")

    def import_paths(self, paths: list[str]) -> None:
        from reviewer.ui.case import case_jobs

        case_jobs.import_paths(self, paths)

    def export_all(self, out: str | None = None) -> None:
        self.redact.export_all(out)  # swept for identifiers first

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if paths:
            e.acceptProposedAction()
            self.import_paths(paths)

    # -- navigation ---------------------------------------------------------------------------
    def _on_items_item_activated(self, media_id: int) -> None:
        if self.view is not None:
            self.view.open_item(media_id)
            self.view.refresh_notes()

    def _open_at(self, media_id: int, page_or_frame: int, rect: tuple | None = None) -> None:
        if self.view is None:
            return
        self.view.open_item(media_id)
        if self.ctl.media(media_id)["kind"] == "video":
            self.video.seek(page_or_frame)
            self.video.setFocus()
        else:
            self.doc.go_to(page_or_frame, rect)

    def _on_timeline_item_activated(self, kind: str, item_id: int) -> None:
        if kind == "note":
            self.docks["notes"].raise_()
            self.notes.select(item_id)
        else:
            self.video.view.selected_track = item_id
            self.video.refresh_overlays()
            self.docks["redactions"].raise_()

    def jump_to_note(self, annotation_id: int) -> None:
        if self.ctl is None:
            return
        try:
            a = self.ctl.note(annotation_id)
        except ReviewerError as exc:
            self.show_error(str(exc))
            return
        self._open_at(a.media_id, a.frame if a.frame is not None else a.page_no, a.rect_pt)
        self.notes.select(annotation_id)
        if a.linked_ids:
            self.status(f"Note {a.id} is linked to note(s) {', '.join(map(str, a.linked_ids))}: "
                        "right-click it to follow")

    def _on_search_requested(self, query: str) -> None:
        if self.ctl is None or not query.strip():
            return
        folder = self.ctl.folder
        self.status(f"Searching for “{query}”…")

        def work(progress: Any) -> list:
            from reviewer.store import CaseStore
            from reviewer.ui.case.controller import search_case

            with CaseStore.open(folder) as store:  # the worker's own connection
                return search_case(store, query)
        run_job(work, on_done=lambda rows: self._show_hits(query, rows), on_error=self.show_error)

    def _show_hits(self, query: str, rows: list) -> None:
        self.search.show_results(query, rows)
        pages = sum(r.get("kind") != "video" for r in rows)
        self.status(f"“{query}”: {sum(r['hits'] for r in rows)} hits on {pages} pages"
                    + (f" and {len(rows) - pages} video moments" if len(rows) > pages else ""))

    def _on_search_hit_activated(self, media_id: int, page_no: int, query: str) -> None:
        self._open_at(media_id, page_no)
        self.redact.highlight_hits(media_id, page_no, query)

    def _on_search_frame_activated(self, media_id: int, frame: int) -> None:
        self._open_at(media_id, frame)

    def _focus_search(self) -> None:
        self.docks["search"].show()
        self.docks["search"].raise_()
        self.search.field.setFocus()

    def _focus_jump(self) -> None:
        self.video.jump.setFocus()
        self.video.jump.selectAll()

    # -- notes ----------------------------------------------------------------------------
    def add_note(self, kind: str) -> None:
        self.note_tools.add_note(kind)

    # -- undo ---------------------------------------------------------------------------------
    def _undo(self) -> None:
        if self.ctl is not None and self.ctl.undo_stack.canUndo():
            self.status(f"Undid {self.ctl.undo_stack.undoText()}")
            self.ctl.undo_stack.undo()

    def _redo(self) -> None:
        if self.ctl is not None and self.ctl.undo_stack.canRedo():
            self.status(f"Redid {self.ctl.undo_stack.redoText()}")
            self.ctl.undo_stack.redo()

    def _update_undo_actions(self) -> None:
        stack = self.ctl.undo_stack if self.ctl else None
        self.undo_action.setEnabled(bool(stack and stack.canUndo()))
        self.redo_action.setEnabled(bool(stack and stack.canRedo()))
        self.undo_action.setText(f"&Undo {stack.undoText()}" if stack and stack.canUndo() else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redoText()}" if stack and stack.canRedo() else "&Redo")

    # -- messages -----------------------------------------------------------------------------
    def status(self, text: str) -> None:
        import time

        self._status_at = time.monotonic()
        self.statusBar().showMessage(text, 0)

    STATUS_HOLD_S = 4.0

    def status_aside(self, text: str) -> None:
        """A message from a job the student did not just ask for (a scan or a waveform started
        with the case): it waits until the last message of their own has been readable for a
        few seconds, and is dropped if they have done something since."""
        import time

        shown_at = getattr(self, "_status_at", None)
        left = 0.0 if shown_at is None else self.STATUS_HOLD_S - (time.monotonic() - shown_at)
        if left <= 0:
            self.statusBar().showMessage(text, 0)
            return

        def later(stamp: float | None = shown_at) -> None:
            if getattr(self, "_status_at", None) == stamp:  # nothing of theirs written since
                self.statusBar().showMessage(text, 0)

        QTimer.singleShot(int(left * 1000) + 1, self, later)

    def show_error(self, text: str) -> None:
        self.status(text)
        self.show_message("Reviewer", text)

    def show_message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, self)
        box.setWindowModality(Qt.WindowModal)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()  # not exec(): never block the GUI thread (or a test) on a message
        self._last_error = box

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        from reviewer.ui.case import window_fit

        QTimer.singleShot(0, lambda: window_fit.shown(self))  # the frame is known by then

    def closeEvent(self, e: QCloseEvent) -> None:
        from reviewer.ui.case import window_fit

        window_fit.save(self)
        from reviewer.ui.workers import cancel_all

        cancel_all()  # a job must not outlive the case it writes to
        self.video.shutdown()
        self.close_case()
        super().closeEvent(e)


def start_later(fn: Callable[[], None]) -> None:
    QTimer.singleShot(0, fn)
