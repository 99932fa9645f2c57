"""Long jobs started from the window: face detection, export, bundle (progress and cancel).

Each job opens its own connection to the case (one writer per thread); whatever it adds to
the case comes back as an edit command applied on the GUI thread, so it is one undo step.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer.ui.workers import run_with_dialog


def detect_faces(win: Any, media: dict[str, Any], reason: str) -> None:
    """One video through the batch layer (reviewer.batch): searched in a worker process,
    its tracks one undo step with the record that it was searched, so running it again (or
    Find faces in every video) does not add the same faces twice. The same call as
    ``reviewer detect faces`` (settings, and which tracks become redactions), so the window
    and the command line cover the same faces."""
    folder = win.ctl.folder

    def work(progress: Any) -> Any:
        from reviewer.batch.detect_batch import find_faces
        from reviewer.batch.runners import make_runner
        from reviewer.progress import BatchProgress
        from reviewer.store import CaseStore
        from reviewer.store import media as media_store

        runner = make_runner(1)
        try:
            with CaseStore.open(folder) as store:
                row = media_store.get_media(store, media["id"])
                return list(find_faces(store, [row], runner, BatchProgress(progress),
                                       reason=reason, apply=lambda cmd: None))
        finally:
            runner.close()

    def done(items: Any) -> None:
        item = items[0]
        if item.status == "failed":
            win.show_error(item.detail)
        elif item.status == "current":
            win.status(f"Faces were already found in {media['name']} with these settings "
                       "(undo that run to search again)")
        elif item.command is None:
            win.status(f"No faces found in {media['name']}")
        else:
            win.ctl.apply(item.command)
            win.status(f"{item.tracks} face track(s) added in {media['name']}; weak ones are "
                       "suggestions to review in Redactions (A accept, X reject)")
    win._job = run_with_dialog(win, f"Finding faces in {media['name']}", work, on_done=done,
                               on_error=win.show_error,
                               on_cancel=lambda: win.status("Face detection cancelled"))


def detect_text(win: Any, media: dict[str, Any], reason: str) -> None:
    """Find, follow and read the text in a video; every track a suggestion labelled with what
    it says, reviewed like faces (A accept, X reject); the whole run is one undo step."""
    folder = win.ctl.folder

    def work(progress: Any) -> Any:
        from reviewer.session.detect_text import detect_text_command
        from reviewer.store import CaseStore

        with CaseStore.open(folder) as store:
            return detect_text_command(store, media, match=None, reason=reason, progress=progress)

    def done(result: Any) -> None:
        if result.command is None:
            win.status(f"No text found in {media['name']}")
            return
        win.ctl.apply(result.command)
        win.status(f"{result.tracks} text track(s) suggested in {media['name']}: review them in "
                   "Redactions (A accept, X reject); what was read is searchable (Ctrl+F)")
    win._job = run_with_dialog(win, f"Finding text in {media['name']}", work, on_done=done,
                               on_error=win.show_error,
                               on_cancel=lambda: win.status("Text detection cancelled"))


def detect_all(win: Any, media: dict[str, Any], reason: str) -> None:
    """Find faces and text in one video on one decode (``reviewer detect all``): what Find
    faces then Find text add, as one undo step."""
    folder = win.ctl.folder

    def work(progress: Any) -> Any:
        from reviewer.batch.detect_all import detect_all as run
        from reviewer.store import CaseStore
        from reviewer.store import media as media_store

        edits: list[Any] = []
        with CaseStore.open(folder) as store:
            row = media_store.get_media(store, media["id"])
            result = run(store, row, reason=reason, progress=progress, apply=edits.append)
        return result, edits + ([result.text.command] if result.text.command is not None else [])

    def done(out: Any) -> None:
        from reviewer.session.edits import Batch

        result, edits = out
        if edits:
            win.ctl.apply(Batch(tuple(c for e in edits for c in e.commands),
                                label="find faces and text"))
        faces = ("faces were already found" if result.faces.status == "current"
                 else f"{result.faces.tracks} face track(s)")
        win.status(f"{faces} and {result.text.tracks} text track(s) in {media['name']}; "
                   "review the suggestions in Redactions (A accept, X reject)")
    win._job = run_with_dialog(win, f"Finding faces and text in {media['name']}", work,
                               on_done=done, on_error=win.show_error,
                               on_cancel=lambda: win.status("Finding faces and text cancelled"))


def export_item(win: Any, media: dict[str, Any], out: str | None = None) -> None:
    """Export one item redacted; without ``out`` a save dialog asks, starting in the case's
    exports folder (never beside the original)."""
    from reviewer.ui.case import finish

    if out is None:
        kind = "Videos (*.mp4)" if media["kind"] == "video" else "PDF documents (*.pdf)"
        finish.ask_save_path(win, f"Export redacted {media['name']}",
                             finish.exports_folder(win.ctl.folder), finish.default_export_name(media),
                             kind, lambda path: export_item(win, media, path),
                             key=finish.case_key("exports", win.ctl.folder))
        return
    if finish.beside_originals(Path(out), [m["path"] for m in win.ctl.media_list()]):
        win.show_error(f"{Path(out).name}: not beside the originals (they are evidence); "
                       f"choose another folder, e.g. {finish.exports_folder(win.ctl.folder)}")
        return
    finish.remember_for_case("exports", win.ctl.folder, out)
    folder = win.ctl.folder

    def work(progress: Any) -> Any:
        from reviewer.export.checks import ExportFailed
        from reviewer.store import CaseStore

        with CaseStore.open(folder) as store:
            if media["kind"] == "video":
                from reviewer.export.video import export_video

                return export_video(store, media, out, progress=progress)
            from reviewer.export.pdf import export_pdf

            try:
                return export_pdf(store, media, out, progress=progress)
            except ExportFailed as exc:
                return exc  # its checks name the boxes text shows under: offer to grow them

    def done(result: Any) -> None:
        from reviewer.export.checks import ExportFailed

        if isinstance(result, ExportFailed):
            from reviewer.ui.case.export_fix import offer_grow

            win.last_export = result
            win.status(f"{media['name']}: the export failed verification; nothing was written")
            from reviewer.ui.case.refusal import offer_find

            again = lambda: export_item(win, media, out)  # noqa: E731
            if offer_grow(win, media, result.checks, again) is None and \
                    not offer_find(win, media, result.checks, again):
                win.show_error(str(result))
            return
        from reviewer.session.passes import passes_run

        checks = getattr(result, "checks", []) or []
        bad = [c for c in checks if not c.ok]
        line = (f"Exported {Path(out).name}: {len(checks) - len(bad)} of {len(checks)} checks of "
                "the written file found what the case's redactions ask for")
        passes = passes_run(win.ctl.store, media)
        missing = [p.name for p in passes if not p.ran]
        if missing:
            line += f"; not looked for on this item: {', '.join(missing)}"
        win.status(line)
        detail = "\n".join(f"{c.name}: {c.detail}" for c in bad[:15]) if bad else \
            (f"Each redaction of {media['name']} in the case was checked in the file written "
             f"({len(checks)} checks).")
        if passes:
            detail += "\n\nPasses on this item:\n" + "\n".join(p.line() for p in passes)
        finish.show_result(win, "Export failed its checks" if bad else "Export written",
                           f"{line}.\n{out}", folder=Path(out).parent, file=Path(out),
                           detail=detail, ok=not bad)
        win.last_export = result

    win._job = run_with_dialog(win, f"Exporting {media['name']}", work, on_done=done,
                               on_error=win.show_error,
                               on_cancel=lambda: win.status("Export cancelled; nothing was written"))


def bundle(win: Any, out: str | None = None, with_withheld: bool = False) -> None:
    """Write the citation bundle on a worker; with ``with_withheld`` the withheld log is
    added (documents not scanned yet are scanned first). Without ``out`` a folder chooser asks
    where (starting in the case's exports folder) and the bundle goes into a new folder there."""
    from reviewer.ui.case import finish

    if out is None:
        def chosen(parent: str) -> None:
            name = finish.next_bundle_name(Path(parent), Path(win.ctl.folder).name)
            bundle(win, str(Path(parent) / name), with_withheld)
        finish.ask_folder(win, "Folder to put the bundle in (a new folder is made inside it)",
                          finish.exports_folder(win.ctl.folder), chosen,
                          key=finish.case_key("bundles", win.ctl.folder))
        return
    finish.remember_for_case("bundles", win.ctl.folder, Path(out).parent)
    folder = win.ctl.folder

    def work(progress: Any) -> Any:
        from reviewer.citation.bundle import build_bundle, options_for
        from reviewer.store import CaseStore

        with CaseStore.open(folder) as store:
            return build_bundle(store, out, options_for(store, with_withheld=with_withheld),
                                progress=progress)

    def done(result: Any) -> None:
        extra = " (with the withheld log)" if with_withheld else ""
        where = Path(getattr(result, "folder", out))
        n = getattr(result, "exhibit_count", 0)
        win.status(f"Bundle{extra} written to {where}")
        finish.show_result(win, "Bundle written",
                           f"Bundle{extra} of {n} exhibit{'s' if n != 1 else ''} written to\n{where}",
                           folder=where, file=where / "index.pdf",
                           detail="“Open” shows its index (index.pdf). SHA256SUMS inside lets "
                                  "anyone re-check every file; `reviewer verify` re-checks the "
                                  "redactions.")
        win.last_bundle = result
        withheld = getattr(win, "withheld", None)
        if with_withheld and withheld is not None:
            withheld.refresh()  # the bundle scanned any document not scanned yet

    win._job = run_with_dialog(win, "Making the bundle", work, on_done=done,
                               on_error=win.show_error,
                               on_cancel=lambda: win.status("Bundle cancelled; nothing was written"))


def import_paths(win: Any, paths: list[str]) -> None:
    """Import files and folders on a worker (its own connection), with progress and cancel."""
    if win.ctl is None:
        win.show_error("Open or make a case first (File ▸ New case)")
        return
    folder = win.ctl.folder

    def work(progress: Any) -> list:
        from reviewer.session.importer import import_paths
        from reviewer.store import CaseStore

        with CaseStore.open(folder) as store:  # its own connection: one writer thread
            return import_paths(store, paths, progress)

    win.status(f"Importing {len(paths)} path(s)…")
    win._import_job = run_with_dialog(win, "Importing", work,
                                      on_done=lambda r: _import_done(win, r),
                                      on_error=win.show_error,
                                      on_cancel=lambda: _import_done(win, None))


def _import_done(win: Any, results: list | None) -> None:
    if win.view is None:
        return
    win.view.refresh_items()
    if results is None:
        win.status("Import cancelled; items finished before cancelling were kept")
        return
    bad = [str(r) for r in results if not hasattr(r, "kind")]
    added = [r for r in results if hasattr(r, "kind") and not r.existed]
    win.status(f"Imported {len(added)} item(s)" + (f", {len(bad)} rejected" if bad else ""))
    if bad:
        win.show_message("Some files were not imported", "\n".join(bad[:20]))
    if added:
        win.view.open_item(added[0].id)
    # pages a search cannot see yet (pictures, pictures of text) are read in the background
    win.ocr_reading.start(announce=False)


# -- batch: every video, every item (reviewer.batch) ------------------------------------------
def detect_faces_all(win: Any, reason: str, jobs: int | None = None) -> None:
    """Find faces in every video on local worker processes; each video's tracks come back as
    one undo step (as for one video). Videos already searched with the same
    settings are skipped; cancelling keeps what finished."""
    if win.ctl is None:
        win.show_error("Open or make a case first (File ▸ New case)")
        return
    folder = win.ctl.folder

    def work(progress: Any) -> Any:
        from reviewer.batch.detect_batch import find_faces, videos
        from reviewer.batch.runners import make_runner
        from reviewer.errors import Cancelled
        from reviewer.progress import BatchProgress
        from reviewer.store import CaseStore

        items: list[Any] = []
        runner = make_runner(jobs)
        try:
            with CaseStore.open(folder) as store:
                batch = BatchProgress(progress)
                # the edits are applied on the GUI thread (its undo stack), not here
                for item in find_faces(store, videos(store, None), runner, batch, reason=reason,
                                       apply=lambda cmd: None):
                    items.append(item)
        except Cancelled:
            return items, True
        finally:
            runner.close()
        return items, False

    def done(result: Any) -> None:
        items, cancelled = result
        tracks = 0
        for item in items:
            if item.command is not None:
                win.ctl.apply(item.command)
                tracks += item.tracks
        failed = [i for i in items if i.status == "failed"]
        searched = sum(i.status == "done" for i in items)
        current = sum(i.status == "current" for i in items)
        win.status(("Cancelled: " if cancelled else "") +
                   f"{tracks} face track(s) added in {searched} video(s)"
                   + (f", {current} already searched" if current else "")
                   + (f", {len(failed)} failed" if failed else "")
                   + "; weak ones are suggestions to review in Redactions (A accept, X reject)")
        if failed:
            win.show_message("Face detection failed for some videos",
                             "\n".join(i.detail for i in failed[:15]))
        win.last_batch_detect = items
    win._job = run_with_dialog(win, "Finding faces in every video", work, on_done=done,
                               on_error=win.show_error,
                               on_cancel=lambda: win.status("Face detection cancelled"))


def refuse_export_folder(win: Any, out: str) -> bool:
    """Refuse (and say so) a folder for Export all that holds originals."""
    from reviewer.ui.case import finish

    if finish.beside_originals(Path(out) / "x", [m["path"] for m in win.ctl.media_list()]):
        win.show_error(f"{out}: holds originals (they are evidence); choose another folder, "
                       f"e.g. {finish.exports_folder(win.ctl.folder)}")
        return True
    return False


def export_all(win: Any, out: str | None = None, jobs: int | None = None) -> None:
    """Every item, redacted and verified, into one folder (made if missing), on local
    worker processes. Items unchanged since an earlier export into the same folder are
    kept as they are; cancelling keeps the items finished and leaves nothing half made."""
    if win.ctl is None:
        win.show_error("Open or make a case first (File ▸ New case)")
        return
    from reviewer.ui.case import finish

    if out is None:  # a folder chooser, starting in the case's exports folder (never blocks)
        finish.ask_folder(win, "Export every item into this folder",
                          finish.exports_folder(win.ctl.folder),
                          lambda path: export_all(win, path, jobs),
                          key=finish.case_key("exports", win.ctl.folder))
        return
    if refuse_export_folder(win, out):
        return
    finish.remember_for_case("exports", win.ctl.folder, Path(out))
    folder = win.ctl.folder

    def work(progress: Any) -> Any:
        from reviewer.batch.export_batch import export_all as run_all
        from reviewer.batch.runners import make_runner
        from reviewer.errors import Cancelled
        from reviewer.progress import BatchProgress
        from reviewer.session.detect import faces_cached
        from reviewer.store import CaseStore
        from reviewer.store import media as media_store

        items: list[Any] = []
        runner = make_runner(jobs)
        cancelled = False
        with CaseStore.open(folder) as store:
            unsearched = [r["name"] for r in media_store.list_media(store)
                          if r["kind"] == "video" and not faces_cached(store, r)]
            try:
                for item in run_all(store, out, runner, BatchProgress(progress)):
                    items.append(item)
            except Cancelled:
                cancelled = True
            finally:
                runner.close()
        return items, cancelled, unsearched

    def done(result: Any) -> None:
        items, cancelled, unsearched = result
        failed = [i for i in items if i.status == "failed"]
        written = sum(i.status == "done" for i in items)
        current = sum(i.status == "current" for i in items)
        win.status(("Cancelled: " if cancelled else "") + f"Exported {written} item(s) to {out}"
                   + (f", {current} unchanged" if current else "")
                   + (f", {len(failed)} failed" if failed else ""))
        notes = [i.detail for i in failed[:15]]
        if unsearched:
            notes.append("Faces were never searched for in: " + ", ".join(unsearched[:10])
                         + " (Redact ▸ Find faces in every video, then check coverage)")
        from reviewer.ui.case import finish

        finish.show_result(win, "Export all", f"Exported {written} item(s) to\n{out}"
                           + (f" ({current} unchanged)" if current else ""),
                           folder=Path(out), file=Path(out), detail="\n".join(notes),
                           ok=not failed and not cancelled)
        win.last_export_all = items
    win._job = run_with_dialog(win, "Exporting every item", work, on_done=done,
                               on_error=win.show_error,
                               on_cancel=lambda: win.status("Export cancelled"))
