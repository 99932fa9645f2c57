"""Redaction and bundle work from the window: search and redact with review, face suggestions
accepted and rejected, audio mute, export with progress, exhibits and the bundle preview."""
from __future__ import annotations

from conftest import go_on_anyway, ids, shot
from PySide6.QtCore import Qt


def test_search_and_redact_reviews_before_marking(qtbot, window):
    win = window
    media = ids(win)
    win.view.open_item(media["pdf"])
    win.redact.search_and_redact()
    dlg = win.redact.search_dialog
    dlg.pattern.setCurrentText("ssn")
    win.redact.find.find()
    qtbot.waitUntil(lambda: len(dlg.hit_items()) > 0, timeout=15000)
    n = len(dlg.hit_items())
    assert win.ctl.page_redactions(media["pdf"]) == []  # nothing marked by finding alone
    dlg.hit_items()[0].setCheckState(0, Qt.Unchecked)  # the reviewer keeps one visible
    kept = dlg.matches[dlg.hit_items()[0].data(0, Qt.UserRole)]
    shot(dlg, "dialog-search-and-redact")
    dlg.mark_button.click()
    boxes = win.ctl.page_redactions(media["pdf"])
    want = sum(len(m.rects) for m in dlg.matches if m is not kept)
    assert len(boxes) == want == dlg.marked and n - 1 == sum(1 for m in dlg.matches if m is not kept)
    assert not any(b["page_no"] == kept.page_no and tuple(b["rect"]) == tuple(kept.rects[0])
                   for b in boxes)
    win.actions["undo"].trigger()  # the whole marking is one step
    assert win.ctl.page_redactions(media["pdf"]) == []


def test_face_suggestions_accept_and_reject(qtbot, window):
    from tests_paths import sample_face_clip

    win = window
    win.import_paths([str(sample_face_clip())])
    qtbot.waitUntil(lambda: any(m["name"] == "foreman_h264.mp4" for m in win.ctl.media_list()),
                    timeout=60000)
    vid = next(m["id"] for m in win.ctl.media_list() if m["name"] == "foreman_h264.mp4")
    win.view.open_item(vid)
    win.redact.find_faces()
    qtbot.waitUntil(lambda: bool(win.ctl.tracks(vid)), timeout=120000)
    tracks = win.ctl.tracks(vid)
    assert all(t["status"] == "suggested" for t in tracks)
    panel = win.redact.panel
    assert "to review" in panel.summary.text()
    shot(win, "window-face-suggestions")
    first = panel.tree.topLevelItem(0)
    first_id = first.data(0, Qt.UserRole)[1]
    first.setSelected(True)
    panel.buttons["accept"].click()
    st = {t["id"]: t["status"] for t in win.ctl.tracks(vid)}
    assert st[first_id] == "active"
    if len(tracks) > 1:
        panel.tree.clearSelection()
        panel.tree.topLevelItem(panel.tree.topLevelItemCount() - 1).setSelected(True)
        rid = panel.tree.topLevelItem(panel.tree.topLevelItemCount() - 1).data(0, Qt.UserRole)[1]
        panel.buttons["reject"].click()
        assert rid not in {t["id"] for t in win.ctl.tracks(vid)}  # rejected: gone from view
    win.actions["undo"].trigger()
    win.actions["undo"].trigger()
    win.actions["undo"].trigger()  # the detection run itself is one step
    assert win.ctl.tracks(vid) == [] or len(tracks) == 1


def test_mute_in_out_adds_an_audio_span(qtbot, window):
    win = window
    media = ids(win)
    win.view.open_item(media["video"])
    win.video.seek(15)
    win.video.set_in()
    win.video.seek(29)
    win.video.set_out()
    win.redact.mute_in_out()
    from reviewer.store.redactions import audio_spans

    spans = audio_spans(win.ctl.store, media["video"])
    assert len(spans) == 1
    assert spans[0].t_from_s == win.video.times.seconds(15)
    assert spans[0].t_to_s == win.video.times.seconds(30)
    audio = win.video.timeline._audio
    # its end is frame 30's start: it covers frames 15-29 (the one rule for spans)
    assert [(s.frame_from, s.frame_to) for s in audio] == [(15, 29)]


def test_export_pdf_with_progress_and_exhibits_bundle(qtbot, window, tmp_path):
    win = window
    media = ids(win)
    win.view.open_item(media["pdf"])
    win.ctl.add_page_box(media["pdf"], 1, (60, 60, 560, 160), "b6")
    out = tmp_path / "redacted.pdf"
    win.redact.export_current(str(out))
    assert go_on_anyway(qtbot, win)  # the fixture's SSNs, A-numbers… are still readable
    qtbot.waitUntil(lambda: hasattr(win, "last_export"), timeout=60000)
    assert out.exists() and all(c.ok for c in win.last_export.checks)
    # exhibits: a clip from In-Out, a still, pages 2-3; their cites shown in order
    win.view.open_item(media["video"])
    win.video.seek(10)
    win.video.set_in()
    win.video.seek(20)
    win.video.set_out()
    win.exhibits.declare("clip")
    win.exhibits.declare("still")
    win.exhibits.declare("pages", pages=(2, 3))
    rows = win.exhibits.panel.rows
    assert [r["kind"] for r in rows] == ["clip", "still", "document"]
    assert rows[0]["cite"].startswith("Ex. 1 (bodycam.mp4) at 00:00:00.334")
    assert rows[2]["cite"] == "Ex. 3 at ICE-2023-000124\u2013000125"  # pages 2-3: their range
    win.exhibits._on_panel_move_requested(rows[2]["id"], 0)
    assert [r["kind"] for r in win.exhibits.panel.rows] == ["document", "clip", "still"]
    win.actions["undo"].trigger()
    assert [r["kind"] for r in win.exhibits.panel.rows] == ["clip", "still", "document"]
    bundle = tmp_path / "bundle"
    win.exhibits.bundle(str(bundle))
    dlg = win.exhibits.preview_dialog
    assert dlg.tree.topLevelItemCount() == 3
    shot(dlg, "dialog-bundle-preview")
    dlg.accept()
    go_on_anyway(qtbot, win, lambda: hasattr(win, "last_bundle"))
    qtbot.waitUntil(lambda: hasattr(win, "last_bundle"), timeout=120000)
    assert (bundle / "index.json").exists() and (bundle / "SHA256SUMS").exists()
    shot(win, "window-exhibits")
