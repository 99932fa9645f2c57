"""Coverage review before export: faces not covered listed (click to jump) and marked on the
timeline; export of a video offers the check first, or warns that faces were never looked
for, and goes ahead only when the user says so or every face is covered."""
from __future__ import annotations

from pathlib import Path

from conftest import go_on_anyway, ids, shot
from PySide6.QtWidgets import QMessageBox

from reviewer.annotate.geometry import Box


def import_face_clip(qtbot, win) -> int:
    from tests_paths import sample_face_clip

    win.import_paths([str(sample_face_clip())])
    qtbot.waitUntil(lambda: any(m["name"] == "foreman_h264.mp4" for m in win.ctl.media_list()),
                    timeout=60000)
    vid = next(m["id"] for m in win.ctl.media_list() if m["name"] == "foreman_h264.mp4")
    win.view.open_item(vid)
    # export acts on the item selected in the Case list: the import selects the new clip when
    # its list reloads, which may come after the open above
    qtbot.waitUntil(lambda: win.items.current_id() == vid, timeout=20000)
    return vid


def prompt(win, qtbot=None) -> QMessageBox:
    if qtbot is not None:  # the sweeps before it run off the GUI thread
        qtbot.waitUntil(lambda: win.redact.coverage.prompt is not None, timeout=60000)
    box = win.redact.coverage.prompt
    assert box is not None and box.isVisible()
    return box


def click(box: QMessageBox, text: str) -> None:
    btn = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    btn.click()


def test_check_faces_not_covered_then_export(qtbot, window, tmp_path):
    from reviewer.session.detect import uncovered_face_frames
    from reviewer.store import CaseStore

    win = window
    vid = import_face_clip(qtbot, win)
    cov = win.redact.coverage
    # never checked: export warns first; Cancel writes nothing
    out = tmp_path / "foreman-redacted.mp4"
    win.redact.export_current(str(out))
    box = prompt(win, qtbot)
    assert "never looked for" in box.text()
    shot(box, "dialog-export-faces-never-checked")
    click(box, "Cancel")
    qtbot.wait(50)
    assert not out.exists() and not hasattr(win, "last_export")

    win.actions["coverage"].trigger()  # Ctrl+Shift+C
    qtbot.waitUntil(lambda: cov.result is not None, timeout=180000)
    with CaseStore.open(win.ctl.folder) as store:
        want = uncovered_face_frames(store, win.ctl.media(vid))
    frames = sorted({f for f, _ in want})
    assert frames, "the sample clip shows a face"
    panel = cov.panel
    # one line per run of consecutive frames, not one per frame
    runs = []
    for f in frames:
        if runs and f == runs[-1][1] + 1:
            runs[-1][1] = f
        else:
            runs.append([f, f])
    assert panel.list.count() == len(runs)
    assert win.video.timeline.alerts == frames
    assert win.docks["coverage"].isVisible()
    k = min(1, len(runs) - 1)
    a, b = runs[k]
    item = panel.list.item(k)
    assert item.text().startswith(f"Frames {a}–{b} " if b != a else f"Frame {a} ")
    assert win.video.times.timecode(a) in item.text()
    assert win.video.times.timecode(b) in item.text()
    assert f"{len(frames)} frame" in panel.summary.text()
    panel.list.itemClicked.emit(item)
    assert win.video.frame == a
    shot(win, "window-faces-not-covered")

    # detections are cached now: export offers the check; with faces uncovered it holds back
    win.redact.export_current(str(out))
    box = prompt(win, qtbot)
    assert "Check the faces the detector finds on every frame" in box.text()
    click(box, "Check first")
    qtbot.waitUntil(lambda: "held back" in win.statusBar().currentMessage(), timeout=60000)
    assert not out.exists()

    # cover the whole picture for the whole video: the check passes and the export runs
    w, h = int(win.ctl.media(vid)["width"]), int(win.ctl.media(vid)["height"])
    win.ctl.add_box(vid, 0, 0, win.video.times.count - 1, Box(0, 0, w, h), "rect", "b6")
    win.redact.export_current(str(out))
    click(prompt(win, qtbot), "Check first")
    qtbot.waitUntil(lambda: hasattr(win, "last_export"), timeout=180000)
    assert out.exists() and panel.list.count() == 0 and win.video.timeline.alerts == []
    frames = win.video.times.count
    assert f"the face detector finds no uncovered face on {frames} of {frames} frames" \
        in panel.summary.text()


def test_export_anyway_and_pdf_unaffected(qtbot, window, tmp_path):
    win = window
    media = ids(win)
    win.view.open_item(media["video"])
    out = Path(tmp_path / "bodycam-redacted.mp4")
    win.redact.export_current(str(out))
    box = prompt(win, qtbot)
    assert "never looked for" in box.text()
    click(box, "Export anyway")
    qtbot.waitUntil(lambda: hasattr(win, "last_export"), timeout=120000)
    assert out.exists()
    # a document is exported without the face question
    del win.last_export
    win.view.open_item(media["pdf"])
    pdf_out = tmp_path / "production-redacted.pdf"
    win.redact.export_current(str(pdf_out))
    assert win.redact.coverage.prompt is None
    go_on_anyway(qtbot, win, lambda: hasattr(win, "last_export"))  # the identifier sweep's
    qtbot.waitUntil(lambda: hasattr(win, "last_export"), timeout=60000)
    assert pdf_out.exists()


def test_frame_runs_join_consecutive_frames():
    from reviewer.ui.redaction.coverage import frame_runs

    assert frame_runs([(3, 1), (4, 2), (5, 1), (9, 1), (12, 3), (13, 1)]) == \
        [(3, 5, 2), (9, 9, 1), (12, 13, 3)]
    assert frame_runs([]) == []


def test_export_names_text_never_looked_for_and_looks_for_it_first(qtbot, window, tmp_path):
    """The question before a video export also names the other passes never run on it (here
    text: the sample clip has no sound, so there is nothing to transcribe), and Look for text
    first runs Find text instead of exporting."""
    from reviewer.session.passes import missing_passes

    win = window
    vid = import_face_clip(qtbot, win)
    missing = missing_passes(win.ctl.store, win.ctl.media(vid))
    assert missing[:2] == ["faces", "text"]
    out = tmp_path / "foreman-redacted.mp4"
    win.redact.export_current(str(out))
    box = prompt(win, qtbot)
    assert "Text in the picture (plates, badges, screens)" in box.text()
    assert "never looked for in this video either" in box.text()
    # speech is named only when the clip has sound to transcribe
    assert ("and what was said" in box.text()) == ("speech" in missing), box.text()
    look = next(b for b in box.buttons() if b.text().replace("&", "").startswith("Look for text"))
    look.click()
    qtbot.waitUntil(lambda: "text" not in missing_passes(win.ctl.store, win.ctl.media(vid)),
                    timeout=180000)
    assert not out.exists() and not hasattr(win, "last_export")
